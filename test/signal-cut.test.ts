/**
 * A peer that loses only its signalling connection keeps its live tunnels
 * (#8 item 5). During a transfer, one peer's TCP connection to the signal
 * server is cut with `ss -K` (the server stays up); the server tells the other
 * side the peer left. The session's P2P path still works, so it must be kept:
 * the transfer completes, sha256-verified. Then the same for the other peer.
 * Needs root (ss -K).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect as tcpConnect, type Socket } from 'node:net';
import { cleanup, echoService, randomData, sha256, startConnect, startExpose, startSignal, waitUntil, type Proc, type SignalProc } from './helpers.js';

/** Abort `proc`'s TCP connection to the signal server on `serverPort` (root: ss -K). */
function cutSignalling(proc: Proc, serverPort: number): void {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${serverPort} )`], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes(`pid=${proc.pid},`));
  const sport = line && /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:\d+/.exec(line)?.[1];
  if (!sport) throw new Error(`no signalling connection of pid ${proc.pid} to :${serverPort} in:\n${out}`);
  execFileSync('ss', ['-4', '-K', 'state', 'established', `( sport = :${sport} and dport = :${serverPort} )`]);
}

/** One TCP connection through the tunnel, written in two halves, its echo collected. */
class Transfer {
  private readonly sock: Socket;
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private error?: Error;
  private ended = false;
  private readonly waiters = new Set<() => void>();
  constructor(port: number) {
    this.sock = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen: true });
    this.sock.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.received += d.length;
      this.wake();
    });
    this.sock.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.sock.on('error', (err) => {
      this.error = err;
      this.wake();
    });
    this.sock.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }
  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
  write(b: Buffer, end = false): void {
    if (end) this.sock.end(b);
    else this.sock.write(b);
  }
  /** Resolves once `n` bytes came back; rejects on error, early end or after `ms`. */
  until(n: number, ms = 30_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.received >= n) return finish();
        if (this.error || this.ended) return finish(new Error(`transfer ended after ${this.received} of ${n} bytes: ${this.error?.message ?? 'closed'}`));
      };
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(Buffer.concat(this.chunks));
      };
      const timer = setTimeout(() => finish(new Error(`transfer: ${this.received} of ${n} bytes after ${ms} ms`)), ms);
      this.waiters.add(check);
      check();
    });
  }
  destroy(): void {
    this.sock.destroy();
  }
}

describe('signalling cut during a transfer', () => {
  let signal: SignalProc;
  let echoPort: number;
  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
  });
  after(cleanup);

  it('keeps the tunnel when either peer loses only its signal-server connection', async () => {
    const ex = await startExpose('alice', [`echo=${echoPort}`], signal.url);
    const c = await startConnect('alice/echo', signal.url);
    const data = randomData(8 * 1024 * 1024);
    const half = data.length / 2;
    const t = new Transfer(c.port);
    try {
      t.write(data.subarray(0, half));
      await t.until(half);

      // The exposer loses its signalling: the connector is told alice left.
      cutSignalling(ex.proc, signal.port);
      await c.proc.waitFor(/alice left the signal server|peer left the signal server/, 'err');
      const [seen] = await c.proc.waitFor(/P2P path alive; session kept|session closed/, 'err');
      assert.match(seen, /session kept/, `the connector closed its live session:\n${c.proc.dump()}`);

      // Alice is back on the server (so she hears of the connector leaving).
      await waitUntil(() => signal.proc.dump().split('peer registered peer=alice ').length === 3, 'alice registered again');
      // The connector loses its signalling: the exposer is told.
      cutSignalling(c.proc, signal.port);
      const [seen2] = await ex.proc.waitFor(/P2P path alive; session kept|session closed/, 'err');
      assert.match(seen2, /session kept/, `the exposer closed its live session:\n${ex.proc.dump()}`);

      t.write(data.subarray(half), true);
      const back = await t.until(data.length);
      assert.equal(sha256(back), sha256(data));
    } finally {
      t.destroy();
    }
  });
});
