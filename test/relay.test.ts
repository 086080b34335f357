/**
 * The STUN/TURN relay in `p2prc server`, against our own TURN client, the
 * peers with --force-relay, and hostile input.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TurnClient, TurnError } from '../src/stun-client/turn-client.js';
import { probeTurn } from '../src/stun-client/turn-probe.js';
import { stunTransaction } from '../src/stun-client/transaction.js';
import { Attr, Method, StunClass, buildRequest, decodeXorAddress, encodeMessage, getAttribute, restPassword, restUsername, encodeLifetime, encodeRequestedTransport, encodeText } from '../src/stun/index.js';
import { asRoute, cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, type SignalProc } from './helpers.js';

const SECRET = 'relay-test-secret';
const MiB = 1024 * 1024;
const creds = (user: string, ttl = 3600, secret = SECRET): { username: string; password: string } => {
  const username = restUsername(Math.floor(Date.now() / 1000) + ttl, user);
  return { username, password: restPassword(secret, username) };
};
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function client(s: SignalProc, user = 'tester', c = creds(user)): Promise<TurnClient> {
  const t = new TurnClient({ server: { address: '127.0.0.1', port: s.stunPort! }, ...c, transaction: { rtoMs: 100, attempts: 4 } });
  await t.bind();
  clients.push(t);
  return t;
}
const clients: TurnClient[] = [];

describe('relay: TURN server behaviour', () => {
  let s: SignalProc;
  before(async () => {
    s = await startSignal(['--secret', SECRET, '--max-allocations-per-user', '2', '--relay-ports', '50000-50999']);
  });
  after(async () => {
    for (const c of clients.splice(0)) c.close();
    await cleanup();
  });

  it('answers STUN binding with the mapped address', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    try {
      const { response } = await stunTransaction(sock, { address: '127.0.0.1', port: s.stunPort! }, buildRequest(Method.Binding), { rtoMs: 100 });
      assert.equal(response.cls, StunClass.SuccessResponse);
      const mapped = decodeXorAddress(getAttribute(response, Attr.XorMappedAddress)!, response.transactionId);
      assert.deepEqual(mapped, { family: 'IPv4', address: '127.0.0.1', port: sock.address().port });
    } finally {
      sock.close();
    }
  });

  it('allocates, relays between two allocations on this server (Send/Data and ChannelData), and deallocates', async () => {
    const a = await client(s, 'alice-id');
    const b = await client(s, 'bob-id');
    const ra = await a.allocate();
    const rb = await b.allocate();
    assert.ok(ra.port >= 50000 && ra.port <= 50999, `relay port ${ra.port} outside the range`);
    await a.createPermission(rb);
    await b.createPermission(ra);
    const atB = new Promise<Buffer>((r) => b.once('data', (d) => r(d)));
    a.send(rb, Buffer.from('hello via Send indication'));
    assert.equal((await atB).toString(), 'hello via Send indication');
    await a.channelBind(0x4001, rb);
    await b.channelBind(0x4002, ra);
    const got: string[] = [];
    b.on('data', (d) => got.push(d.toString()));
    for (let i = 0; i < 50; i++) a.sendChannel(0x4001, Buffer.from(`m${i}`));
    for (let i = 0; i < 100 && got.length < 50; i++) await wait(20);
    assert.equal(got.length, 50);
    assert.equal(await a.refresh(0), 0);
    assert.equal(await b.refresh(0), 0);
  });

  it('refuses wrong and expired credentials with 401, and says why at the peer side', async () => {
    const wrong = await client(s, 'mallory', creds('mallory', 3600, 'not-the-secret'));
    await assert.rejects(wrong.allocate(), (e: TurnError) => e.code === 401);
    const expired = await client(s, 'late', creds('late', -60));
    await assert.rejects(expired.allocate(), (e: TurnError) => e.code === 401 && /expired/.test(e.reason));
    const r = await probeTurn({ host: '127.0.0.1', port: s.stunPort!, ...creds('x', 3600, 'nope'), credential: creds('x', 3600, 'nope').password });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /401/);
    await s.proc.waitFor(/TURN request refused: wrong credentials/, 'err');
    await s.proc.waitFor(/TURN request refused: expired credentials/, 'err');
  });

  it('enforces the per-user quota with 486', async () => {
    const q = [await client(s, 'quota'), await client(s, 'quota'), await client(s, 'quota')];
    await q[0]!.allocate();
    await q[1]!.allocate();
    await assert.rejects(q[2]!.allocate(), (e: TurnError) => e.code === 486);
    await s.proc.waitFor(/allocation refused: quota .*per-user allocation quota \(2\)/, 'err');
    for (const c of q.slice(0, 2)) await c.refresh(0);
  });

  it('frees the relay port when an allocation expires', async () => {
    const c = await client(s, 'short');
    const relayed = await c.allocate();
    assert.equal(await c.refresh(1), 1);
    await wait(2500); // expiry is swept every second
    await s.proc.waitFor(new RegExp(`allocation freed .*relay=127\\.0\\.0\\.1:${relayed.port} why="lifetime expired"`), 'err');
    // The port is free on the host again.
    const sock = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(relayed.port, '127.0.0.1', () => resolve());
    });
    sock.close();
    await assert.rejects(c.refresh(600), (e: TurnError) => e.code === 437);
  });

  it('answers retransmitted Allocates and rejects a second one (437)', async () => {
    const c = await client(s, 'retrans');
    await c.allocate();
    await assert.rejects(c.allocate(), (e: TurnError) => e.code === 437);
    await c.refresh(0);
  });

  it('survives a fuzz run of random and mutated packets and keeps serving', async () => {
    // A live allocation that must keep relaying through the storm.
    const a = await client(s, 'fuzz-a');
    const b = await client(s, 'fuzz-b');
    const ra = await a.allocate();
    const rb = await b.allocate();
    await a.createPermission(rb);
    await b.createPermission(ra);
    await a.channelBind(0x4100, rb);

    const seeds = [
      encodeMessage(buildRequest(Method.Binding), { fingerprint: true }),
      encodeMessage(buildRequest(Method.Allocate, [{ type: Attr.RequestedTransport, value: encodeRequestedTransport(17) }, { type: Attr.Lifetime, value: encodeLifetime(600) }, { type: Attr.Username, value: encodeText('1:x') }]), { fingerprint: true }),
      Buffer.from('4100000568656c6c6f', 'hex'),
      Buffer.from('0001000c2112a442000000000000000000000000', 'hex'),
    ];
    let x = 0x9e3779b9;
    const rnd = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      let pkt: Buffer;
      if (i % 3 === 0) {
        pkt = Buffer.alloc(rnd(600));
        for (let k = 0; k < pkt.length; k++) pkt[k] = rnd(256);
      } else {
        pkt = Buffer.from(seeds[rnd(seeds.length)]!);
        for (let m = rnd(4) + 1; m > 0; m--) {
          const op = rnd(3);
          if (op === 0 && pkt.length) {
            const k = rnd(pkt.length);
            pkt[k] = pkt[k]! ^ (1 << rnd(8));
          }
          else if (op === 1) pkt = pkt.subarray(0, rnd(pkt.length + 1));
          else if (pkt.length >= 4) pkt.writeUInt16BE(rnd(65536), 2);
        }
      }
      sock.send(pkt, s.stunPort!, '127.0.0.1');
      if (i % 500 === 0) await wait(5); // bounded rate: let the server breathe
    }
    await wait(300);
    sock.close();
    // Still serving: binding answered, the allocation still relays, health is fine.
    const got = new Promise<Buffer>((r) => b.once('data', (d) => r(d)));
    a.sendChannel(0x4100, Buffer.from('still here'));
    assert.equal((await got).toString(), 'still here');
    const probe = await client(s, 'after-fuzz');
    await probe.allocate();
    await probe.refresh(0);
    assert.equal(s.proc.exitCode, undefined);
    const h = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    assert.equal(h.status, 200);
  });
});

describe('relay: private peers refused by default', () => {
  let s: SignalProc;
  before(async () => {
    s = await startSignal(['--secret', SECRET], 0, undefined, { allowPrivatePeers: false });
  });
  after(async () => {
    for (const c of clients.splice(0)) c.close();
    await cleanup();
  });

  it('refuses loopback, private and link-local peers and the server\'s own ports with 403, and logs why', async () => {
    const c = await client(s, 'strict');
    await c.allocate();
    for (const peer of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '172.16.0.1', '169.254.1.1', '100.64.0.1']) {
      await assert.rejects(c.createPermission({ address: peer, port: 9 }), (e: TurnError) => e.code === 403, peer);
    }
    await assert.rejects(c.channelBind(0x4001, { address: '127.0.0.1', port: s.port }), (e: TurnError) => e.code === 403);
    await s.proc.waitFor(/relay to peer refused \(403\) .*reason="peer 10\.1\.2\.3 is in a private/, 'err');
    await s.proc.waitFor(new RegExp(`relay to peer refused \\(403\\) .*127\\.0\\.0\\.1:${s.port} is one of this server's own service ports`), 'err');
    // A public (documentation-range) peer is fine.
    await c.createPermission({ address: '203.0.113.9', port: 9 });
    await c.refresh(0);
  });
});

describe('relay: peers with --force-relay', () => {
  let s: SignalProc;
  before(async () => {
    s = await startSignal(['--secret', SECRET]);
  });
  after(cleanup);

  it('moves 64 MiB through our relay byte-exact, and route and mapping rows say relay', async () => {
    const echo = await echoService();
    // Peers on their own loopback addresses: TURN permissions are per IP, so with every
    // party on 127.0.0.1 a permission for the other relay would also admit the other
    // peer's host socket, and ICE could settle on a path around the relay.
    const ex = await startExpose('alice', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.2']);
    const c = await startConnect('alice/echo', s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.3']);
    // libjuice sometimes reports the local end of a relayed pair by its base (host) socket; the remote end is the relay.
    const route = asRoute(await c.proc.waitForEvent({ event: 'route', target: 'alice/echo', kind: 'relay', local: { type: /^(relay|host|prflx)$/, address: /^127\.0\.0\.\d$/ }, remote: { type: 'relay', address: '127.0.0.1' } }));
    await ex.proc.waitFor(/relay ready server="turn:127\.0\.0\.1:\d+\?transport=udp"/, 'err');
    const data = randomData(64 * MiB);
    const back = await exchange(c.port, data, { timeoutMs: 180_000 });
    assert.equal(sha256(back), sha256(data));
    const rows = (dir: string): { route: string; service?: string; role: string; blind_port: number; Type: string; bytes_sent: number }[] =>
      (JSON.parse(readFileSync(join(dir, 'reverse_proxy_mapping.json'), 'utf8')) as { reverse_proxy_mappings: never[] }).reverse_proxy_mappings;
    // Allocation counters reach the log on the 1 s sweep, then a batched (500 ms) write: poll, bounded.
    let serverRows: ReturnType<typeof rows> = [];
    for (let i = 0; i < 50; i++) {
      serverRows = rows(s.dataDir).filter((r) => r.role === 'server' && r.route === 'relay' && r.Type === 'UDP');
      if (serverRows.some((r) => r.bytes_sent >= 64 * MiB)) break;
      await wait(200);
    }
    assert.ok(serverRows.some((r) => r.bytes_sent >= 64 * MiB), `allocation byte counts: ${JSON.stringify(serverRows.map((r) => [r.blind_port, r.bytes_sent]))}`);
    const relayPorts = new Set(serverRows.map((r) => r.blind_port));
    assert.ok(relayPorts.has(route.remote.port), `allocation row for relay port ${route.remote.port}`);
    assert.ok(rows(c.dataDir).some((r) => r.route === 'relay' && r.service === 'echo'), 'connect row');
    assert.ok(rows(ex.dataDir).some((r) => r.route === 'relay' && r.service === 'echo'), 'expose row');
  });

  it('frees a closed session\'s allocation at once, so a long-lived relayed exposer never runs out of its quota', async () => {
    // The server allows 2 allocations per peer. libjuice does not delete its allocation when
    // its PeerConnection closes; without relay-release the exposer's third relayed session in
    // the allocation lifetime (10 min) would be refused (486) and find no path.
    const echo = await echoService();
    const ex = await startExpose('carol', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.6']);
    for (let i = 0; i < 3; i++) {
      const c = await startConnect('carol/echo', s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.7', '--name', `carol-client-${i}`]);
      const route = asRoute(await c.proc.waitForEvent({ event: 'route', target: 'carol/echo' }));
      assert.equal(route.kind, 'relay', `session ${i + 1}: ${JSON.stringify(route)}`);
      await c.proc.stop('SIGTERM');
      // The connector's remote candidate is the exposer's relayed address: that allocation is freed once the session closes.
      await s.proc.waitFor(new RegExp(`allocation freed user=${ex.peerId} relay=[^ ]+:${route.remote.port} why="released by its owner`), 'err', 30_000);
    }
  });

  it('frees a peer\'s allocations when it leaves the signal server', async () => {
    const echo = await echoService();
    // Each peer on its own loopback address, as in the test above: TURN permissions are per IP,
    // so peers sharing the relay's address could reach each other's relay ports from their host
    // sockets and a direct prflx pair would form around the relay.
    const ex = await startExpose('bob', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.4']);
    const c = await startConnect('bob/echo', s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.5']);
    await c.proc.waitForEvent({ event: 'route', target: 'bob/echo', kind: 'relay' });
    await ex.proc.stop('SIGKILL');
    await s.proc.waitFor(new RegExp(`allocation freed user=${ex.peerId} .*why="owner left the signal server"`), 'err', 15_000);
  });
});
