/**
 * Networks that block UDP, in the NAT lab, with the real CLI: NAT routers in
 * mode `udp-blocked` (no UDP leaves the LAN) and `tcp443-only` (only TCP to
 * port 443 does). The lab's `p2prc server` serves TURN over TCP on 3478 and
 * over TLS on 443, where it also answers wss:// signalling (a self-signed
 * certificate, pinned by the peers with --server-cert).
 *
 * Peers run with the default `--relay-transport auto`: a peer whose STUN check
 * to the relay gets no answer must find the TCP or TLS relay by itself, print
 * why, and connect through its local bridge. Per row: 32 MiB each way through
 * the tunnel, sha256-verified; the route each side prints; which transport
 * the relay saw each allocation arrive on (its log); the setup time. A control
 * pair (eim <-> eim) must stay direct over UDP with no stream allocation, and a
 * UDP-relayed pair (eim <-> eim, --force-relay) gives the setup time the
 * bridged rows are compared with in the printed table (the 1.5x target is a
 * bench figure, not a test bound). Needs root (skipped otherwise).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLI, cleanup, tmpDir, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, type RouterMode } from './lab.js';
import { PEER_START_MS, SERVER_URL, firstRoute, labSkipReason, lastRoute, routeText, startLabServer } from './suite.js';
import { ECHO_PORT, EchoServers, echoThrough } from './tunnel-check.js';
import { table } from '../../src/cli/format.js';

const BYTES = 32 * 1024 * 1024;
const TLS_PORT = 443;
const WSS_URL = `wss://${SERVER_IPS[0]}:${TLS_PORT}`;

interface Row {
  name: string;
  modes: Partial<Record<'r1' | 'r2', RouterMode>>;
  expose: string;
  connect: string;
  /** What each side must report: its relay path (udp: no bridge) and the route kind connect prints. */
  exposePath: 'udp' | 'tcp' | 'tls';
  connectPath: 'udp' | 'tcp' | 'tls';
  route: 'direct' | 'relay';
  /** Peers' extra flags (both). */
  flags?: string[];
  /** Signal through the TLS port (the only one a tcp443-only host reaches). */
  wss?: 'expose' | 'connect' | 'both';
}

const ROWS: Row[] = [
  { name: 'udp-blocked <-> public', modes: { r1: 'udp-blocked' }, expose: 'h1a', connect: 'p1', exposePath: 'tcp', connectPath: 'udp', route: 'relay' },
  { name: 'udp-blocked <-> eim', modes: { r1: 'udp-blocked', r2: 'eim' }, expose: 'h1a', connect: 'h2a', exposePath: 'tcp', connectPath: 'udp', route: 'relay' },
  { name: 'udp-blocked <-> symmetric', modes: { r1: 'udp-blocked', r2: 'symmetric' }, expose: 'h1a', connect: 'h2a', exposePath: 'tcp', connectPath: 'udp', route: 'relay' },
  { name: 'udp-blocked <-> udp-blocked', modes: { r1: 'udp-blocked', r2: 'udp-blocked' }, expose: 'h1a', connect: 'h2a', exposePath: 'tcp', connectPath: 'tcp', route: 'relay' },
  { name: 'tcp443-only <-> eim', modes: { r1: 'tcp443-only', r2: 'eim' }, expose: 'h1a', connect: 'h2a', exposePath: 'tls', connectPath: 'udp', route: 'relay', wss: 'expose' },
  { name: 'eim <-> tcp443-only', modes: { r1: 'eim', r2: 'tcp443-only' }, expose: 'h1a', connect: 'h2a', exposePath: 'udp', connectPath: 'tls', route: 'relay', wss: 'connect' },
  { name: 'eim <-> eim (control)', modes: { r1: 'eim', r2: 'eim' }, expose: 'h1a', connect: 'h2a', exposePath: 'udp', connectPath: 'udp', route: 'direct' },
  { name: 'eim <-> eim, --force-relay (UDP-relayed reference)', modes: { r1: 'eim', r2: 'eim' }, expose: 'h1a', connect: 'h2a', exposePath: 'udp', connectPath: 'udp', route: 'relay', flags: ['--force-relay'] },
];

