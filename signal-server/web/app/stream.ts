/**
 * One tunnel stream on an RTCDataChannel: the protocol of src/tunnel/stream.ts
 * (binary messages are bytes; text messages are credit, fin, done, rst, err),
 * so a Node exposer serves the browser exactly as it serves `p2prc connect`.
 *
 * Sending waits for the peer's credit (at most INITIAL_WINDOW bytes ahead) and
 * for the channel's buffer to drain below HIGH_WATER; receiving hands each
 * message to `onData` and grants the credit back in batches, once consumed.
 */
import { decodeFrame, encodeFrame, TUNNEL_PROTOCOL, type Frame } from './protocol.js';

export const INITIAL_WINDOW = 4 * 1024 * 1024;
const GRANT_BATCH = INITIAL_WINDOW / 8;
/** Message size: well under the 256 KiB both sides accept. */
export const CHUNK = 64 * 1024;
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

export class StreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class BrowserStream {
  readonly dc: RTCDataChannel;
  onData: (chunk: Uint8Array) => void = () => undefined;
  bytesOut = 0;
  bytesIn = 0;
  private credit = INITIAL_WINDOW;
  private consumed = 0;
  private granted = 0;
  private finSent = false;
  private finReceived = false;
  private doneSent = false;
  private doneReceived = false;
  private failed?: StreamError;
  private opened: Promise<void>;
  private wake?: () => void;
  private readonly ended: Promise<void>;
  private endResolve!: () => void;
  /** The peer sent fin: no more bytes will come. */
  private readonly finIn: Promise<void>;
  private finInResolve!: () => void;
  private endReject!: (e: StreamError) => void;

  constructor(pc: RTCPeerConnection, service: string) {
    this.dc = pc.createDataChannel(`tcp/${service}`, { protocol: TUNNEL_PROTOCOL, ordered: true });
    this.dc.binaryType = 'arraybuffer';
    this.dc.bufferedAmountLowThreshold = LOW_WATER;
    this.dc.onbufferedamountlow = () => this.poke();
    this.ended = new Promise<void>((resolve, reject) => {
      this.endResolve = resolve;
      this.endReject = reject;
    });
    this.ended.catch(() => undefined);
    this.finIn = new Promise<void>((resolve) => (this.finInResolve = resolve));
    this.opened = new Promise<void>((resolve, reject) => {
      this.dc.onopen = () => resolve();
      this.dc.onerror = (ev) => {
        const e = new StreamError('channel-error', `data channel error: ${(ev as RTCErrorEvent).error?.message ?? 'unknown'}`);
        reject(e);
        this.fail(e);
      };
    });
    this.opened.catch(() => undefined);
    this.dc.onclose = () => {
      if (!(this.doneSent && this.doneReceived)) this.fail(new StreamError('stream-reset', 'data channel closed before the stream ended'));
    };
    // A channel closed (or refused) before it opened fails the writers waiting for it.
    this.opened = Promise.race([this.opened, this.ended.then(() => undefined)]);
    this.opened.catch(() => undefined);
    this.dc.onmessage = (ev) => this.onMessage(ev.data as ArrayBuffer | string);
  }

  /** Resolves when the stream ended cleanly both ways; rejects with the peer's refusal or reset. */
  whenEnded(): Promise<void> {
    return this.ended;
  }

  /** Resolves when the peer has sent all its bytes (its fin); rejects as whenEnded does. */
  whenReadEnded(): Promise<void> {
    return Promise.race([this.finIn, this.ended]);
  }

  /** Send `data` (waits for credit and buffer room). */
  async write(data: Uint8Array): Promise<void> {
    await this.opened;
    for (let at = 0; at < data.length; ) {
      if (this.failed) throw this.failed;
      if (this.finSent) throw new StreamError('bad-argument', 'write after end');
      const room = Math.min(this.credit, CHUNK, data.length - at);
      if (room <= 0 || this.dc.bufferedAmount > HIGH_WATER) {
        await new Promise<void>((r) => (this.wake = r));
        continue;
      }
      const chunk = data.slice(at, at + room);
      this.dc.send(chunk);
      this.credit -= room;
      this.bytesOut += room;
      at += room;
    }
  }

  /** Half-close: we send no more bytes (the peer's service sees EOF). */
  async end(): Promise<void> {
    await this.opened;
    if (this.finSent || this.failed) return;
    this.finSent = true;
    this.sendFrame({ t: 'fin' });
    this.checkDone();
  }

  /** Abort (the peer's service sees a reset). */
  reset(reason: string): void {
    if (this.dc.readyState === 'open') this.sendFrame({ t: 'rst', reason });
    this.fail(new StreamError('stream-reset', reason));
    this.dc.close();
  }

  private onMessage(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      const chunk = new Uint8Array(data);
      this.bytesIn += chunk.length;
      this.onData(chunk);
      this.consumed += chunk.length;
      if (this.consumed - this.granted >= GRANT_BATCH) {
        this.sendFrame({ t: 'credit', n: this.consumed - this.granted });
        this.granted = this.consumed;
      }
      return;
    }
    const f = decodeFrame(data);
    if (!f) return;
    switch (f.t) {
      case 'credit':
        this.credit += f.n;
        this.poke();
        return;
      case 'fin':
        this.finReceived = true;
        this.finInResolve();
        this.checkDone();
        return;
      case 'done':
        this.doneReceived = true;
        this.checkDone();
        return;
      case 'rst':
        this.fail(new StreamError('stream-reset', `the peer reset the stream${f.reason ? `: ${f.reason}` : ''}`));
        this.dc.close();
        return;
      case 'err':
        this.fail(new StreamError(f.code, f.message));
        this.dc.close();
        return;
    }
  }

  private checkDone(): void {
    if (this.finSent && this.finReceived && !this.doneSent && !this.failed) {
      this.doneSent = true;
      this.sendFrame({ t: 'done' });
    }
    if (this.doneSent && this.doneReceived) {
      this.endResolve();
      this.dc.close();
    }
  }

  private fail(e: StreamError): void {
    if (this.failed || (this.doneSent && this.doneReceived)) return;
    this.failed = e;
    this.endReject(e);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private sendFrame(f: Frame): void {
    if (this.dc.readyState === 'open') this.dc.send(encodeFrame(f));
  }
}
