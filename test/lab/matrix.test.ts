/**
 * NAT traversal matrix (issue #4): the real `p2prc` CLI across the NAT lab.
 *
 * One lab for the whole suite (test/lab/lab.ts): the signal server on
 * 203.0.113.1 (+ .2), public hosts p1/p2, NAT routers r1 (hosts h1a, h1b) and
 * r2 (h2a) switched between `eim` and `symmetric` per pair, firewall routers f1/f2
 * with routed public LANs (f1a, f2a). For each pair of behaviours an `expose`
 * runs on one host next to a TCP echo service and a `connect` on the other; a
 * client inside the connecting namespace sends 1 MiB through the tunnel and must
 * get it back byte-exact. The route kind `connect` prints must be what the pair
 * allows, and both peers' reverse_proxy_mapping.json must hold a row for the
 * service with that route kind.
 *
 * The matrix is printed as a table (diagnostics) and written as JSON to
 * $P2PRC_LAB_REPORT when set.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, labUnavailable, type LabHost, type RouterMode } from './lab.js';
import { readMappingFile } from '../../src/mapping/log.js';
import { table } from '../../src/cli/format.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ECHO_SERVER = join(HERE, 'echo-server.js');
const ECHO_CLIENT = join(HERE, 'echo-client.js');
const SIGNAL_PORT = 8088;
const STUN_PORT = 3478;
const SERVER_URL = `ws://${SERVER_IPS[0]}:${SIGNAL_PORT}`;
const ECHO_PORT = 7000;
const BYTES = 1024 * 1024;
const ROUTE_TIMEOUT_MS = 30_000;

type Behaviour = 'public' | 'eim' | 'symmetric' | 'firewall' | 'same-NAT';
type Kind = 'direct' | 'relay';

interface Pair {
  name: string;
  /** Exposing host role, connecting host role. */
  expose: string;
  connect: string;
  /** Modes of the NAT routers for this pair (unlisted: eim). */
  modes: Partial<Record<'r1' | 'r2', RouterMode>>;
  expect: Kind;
  /** Expected candidate types (connect's view: local, remote), when fixed by the topology. */
  expectTypes?: [string, string];
  why: string;
}

/**
 * What each pair allows. Linux conntrack filters address-and-port dependently,
 * so a symmetric NAT can only punch through to peers that accept its fresh
 * mappings: public hosts (no filter) reply to a peer-reflexive candidate; an
 * EIM NAT, a firewall or another symmetric NAT drop them, and only TURN remains.
 */
const PAIRS: Pair[] = [
  { name: 'public <-> public', expose: 'p1', connect: 'p2', modes: {}, expect: 'direct', expectTypes: ['host', 'host'], why: 'no NAT' },
  { name: 'eim <-> public', expose: 'h1a', connect: 'p1', modes: { r1: 'eim' }, expect: 'direct', why: 'public host reaches the srflx mapping after the NATed side opened it' },
  { name: 'symmetric <-> public', expose: 'h1a', connect: 'p1', modes: { r1: 'symmetric' }, expect: 'direct', why: 'public host answers the fresh mapping (prflx)' },
  { name: 'firewall <-> public', expose: 'f1a', connect: 'p1', modes: {}, expect: 'direct', why: 'outbound checks open the firewall' },
  { name: 'eim <-> eim', expose: 'h1a', connect: 'h2a', modes: { r1: 'eim', r2: 'eim' }, expect: 'direct', expectTypes: ['srflx', 'srflx'], why: 'port-preserving mappings punch both ways' },
  { name: 'eim <-> firewall', expose: 'h1a', connect: 'f1a', modes: { r1: 'eim' }, expect: 'direct', why: 'both open their filters with outbound checks' },
  { name: 'firewall <-> firewall', expose: 'f1a', connect: 'f2a', modes: {}, expect: 'direct', expectTypes: ['host', 'host'], why: 'public host candidates, stateful filters opened both ways' },
  { name: 'same-NAT (eim)', expose: 'h1a', connect: 'h1b', modes: { r1: 'eim' }, expect: 'direct', expectTypes: ['host', 'host'], why: 'host <-> host on the LAN' },
  { name: 'eim <-> symmetric', expose: 'h1a', connect: 'h2a', modes: { r1: 'eim', r2: 'symmetric' }, expect: 'relay', why: 'the EIM side filters the symmetric side\'s fresh ports' },
  { name: 'symmetric <-> symmetric', expose: 'h1a', connect: 'h2a', modes: { r1: 'symmetric', r2: 'symmetric' }, expect: 'relay', why: 'no mapping is predictable' },
  { name: 'symmetric <-> firewall', expose: 'h1a', connect: 'f1a', modes: { r1: 'symmetric' }, expect: 'relay', why: 'the firewall filters the symmetric side\'s fresh ports' },
];

