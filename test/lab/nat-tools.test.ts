/**
 * Cross-checks of the NAT lab's router modes with tools nobody here wrote, so the
 * traversal matrix rests on NATs that behave as named:
 *   - coturn's `turnutils_natdiscovery -m -f` (RFC 5780) against a real coturn
 *     listening on both server addresses (203.0.113.1 and .2);
 *   - Debian's classic `stun` client (RFC 3489) against the same coturn;
 * plus the lab's own filtering (unsolicited inbound is dropped), and `p2prc nat`
 * (our RFC 5780 client against our server's --alt-ip) classifying the same NATs.
 * Debian packages: coturn, stun-client, iptables, conntrack (.ci/run installs them).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, type RouterMode } from './lab.js';
import { labSkipReason } from './suite.js';

const COTURN_PORT = 3478;
/** Our server's STUN port (its alternate port is +1); coturn holds 3478/3479. */
const OUR_STUN_PORT = 4478;
const OUR_SIGNAL_PORT = 8088;

function need(bin: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
  } catch {
    assert.fail(`${bin} is not installed: .ci/run installs Debian's coturn and stun-client`);
  }
}

interface Expect {
  host: 'h1a' | 'f1a' | 'p1';
  mode?: RouterMode;
  label: string;
  natdiscovery: { mapping: RegExp; filtering: RegExp };
  stun: RegExp;
  p2prc: { mapping: string; filtering: string; natted: boolean };
}

