/**
 * The raw data channel path: this process offers a node-datachannel
 * PeerConnection to a child (`bench.js --child-dc`, see raw-dc-child.ts), then
 * sends paced bulk messages and ping-pongs over it. The ceiling the tunnel is
 * measured against.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ndc from 'node-datachannel';
import type { DataChannel, PeerConnection } from 'node-datachannel';
import { MAX_CHUNK } from '../src/tunnel/stream.js';
import { applySctpTuning, type SctpTuning } from '../src/peer/sctp-settings.js';
import { sctpArgs } from '../src/cli/options.js';
import { ECHO_TIMEOUT_MS, HOST, START_TIMEOUT_MS, progress, withTimeout, type Json } from './common.js';
import { spawnProgram, stopProc, type Proc } from './proc.js';

/**
 * Message size for the raw data channel: the tunnel's own largest data message
 * (MAX_CHUNK, 256 KiB), imported so that the two paths stay like for like. It
 * was a copied 64 KiB until issue #7 and had drifted from the tunnel's.
 */
export const DC_CHUNK = MAX_CHUNK;

/** The bench's entry point: it runs the child side when given --child-dc. */
const SELF = fileURLToPath(new URL('./bench.js', import.meta.url));

export class RawChannel {
  readonly proc: Proc;
  readonly pc: PeerConnection;
  readonly bulk: DataChannel;
  readonly echo: DataChannel;
  setupMs = 0;
  private onLow?: () => void;
  private onAck?: (n: number) => void;
  private onEcho?: (n: number) => void;
  private readonly high: number;

  private constructor(proc: Proc, pc: PeerConnection, bulk: DataChannel, echo: DataChannel, high: number, low: number) {
    this.proc = proc;
    this.pc = pc;
    this.bulk = bulk;
    this.echo = echo;
    this.high = high;
    bulk.setBufferedAmountLowThreshold(low);
    bulk.onBufferedAmountLow(() => this.onLow?.());
    bulk.onMessage((msg) => {
      if (typeof msg === 'string') this.onAck?.(Number((JSON.parse(msg) as Json).ack));
    });
    echo.onMessage((msg) => this.onEcho?.(typeof msg === 'string' ? msg.length : msg.byteLength));
  }

  /** `sctp`: the SCTP settings of both ends (this process's, and the child's through the same flags as the CLI's). */
  static async start(high: number, low: number, sctp?: SctpTuning): Promise<RawChannel> {
    applySctpTuning(sctp);
    const proc = spawnProgram('child-dc', process.execPath, [SELF, '--child-dc', ...sctpArgs(sctp)]);
    await proc.waitForEvent({ t: 'ready' }, START_TIMEOUT_MS);
    const t0 = performance.now();
    const pc = new ndc.PeerConnection('bench-parent', { iceServers: [], bindAddress: HOST });
    let remoteSet = false;
    const early: Json[] = [];
    proc.onEvent((m) => {
      try {
        if (m.t === 'desc') {
          pc.setRemoteDescription(String(m.sdp), m.type as 'answer');
          remoteSet = true;
          proc.send({ t: 'ack' });
          for (const c of early.splice(0)) pc.addRemoteCandidate(String(c.cand), String(c.mid));
        } else if (m.t === 'cand') {
          if (remoteSet) pc.addRemoteCandidate(String(m.cand), String(m.mid));
          else early.push(m);
        }
      } catch (err) {
        progress(`raw channel signalling: ${(err as Error).message}`);
      }
    });
    pc.onLocalDescription((sdp, type) => proc.send({ t: 'desc', sdp, type }));
    pc.onLocalCandidate((cand, mid) => proc.send({ t: 'cand', cand, mid }));
    const bulk = pc.createDataChannel('bulk');
    const echo = pc.createDataChannel('echo');
    const opened = (dc: DataChannel): Promise<void> =>
      new Promise((resolve, reject) => {
        if (dc.isOpen()) return resolve();
        dc.onOpen(() => resolve());
        dc.onError((e) => reject(new Error(`raw channel ${dc.getLabel()}: ${e}`)));
      });
    const rc = new RawChannel(proc, pc, bulk, echo, high, low);
    await withTimeout(Promise.all([opened(bulk), opened(echo)]), START_TIMEOUT_MS, 'raw data channel open');
    rc.setupMs = performance.now() - t0;
    return rc;
  }

  /** Send `bytes` in DC_CHUNK messages; seconds until the child acknowledges all of them. */
  bulkSend(bytes: number, payload: Buffer, timeoutMs: number): Promise<number> {
    const p = new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      let sent = 0;
      this.onAck = (n) => {
        this.onAck = undefined;
        this.onLow = undefined;
        if (n !== bytes) reject(new Error(`raw channel: child acknowledged ${n} bytes, expected ${bytes}`));
        else resolve((performance.now() - t0) / 1000);
      };
      const pump = (): void => {
        try {
          // false from sendMessageBinary only means "queued": bufferedAmount is the pacing signal.
          while (sent < bytes && this.bulk.bufferedAmount() <= this.high) {
            const n = Math.min(DC_CHUNK, bytes - sent);
            this.bulk.sendMessageBinary(n === DC_CHUNK ? payload : payload.subarray(0, n));
            sent += n;
          }
        } catch (err) {
          this.onLow = undefined;
          reject(err as Error);
          return;
        }
        this.onLow = sent < bytes ? pump : undefined;
      };
      this.bulk.sendMessage(JSON.stringify({ expect: bytes }));
      pump();
    });
    return withTimeout(p, timeoutMs, 'raw channel bulk transfer').finally(() => {
      this.onAck = undefined;
      this.onLow = undefined;
    });
  }

  async pingPong(warmup: number, count: number, size: number): Promise<number[]> {
    const msg = randomBytes(size);
    const rtts: number[] = [];
    try {
      for (let i = 0; i < warmup + count; i++) {
        const wait = new Promise<void>((resolve) => (this.onEcho = () => resolve()));
        const t = performance.now();
        this.echo.sendMessageBinary(msg);
        await withTimeout(wait, ECHO_TIMEOUT_MS, `raw channel echo ${i}`);
        if (i >= warmup) rtts.push((performance.now() - t) * 1000);
      }
    } finally {
      this.onEcho = undefined;
    }
    return rtts;
  }

  async close(): Promise<void> {
    for (const dc of [this.bulk, this.echo]) {
      try {
        dc.close();
      } catch {
        /* closed */
      }
    }
    try {
      this.pc.close();
    } catch {
      /* closed */
    }
    await stopProc(this.proc);
  }
}
