/**
 * The reverse proxy across the NAT lab: a peer behind a symmetric NAT (h1a
 * behind r1) runs a small HTTP server and `p2prc expose --public`; proxies
 * (`p2prc server --reverse-proxy`) run on the internet side, and curl on another
 * internet host (p2, not a proxy's) fetches the page through a proxy's public
 * port. Checked:
 *   1. one proxy (srv, 203.0.113.1): the body through the public port, the
 *      peer's NAT measured as symmetric, the route between the proxy's peer and
 *      ours direct (the proxy has a public address, so even a symmetric NAT needs
 *      no relay), and the proxy's reverse_proxy_mapping.json public-port row
 *      counting the client;
 *   2. two proxies at different RTTs: A on srv (no added delay) and B on p1,
 *      whose link goes through the link emulator with +40 ms RTT. A names B
 *      with --peer-proxy; B learns of A from A's signed announcement. The peer
 *      is given only B (`--server auto --proxy <B>`), so it must find A through
 *      B's GET /proxies and pick it for its RTT, not for its place in the list.
 *      The ranking holds both, B's RTT larger by at least half the added delay
 *      (a lower bound only); curl reaches the service through A; A is killed and
 *      the peer moves to B (proxy-leaving, proxy-chosen, a new public-port), and
 *      curl reaches it through B;
 *   3. the same move when the near proxy's host vanishes instead (its link goes
 *      down: no FIN, no RST): the peer's signal client notices the silence
 *      (src/peer/signal-ping.ts) and fails over to B.
 * Needs root (skipped otherwise), curl and the lab's tools; run it under
 * `flock /tmp/p2prc-e2e.lock`.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, asRoute, cleanup, tmpDir, waitUntil, type Json, type Proc } from '../helpers.js';
import { Lab, SERVER_IPS, type LabHost } from './lab.js';
import { PEER_START_MS, SERVER_START_MS, SIGNAL_PORT, STUN_PORT, labSkipReason, routeText } from './suite.js';
import { readMappingFile, type MappingRow } from '../../src/mapping/log.js';
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../../src/peer/signal-ping.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB_SERVER = join(HERE, 'web-server.js');
const WEB_PORT = 8080;
const SECRET = 'lab-reverse-proxy-secret';
/** RTT added on the far proxy's link (each direction gets half). */
const FAR_RTT_MS = 40;
/** --failover-after, seconds. */
const FAILOVER_S = 3;
/** The proxy's peer name on its own server (signal-server/reverse-proxy/proxy.ts). */
/** The proxy's own peer registers as p2prc-proxy-<the start of its key's id> (signal-server/reverse-proxy/proxy.ts). */
const PROXY_PEER = /^p2prc-proxy-[0-9a-f]{8}$/;

interface LabProxy {
  proc: Proc;
  host: LabHost;
  url: string;
  dataDir: string;
}

/** `p2prc server --reverse-proxy` on `host`, announcing its lab address; resolves once it listens with its relay. */
async function startProxy(L: Lab, host: LabHost, allowPorts: string, extra: string[] = [], dataDir = tmpDir(`p2prc-lab-proxy-${host.role}-`)): Promise<LabProxy> {
  const proc = L.spawnNode(host.ns, `proxy@${host.role}`, CLI, [
    '--json', 'server', '--host', host.ip, '--port', String(SIGNAL_PORT), '--stun-port', String(STUN_PORT), '--public-ip', host.ip,
    '--reverse-proxy', '--secret', SECRET, '--allow-ports', allowPorts, '--data-dir', dataDir, ...extra,
  ]);
  await proc.waitForEvent({ event: 'listening', port: SIGNAL_PORT, stunPort: STUN_PORT }, SERVER_START_MS);
  return { proc, host, url: `ws://${host.ip}:${SIGNAL_PORT}`, dataDir };
}

