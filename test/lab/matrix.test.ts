/**
 * NAT traversal matrix (issue #4): the real `p2prc` CLI across the NAT lab.
 *
 * One lab for the whole suite (test/lab/lab.ts): `p2prc server` on 203.0.113.1
 * (+ .2) without --allow-private-peers (relaying to the peers' private host
 * candidates is refused with 403; their relayed candidates are on the server's
 * own address and allowed), public hosts p1/p2, NAT routers r1 (hosts h1a, h1b)
 * and r2 (h2a) switched between `eim` and `symmetric` per pair, firewall routers
 * f1/f2 with routed public LANs (f1a, f2a). Per pair, with conntrack flushed and
 * fresh peers: `expose echo=7000` runs next to a TCP echo service, `connect`
 * on the other host, and a client inside the connecting namespace sends 1 MiB
 * through the tunnel, twice, and must get it back byte-exact. Checked:
 *   - connectivity (byte-exact echo);
 *   - the data path once ICE has settled, measured on the wire: UDP bytes through
 *     the server host during the second echo (~0 direct, >= 2 MiB relayed);
 *   - the route kind on connect's `route X/echo: ...` line, its candidate
 *     addresses, and both peers' reverse_proxy_mapping.json rows for the service.
 *
 * The matrix is printed as a table and written as JSON to $P2PRC_LAB_REPORT when
 * set. Needs root and iptables/conntrack (skipped when not root).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI, ROOT, asRoute, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, type LabHost, type RouterMode } from './lab.js';
import { PEER_START_MS, SERVER_URL, SETTLE_MS, STUN_PORT, endpoint, firstRoute, labSkipReason, lastRoute, mib, routeText, startLabServer } from './suite.js';
import { BYTES, ECHO_PORT, EchoServers, echoThrough, mappingRow } from './tunnel-check.js';
import { table } from '../../src/cli/format.js';

const ndcVersion = (): string | undefined => {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'node-datachannel', 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
};

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
  /** Both hosts on one LAN: the direct route must stay on it. */
  sameLan?: boolean;
  /** Port prediction must find the path; connect's role in it. */
  punch?: 'easy' | 'hard';
  /** Both peers run with --no-punch. */
  noPunch?: boolean;
  why: string;
}

/**
 * What each pair allows. Linux conntrack filters address-and-port dependently,
 * so a symmetric NAT can only punch through to peers that accept its fresh
 * mappings: public hosts (no filter) reply to a peer-reflexive candidate; an
 * EIM NAT, a firewall or another symmetric NAT drop them, and only TURN remains.
 */