interface Result {
  row: string;
  route?: string;
  exposeRoute?: string;
  setupMs?: number;
  startMs?: number;
  echoMs?: number;
  streamAllocations?: string;
  ok: boolean;
  error?: string;
}

describe('NAT lab: UDP blocked, TCP 443 only: the relay over TCP and TLS', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let server: Proc;
  let fingerprint = '';
  const results: Result[] = [];
  const echoes = new EchoServers(() => lab!);
  const log = (l: string): void => console.log(l);

  before(async () => {
    lab = await Lab.create({ publicHosts: 1, natHosts: [1, 1], firewallHosts: [0, 0], log });
    server = await startLabServer(lab, ['--host', SERVER_IPS[0], '--turn-tls-port', String(TLS_PORT), '--data-dir', tmpDir('p2prc-lab-srv-')]);
    const ev = await server.waitForEvent({ event: 'listening' });
    assert.equal(ev.tcpPort, 3478);
    assert.equal(ev.tlsPort, TLS_PORT);
    fingerprint = String(ev.certFingerprint);
  }, { timeout: 90_000 });

  after(async () => {
    if (results.length) {
      const text = table(
        ['pair', 'connect route', 'expose route', 'start ms (connect)', 'setup ms', '32 MiB echo ms', 'stream allocations', 'ok'],
        results.map((r) => [r.row, r.route ?? '-', r.exposeRoute ?? '-', r.startMs === undefined ? '-' : String(r.startMs), r.setupMs === undefined ? '-' : String(r.setupMs), r.echoMs === undefined ? '-' : String(r.echoMs), r.streamAllocations ?? '-', r.ok ? 'yes' : `NO: ${(r.error ?? '').split('\n')[0]!.slice(0, 120)}`]),
      );
      log(`\nUDP-blocked matrix (32 MiB each way per row):\n${text}\n`);
    }
    await lab?.destroy();
    await cleanup();
  });

  for (const [mode, want] of [['udp-blocked', { udp: false, tcp: true, tls: true }], ['tcp443-only', { udp: false, tcp: false, tls: true }], ['eim', { udp: true, tcp: true, tls: true }]] as const) {
    it(`p2prc nat behind ${mode}: UDP ${want.udp ? 'works' : 'blocked'}; relays reached over ${Object.entries(want).filter(([, v]) => v).map(([k]) => k).join(', ')}`, { timeout: 60_000 }, async () => {
      const L = lab!;
      if (L.router('r1').mode !== mode) await L.setMode('r1', mode);
      await L.flushConntrack();
      const signal = mode === 'tcp443-only' ? [WSS_URL] : [SERVER_URL];
      const args = [CLI, '--json', 'nat', '--server', ...signal, '--no-portmap', ...(mode === 'tcp443-only' ? ['--server-cert', fingerprint] : [])];
      const r = await L.exec(L.host('h1a').ns, [process.execPath, ...args], { timeoutMs: 50_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const ev = JSON.parse(r.stdout.trim().split('\n').pop()!) as { udp: boolean; relays: { transport: string; ok: boolean; reason?: string }[] };
      assert.equal(ev.udp, want.udp, r.stdout);
      for (const t of ['udp', 'tcp', 'tls'] as const) {
        const rel = ev.relays.find((x) => x.transport === t);
        assert.equal(rel?.ok, want[t], `relay over ${t}: ${JSON.stringify(rel)}`);
      }
    });
  }

  for (const [idx, row] of ROWS.entries()) {
    it(`${row.name}: ${row.route}, expose relays over ${row.exposePath}, connect over ${row.connectPath}`, { timeout: 180_000 }, async () => {
      const L = lab!;
      const res: Result = { row: row.name, ok: false };
      results.push(res);
      const procs: Proc[] = [];
      const serverLines = server.err.length;
      try {
        for (const r of ['r1', 'r2'] as const) if (L.router(r).mode !== (row.modes[r] ?? 'eim')) await L.setMode(r, row.modes[r] ?? 'eim');
        await L.flushConntrack();
        const ha = L.host(row.expose);
        const hb = L.host(row.connect);
        await echoes.on(ha);
        const name = `u${idx}`;
        const signal = (side: 'expose' | 'connect'): string[] => (row.wss === side || row.wss === 'both' ? ['--server', WSS_URL, '--server-cert', fingerprint] : ['--server', SERVER_URL]);
        const ex = L.spawnNode(ha.ns, `expose:${name}@${ha.role}`, CLI, ['--json', 'expose', `echo=${ECHO_PORT}`, '--name', name, ...signal('expose'), '--data-dir', tmpDir('p2prc-lab-a-'), ...(row.flags ?? [])]);
        procs.push(ex);
        await ex.waitForEvent({ event: 'registered' }, PEER_START_MS);
        const t0 = performance.now();
        const listenPort = 9100 + idx;
        const co = L.spawnNode(hb.ns, `connect:${name}/echo@${hb.role}`, CLI, ['--json', 'connect', `${name}/echo`, '--listen', `127.0.0.1:${listenPort}`, '--name', `v${idx}`, ...signal('connect'), '--data-dir', tmpDir('p2prc-lab-b-'), ...(row.flags ?? [])]);
        procs.push(co);
        const ctx = (): string => `${co.dump()}\n${ex.dump()}\n${server.dump()}`;
        await co.waitForEvent({ event: 'listening', address: '127.0.0.1' }, PEER_START_MS);
        res.startMs = Math.round(performance.now() - t0);
        // Each side's relay path: a relay-path event when bridged, none when UDP answered.
        for (const [p, want] of [[ex, row.exposePath], [co, row.connectPath]] as const) {
          const ev = p.events.find((e) => e.obj.event === 'relay-path')?.obj;
          if (want === 'udp') assert.equal(ev, undefined, `${p.name} bridged where UDP works: ${JSON.stringify(ev)}\n${ctx()}`);
          else {
            assert.equal(ev?.transport, want, `${p.name} relay path ${JSON.stringify(ev)}, expected ${want}\n${ctx()}`);
            assert.match(String(ev?.reason), /gets no answer/, 'says why');
          }
        }
        const m = await firstRoute(co, ctx);
        res.setupMs = m.setupMs;
        const echo = await echoThrough(L, hb.ns, listenPort, ctx, BYTES);
        res.echoMs = echo.ms;
        const last = lastRoute(co) ?? m;
        res.route = routeText(last);
        const exLast = lastRoute(ex);
        if (exLast) res.exposeRoute = routeText(exLast);
        assert.equal(last.kind, row.route, `connect's route ${res.route}\n${ctx()}`);
        if (row.connectPath !== 'udp' && last.local.type === 'relay') assert.equal(last.relayTransport, row.connectPath, res.route);
        if (row.exposePath !== 'udp' && exLast?.local.type === 'relay') assert.equal(exLast.relayTransport, row.exposePath, res.exposeRoute);
        // What the relay saw: allocations over each stream transport during this row.
        const created = server.err.slice(serverLines).map((l) => /allocation created .*client=\S+\/(udp|tcp|tls)\b/.exec(l)?.[1]).filter((t): t is string => !!t);
        const streams = created.filter((t) => t !== 'udp');
        res.streamAllocations = streams.length ? [...new Set(streams)].map((t) => `${t} x${streams.filter((x) => x === t).length}`).join(', ') : 'none';
        const wantStreams = new Set([row.exposePath, row.connectPath].filter((t) => t !== 'udp'));
        for (const t of wantStreams) assert.ok(streams.includes(t), `no allocation over ${t} at the relay (saw ${created.join(' ') || 'none'})`);
        if (!wantStreams.size) assert.equal(streams.length, 0, `stream allocations where UDP works: ${streams.join(' ')}`);
        res.ok = true;
      } catch (err) {
        res.error = (err as Error).message;
        throw err;
      } finally {
        await Promise.all(procs.map((p) => p.stop('SIGTERM', 3000)));
      }
    });
  }
});