interface Row {
  pair: string;
  expose: string;
  connect: string;
  expected: Kind;
  route?: string;
  localType?: string;
  local?: string;
  remoteType?: string;
  remote?: string;
  setupMs?: number;
  exposeView?: string;
  echoMs?: number;
  bytes?: number;
  pairMs: number;
  ok: boolean;
  error?: string;
}

const ROUTE_RE = /^route (\S+): (direct|relay|upnp|public-port) (\S+) (\S+) <-> (\S+) (\S+) \(setup (\d+) ms\)/;

const skipReason = ((): string | false => {
  const why = labUnavailable();
  // Not root / not Linux: cannot run here at all. Root with tools missing: fail loudly in `before`.
  if (why && (process.platform !== 'linux' || process.getuid?.() !== 0)) return why;
  return false;
})();

describe('NAT lab: traversal matrix with the real CLI', { skip: skipReason }, () => {
  let lab: Lab | undefined;
  let server: Proc;
  let serverDir: string;
  const rows: Row[] = [];
  const echoStarted = new Map<string, Proc>();
  const t0 = performance.now();
  let setupMs = 0;

  const log = (l: string): void => {
    console.log(l);
  };

  before(async () => {
    lab = await Lab.create({ publicHosts: 2, natHosts: [2, 1], firewallHosts: [1, 1], log });
    log(lab.describe());
    serverDir = tmpDir('p2prc-lab-srv-');
    server = lab.spawnNode(lab.server.ns, 'server', CLI, [
      'server', '--host', '0.0.0.0', '--port', String(SIGNAL_PORT), '--stun-port', String(STUN_PORT),
      '--public-ip', SERVER_IPS[0], '--data-dir', serverDir,
    ]);
    await server.waitFor(/listening on ws:\/\//, 'out', 20_000);
    await server.waitFor(/STUN\/TURN relay on .*advertised as 203\.0\.113\.1/, 'out', 20_000);
    setupMs = Math.round(performance.now() - t0);
  }, { timeout: 90_000 });

  after(async () => {
    const suiteMs = Math.round(performance.now() - t0);
    if (rows.length) {
      const text = table(
        ['pair', 'expose', 'connect', 'expected', 'route', 'local', 'remote', 'setup ms', 'echo 1 MiB ms', 'ok'],
        rows.map((r) => [r.pair, r.expose, r.connect, r.expected, r.route ?? '-', r.local ? `${r.localType} ${r.local}` : '-', r.remote ? `${r.remoteType} ${r.remote}` : '-', r.setupMs === undefined ? '-' : String(r.setupMs), r.echoMs === undefined ? '-' : String(r.echoMs), r.ok ? 'yes' : `NO: ${(r.error ?? '').split('\n')[0]}`]),
      );
      log(`\nNAT traversal matrix (lab setup ${setupMs} ms, suite ${suiteMs} ms):\n${text}\n`);
      const out = process.env.P2PRC_LAB_REPORT;
      if (out) {
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), lab: lab?.describe(), server: { url: SERVER_URL, stunPort: STUN_PORT, publicIp: SERVER_IPS[0], allowPrivatePeers: false }, bytesPerPair: BYTES, labSetupMs: setupMs, suiteMs, pairs: rows }, null, 2) + '\n');
        log(`matrix written to ${out}`);
      }
    }
    await lab?.destroy();
    await cleanup();
  });

  async function echoOn(h: LabHost): Promise<void> {
    if (echoStarted.has(h.ns)) return;
    const p = lab!.spawnNode(h.ns, `echo@${h.role}`, ECHO_SERVER, [String(ECHO_PORT)]);
    await p.waitFor(/echo listening/, 'out', 10_000);
    echoStarted.set(h.ns, p);
  }

  async function mappingRow(dir: string, role: 'expose' | 'connect', deadline: number): Promise<{ route: string; local?: string; remote?: string } | undefined> {
    for (;;) {
      const row = readMappingFile(join(dir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.find((r) => r.role === role && r.service === 'echo');
      if (row) return { route: row.route, ...(row.local_candidate ? { local: row.local_candidate.type } : {}), ...(row.remote_candidate ? { remote: row.remote_candidate.type } : {}) };
      if (Date.now() > deadline) return undefined;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  for (const [idx, pair] of PAIRS.entries()) {
    it(`${pair.name}: ${pair.expect} (${pair.why})`, { timeout: 120_000 }, async () => {
      const L = lab!;
      const p0 = performance.now();
      const row: Row = { pair: pair.name, expose: pair.expose, connect: pair.connect, expected: pair.expect, pairMs: 0, ok: false };
      rows.push(row);
      const procs: Proc[] = [];
      try {
        for (const r of ['r1', 'r2'] as const) if (L.router(r).mode !== (pair.modes[r] ?? 'eim')) await L.setMode(r, pair.modes[r] ?? 'eim');
        await L.flushConntrack();
        const ha = L.host(pair.expose);
        const hb = L.host(pair.connect);
        await echoOn(ha);
        const name = `x${idx}`;
        const dirA = tmpDir('p2prc-lab-a-');
        const dirB = tmpDir('p2prc-lab-b-');
        const listenPort = 9000 + idx;
        const ex = L.spawnNode(ha.ns, `expose:${name}@${ha.role}`, CLI, ['expose', `echo=${ECHO_PORT}`, '--name', name, '--server', SERVER_URL, '--data-dir', dirA]);
        procs.push(ex);
        await ex.waitFor(/registered as \S+ \(peer id [0-9a-f]{40}\)/, 'out', 20_000);
        const co = L.spawnNode(hb.ns, `connect:${name}/echo@${hb.role}`, CLI, ['connect', `${name}/echo`, '--listen', `127.0.0.1:${listenPort}`, '--name', `c${idx}`, '--server', SERVER_URL, '--data-dir', dirB]);
        procs.push(co);
        await co.waitFor(/listening on 127\.0\.0\.1:\d+/, 'out', 20_000);
        // The route line (warmUp); fail early if connect reports it has no connection.
        const m = await Promise.race([
          co.waitFor(ROUTE_RE, 'out', ROUTE_TIMEOUT_MS),
          co.waitFor(/no connection yet/, 'err', ROUTE_TIMEOUT_MS + 1000).then(() => {
            throw new Error(`connect got no connection for ${pair.name}\n${co.dump()}\n${ex.dump()}`);
          }),
        ]);
        row.route = m[2]!;
        row.localType = m[3]!;
        row.local = m[4]!;
        row.remoteType = m[5]!;
        row.remote = m[6]!;
        row.setupMs = Number(m[7]);
        const exRoute = await ex.waitFor(/^route \S+ -> \S+: (.*)$/, 'out', 10_000).catch(() => undefined);
        if (exRoute) row.exposeView = exRoute[1]!;

        // Byte-exact through the tunnel, from inside the connecting namespace.
        const res = await L.exec(hb.ns, [process.execPath, ECHO_CLIENT, String(listenPort), String(BYTES), '60000'], { timeoutMs: 70_000 });
        let echo: { sent: number; received: number; sha256Sent: string; sha256Received: string; ms: number; error?: string } | undefined;
        try {
          echo = JSON.parse(res.stdout.trim().split('\n').pop() ?? '');
        } catch {
          /* reported below */
        }
        if (!echo || echo.error || res.code !== 0) {
          throw new Error(`echo through ${pair.name} failed (exit ${res.code}): ${echo?.error ?? res.stdout + res.stderr}\n${co.dump()}\n${ex.dump()}`);
        }
        row.echoMs = echo.ms;
        row.bytes = echo.received;
        assert.equal(echo.received, BYTES, `${pair.name}: bytes echoed`);
        assert.equal(echo.sha256Received, echo.sha256Sent, `${pair.name}: sha256 of the echo`);

        const why = `${pair.name}: route ${m[0]}\n${co.dump()}\n${ex.dump()}`;
        assert.equal(row.route, pair.expect, `${pair.name}: expected a ${pair.expect} route (${pair.why}), got ${row.route}\n${why}`);
        if (pair.expectTypes) {
          assert.deepEqual([row.localType, row.remoteType], pair.expectTypes, `${pair.name}: candidate types\n${why}`);
        }
        if (pair.name.startsWith('same-NAT')) {
          assert.match(`${row.local} ${row.remote}`, /^192\.168\.1\.\d+:\d+ 192\.168\.1\.\d+:\d+$/, `${pair.name}: both ends on the LAN\n${why}`);
        }

        // Both mapping logs hold a row for the service with this route kind.
        const deadline = Date.now() + 5000;
        const [ra, rb] = await Promise.all([mappingRow(dirA, 'expose', deadline), mappingRow(dirB, 'connect', deadline)]);
        assert.ok(ra, `${pair.name}: no expose row for echo in ${dirA}/reverse_proxy_mapping.json\n${ex.dump()}`);
        assert.ok(rb, `${pair.name}: no connect row for echo in ${dirB}/reverse_proxy_mapping.json\n${co.dump()}`);
        assert.equal(ra.route, pair.expect, `${pair.name}: expose mapping row route`);
        assert.equal(rb.route, pair.expect, `${pair.name}: connect mapping row route`);
        assert.deepEqual([rb.local, rb.remote], [row.localType, row.remoteType], `${pair.name}: connect mapping row candidates match the route line`);
        row.ok = true;
      } catch (err) {
        row.error = (err as Error).message;
        throw err;
      } finally {
        await Promise.all(procs.map((p) => p.stop('SIGTERM', 3000)));
        row.pairMs = Math.round(performance.now() - p0);
      }
    });
  }
});
