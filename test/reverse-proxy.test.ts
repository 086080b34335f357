/**
 * The reverse proxy end to end on loopback, with real processes: `p2prc server
 * --reverse-proxy` and `p2prc expose --public` (and the seed's own flags), real
 * TCP services behind the peer, plain Node clients (no p2prc) on the public port.
 * The NAT lab's version (a peer behind a symmetric NAT, curl from the internet
 * namespace) is test/lab/reverse-proxy.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { Proc, atCleanup, cleanup, waitUntil, closedPort, connectAndWaitClose, echoService, exchange, randomData, sha256, startSignal, tmpDir, type Json, type SignalProc } from './helpers.js';
import { readMappingFile } from '../src/mapping/log.js';

const SECRET = 'rp-test-secret';
const ALLOW = '32000-32999';

/** Close a UDP socket that may be closed already. */
function closeQuietly(s: Socket): void {
  try {
    s.close();
  } catch {
    /* closed */
  }
}

function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function webService(): Promise<number> {
  const srv = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from behind NAT: ${req.url}`);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  srv.unref();
  return (srv.address() as AddressInfo).port;
}

function startPublic(name: string, services: string[], url: string, extra: string[] = [], env: NodeJS.ProcessEnv = { P2PRC_SECRET: SECRET }, dataDir = tmpDir()): Proc {
  return new Proc(`expose:${name}`, ['--json', 'expose', '--public', ...services, '--name', name, '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra], env);
}

async function portOf(p: Proc, service: string): Promise<number> {
  const ev = await p.waitForEvent({ event: 'public-port', service });
  return Number(ev.serverport);
}

describe('reverse proxy: public ports for services behind NAT', () => {
  let signal: SignalProc;
  let web: number;
  let echo: number;
  let alice: Proc;
  let aliceDir: string;
  let webPublic: number;
  let echoPublic: number;

  before(async () => {
    signal = await startSignal(['--reverse-proxy', '--secret', SECRET, '--allow-ports', ALLOW, '--public-grace', '600']);
    web = await webService();
    echo = await echoService();
    aliceDir = tmpDir();
    alice = startPublic('alice', [`web=${web}`, `echo=${echo}`], signal.url, [], undefined, aliceDir);
    webPublic = await portOf(alice, 'web');
    echoPublic = await portOf(alice, 'echo');
  });
  after(cleanup);

  it('gives each service a public port in --allow-ports, reported as the seed\'s ip table entry', async () => {
    const ev = alice.eventsMatching({ event: 'public-port', service: 'web' })[0] as Json & { ip_address: Json };
    assert.equal(ev.ipv4, '127.0.0.1');
    assert.ok(webPublic >= 32000 && webPublic <= 32999 && echoPublic >= 32000 && echoPublic <= 32999, `${webPublic} ${echoPublic}`);
    assert.notEqual(webPublic, echoPublic);
    assert.deepEqual(ev.ip_address, { ipv4: '127.0.0.1', ipv6: '', latency: 0, download: 0, upload: 0, serverport: String(webPublic) });
  });

  it('an HTTP client that runs nothing of ours gets the page through the public port', async () => {
    const r = await httpGet(webPublic, '/index.html');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'hello from behind NAT: /index.html');
  });

  it('200 concurrent plain TCP clients of random sizes, each sha256-verified', async () => {
    const sizes = Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? 256 * 1024 + i : 1 + Math.floor(Math.random() * 64 * 1024)));
    const results = await Promise.all(
      sizes.map(async (n) => {
        const data = randomData(n);
        const back = await exchange(echoPublic, data);
        return sha256(back) === sha256(data) && back.length === n;
      }),
    );
    assert.equal(results.filter((ok) => !ok).length, 0);
  });

  it('both mapping logs have the public-port row, with client counts and bytes on the proxy\'s', async () => {
    await httpGet(webPublic);
    for (let i = 0; i < 20; i++) await exchange(echoPublic, randomData(1000));
    const peerRows = readMappingFile(join(aliceDir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.filter((r) => r.route === 'public-port');
    const mine = peerRows.find((r) => r.service === 'web')!;
    assert.ok(mine, JSON.stringify(peerRows));
    assert.equal(mine.Address, '127.0.0.1');
    assert.equal(mine.blind_port, webPublic);
    assert.equal(mine.serverport, webPublic);
    assert.equal(mine.Type, 'TCP');
    // The peer's row counts its public clients too (each stream's end is written within the flush delay).
    await waitUntil(() => {
      const r = readMappingFile(join(aliceDir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.find((x) => x.route === 'public-port' && x.service === 'echo');
      return (r?.connections ?? 0) >= 20 && (r?.bytes_received ?? 0) >= 20_000;
    }, "the peer's echo row with 20 connections and their bytes");
    // The proxy's row: counts go up as clients come (written within the log's flush delay).
    let row: Json | undefined;
    await waitUntil(() => {
      const rows = readMappingFile(join(signal.dataDir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings;
      const r = rows.find((x) => x.route === 'public-port' && x.service === 'echo');
      if (r && (r.connections ?? 0) >= 20 && r.bytes_sent >= 20_000) row = r as unknown as Json;
      return row !== undefined;
    }, 'the proxy row with 20 connections and their bytes');
    assert.ok(row);
    assert.equal(row.role, 'proxy');
    assert.equal(row.Server_name, 'alice');
    assert.equal(row.blind_port, echoPublic);
    assert.ok(Number(row.bytes_received) >= 20_000, `bytes ${row.bytes_received}`);
  });

  it('a requested port that is taken is refused with a clear error, and the command ends', async () => {
    const bob = startPublic('bob', [`web=${web}:public=${webPublic}`], signal.url);
    await bob.waitFor(/port-unavailable.*taken by another mapping|taken by another mapping.*port-unavailable/);
    assert.equal(await bob.exited, 2);
    const carol = startPublic('carol', [`web=${web}:public=40000`], signal.url);
    await carol.waitFor(/outside the proxy's allowed ports \(32000-32999\)/);
    assert.equal(await carol.exited, 2);
  });

  it('a requested free port is honoured', async () => {
    const want = webPublic === 32999 ? 32998 : 32999;
    const dave = startPublic('dave', [`web=${web}:public=${want}`], signal.url);
    assert.equal(await portOf(dave, 'web'), want);
    assert.equal((await httpGet(want)).status, 200);
    await dave.stop();
  });

  it('a peer that can only use the relay (--force-relay) is reached through it', async () => {
    const lena = startPublic('lena', [`echo=${echo}`], signal.url, ['--force-relay']);
    const port = await portOf(lena, 'echo');
    const data = randomData(256 * 1024);
    assert.equal(sha256(await exchange(port, data)), sha256(data));
    await lena.waitForEvent({ event: 'route', kind: 'relay' });
    await lena.stop();
  });

  it('a bad allow-list entry is refused with bad-argument, and the command ends', async () => {
    const kim = startPublic('kim', [`web=${web}`], signal.url, ['--public-allow', '198.51.100.0/99']);
    await kim.waitFor(/bad allow-list entry "198\.51\.100\.0\/99".*\[?bad-argument|bad-argument.*bad allow-list entry/);
    assert.equal(await kim.exited, 2);
  });

  it('a peer without the secret is refused', async () => {
    const eve = startPublic('eve', [`web=${web}`], signal.url, [], { P2PRC_SECRET: 'wrong' });
    await eve.waitFor(/bad-secret/);
    assert.notEqual(await eve.exited, 0);
  });

  it('a client outside the port\'s allow-list is closed at once and logged', async () => {
    const frank = startPublic('frank', [`web=${web}`], signal.url, ['--public-allow', '198.51.100.0/24']);
    const port = await portOf(frank, 'web');
    const r = await connectAndWaitClose(port, Buffer.from('GET / HTTP/1.0\r\n\r\n'));
    assert.equal(r.received, 0);
    await signal.proc.waitFor(/client refused .*not in the port's allow-list/);
    await frank.stop();
  });

  it('a rate cap holds a port to its rate (1 MiB at 256 KiB/s takes at least 3 s)', async () => {
    const gina = startPublic('gina', [`echo=${echo}`], signal.url, ['--public-rate', String(256 * 1024)]);
    const port = await portOf(gina, 'echo');
    const data = randomData(1024 * 1024);
    const t0 = performance.now();
    const back = await exchange(port, data);
    const s = (performance.now() - t0) / 1000;
    assert.equal(sha256(back), sha256(data));
    // A lower bound only: (1 MiB - the 64 KiB burst) / 256 KiB/s = 3.75 s; a busy machine only adds time.
    assert.ok(s >= 3, `took ${s.toFixed(2)} s`);
    await gina.stop();
  });

  it('clients of a peer that went offline are closed at once and logged; its port comes back when it returns', async () => {
    const dir = tmpDir();
    const henry = startPublic('henry', [`echo=${echo}`], signal.url, [], undefined, dir);
    const port = await portOf(henry, 'echo');
    await henry.stop('SIGKILL');
    await signal.proc.waitFor(/peer with public ports left; its ports refuse clients.*peer=henry/);
    const r = await connectAndWaitClose(port, Buffer.from('x'));
    assert.equal(r.received, 0);
    await signal.proc.waitFor(/client refused .*henry is offline/);
    const back = startPublic('henry', [`echo=${echo}`], signal.url, [], undefined, dir);
    assert.equal(await portOf(back, 'echo'), port);
    const data = randomData(4096);
    assert.equal(sha256(await exchange(port, data)), sha256(data));
    await back.stop();
  });

  it('the proxy restarted: the peer registers again and gets its port back', async () => {
    await signal.proc.stop();
    const again = await startSignal(['--reverse-proxy', '--secret', SECRET, '--allow-ports', ALLOW], signal.port, signal.dataDir);
    await alice.waitForEvent({ event: 'public-port', service: 'echo', kept: true, serverport: echoPublic }, 30_000);
    const data = randomData(64 * 1024);
    assert.equal(sha256(await exchange(echoPublic, data)), sha256(data));
    // The proxy's own peer kept its identity (proxy-peer/ in the data dir).
    const sticky = JSON.parse(readFileSync(join(signal.dataDir, 'public_ports.json'), 'utf8')) as { public_ports: { port: number }[] };
    assert.ok(sticky.public_ports.some((p) => p.port === echoPublic));
    signal = again;
  });

  it('a UDP service: datagrams through a public UDP port, each client its own session with its own replies', async () => {
    const svc = createSocket('udp4');
    svc.on('message', (m, r) => svc.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
    await new Promise<void>((r) => svc.bind(0, '127.0.0.1', () => r()));
    atCleanup(() => closeQuietly(svc));
    const udpPeer = startPublic('udpeer', [`game=${svc.address().port}/udp`], signal.url);
    const ev = await udpPeer.waitForEvent({ event: 'public-port', service: 'game', type: 'udp' });
    const port = Number(ev.serverport);
    const clients = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const c = createSocket('udp4');
        await new Promise<void>((r) => c.bind(0, '127.0.0.1', () => r()));
        atCleanup(() => closeQuietly(c));
        const got: string[] = [];
        const all = new Promise<void>((resolve) =>
          c.on('message', (m) => {
            got.push(m.toString());
            if (got.length === 5) resolve();
          }),
        );
        // Datagrams before the session's channel is open are queued: send all at once.
        for (let k = 0; k < 5; k++) c.send(`c${i}-${k}`, port, '127.0.0.1');
        await all;
        return got.sort();
      }),
    );
    clients.forEach((got, i) => assert.deepEqual(got, [0, 1, 2, 3, 4].map((k) => `echo:c${i}-${k}`)));
    await udpPeer.stop();
  });

  it('a server without --reverse-proxy refuses public ports with not-a-proxy', async () => {
    const plain = await startSignal(['--secret', SECRET]);
    const ivan = startPublic('ivan', [`web=${web}`], plain.url);
    await ivan.waitFor(/not-a-proxy/);
    assert.equal(await ivan.exited, 2);
    void closedPort;
  });
});

describe('the seed\'s commands, exactly as the seed writes them', () => {
  after(cleanup);
  it('p2prc -s --reverse-proxy, p2prc -s --connect-reverse-proxy <proxy ip address> NAME=PORT, --view-rpm, --view-rps', async () => {
    const dir = tmpDir();
    // No --secret: the proxy makes one, prints it and keeps it in its data dir.
    const proxy = new Proc('seed-proxy', ['-s', '--reverse-proxy', '--json', '--host', '127.0.0.1', '--port', '0', '--stun-port', '0', '--allow-private-peers', '--data-dir', dir]);
    const ev = await proxy.waitForEvent({ event: 'listening' });
    const secret = String(ev.secret);
    assert.ok(secret.length >= 16 && readFileSync(join(dir, 'proxy_secret'), 'utf8').trim() === secret);
    const web = await webService();
    const peerDir = tmpDir();
    const peer = new Proc('seed-peer', ['-s', '--connect-reverse-proxy', `127.0.0.1:${ev.port}`, `web=${web}`, '--json', '--bind', '127.0.0.1', '--data-dir', peerDir], { P2PRC_SECRET: secret });
    const pub = await peer.waitForEvent({ event: 'public-port', service: 'web' });
    assert.equal((await httpGet(Number(pub.serverport))).body, 'hello from behind NAT: /');
    // The mapping log writes its rows in batches (within its flush delay): wait for the row before reading it back.
    await waitUntil(() => {
      try {
        return readMappingFile(join(peerDir, 'reverse_proxy_mapping.json')).reverse_proxy_mappings.some((r) => r.route === 'public-port');
      } catch {
        return false;
      }
    }, "the peer's public-port row in its mapping log", 10_000);
    const rpm = new Proc('view-rpm', ['--view-rpm', '--data-dir', peerDir]);
    await rpm.exited;
    assert.match(rpm.dump(), new RegExp(`public-port .*public 127\\.0\\.0\\.1:${pub.serverport}`));
    const rps = new Proc('view-rps', ['--view-rps', '--data-dir', peerDir]);
    await rps.exited;
    assert.match(rps.dump(), new RegExp(`127\\.0\\.0\\.1:${ev.port}`));
  });
});

describe('the proxy list: proxies learn of each other, peers measure them, auto picks one and moves', () => {
  after(cleanup);
  it('a peer given one proxy finds the other through it, records both latencies, and fails over when its proxy stops', async () => {
    const b = await startSignal(['--reverse-proxy', '--secret', SECRET, '--allow-ports', '33000-33499']);
    // A knows B (--peer-proxy); B learns of A from A's signed announcement.
    const a = await startSignal(['--reverse-proxy', '--secret', SECRET, '--allow-ports', '33500-33999', '--peer-proxy', `127.0.0.1:${b.port}`]);
    await b.proc.waitFor(/proxy announced itself .*127\.0\.0\.1:\d+/);
    const listB = (await (await fetch(`http://127.0.0.1:${b.port}/proxies`)).json()) as { proxies: { url: string }[] };
    assert.deepEqual(listB.proxies.map((p) => p.url).sort(), [`ws://127.0.0.1:${a.port}`, `ws://127.0.0.1:${b.port}`].sort());
    // An announcement without the secret is refused.
    const forged = await fetch(`http://127.0.0.1:${b.port}/proxies?from=${encodeURIComponent('ws://192.0.2.66:8088')}&proof=AAAA`);
    assert.equal(forged.status, 200);
    await b.proc.waitFor(/proxy announcement refused: no proof of the shared secret/);
    const listAfter = (await (await fetch(`http://127.0.0.1:${b.port}/proxies`)).json()) as { proxies: { url: string }[] };
    assert.ok(!listAfter.proxies.some((p) => p.url.includes('192.0.2.66')));

    const echo = await echoService();
    const dir = tmpDir();
    const peer = new Proc('expose:auto', ['--json', 'expose', '--public', `echo=${echo}`, '--name', 'roamer', '--server', 'auto', '--proxy', `127.0.0.1:${a.port}`, '--failover-after', '2', '--data-dir', dir, '--bind', '127.0.0.1'], { P2PRC_SECRET: SECRET });
    const chosen = await peer.waitForEvent({ event: 'proxy-chosen' });
    const ranked = chosen.ranked as { url: string; rttMs: number | null }[];
    assert.equal(ranked.length, 2);
    assert.ok(ranked.every((r) => typeof r.rttMs === 'number' && r.rttMs >= 0), JSON.stringify(ranked));
    // The nearest first: the chosen one is the first of the ranking.
    assert.equal(chosen.url, ranked[0]!.url);
    const servers = JSON.parse(readFileSync(join(dir, 'reverse_proxy_server.json'), 'utf8')) as { reverse_proxy_servers: { Address: string; Latency: number }[] };
    for (const r of ranked) assert.ok(servers.reverse_proxy_servers.some((s) => s.Address === r.url && typeof s.Latency === 'number'), r.url);
    const first = await peer.waitForEvent({ event: 'public-port', service: 'echo' });
    const data = randomData(8192);
    assert.equal(sha256(await exchange(Number(first.serverport), data)), sha256(data));
    // The chosen proxy stops: after --failover-after the peer moves to the other one.
    const [gone, other] = chosen.url === a.url ? [a, b] : [b, a];
    await gone.proc.stop();
    await peer.waitForEvent({ event: 'proxy-leaving', url: gone.url });
    await peer.waitForEvent({ event: 'proxy-chosen', url: other.url }, 60_000);
    const moved = peer.eventsMatching({ event: 'public-port', service: 'echo', proxy: other.url })[0] ?? (await peer.waitForEvent({ event: 'public-port', service: 'echo', proxy: other.url }));
    assert.equal(sha256(await exchange(Number(moved.serverport), data)), sha256(data));
  });
});