const PAIRS: Pair[] = [
  { name: 'public <-> public', expose: 'p1', connect: 'p2', modes: {}, expect: 'direct', why: 'no NAT' },
  { name: 'eim <-> public', expose: 'h1a', connect: 'p1', modes: { r1: 'eim' }, expect: 'direct', why: 'public host reaches the srflx mapping after the NATed side opened it' },
  { name: 'symmetric <-> public', expose: 'h1a', connect: 'p1', modes: { r1: 'symmetric' }, expect: 'direct', why: 'public host answers the fresh mapping (prflx)' },
  { name: 'firewall <-> public', expose: 'f1a', connect: 'p1', modes: {}, expect: 'direct', why: 'outbound checks open the firewall' },
  { name: 'eim <-> eim', expose: 'h1a', connect: 'h2a', modes: { r1: 'eim', r2: 'eim' }, expect: 'direct', why: 'port-preserving mappings punch both ways' },
  { name: 'eim <-> firewall', expose: 'h1a', connect: 'f1a', modes: { r1: 'eim' }, expect: 'direct', why: 'both open their filters with outbound checks' },
  { name: 'firewall <-> firewall', expose: 'f1a', connect: 'f2a', modes: {}, expect: 'direct', why: 'public host candidates, stateful filters opened both ways' },
  { name: 'same-NAT (eim)', expose: 'h1a', connect: 'h1b', modes: { r1: 'eim' }, expect: 'direct', expectTypes: ['host', 'host'], sameLan: true, why: 'host <-> host on the LAN' },
  { name: 'eim <-> symmetric', expose: 'h1a', connect: 'h2a', modes: { r1: 'eim', r2: 'symmetric' }, expect: 'direct', punch: 'hard', why: 'port prediction: the symmetric side\'s 256 sockets meet the EIM side\'s spray' },
  { name: 'symmetric <-> symmetric', expose: 'h1a', connect: 'h2a', modes: { r1: 'symmetric', r2: 'symmetric' }, expect: 'relay', why: 'no mapping is predictable' },
  { name: 'symmetric <-> firewall', expose: 'h1a', connect: 'f1a', modes: { r1: 'symmetric' }, expect: 'direct', punch: 'easy', why: 'port prediction: the firewalled host sprays the symmetric side\'s ports' },
  // The same pairs the other way round: the connecting peer is the ICE controlling agent.
  { name: 'public <-> eim', expose: 'p1', connect: 'h1a', modes: { r1: 'eim' }, expect: 'direct', why: 'public host reaches the srflx mapping after the NATed side opened it' },
  { name: 'public <-> symmetric', expose: 'p1', connect: 'h1a', modes: { r1: 'symmetric' }, expect: 'direct', why: 'public host answers the fresh mapping (prflx)' },
  { name: 'public <-> firewall', expose: 'p1', connect: 'f1a', modes: {}, expect: 'direct', why: 'outbound checks open the firewall' },
  { name: 'firewall <-> eim', expose: 'f1a', connect: 'h1a', modes: { r1: 'eim' }, expect: 'direct', why: 'both open their filters with outbound checks' },
  { name: 'symmetric <-> eim', expose: 'h1a', connect: 'h2a', modes: { r1: 'symmetric', r2: 'eim' }, expect: 'direct', punch: 'easy', why: 'port prediction: the EIM side sprays the symmetric side\'s ports' },
  { name: 'firewall <-> symmetric', expose: 'f1a', connect: 'h1a', modes: { r1: 'symmetric' }, expect: 'direct', punch: 'hard', why: 'port prediction: the symmetric side\'s sockets meet the firewalled host\'s spray' },
  // Without port prediction the same pairs fall back to the relay (the WebRTC default).
  { name: 'eim <-> symmetric, --no-punch', expose: 'h1a', connect: 'h2a', modes: { r1: 'eim', r2: 'symmetric' }, expect: 'relay', noPunch: true, why: 'the EIM side filters the symmetric side\'s fresh ports' },
  { name: 'same-NAT (symmetric)', expose: 'h1a', connect: 'h1b', modes: { r1: 'symmetric' }, expect: 'direct', expectTypes: ['host', 'host'], sameLan: true, why: 'host <-> host on the LAN, whatever the NAT does' },
];

interface Row {
  pair: string;
  expose: string;
  connect: string;
  expected: Kind;
  route?: string;
  /** The route first printed, when ICE later moved to another pair. */
  firstRoute?: string;
  localType?: string;
  local?: string;
  remoteType?: string;
  remote?: string;
  setupMs?: number;
  exposeView?: string;
  echoMs?: number;
  bytes?: number;
  /** UDP bytes in + out of the server host during the first echo (right after the route line) and the steady one. */
  firstViaServer?: number;
  steadyViaServer?: number;
  /** The data path as measured on the server host once ICE settled. */
  path?: 'direct' | 'relay' | 'mixed';
  exposeRow?: string;
  connectRow?: string;
  pairMs: number;
  /** The exposer's NAT as it measured it, and connect's punch (role, ms) when one ran. */
  exposeNat?: string;
  punch?: string;
  ok: boolean;
  error?: string;
}

