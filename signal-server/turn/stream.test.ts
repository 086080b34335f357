/**
 * TURN over TCP and TLS, end to end on loopback: a real TurnServer with both
 * stream listeners, the peer's local bridge (src/relay-bridge/bridge) in front
 * of each, and our UDP TURN client talking to the bridge as libjuice does. The
 * bytes a peer receives are the bytes the client sent (ChannelData of every
 * length mod 4, so the stream's padding is added and removed exactly), both
 * ways, by channel and by Data indication; the allocation is the connection's
 * and goes when it closes; a pinned certificate that is not the server's is
 * refused; a stream that is not TURN is closed without touching another
 * client's allocation.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { TurnClient } from '../../src/stun-client/turn-client.js';
import { restPassword, restUsername } from '../../src/stun/index.js';
import { createLogger } from '../../src/util/log.js';
import { TurnBridge } from '../../src/relay-bridge/bridge.js';
import { probeThroughBridge } from '../../src/relay-bridge/relay-path.js';
import { fingerprintOf, makeSelfSigned } from './self-signed.js';
import { TurnServer } from './server.js';
import { StreamListener } from './stream-listener.js';

const SECRET = 'stream-secret';
const lines: string[] = [];
const log = createLogger('turn', (l) => lines.push(l));
let server: TurnServer;
let fingerprint = '';
const closers: (() => void)[] = [];

function creds(user: string): { username: string; credential: string } {
  const username = restUsername(Math.floor(Date.now() / 1000) + 3600, user);
  return { username, credential: restPassword(SECRET, username) };
}

/** A bridge to the server's `transport` listener and a TURN client behind it. */
async function bridged(transport: 'tcp' | 'tls', user: string, pin = fingerprint): Promise<{ bridge: TurnBridge; client: TurnClient }> {
  const ports = server.streamPorts;
  const bridge = new TurnBridge({ host: '127.0.0.1', port: transport === 'tcp' ? ports.tcp! : ports.tls!, transport, ...(transport === 'tls' ? { certFingerprint: pin } : {}) }, createLogger('bridge', () => undefined));
  const local = await bridge.start();
  const { username, credential } = creds(user);
  const client = new TurnClient({ server: local, username, password: credential, transaction: { rtoMs: 200, attempts: 5 } });
  await client.bind();
  closers.push(() => client.close(), () => bridge.close());
  return { bridge, client };
}

async function udpPeer(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.2', r)); // not the server's own address (its peer policy)
  closers.push(() => s.close());
  return s;
}

const next = (s: Socket): Promise<{ msg: Buffer; port: number }> => new Promise((r) => s.once('message', (msg, ri) => r({ msg, port: ri.port })));
const nextData = (c: TurnClient): Promise<Buffer> => new Promise((r) => c.once('data', (d) => r(d)));

