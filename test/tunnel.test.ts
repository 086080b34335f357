/**
 * Tunnels end to end, with real processes on loopback: `p2prc server`,
 * `p2prc expose`, `p2prc connect`, and real TCP services behind them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checksumService,
  cleanup,
  closedPort,
  connectAndWaitClose,
  echoService,
  holdService,
  exchange,
  randomData,
  sha256,
  startConnect,
  startExpose,
  startSignal,
  type SignalProc,
  type Proc,
} from './helpers.js';

const MiB = 1024 * 1024;

describe('tunnel through p2prc expose/connect', () => {
  let signal: SignalProc;
  let echoPort: number;
  let sumPort: number;
  let connectPort: number;
  let sumConnectPort: number;
  let exposeDir: string;
  let exposer: Proc;
  let connector: Proc;
  let holdConnectPort: number;
  let holdConnector: Proc;
  const held: Socket[] = [];
  let connectDir: string;

  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
    sumPort = await checksumService();
    const down = await closedPort();
    const holdPort = await holdService(held);
    const ex = await startExpose('alice', [`echo=${echoPort}`, `sum=127.0.0.1:${sumPort}`, `down=${down}`, `hold=${holdPort}`], signal.url);
    exposeDir = ex.dataDir;
    exposer = ex.proc;
    const c = await startConnect('alice/echo', signal.url);
    connectPort = c.port;
    connectDir = c.dataDir;
    await c.proc.waitForEvent({ event: 'route', target: 'alice/echo', kind: 'direct', local: { type: 'host', address: '127.0.0.1' }, remote: { type: /^(host|prflx|srflx)$/, address: '127.0.0.1' } });
    sumConnectPort = (await startConnect('alice/sum', signal.url)).port;
    connector = c.proc;
    const hc = await startConnect('alice/hold', signal.url);
    holdConnectPort = hc.port;
    holdConnector = hc.proc;
  });
  after(cleanup);

  /** Bounded wait; on timeout the error carries the peers' logs. */
  const within = <T,>(p: Promise<T>, ms: number, what: string): Promise<T> => {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what} within ${ms} ms\n${holdConnector.dump()}\n${exposer.dump()}`)), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(t));
  };

  it('carries 64 MiB each way byte-exact (sha256)', async () => {
    const data = randomData(64 * MiB);
    const back = await exchange(connectPort, data);
    assert.equal(back.length, data.length);
    assert.equal(sha256(back), sha256(data));
  });

  it('carries 100 concurrent streams of random sizes 0 B - 4 MiB, all verified', async () => {
    const sizes = Array.from({ length: 100 }, (_, i) => (i === 0 ? 0 : i === 1 ? 4 * MiB : Math.floor(Math.random() * 4 * MiB)));
    const results = await Promise.all(
      sizes.map(async (n) => {
        const data = randomData(n);
        const back = await exchange(connectPort, data);
        return { n, ok: back.length === n && sha256(back) === sha256(data) };
      }),
    );
    const bad = results.filter((r) => !r.ok);
    assert.deepEqual(bad, [], `streams with wrong bytes: ${JSON.stringify(bad)}`);
    // All of them over the one PeerConnection with alice.
    // (a route event without `previous` is printed once per session connected)
    assert.equal(connector.eventsMatching((o) => o.event === 'route' && o.previous === undefined).length, 1);
  });

  it('stops the sender when the service stops reading (flow control end to end)', async (t) => {
    const sock = tcpConnect({ host: '127.0.0.1', port: holdConnectPort });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const chunk = Buffer.alloc(256 * 1024, 7);
    let stalledSince = Date.now();
    // Write while the tunnel accepts; stop once writes have stalled for 2 s (bounded: 64 MiB at most).
    for (let sent = 0; sent < 64 * MiB; sent += chunk.length) {
      if (!sock.write(chunk)) {
        const drained = await Promise.race([new Promise((r) => sock.once('drain', () => r(true))), new Promise((r) => setTimeout(() => r(false), 2000))]);
        if (!drained) break;
        stalledSince = Date.now();
      }
    }
    const accepted = sock.bytesWritten - sock.writableLength;
    sock.destroy();
    t.diagnostic(`tunnel accepted ${(accepted / MiB).toFixed(1)} MiB before the writer stalled`);
    assert.ok(Date.now() - stalledSince >= 1900, 'the writer was never stopped');
    // Kernel buffers on both hops plus the 4 MiB stream window; without flow control it would be all 64 MiB.
    assert.ok(accepted < 24 * MiB, `tunnel accepted ${(accepted / MiB).toFixed(1)} MiB for a service that reads nothing`);
  });

  it('propagates a client reset to the service promptly', async () => {
    const before = held.length;
    const sock = tcpConnect({ host: '127.0.0.1', port: holdConnectPort });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('x');
    for (let i = 0; i < 500 && held.length === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(held.length > before, 'the tunnelled connection never reached the service (10 s)');
    const svc = held[held.length - 1]!;
    const closed = new Promise<number>((r) => {
      const t0 = performance.now();
      svc.once('close', () => r(performance.now() - t0));
    });
    sock.resetAndDestroy();
    const ms = await within(closed, 10_000, 'the service socket did not close').catch((err: Error) => {
      throw new Error(`service socket: ${svc.readableLength} bytes unread, ${svc.bytesRead} read, destroyed ${svc.destroyed}, held ${before} -> ${held.length}\n${err.message}`);
    });
    assert.ok(ms < 3000, `service socket closed after ${ms} ms`);
  });

  it('propagates a service reset to the client promptly', async () => {
    const before = held.length;
    const sock = tcpConnect({ host: '127.0.0.1', port: holdConnectPort });
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('x');
    for (let i = 0; i < 500 && held.length === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(held.length > before, 'the tunnelled connection never reached the service (10 s)');
    const closed = new Promise<number>((r) => {
      const t0 = performance.now();
      sock.once('close', () => r(performance.now() - t0));
    });
    held[held.length - 1]!.resetAndDestroy();
    const ms = await within(closed, 10_000, 'the client socket did not close');
    assert.ok(ms < 3000, `client socket closed after ${ms} ms`);
  });

  it('keeps the reply direction open after the client half-closes', async () => {
    const data = randomData(3 * MiB + 17);
    const reply = await exchange(sumConnectPort, data);
    assert.equal(reply.toString(), sha256(data));
  });

  it('refuses a service that is not exposed, clearly and promptly', async () => {
    const c = await startConnect('alice/nope', signal.url);
    const r = await connectAndWaitClose(c.port, Buffer.from('hello'));
    assert.ok(r.ms < 5000, `closed after ${r.ms} ms`);
    assert.equal(r.received, 0);
    await c.proc.waitFor(/code=unknown-service/, 'err');
    await c.proc.waitFor(/alice does not expose \\?"nope\\?" \(exposed: echo, sum, down, hold\)/, 'err');
    await exposer.waitFor(/refused stream for unknown service .*service=nope/, 'err');
  });

  it('closes the client promptly when the exposed service is down, and both sides log why', async () => {
    const c = await startConnect('alice/down', signal.url);
    const r = await connectAndWaitClose(c.port, Buffer.from('hello'));
    assert.ok(r.ms < 5000, `closed after ${r.ms} ms`);
    assert.equal(r.received, 0);
    await c.proc.waitFor(/code=service-unavailable/, 'err');
    await exposer.waitFor(/service unavailable .*service=down .*ECONNREFUSED/, 'err');
  });

  it('records the routes in both peers\' mapping logs and shows them with view-rpm', async () => {
    await new Promise((r) => setTimeout(r, 800)); // mapping writes are batched (500 ms)
    for (const dir of [connectDir, exposeDir]) {
      const file = JSON.parse(readFileSync(join(dir, 'reverse_proxy_mapping.json'), 'utf8')) as { reverse_proxy_mappings: Record<string, unknown>[] };
      const rows = file.reverse_proxy_mappings.filter((r) => r.service === 'echo');
      assert.ok(rows.length >= 1, `no echo row in ${dir}`);
      const row = rows.reduce((a, b) => ((b.bytes_sent as number) > (a.bytes_sent as number) ? b : a));
      for (const k of ['Server_name', 'Address', 'Type', 'blind_port', 'peer', 'service', 'route', 'local_candidate', 'remote_candidate', 'started_at', 'bytes_sent', 'bytes_received']) {
        assert.ok(k in row, `row lacks ${k}`);
      }
      assert.equal(row.Type, 'UDP');
      assert.equal(row.route, 'direct');
      assert.ok((row.bytes_sent as number) >= 64 * MiB, `bytes_sent ${String(row.bytes_sent)}`);
    }
    const server = JSON.parse(readFileSync(join(signal.dataDir, 'reverse_proxy_mapping.json'), 'utf8')) as { reverse_proxy_mappings: { route: string }[] };
    assert.ok(server.reverse_proxy_mappings.some((r) => r.route === 'direct'), 'server logged no route');
  });

  it('keeps carrying data after the signal server is killed', async () => {
    // One connection open across the kill, and a new one on the existing peer connection after it.
    const sock = tcpConnect({ host: '127.0.0.1', port: connectPort });
    sock.on('error', (err) => assert.fail(`tunnelled connection failed: ${err.message}`));
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const got: Buffer[] = [];
    sock.on('data', (d) => got.push(d));
    sock.write('before-');
    await new Promise((r) => setTimeout(r, 300));
    await signal.proc.stop('SIGKILL');
    sock.write('after');
    await new Promise((r) => setTimeout(r, 500));
    sock.end();
    await new Promise((r) => sock.once('close', r));
    assert.equal(Buffer.concat(got).toString(), 'before-after');
    const data = randomData(MiB);
    const back = await exchange(connectPort, data);
    assert.equal(sha256(back), sha256(data));
  });
});