describe('NAT lab: traversal matrix with the real CLI', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let server: Proc;
  let serverDir: string;
  const rows: Row[] = [];
  const echoes = new EchoServers(() => lab!);
  const t0 = performance.now();
  let setupMs = 0;

  const log = (l: string): void => {
    console.log(l);
  };

  before(async () => {
    lab = await Lab.create({ publicHosts: 2, natHosts: [2, 1], firewallHosts: [1, 1], log });
    log(lab.describe());
    serverDir = tmpDir('p2prc-lab-srv-');
    server = await startLabServer(lab, ['--host', SERVER_IPS[0], '--alt-ip', SERVER_IPS[1], '--data-dir', serverDir]);
    setupMs = Math.round(performance.now() - t0);
  }, { timeout: 90_000 });

  after(async () => {
    const suiteMs = Math.round(performance.now() - t0);
    if (rows.length) {
      const text = table(
        ['pair', 'expose', 'connect', 'expected', 'route', 'punch', 'local', 'remote', 'setup ms', 'expose view', 'rows e/c', 'echo ms', 'via srv 1st/settled', 'path', 'ok'],
        rows.map((r) => [r.pair, r.expose, r.connect, r.expected, r.firstRoute ? `${r.route} (first ${r.firstRoute})` : r.route ?? '-', r.punch ?? '-', r.local ? `${r.localType} ${r.local}` : '-', r.remote ? `${r.remoteType} ${r.remote}` : '-', r.setupMs === undefined ? '-' : String(r.setupMs), r.exposeView?.replace(/ \(setup.*$/, '') ?? '-', `${r.exposeRow ?? '-'}/${r.connectRow ?? '-'}`, r.echoMs === undefined ? '-' : String(r.echoMs), r.firstViaServer === undefined ? '-' : `${mib(r.firstViaServer)} / ${r.steadyViaServer === undefined ? '-' : mib(r.steadyViaServer)}`, r.path ?? '-', r.ok ? 'yes' : `NO: ${(r.error ?? '').split('\n').slice(0, 2).join(' ').slice(0, 140)}`]),
      );
      log(`\nNAT traversal matrix (lab setup ${setupMs} ms, suite ${suiteMs} ms):\n${text}\n`);
      const out = process.env.P2PRC_LAB_REPORT;
      if (out) {
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, nodeDatachannel: ndcVersion(), lab: lab?.describe(), server: { url: SERVER_URL, stunPort: STUN_PORT, publicIp: SERVER_IPS[0], allowPrivatePeers: false }, bytesPerPair: BYTES, labSetupMs: setupMs, suiteMs, pairs: rows }, null, 2) + '\n');
        log(`matrix written to ${out}`);
      }
    }
    await lab?.destroy();
    await cleanup();
  });




  /** The address a peer on `h` shows the internet: its own, or its NAT router's WAN address. */
  const publicAddress = (h: LabHost): string => (h.router?.kind === 'nat' ? h.router.wanIp : h.ip);

  for (const [idx, pair] of PAIRS.entries()) {
    it(`${pair.name}: ${pair.expect} (${pair.why})`, { timeout: 120_000 }, async () => {
      const L = lab!;
      const p0 = performance.now();
      const row: Row = { pair: pair.name, expose: pair.expose, connect: pair.connect, expected: pair.expect, pairMs: 0, ok: false };
      rows.push(row);
      const procs: Proc[] = [];
      try {
        if (server.exitCode !== undefined) throw new Error(`the signal server exited (${server.exitCode})\n${server.dump()}`);
        for (const r of ['r1', 'r2'] as const) if (L.router(r).mode !== (pair.modes[r] ?? 'eim')) await L.setMode(r, pair.modes[r] ?? 'eim');
        await L.flushConntrack();
        const ha = L.host(pair.expose);
        const hb = L.host(pair.connect);
        await echoes.on(ha);
        const name = `x${idx}`;
        const dirA = tmpDir('p2prc-lab-a-');
        const dirB = tmpDir('p2prc-lab-b-');
        const listenPort = 9000 + idx;
        const punchArgs = pair.noPunch ? ['--no-punch'] : [];
        const ex = L.spawnNode(ha.ns, `expose:${name}@${ha.role}`, CLI, ['--json', 'expose', `echo=${ECHO_PORT}`, '--name', name, '--server', SERVER_URL, '--data-dir', dirA, ...punchArgs]);
        procs.push(ex);
        await ex.waitForEvent({ event: 'registered', peerId: /^[0-9a-f]{40}$/ }, PEER_START_MS);
        // The exposer publishes its NAT behaviour once measured; connect plans with it.
        if (!pair.noPunch) {
          const nat = await ex.waitForEvent('nat', 10_000);
          row.exposeNat = `${String(nat.classic)} (mapping ${String(nat.mapping)}, filtering ${String(nat.filtering)})`;
        }
        const co = L.spawnNode(hb.ns, `connect:${name}/echo@${hb.role}`, CLI, ['--json', 'connect', `${name}/echo`, '--listen', `127.0.0.1:${listenPort}`, '--name', `c${idx}`, '--server', SERVER_URL, '--data-dir', dirB, ...punchArgs]);
        procs.push(co);
        const ctx = (): string => `${co.dump()}\n${ex.dump()}`;
        await co.waitForEvent({ event: 'listening', address: '127.0.0.1' }, PEER_START_MS);
        // The route event (warmUp); fail early if connect reports it has no connection.
        const m = await firstRoute(co, ctx);
        const routeAt = performance.now();
        row.route = m.kind;
        row.localType = m.local.type;
        row.local = endpoint(m.local);
        row.remoteType = m.remote.type;
        row.remote = endpoint(m.remote);
        row.setupMs = m.setupMs;
        const exRoute = await ex.waitForEvent('route', 10_000).catch(() => undefined);
        if (exRoute) row.exposeView = routeText(asRoute(exRoute));

        // 1. Connectivity: byte-exact right after the route formed...
        const first = await echoThrough(lab!, hb.ns, listenPort, ctx);
        row.echoMs = first.ms;
        row.firstViaServer = first.viaServer;
        // ...and again once ICE has settled (libjuice nominates ~2-2.5 s after the first
        // working pair): the server host's UDP counters say whether the bytes went
        // through the relay, whatever the peers report.
        await new Promise((r) => setTimeout(r, Math.max(0, routeAt + SETTLE_MS - performance.now())));
        const steady = await echoThrough(lab!, hb.ns, listenPort, ctx);
        row.steadyViaServer = steady.viaServer;
        // The peers print the route again when ICE moves to another pair: judge the last one.
        const last = lastRoute(co);
        if (last && last !== m) {
          row.firstRoute = row.route;
          row.route = last.kind;
          row.localType = last.local.type;
          row.local = endpoint(last.local);
          row.remoteType = last.remote.type;
          row.remote = endpoint(last.remote);
        }
        const exLast = lastRoute(ex);
        if (exLast) row.exposeView = routeText(exLast);
        row.path = steady.viaServer >= 2 * BYTES ? 'relay' : steady.viaServer < BYTES / 4 ? 'direct' : 'mixed';

        // 2. What the pair allows, as measured on the wire.
        const problems: string[] = [];
        if (row.path !== pair.expect) {
          problems.push(`data path after ICE settled is ${row.path} (${mib(steady.viaServer)} through the server host for a 1 MiB echo), expected ${pair.expect}: ${pair.why}`);
        }
        // 3. What the peers report: connect's route line...
        if (row.route !== pair.expect) {
          problems.push(`connect printed a ${row.route} route, expected ${pair.expect} (data path after ICE settled: ${row.path}; first echo ${mib(first.viaServer)} via server)`);
        }
        if (pair.expectTypes && (row.localType !== pair.expectTypes[0] || row.remoteType !== pair.expectTypes[1])) {
          problems.push(`candidate types ${row.localType} <-> ${row.remoteType}, expected ${pair.expectTypes.join(' <-> ')}`);
        }
        if (row.route === 'direct' && pair.expect === 'direct') {
          const remoteIp = pair.sameLan ? ha.ip : publicAddress(ha);
          if (!row.remote.startsWith(`${remoteIp}:`)) problems.push(`direct route to ${row.remote}, expected the exposing peer at ${remoteIp}`);
          const localIps = pair.sameLan ? [hb.ip] : [hb.ip, publicAddress(hb)];
          if (!localIps.some((ip) => row.local!.startsWith(`${ip}:`))) problems.push(`direct route from ${row.local}, expected ${localIps.join(' or ')}`);
        }
        // ...and both mapping logs: a row for the service with the route kind.
        const deadline = Date.now() + 5000;
        const [ra, rb] = await Promise.all([mappingRow(dirA, 'expose', deadline), mappingRow(dirB, 'connect', deadline)]);
        row.exposeRow = ra?.route;
        row.connectRow = rb?.route;
        if (!ra) problems.push(`no expose row for echo in ${dirA}/reverse_proxy_mapping.json`);
        else if (ra.route !== pair.expect) problems.push(`expose mapping row says ${ra.route} (${ra.local_candidate?.type} <-> ${ra.remote_candidate?.type}), expected ${pair.expect}`);
        if (!rb) problems.push(`no connect row for echo in ${dirB}/reverse_proxy_mapping.json`);
        else {
          if (rb.route !== pair.expect) problems.push(`connect mapping row says ${rb.route}, expected ${pair.expect}`);
          if (rb.route !== row.route || rb.local_candidate?.type !== row.localType || rb.remote_candidate?.type !== row.remoteType) problems.push(`connect mapping row (${rb.route} ${rb.local_candidate?.type} <-> ${rb.remote_candidate?.type}) differs from the route line`);
        }
        // 4. Port prediction: connect logged the punch in the role the pair calls for.
        const punched = co.err.map((l) => l.match(/punch: found a direct path by port prediction.* role=(easy|hard)\b.* ms=(\d+)/)).find((x) => !!x);
        if (punched) row.punch = `${punched[1]} ${punched[2]} ms`;
        if (pair.punch && punched?.[1] !== pair.punch) problems.push(`connect did not punch as the ${pair.punch} side (${punched ? `punched as ${punched[1]}` : 'no punch logged'})`);
        if (!pair.punch && punched) problems.push(`connect punched (${row.punch}) where ICE alone should do`);
        if (problems.length) assert.fail(`${pair.name}:\n  - ${problems.join('\n  - ')}\nconnect: route ${m.target}: ${routeText(m)}\nexpose: ${row.exposeView ?? '(no route line)'}\n${ctx()}`);
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