/** Until `cond` holds (checked every 10 ms), at most `ms`. */
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('TURN over TCP and TLS, through the local bridge', () => {
  before(async () => {
    const tls = await makeSelfSigned('stream-test', ['127.0.0.1']);
    fingerprint = fingerprintOf(tls.cert);
    server = new TurnServer({
      host: '127.0.0.1',
      port: 0,
      tls: { port: 0, ...tls },
      relayPorts: { min: 54000, max: 54999 },
      secret: SECRET,
      realm: 'p2prc',
      quotas: { perUser: 10, total: 100 },
      allowPrivatePeers: true,
      protectedPorts: [],
      logger: log,
    });
    await server.listen();
  });
  after(async () => {
    for (const c of closers.reverse()) c();
    await server.close();
  });

  it('listens on TCP and TLS besides UDP, and tells peers the self-signed certificate', () => {
    const e = server.streamEndpoints;
    assert.ok(e.tcpPort! > 0 && e.tlsPort! > 0, JSON.stringify(e));
    assert.equal(e.certFingerprint, fingerprint);
  });

  for (const transport of ['tcp', 'tls'] as const) {
    it(`relays both ways over ${transport}: ChannelData of every length mod 4 and Data indications, byte for byte`, async () => {
      const { client } = await bridged(transport, `alice-${transport}`);
      const relayed = await client.allocate();
      const a = server.allocations().find((x) => x.relay.port === relayed.port);
      assert.equal(a?.client.stream?.transport, transport);
      const peer = await udpPeer();
      const other = await udpPeer();
      const peerAt = { address: '127.0.0.2', port: peer.address().port };
      const otherAt = { address: '127.0.0.2', port: other.address().port };
      await client.createPermission(peerAt);
      await client.channelBind(0x4001, peerAt);
      for (const len of [1, 2, 3, 4, 5, 1000, 1201, 65000]) {
        const out = Buffer.alloc(len, len & 0xff);
        const got = next(peer);
        client.sendChannel(0x4001, out);
        const m = await got;
        assert.ok(m.msg.equals(out), `client -> peer, ${len} bytes`);
        assert.equal(m.port, relayed.port);
        const back = Buffer.alloc(len, (len + 1) & 0xff);
        const d = nextData(client);
        peer.send(back, relayed.port, '127.0.0.1');
        assert.ok((await d).equals(back), `peer -> client, ${len} bytes`);
      }
      // No channel for `other`: Send and Data indications.
      const got = next(other);
      client.send(otherAt, Buffer.from('by indication'));
      assert.equal((await got).msg.toString(), 'by indication');
      const d = nextData(client);
      other.send(Buffer.from('and back'), relayed.port, '127.0.0.1');
      assert.equal((await d).toString(), 'and back');
    });
  }

  it('keeps what is not a whole STUN or ChannelData message out of the stream (dropped and counted at the bridge)', async () => {
    const { bridge, client } = await bridged('tcp', 'erin');
    const relayed = await client.allocate();
    const peer = await udpPeer();
    const peerAt = { address: '127.0.0.2', port: peer.address().port };
    await client.createPermission(peerAt);
    await client.channelBind(0x4002, peerAt);
    const junk = [Buffer.from('not turn at all'), Buffer.from([0x40, 0x02, 0x00, 0x10, 1, 2]), Buffer.from([0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42])];
    for (const j of junk) client.socket.send(j, bridge.local.port, '127.0.0.1');
    // Then a good frame: it arrives whole, so the stream did not lose its framing.
    const got = next(peer);
    client.sendChannel(0x4002, Buffer.from('after the junk'));
    assert.equal((await got).msg.toString(), 'after the junk');
    assert.equal(bridge.stats.dropped.malformed, junk.length);
    assert.ok(server.allocations().some((x) => x.relay.port === relayed.port));
  });

  it('frees the allocation when its connection closes', async () => {
    const { bridge, client } = await bridged('tcp', 'bob');
    const relayed = await client.allocate();
    assert.ok(server.allocations().some((x) => x.relay.port === relayed.port));
    bridge.close();
    await until(() => !server.allocations().some((x) => x.relay.port === relayed.port), 'the allocation to be freed');
    assert.ok(lines.some((l) => l.includes('allocation freed') && l.includes('tcp connection closed')), 'logged with its reason');
  });

  it('refuses a relay whose TLS certificate is not the pinned one, saying so', async () => {
    const { username, credential } = creds('carol');
    const wrong = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
    const r = await probeThroughBridge({ url: 'turns:127.0.0.1', transport: 'tls', host: '127.0.0.1', port: server.streamPorts.tls!, username, credential, certFingerprint: wrong }, createLogger('bridge', () => undefined));
    assert.equal(r.result.ok, false);
    assert.match(r.result.ok ? '' : r.result.reason, /not the pinned/);
    assert.equal(r.bridge, undefined);
  });

  it('closes a stream that is not TURN, and keeps relaying for other clients', async () => {
    const { client } = await bridged('tcp', 'dave');
    const relayed = await client.allocate();
    const peer = await udpPeer();
    const peerAt = { address: '127.0.0.2', port: peer.address().port };
    await client.createPermission(peerAt);
    const bad = connect(server.streamPorts.tcp!, '127.0.0.1');
    const closed = new Promise<void>((r) => bad.on('close', () => r()));
    bad.on('error', () => undefined);
    // A TLS ClientHello's record header, as a TLS client sent to the TCP port: a STUN length (0x0301) that is not a multiple of 4.
    bad.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    await closed;
    assert.equal(server.streamStats().tcp?.badStreams, 1);
    const got = next(peer);
    client.send(peerAt, Buffer.from('still here'));
    assert.equal((await got).msg.toString(), 'still here');
    assert.ok(server.allocations().some((x) => x.relay.port === relayed.port));
  });
});

describe('TURN stream listener limits', () => {
  it('refuses connections past the per-address cap, and counts them', async () => {
    const l = new StreamListener({ transport: 'tcp', host: '127.0.0.1', port: 0, maxPerIp: 2, log: createLogger('turn', () => undefined) }, { frame: () => undefined, closed: () => undefined, hasAllocation: () => true });
    await l.listen();
    const socks: TcpSocket[] = [];
    try {
      // One after the other: the kernel's accept queue keeps the order the handshakes completed in.
      for (let i = 0; i < 3; i++) {
        const s = connect(l.port!, '127.0.0.1');
        s.on('error', () => undefined);
        socks.push(s);
        await new Promise((r) => s.once('connect', r));
      }
      const closedEarly = await Promise.race(socks.map((s, i) => new Promise<number>((r) => s.on('close', () => r(i)))));
      assert.equal(closedEarly, 2, 'the third connection is the one refused');
      assert.equal(l.stats.refused, 1);
      assert.equal(l.stats.connections, 2);
    } finally {
      for (const s of socks) s.destroy();
      await l.close();
    }
  });
});
