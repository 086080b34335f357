/**
 * UDP through the tunnel, end to end in one process: clients (real UDP sockets)
 * -> UdpPublicPort -> unordered data channels on a real PeerSession pair ->
 * a real Exposer -> a UDP echo service, and back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { DataChannel, DataChannelInitConfig, PeerConnection } from 'node-datachannel';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { Exposer } from './expose.js';
import { TUNNEL_PROTOCOL, UDP_PROTOCOL, decodeFrame, streamLabel, udpLabel } from './frames.js';
import { UDP_CHANNEL_INIT } from './udp-datagrams.js';
import { UdpPublicPort, type UdpPublicPortOptions, type UdpSessionEnd } from './udp-public-port.js';
import { UdpTestClient, captureLog, deadUdpTarget, fakeNode, sessionPair, udpEcho, udpTicker, type FakeNode } from './udp-harness.test.js';
import { until } from './stream-harness.test.js';

describe('UDP services through the tunnel', () => {
  let pair: Awaited<ReturnType<typeof sessionPair>>;
  let bob: FakeNode;
  let exposer: Exposer;
  let echo: Awaited<ReturnType<typeof udpEcho>>;
  let ticker: Awaited<ReturnType<typeof udpTicker>>;
  let dead: Awaited<ReturnType<typeof deadUdpTarget>>;
  const ports: UdpPublicPort[] = [];
  const clients: UdpTestClient[] = [];

  before(async () => {
    echo = await udpEcho();
    ticker = await udpTicker();
    bob = fakeNode('bob');
    dead = await deadUdpTarget();
    exposer = new Exposer(
      bob.node,
      new Map([
        ['echo', { host: '127.0.0.1', port: echo.port, type: 'udp' as const }],
        ['web', { host: '127.0.0.1', port: 1, type: 'tcp' as const }],
        ['dead', { host: dead.host, port: dead.port, type: 'udp' as const }],
        ['ticker', { host: '127.0.0.1', port: ticker.port, type: 'udp' as const }],
      ]),
    );
    pair = await sessionPair((s, dc) => bob.stream(s, dc));
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const p of ports) await p.close();
    pair?.close();
    await echo?.close();
    await ticker?.close();
    dead?.close();
    bob?.cleanup();
  });

  /** A public port on 127.0.0.1 to `service` on bob, channels opened on the offerer. */
  async function publicPort(service: string, opts: Partial<UdpPublicPortOptions> = {}): Promise<{ port: UdpPublicPort; at: number; logs: string[]; opened: DataChannel[] }> {
    const { log, logs } = captureLog('proxy');
    const opened: DataChannel[] = [];
    const port = new UdpPublicPort({
      host: '127.0.0.1',
      port: 0,
      openChannel: () => {
        const dc = pair.offerer.openChannel(udpLabel(service), UDP_PROTOCOL, UDP_CHANNEL_INIT);
        opened.push(dc);
        return dc;
      },
      release: (dc) => pair.offerer.release(dc),
      log,
      ...opts,
    });
    ports.push(port);
    const addr = await port.start();
    return { port, at: addr.port, logs, opened };
  }

  async function client(): Promise<UdpTestClient> {
    const c = await UdpTestClient.open();
    clients.push(c);
    return c;
  }

  function nextClose(port: UdpPublicPort): Promise<UdpSessionEnd> {
    return once(port, 'session-close').then(([, end]) => end as UdpSessionEnd);
  }

  it('publishes its services by name and type, never their addresses', () => {
    assert.deepEqual(bob.published[0], [
      { name: 'echo', type: 'udp' },
      { name: 'web', type: 'tcp' },
      { name: 'dead', type: 'udp' },
      { name: 'ticker', type: 'udp' },
    ]);
  });

  it('carries several clients at once, each getting exactly its own replies', { timeout: 30_000 }, async () => {
    // What the session passes to createDataChannel: UDP_CHANNEL_INIT reaches libdatachannel.
    // (The native method is read-only: the session's private pc is swapped for a proxy while this test opens channels.)
    const held = pair.offerer as unknown as { pc: PeerConnection };
    const pc = held.pc;
    const configs: unknown[] = [];
    held.pc = new Proxy(pc, {
      get: (t, k) => {
        if (k === 'createDataChannel') return (label: string, config?: DataChannelInitConfig) => (configs.push({ label, ...config }), t.createDataChannel(label, config));
        const v = Reflect.get(t, k) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    const { port, at, opened } = await publicPort('echo');
    const cs = await Promise.all([0, 1, 2, 3, 4].map(() => client()));
    const N = 20;
    const sent = new Map<UdpTestClient, string[]>();
    // All at once: every client's first datagrams wait for its channel to open.
    await Promise.all(
      cs.map(async (c, i) => {
        const mine: string[] = [];
        for (let k = 0; k < N; k++) {
          const msg = `client${i}-${c.port}-msg${k}`;
          mine.push(msg);
          await c.send(msg, at);
        }
        sent.set(c, mine);
      }),
    );
    for (const c of cs) {
      const got = await c.receivedCount(N);
      assert.deepEqual(got.map((b) => b.toString()).sort(), sent.get(c)!.map((m) => `echo:${m}`).sort(), `client ${c.port} got someone else's replies`);
      assert.deepEqual([...c.senders], [`127.0.0.1:${at}`], 'replies come from the public port');
    }
    // One session (channel, service-side socket) per client address.
    assert.equal(opened.length, 5);
    held.pc = pc;
    assert.deepEqual(configs, Array(5).fill({ label: 'udp/echo', protocol: UDP_PROTOCOL, unordered: true, maxRetransmits: 0 }));
    assert.equal(echo.sources.size >= 5, true);
    assert.equal(exposer.activeUdpSessions, 5);
    const st = port.stats;
    assert.equal(st.sessionsOpened, 5);
    assert.equal(st.sessionsActive, 5);
    assert.equal(st.datagramsToPeer, 5 * N);
    assert.equal(st.datagramsToClients, 5 * N);
    assert.equal(st.bytesToClients - st.bytesToPeer, 5 * N * 'echo:'.length);
    assert.ok(Object.values(st.drops).every((n) => n === 0), JSON.stringify(st.drops));
    // A large datagram (one data channel message, fragmented by SCTP) comes back whole.
    const big = Buffer.alloc(60_000, 7);
    big.write('big', 0);
    await cs[0]!.send(big, at);
    const back = (await cs[0]!.receivedCount(N + 1))[N]!;
    assert.equal(back.length, big.length + 5);
    assert.ok(back.subarray(5).equals(big));
    await port.close();
    await until(() => exposer.activeUdpSessions === 0, 'the exposer to close its sessions after the port closed');
    // The exposer's mapping row for the service counts the bytes.
    await until(() => bob.mapping.rows().some((r) => r.service === 'echo' && r.bytes_sent > 0), 'udp bytes in the mapping log');
  });

  it('queues datagrams until the channel opens, bounded, and counts what it drops', { timeout: 15_000 }, async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let asked = 0;
    const { port, at } = await publicPort('echo', {
      queueDatagrams: 4,
      openChannel: async () => {
        asked++;
        await gate;
        return pair.offerer.openChannel(udpLabel('echo'), UDP_PROTOCOL, UDP_CHANNEL_INIT);
      },
    });
    const c = await client();
    for (let k = 0; k < 10; k++) await c.send(`q${k}`, at);
    await until(() => port.stats.drops['queue-full'] === 6, 'six datagrams dropped from a queue of four');
    assert.equal(asked, 1, 'one channel asked for, however many datagrams wait');
    assert.equal(c.received.length, 0);
    release();
    const got = await c.receivedCount(4);
    assert.deepEqual(got.map((b) => b.toString()).sort(), ['echo:q0', 'echo:q1', 'echo:q2', 'echo:q3']);
    assert.equal(port.stats.datagramsToPeer, 4);
    // Once open, datagrams go straight through.
    await c.send('after', at);
    assert.equal((await c.receivedCount(5))[4]!.toString(), 'echo:after');
    await port.close();
  });

  it('closes an idle session (its channel and the service-side socket), and a new datagram opens another', { timeout: 15_000 }, async () => {
    const before = exposer.activeUdpSessions;
    const { port, at, opened } = await publicPort('echo', { idleMs: 400 });
    const c = await client();
    const closes: UdpSessionEnd[] = [];
    port.on('session-close', (_c, end) => closes.push(end));
    await c.send('a', at);
    await c.receivedCount(1);
    // Traffic keeps the session alive past idleMs.
    for (let k = 0; k < 4; k++) {
      await new Promise((r) => setTimeout(r, 150));
      await c.send(`keep${k}`, at);
      await c.receivedCount(2 + k);
    }
    assert.deepEqual(closes, [], 'a session with traffic is not idle');
    const lastAt = performance.now();
    const end = await nextClose(port);
    assert.equal(end.reason, 'idle');
    assert.ok(performance.now() - lastAt >= 380, 'not closed before idleMs of silence');
    assert.equal(end.stats.datagramsToPeer, 5);
    assert.equal(end.stats.datagramsToClient, 5);
    assert.equal(port.stats.sessionsActive, 0);
    await until(() => exposer.activeUdpSessions === before, 'the exposer to end the idle session when its channel closed');
    assert.equal(opened[0]!.isOpen(), false);
    await c.send('again', at);
    assert.equal((await c.receivedCount(6))[5]!.toString(), 'echo:again');
    assert.equal(port.stats.sessionsOpened, 2);
    await port.close();
  });

  it('counts traffic in either direction alone as activity', { timeout: 15_000 }, async () => {
    const { port, at } = await publicPort('ticker', { idleMs: 400 });
    const closes: UdpSessionEnd[] = [];
    port.on('session-close', (_c, end) => closes.push(end));
    // Client to service only: five datagrams 150 ms apart, nothing comes back.
    const c = await client();
    for (let k = 0; k < 5; k++) {
      if (k > 0) await new Promise((r) => setTimeout(r, 150));
      await c.send(`one-way${k}`, at);
    }
    await until(() => ticker.received === 5, 'the service to get all five');
    assert.deepEqual(closes, [], 'datagrams from the client alone keep the session');
    assert.equal((await nextClose(port)).reason, 'idle');
    // Service to client only: one datagram in, then five out 150 ms apart.
    const d = await client();
    await d.send('tick:5:150', at);
    await d.receivedCount(5);
    assert.equal(closes.length, 1, 'datagrams from the service alone keep the session');
    assert.equal((await nextClose(port)).reason, 'idle');
    await port.close();
  });

  it('caps concurrent sessions, dropping new clients and warning once per interval', { timeout: 15_000 }, async () => {
    const { port, at, logs } = await publicPort('echo', { maxSessions: 2 });
    const [a, b, c] = await Promise.all([client(), client(), client()]);
    await a.send('a', at);
    await b.send('b', at);
    await a.receivedCount(1);
    await b.receivedCount(1);
    for (let k = 0; k < 3; k++) await c.send(`c${k}`, at);
    await until(() => port.stats.drops['session-cap'] === 3, 'three datagrams over the cap dropped');
    assert.equal(port.stats.sessionsOpened, 2);
    assert.equal(logs.filter((l) => l.includes('udp session cap reached')).length, 1, logs.join('\n'));
    assert.equal(c.received.length, 0);
    await port.close();
  });

  it('asks the admit hook on a new client, dropping the ones it refuses', { timeout: 15_000 }, async () => {
    const [good, bad] = await Promise.all([client(), client()]);
    const asked: string[] = [];
    const { port, at, opened } = await publicPort('echo', {
      admit: (address, p) => {
        asked.push(`${address}:${p}`);
        return p !== bad.port;
      },
    });
    await bad.send('x', at);
    await bad.send('y', at);
    await good.send('ok', at);
    assert.equal((await good.receivedCount(1))[0]!.toString(), 'echo:ok');
    await until(() => port.stats.drops['not-admitted'] === 2, 'both refused datagrams counted');
    assert.deepEqual(asked, [`127.0.0.1:${bad.port}`, `127.0.0.1:${bad.port}`, `127.0.0.1:${good.port}`]);
    assert.equal(opened.length, 1, 'no channel for a refused client');
    assert.equal(bad.received.length, 0);
    await port.close();
  });

  it('is refused when the service is TCP or not exposed, and says so at both ends', { timeout: 15_000 }, async () => {
    for (const [service, why] of [
      ['web', /bob exposes "web" over TCP, not UDP/],
      ['nope', /bob does not expose "nope" \(exposed: echo\/udp, web, dead\/udp, ticker\/udp\)/],
    ] as const) {
      const { port, at, logs } = await publicPort(service);
      const c = await client();
      const closed = nextClose(port);
      await c.send('hello', at);
      const end = await closed;
      assert.equal(end.reason, 'refused');
      assert.equal(end.code, 'unknown-service');
      assert.match(end.message, why);
      assert.ok(logs.some((l) => l.includes('udp session failed')));
      assert.ok(bob.logs.some((l) => l.includes('refused udp session for unknown service') && l.includes(`service=${service}`)));
      // The failed client stays shut for retryMs: no channel per datagram.
      await c.send('again', at);
      await until(() => port.stats.drops['channel-failed'] >= 1, 'a datagram during the retry pause dropped');
      assert.equal(port.stats.sessionsOpened, 1);
      await port.close();
    }
  });

  it('refuses a TCP stream to a UDP service', { timeout: 15_000 }, async () => {
    const dc = pair.offerer.openChannel(streamLabel('echo'), TUNNEL_PROTOCOL);
    const [msg] = (await once(new ChannelEvents(dc), 'message')) as [string];
    const f = decodeFrame(msg);
    assert.equal(f?.t, 'err');
    assert.ok(f?.t === 'err' && f.code === 'unknown-service' && /exposes "echo" over UDP, not TCP/.test(f.message), msg);
    assert.ok(bob.logs.some((l) => l.includes('refused stream for unknown service') && l.includes('service=echo')));
    dc.close();
    pair.offerer.release(dc);
  });

  it('ends the session when the service socket fails (nothing listening: ICMP unreachable)', { timeout: 15_000 }, async () => {
    const { port, at } = await publicPort('dead');
    const c = await client();
    const closed = nextClose(port);
    await c.send('anyone?', at);
    const end = await closed;
    assert.equal(end.reason, 'channel-closed');
    assert.ok(bob.logs.some((l) => l.includes('udp service socket error') && l.includes('ECONNREFUSED')), bob.logs.join('\n'));
    await port.close();
  });

  it('ends a session whose channel cannot be opened, counts its queued datagrams, pauses that client for retryMs', { timeout: 15_000 }, async () => {
    let asked = 0;
    const { port, at } = await publicPort('echo', {
      retryMs: 300,
      openChannel: async () => {
        asked++;
        await new Promise((r) => setImmediate(r));
        throw new P2prcError(ErrorCode.PeerOffline, 'bob is offline');
      },
    });
    const c = await client();
    const closed = nextClose(port);
    await c.send('lost', at);
    const end = await closed;
    assert.equal(end.reason, 'channel-failed');
    assert.equal(end.code, 'peer-offline');
    assert.match(end.message, /bob is offline/);
    assert.equal(end.stats.dropped, 1, 'the queued datagram is dropped with the session');
    const shutAt = performance.now();
    await c.send('paused', at);
    await until(() => port.stats.drops['channel-failed'] === 2, 'a datagram in the pause dropped');
    assert.equal(asked, 1);
    // Some time after retryMs, the client gets a new try.
    await new Promise((r) => setTimeout(r, Math.max(0, 350 - (performance.now() - shutAt))));
    const again = nextClose(port);
    await c.send('retry', at);
    await again;
    assert.equal(asked, 2);
    await port.close();
  });

  it('ends a session whose channel does not open within openTimeoutMs', { timeout: 15_000 }, async () => {
    const { port, at } = await publicPort('echo', { openTimeoutMs: 200, openChannel: () => new Promise<DataChannel>(() => undefined) });
    const c = await client();
    const t0 = performance.now();
    const closed = nextClose(port);
    await c.send('x', at);
    const end = await closed;
    assert.equal(end.reason, 'open-timeout');
    assert.ok(performance.now() - t0 >= 190);
    await port.close();
  });

  it('rejects start() with a P2prcError when the port is taken', async () => {
    const taken = createSocket('udp4');
    taken.bind(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const p = new UdpPublicPort({ host: '127.0.0.1', port: (taken.address() as AddressInfo).port, openChannel: () => assert.fail('no client') });
      await assert.rejects(p.start(), (err: P2prcError) => {
        assert.ok(err instanceof P2prcError);
        assert.equal(err.code, 'bad-argument');
        assert.equal((err.cause as NodeJS.ErrnoException).code, 'EADDRINUSE');
        return true;
      });
    } finally {
      taken.close();
    }
  });
});

/** A DataChannel's first message as an event (node-datachannel has one callback slot). */
class ChannelEvents extends EventEmitter {
  constructor(dc: DataChannel) {
    super();
    dc.onMessage((m) => this.emit('message', m));
  }
}
