/**
 * Replayed offers must not tear down live sessions (#8 item 9). The connector
 * signals through a recording proxy (someone on the plain ws:// path). Its
 * first session's signed offer is captured; a second run of the connector
 * (same identity) carries a transfer, during which the proxy sends the old
 * offer to the server again on the connector's connection, so the exposer gets
 * it from the connector as far as anyone can tell. The exposer refuses it as a
 * replay, and the transfer completes, sha256-verified.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { atCleanup, cleanup, echoService, randomData, sha256, startConnect, startExpose, startSignal, tmpDir, type SignalProc } from './helpers.js';
import { Transfer } from './harness/transfer.js';

/** A ws:// proxy in front of the signal server that records what its clients send and can send it again. */
class RecordingProxy {
  readonly offers: string[] = [];
  private readonly upstreams: WebSocket[] = [];
  private readonly wss: WebSocketServer;
  constructor(target: string) {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (client) => {
      const up = new WebSocket(target);
      this.upstreams.push(up);
      const early: RawData[] = [];
      up.on('open', () => early.splice(0).forEach((m) => up.send(m.toString())));
      up.on('message', (m) => client.readyState === WebSocket.OPEN && client.send(m.toString()));
      up.on('close', () => client.close());
      up.on('error', () => client.close());
      client.on('message', (m) => {
        const text = m.toString();
        try {
          const msg = JSON.parse(text) as { type?: string; payload?: { kind?: string } };
          if (msg.type === 'signal' && msg.payload?.kind === 'offer') this.offers.push(text);
        } catch {
          /* not JSON: pass it on as is */
        }
        if (up.readyState === WebSocket.OPEN) up.send(text);
        else early.push(m);
      });
      client.on('close', () => up.close());
      client.on('error', () => up.close());
    });
    atCleanup(() => this.close());
  }
  async url(): Promise<string> {
    if (!this.wss.address()) await new Promise((r) => this.wss.once('listening', r));
    const a = this.wss.address() as { port: number };
    return `ws://127.0.0.1:${a.port}`;
  }
  /** Send `raw` to the server on the newest client connection (as that client). */
  replay(raw: string): void {
    const up = this.upstreams.at(-1);
    if (!up || up.readyState !== WebSocket.OPEN) throw new Error('no open upstream connection to replay on');
    up.send(raw);
  }
  close(): void {
    for (const u of this.upstreams) u.terminate();
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}

const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;

describe('replayed offer', () => {
  let signal: SignalProc;
  let echoPort: number;
  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
  });
  after(cleanup);

  it('is refused and does not touch the live session', async () => {
    const ex = await startExpose('alice', [`echo=${echoPort}`], signal.url);
    const proxy = new RecordingProxy(signal.url);
    const url = await proxy.url();
    const dataDir = tmpDir();

    // First session: its offer is recorded on the way.
    const c1 = await startConnect('alice/echo', url, dataDir);
    await c1.proc.waitForEvent({ event: 'route', target: 'alice/echo' });
    assert.equal(proxy.offers.length, 1);
    const oldOffer = proxy.offers[0]!;
    await c1.proc.stop();

    // Second session (same identity), with a transfer in flight.
    const c2 = await startConnect('alice/echo', url, dataDir);
    await c2.proc.waitForEvent({ event: 'route', target: 'alice/echo' });
    const data = randomData(4 * 1024 * 1024);
    const half = data.length / 2;
    const t = new Transfer(c2.port);
    try {
      t.write(data.subarray(0, half));
      await t.until(half);
      const closedBefore = count(ex.proc.err.join('\n'), /session closed/g);
      // Without the guard the exposer replaced the live session: the transfer broke at once.
      const broken = t.until(Number.MAX_SAFE_INTEGER, 25_000);
      broken.catch(() => undefined);
      proxy.replay(oldOffer);
      await Promise.race([ex.proc.waitFor(/refusing offer .*replayed offer/, 'err'), broken]);
      t.write(data.subarray(half), true);
      const back = await t.until(data.length);
      assert.equal(sha256(back), sha256(data));
      assert.equal(count(ex.proc.err.join('\n'), /session closed/g), closedBefore, 'the exposer closed no session');
    } finally {
      t.destroy();
    }
  });
});