/** `curl` from inside `ns`: the page's body, or a failure with curl's own words and `ctx()`. */
async function curl(L: Lab, ns: string, ip: string, port: number, path: string, ctx: () => string): Promise<string> {
  const r = await L.exec(ns, ['curl', '-sS', '--fail', '--max-time', '15', `http://${ip}:${port}${path}`], { timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`curl http://${ip}:${port}${path} from ${ns} exited ${r.code}: ${r.stderr.trim()}\n${ctx()}`);
  return r.stdout;
}

/** The proxy's public-port row for `peerName`/`service` once it has counted `min` connections (bounded by the log's flush). */
async function proxyRow(dataDir: string, peerName: string, service: string, min: number, ms = 10_000): Promise<MappingRow> {
  let row: MappingRow | undefined;
  await waitUntil(() => {
    row = readMappingFile(join(dataDir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.find(
      (r) => r.route === 'public-port' && r.role === 'proxy' && r.Server_name === peerName && r.service === service && (r.connections ?? 0) >= min,
    );
    return row !== undefined;
  }, `the proxy's public-port row for ${peerName}/${service} with >= ${min} connections`, ms, 100);
  return row!;
}

/** The far proxy's host: p1. */
const FAR_IP = '203.0.113.50';
/** The near proxy's flags beside startProxy's: --alt-ip too, so the peer measures its NAT (RFC 5780) and says it is symmetric. */
const NEAR_ARGS = ['--alt-ip', SERVER_IPS[1], '--peer-proxy', `ws://${FAR_IP}:${SIGNAL_PORT}`];

interface Ranked {
  url: string;
  rttMs: number | null;
}

describe('NAT lab: reverse proxy (public ports for a peer behind a symmetric NAT)', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  /** A: near (srv, no added delay), also the single proxy of the first test. B: far (p1, +FAR_RTT_MS). */
  let near: LabProxy;
  let far: LabProxy;
  let peerHost: LabHost;
  let client: LabHost;
  const t0 = performance.now();

  /** `expose --public --server auto` behind the NAT, given only the far proxy; ctx: every party's output. */
  const roamer = (L: Lab, name: string): { ex: ReturnType<Lab['spawnNode']>; ctx: () => string } => {
    const ex = L.spawnNode(peerHost.ns, `expose:${name}@${peerHost.role}`, CLI, [
      '--json', 'expose', '--public', `web=${WEB_PORT}`, '--name', name, '--server', 'auto', '--proxy', far.url, '--failover-after', String(FAILOVER_S), '--data-dir', tmpDir(`p2prc-lab-rp-${name}-`),
    ], { P2PRC_SECRET: SECRET });
    return { ex, ctx: () => `${ex.dump()}\n${near.proc.dump()}\n${far.proc.dump()}` };
  };

  before(async () => {
    lab = await Lab.create({ publicHosts: 2, natHosts: [1], firewallHosts: [], natMode: 'symmetric', emulate: ['p1'], log: (l) => console.log(l) });
    const L = lab;
    console.log(L.describe());
    // Each direction of p1's link gets half the added RTT: p1 <-> anyone pays FAR_RTT_MS more.
    await L.link('p1').set('both', { delayMs: FAR_RTT_MS / 2 });
    peerHost = L.host('h1a');
    client = L.host('p2');
    const web = L.spawnNode(peerHost.ns, `web@${peerHost.role}`, WEB_SERVER, [String(WEB_PORT), peerHost.role]);
    await web.waitFor(/web listening/, 'out', 10_000);
    // B first, so that A's first announcement (sent when it starts) finds it listening.
    far = await startProxy(L, L.host('p1'), '21000-21999');
    assert.equal(far.host.ip, FAR_IP);
    near = await startProxy(L, L.server, '20000-20999', NEAR_ARGS);
    await far.proc.waitFor(new RegExp(`proxy announced itself .*${near.host.ip.replace(/\./g, '\\.')}:${SIGNAL_PORT}`), 'any', 15_000);
    console.log(`# lab and proxies ready in ${Math.round(performance.now() - t0)} ms`);
  }, { timeout: 120_000 });

  after(async () => {
    await lab?.destroy();
    await cleanup();
    console.log(`# reverse-proxy lab suite: ${Math.round(performance.now() - t0)} ms`);
  });

  it('curl on the internet gets the page of a peer behind a symmetric NAT through the public port; the proxy reaches the peer directly', { timeout: 90_000 }, async () => {
    const L = lab!;
    const t1 = performance.now();
    const dir = tmpDir('p2prc-lab-rp-peer-');
    const ex = L.spawnNode(peerHost.ns, `expose:web1@${peerHost.role}`, CLI, ['--json', 'expose', '--public', `web=${WEB_PORT}`, '--name', 'web1', '--server', near.url, '--data-dir', dir], { P2PRC_SECRET: SECRET });
    const ctx = (): string => `${ex.dump()}\n${near.proc.dump()}`;
    try {
      // The NAT really is symmetric (measured by the peer against A's two addresses).
      const nat = await ex.waitForEvent('nat', PEER_START_MS);
      assert.equal(nat.mapping, 'address-and-port-dependent', `the peer's NAT: ${JSON.stringify(nat)}`);
      const pub = await ex.waitForEvent({ event: 'public-port', service: 'web' }, PEER_START_MS);
      assert.equal(pub.ipv4, near.host.ip, JSON.stringify(pub));
      assert.equal(pub.proxy, near.url);
      const port = Number(pub.serverport);
      assert.ok(port >= 20000 && port <= 20999, `public port ${port} outside A's --allow-ports`);

      const body = await curl(L, client.ns, near.host.ip, port, '/index.html', ctx);
      assert.equal(body, `hello from ${peerHost.role} behind NAT: /index.html`);

      // The session between the proxy's peer and ours: direct (the proxy is public; no relay needed).
      const route = asRoute(await ex.waitForEvent({ event: 'route', peer: PROXY_PEER }, 15_000));
      assert.equal(route.kind, 'direct', `route ${routeText(route)}\n${ctx()}`);
      // Our side's remote is the proxy's own (host) address: not a relayed candidate on it.
      assert.equal(route.remote.address, near.host.ip, routeText(route));
      assert.equal(route.remote.type, 'host', routeText(route));

      // The proxy's log says so too: its own peer's route row for the session with ours.
      let proxyView: MappingRow | undefined;
      await waitUntil(() => {
        proxyView = readMappingFile(join(near.dataDir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.find(
          (r) => r.role === 'server' && PROXY_PEER.test(r.peer_name ?? '') && r.service?.startsWith('to web1 '),
        );
        return proxyView !== undefined;
      }, `the proxy's route row for its session with web1\n${ctx()}`, 10_000, 100);
      assert.equal(proxyView!.route, 'direct', JSON.stringify(proxyView));
      assert.equal(proxyView!.local_candidate?.address, near.host.ip, JSON.stringify(proxyView));

      const row = await proxyRow(near.dataDir, 'web1', 'web', 1);
      assert.equal(row.blind_port, port);
      assert.equal(row.serverport, port);
      assert.equal(row.ipv4, near.host.ip);
      assert.equal(row.Type, 'TCP');
      // A second fetch is counted on the same row (one row per port, not per client).
      assert.equal(await curl(L, client.ns, near.host.ip, port, '/again', ctx), `hello from ${peerHost.role} behind NAT: /again`);
      await proxyRow(near.dataDir, 'web1', 'web', 2);
      console.log(`# symmetric NAT peer via ${near.url}: public ${near.host.ip}:${port}, route ${routeText(route)}, ${Math.round(performance.now() - t1)} ms`);
    } finally {
      await ex.stop('SIGTERM', 3000);
    }
  });

  it(`--server auto given only the far proxy (+${FAR_RTT_MS} ms RTT) finds and picks the near one, and moves to the far one when the near one dies`, { timeout: 150_000 }, async () => {
    const L = lab!;
    const t1 = performance.now();
    const { ex, ctx } = roamer(L, 'roamer');
    try {
      const chosen = await ex.waitForEvent('proxy-chosen', PEER_START_MS + 15_000);
      const ranked = chosen.ranked as unknown as Ranked[];
      const rtt = (url: string): number => {
        const r = ranked.find((x) => x.url === url);
        assert.ok(r && typeof r.rttMs === 'number', `${url} not measured: ${JSON.stringify(ranked)}\n${ctx()}`);
        return r.rttMs!;
      };
      const [nearRtt, farRtt] = [rtt(near.url), rtt(far.url)];
      console.log(`# ranking: ${ranked.map((r) => `${r.url} ${r.rttMs} ms`).join(', ')}`);
      assert.equal(chosen.url, near.url, `chose ${String(chosen.url)}: ${JSON.stringify(ranked)}`);
      assert.equal(ranked[0]!.url, near.url);
      assert.ok(farRtt - nearRtt >= FAR_RTT_MS / 2, `far ${farRtt} ms - near ${nearRtt} ms < ${FAR_RTT_MS / 2} ms: the added delay does not show`);

      const first = await ex.waitForEvent({ event: 'public-port', service: 'web', proxy: near.url }, PEER_START_MS);
      assert.equal(first.ipv4, near.host.ip);
      const p1 = Number(first.serverport);
      assert.equal(await curl(L, client.ns, near.host.ip, p1, '/near', ctx), `hello from ${peerHost.role} behind NAT: /near`);

      // The near proxy dies (a crash: no goodbye); after --failover-after the peer moves.
      const routesBefore = ex.eventsMatching({ event: 'route', peer: PROXY_PEER }).length;
      const killedAt = performance.now();
      await near.proc.stop('SIGKILL');
      await ex.waitForEvent({ event: 'proxy-leaving', url: near.url }, (FAILOVER_S + 20) * 1000);
      const leftAt = performance.now();
      const again = await ex.waitForEvent({ event: 'proxy-chosen', url: far.url }, 60_000);
      const againRanked = again.ranked as unknown as Ranked[];
      assert.equal(againRanked.find((r) => r.url === near.url)?.rttMs ?? null, null, `the dead proxy still answers? ${JSON.stringify(againRanked)}`);
      const moved = await ex.waitForEvent({ event: 'public-port', service: 'web', proxy: far.url }, PEER_START_MS);
      const movedAt = performance.now();
      assert.equal(moved.ipv4, far.host.ip);
      const p2 = Number(moved.serverport);
      assert.ok(p2 >= 21000 && p2 <= 21999, `public port ${p2} outside B's --allow-ports`);
      assert.equal(await curl(L, client.ns, far.host.ip, p2, '/far', ctx), `hello from ${peerHost.role} behind NAT: /far`);
      // The far proxy's peer reached ours directly too (its route event, after the near one's).
      const routes = (): Json[] => ex.eventsMatching({ event: 'route', peer: PROXY_PEER });
      await waitUntil(() => routes().length > routesBefore, `a route event for the far proxy's peer\n${ctx()}`, 15_000);
      const last = asRoute(routes()[routes().length - 1]!);
      assert.equal(last.kind, 'direct', `route to the far proxy: ${routeText(last)}`);
      assert.equal(last.remote.address, far.host.ip, routeText(last));
      await proxyRow(far.dataDir, 'roamer', 'web', 1);
      console.log(`# auto: chose ${near.url} (${nearRtt} ms vs ${farRtt} ms), killed it; proxy-leaving after ${Math.round(leftAt - killedAt)} ms, ` +
        `public port on ${far.url} after ${Math.round(movedAt - killedAt)} ms; test ${Math.round(performance.now() - t1)} ms`);
    } finally {
      await ex.stop('SIGTERM', 3000);
    }
  });

  it('a proxy whose host vanishes (no FIN, no RST) is noticed and left too: the peer moves to the other one', { timeout: 150_000 }, async () => {
    const L = lab!;
    const t1 = performance.now();
    // The near proxy died in the test before (stopped here if that test ended early): back on the same address and data dir.
    await near.proc.stop('SIGKILL');
    near = await startProxy(L, L.server, '20000-20999', NEAR_ARGS, near.dataDir);
    const { ex, ctx } = roamer(L, 'roamer2');
    try {
      const chosen = await ex.waitForEvent('proxy-chosen', PEER_START_MS + 15_000);
      assert.equal(chosen.url, near.url, `chose ${String(chosen.url)}: ${JSON.stringify(chosen.ranked)}`);
      const first = await ex.waitForEvent({ event: 'public-port', service: 'web', proxy: near.url }, PEER_START_MS);
      assert.equal(await curl(L, client.ns, near.host.ip, Number(first.serverport), '/before', ctx), `hello from ${peerHost.role} behind NAT: /before`);
      // The near proxy's host drops off the internet: its process runs on, nothing answers.
      const cutAt = performance.now();
      await L.ip(near.host.ns, 'link', 'set', 'eth0', 'down');
      // Noticed within a ping interval plus the ping timeout (src/peer/signal-ping.ts), then --failover-after.
      await ex.waitForEvent({ event: 'proxy-leaving', url: near.url }, PING_INTERVAL_MS + PING_TIMEOUT_MS + (FAILOVER_S + 15) * 1000);
      const leftAt = performance.now();
      await ex.waitForEvent({ event: 'proxy-chosen', url: far.url }, 60_000);
      const moved = await ex.waitForEvent({ event: 'public-port', service: 'web', proxy: far.url }, PEER_START_MS);
      const movedAt = performance.now();
      assert.equal(await curl(L, client.ns, far.host.ip, Number(moved.serverport), '/after', ctx), `hello from ${peerHost.role} behind NAT: /after`);
      console.log(`# vanished proxy: proxy-leaving ${Math.round(leftAt - cutAt)} ms after the cut, public port on ${far.url} after ${Math.round(movedAt - cutAt)} ms; test ${Math.round(performance.now() - t1)} ms`);
    } finally {
      await ex.stop('SIGTERM', 3000);
    }
  });
});