const CASES: Expect[] = [
  {
    host: 'h1a', mode: 'eim', label: 'eim router',
    natdiscovery: { mapping: /NAT with Endpoint Independent Mapping!/, filtering: /NAT with Address and Port Dependent Filtering!/ },
    stun: /Primary: Independent Mapping, Port Dependent Filter, preserves ports/,
    p2prc: { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', natted: true },
  },
  {
    host: 'h1a', mode: 'symmetric', label: 'symmetric router',
    natdiscovery: { mapping: /NAT with Address and Port Dependent Mapping!/, filtering: /NAT with Address and Port Dependent Filtering!/ },
    stun: /Primary: Dependent Mapping/,
    p2prc: { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', natted: true },
  },
  {
    host: 'f1a', label: 'firewall router (routed public LAN)',
    natdiscovery: { mapping: /NAT with Endpoint Independent Mapping!/, filtering: /NAT with Address and Port Dependent Filtering!/ },
    stun: /Primary: Firewall/,
    p2prc: { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', natted: false },
  },
  {
    host: 'p1', label: 'public host',
    natdiscovery: { mapping: /NAT with Endpoint Independent Mapping!/, filtering: /NAT with Endpoint Independent Filtering!/ },
    stun: /Primary: Open/,
    p2prc: { mapping: 'endpoint-independent', filtering: 'endpoint-independent', natted: false },
  },
];

describe('NAT lab: router modes cross-checked with coturn, stun-client and p2prc nat', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let coturn: Proc;
  let ours: Proc;

  before(async () => {
    need('turnserver');
    need('turnutils_natdiscovery');
    need('stun');
    lab = await Lab.create({ publicHosts: 1, natHosts: [1], firewallHosts: [1], log: (l) => console.log(l) });
    const dir = tmpDir('p2prc-lab-coturn-');
    // Two listening IPs: coturn enables RFC 5780 (CHANGE-REQUEST from the other address/port).
    coturn = lab.spawn(lab.server.ns, 'coturn', 'turnserver', [
      '-n', `--listening-ip=${SERVER_IPS[0]}`, `--listening-ip=${SERVER_IPS[1]}`, `--listening-port=${COTURN_PORT}`,
      '--no-tcp', '--no-tls', '--no-dtls', '--no-cli', '--realm=lab', '--log-file=stdout', '--simple-log',
      `--pidfile=${join(dir, 'pid')}`, `--db=${join(dir, 'turndb')}`,
    ]);
    await coturn.waitFor(/IPv4\. UDP listener opened on\s*:?\s*203\.0\.113\.2:3479|pid file created/, 'any', 20_000);
    ours = lab.spawnNode(lab.server.ns, 'server', CLI, [
      '--json', 'server', '--host', SERVER_IPS[0], '--alt-ip', SERVER_IPS[1], '--port', String(OUR_SIGNAL_PORT), '--stun-port', String(OUR_STUN_PORT), '--data-dir', tmpDir('p2prc-lab-srv-'),
    ]);
    await ours.waitForEvent({ event: 'listening', stunPort: OUR_STUN_PORT }, 20_000);
    // coturn logs before all its listeners are up: wait until a binding gets an answer (bounded).
    for (let i = 0; ; i++) {
      const r = await lab.exec(lab.host('p1').ns, ['turnutils_natdiscovery', '-m', '-p', String(COTURN_PORT), SERVER_IPS[0]], { timeoutMs: 20_000 });
      if (/UDP reflexive addr/.test(r.stdout)) break;
      if (i >= 10) assert.fail(`coturn in ${lab.server.ns} does not answer:\n${r.stdout}${r.stderr}\n${coturn.dump()}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }, { timeout: 120_000 });

  after(async () => {
    await lab?.destroy();
    await cleanup();
  });

  it('drops unsolicited inbound: NAT WAN address and firewalled host unreachable, public host reachable', async () => {
    const L = lab!;
    await L.setMode('r1', 'eim');
    const p1 = L.host('p1').ns;
    // A TCP SYN to a closed port: "refused" proves a round trip, "timeout" a silent drop.
    assert.equal(await L.probe(p1, L.router('r1').wanIp), 'timeout', 'router WAN address must drop unsolicited packets');
    assert.equal(await L.probe(p1, L.host('f1a').ip), 'timeout', 'a firewalled host must not be reachable unsolicited');
    assert.equal(await L.probe(L.host('f1a').ns, L.host('p1').ip), 'refused', 'the firewalled host reaches the internet');
    assert.equal(await L.probe(L.host('h1a').ns, L.host('p1').ip), 'refused', 'the NATed host reaches the internet');
    await L.setMode('f1', 'open');
    try {
      assert.equal(await L.probe(p1, L.host('f1a').ip), 'refused', 'with the firewall open the host is reachable (routed public LAN)');
    } finally {
      await L.setMode('f1', 'firewall');
    }
    assert.equal(await L.probe(p1, L.host('f1a').ip), 'timeout', 'firewall closed again');
  });

  for (const c of CASES) {
    it(`${c.label}: turnutils_natdiscovery (RFC 5780) and stun (RFC 3489) agree with the mode`, { timeout: 120_000 }, async () => {
      const L = lab!;
      if (c.mode) await L.setMode('r1', c.mode);
      await L.flushConntrack();
      const ns = L.host(c.host).ns;
      const nd = await L.exec(ns, ['turnutils_natdiscovery', '-m', '-f', '-p', String(COTURN_PORT), SERVER_IPS[0]], { timeoutMs: 60_000 });
      const ndOut = nd.stdout + nd.stderr;
      assert.match(ndOut, c.natdiscovery.mapping, `natdiscovery mapping from ${c.host}:\n${ndOut}`);
      assert.match(ndOut, c.natdiscovery.filtering, `natdiscovery filtering from ${c.host}:\n${ndOut}`);
      // The mapped address is the router's WAN address behind NAT, the host's own otherwise.
      const pub = L.host(c.host).router?.kind === 'nat' ? L.host(c.host).router!.wanIp : L.host(c.host).ip;
      assert.match(ndOut, new RegExp(`UDP reflexive addr: ${pub.replace(/\./g, '\\.')}:\\d+`), `mapped address from ${c.host}`);
      await L.flushConntrack();
      // `stun` exits with the NAT type code (non-zero by design); only its output matters.
      const st = await L.exec(ns, ['stun', `${SERVER_IPS[0]}:${COTURN_PORT}`], { timeoutMs: 60_000 });
      assert.match(st.stdout + st.stderr, c.stun, `stun from ${c.host}:\n${st.stdout}${st.stderr}`);
      console.log(`${c.label}: ${/NAT with .*Mapping!/.exec(ndOut)?.[0]} ${/NAT with .*Filtering!/.exec(ndOut)?.[0]} | stun: ${/Primary: .*/.exec(st.stdout)?.[0]?.trim()}`);
    });

    it(`${c.label}: p2prc nat (our server with --alt-ip) classifies it the same`, { timeout: 120_000 }, async () => {
      const L = lab!;
      if (c.mode) await L.setMode('r1', c.mode);
      await L.flushConntrack();
      // --no-portmap: no SSDP multicast or NAT-PMP toward the router (nothing listens there anyway).
      const r = await L.exec(L.host(c.host).ns, [process.execPath, CLI, '--json', 'nat', '--server', `ws://${SERVER_IPS[0]}:${OUR_SIGNAL_PORT}`, '--no-portmap'], { timeoutMs: 60_000 });
      let rep: { mapping?: string; filtering?: string; natted?: boolean; classic?: string } = {};
      try {
        rep = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
      } catch {
        assert.fail(`p2prc nat from ${c.host} printed no JSON (exit ${r.code}):\n${r.stdout}${r.stderr}`);
      }
      const got = { mapping: rep.mapping, filtering: rep.filtering, natted: rep.natted };
      assert.deepEqual(got, c.p2prc, `p2prc nat from ${c.host}: ${JSON.stringify(rep)}`);
      console.log(`${c.label}: p2prc nat says ${rep.classic} (${rep.mapping} mapping, ${rep.filtering} filtering)`);
    });
  }
});
