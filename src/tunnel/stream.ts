/**
 * One TCP stream carried over one data channel, byte-exact, both ways.
 *
 * Backpressure: socket -> channel stops reading the socket while the channel's
 * bufferedAmount is above HIGH_WATER or the peer has granted no credit;
 * channel -> socket grants credit only for bytes the socket has flushed, so a
 * slow local socket stops the remote sender (a data channel itself cannot be
 * paused on the receiving side).
 */
import type { Socket } from 'node:net';
import type { DataChannel } from 'node-datachannel';
import { decodeFrame, encodeFrame, type Frame } from './frames.js';
import type { Logger } from '../util/log.js';

/** Bytes a sender may have in flight before the receiver grants more (per stream). */
export const INITIAL_WINDOW = 4 * 1024 * 1024;
/** Receiver grants credit in batches of this many bytes (fewer control messages). */
export const GRANT_BATCH = INITIAL_WINDOW / 8;
/** Largest data message (libdatachannel's default max-message-size is 256 KiB). */
export const MAX_CHUNK = 256 * 1024;
/** The probe written after EOF (see onSocketEnd). */
const EMPTY = Buffer.alloc(0);
/**
 * The size of a full socket read (libuv reads a TCP socket 64 KiB at a time). A
 * shorter read means the socket had no more data: libuv reads no more from it in
 * this turn of the event loop, so what is queued can be sent at once (see onSocketData).
 */
export const READ_SIZE = 64 * 1024;
/** Pause the socket above this much queued in the channel; resume below LOW_WATER. */
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** How long a refusing side waits for the peer to close the channel itself. */
const REFUSE_CLOSE_MS = 5000;

export interface StreamStats {
  bytesOut: number;
  bytesIn: number;
}

/** A byte-rate limit (util/token-bucket.ts): `take(n)` answers the milliseconds to wait. */
export interface RateLimit {
  take(bytes: number): number;
}
/** Rate caps of one stream, per direction, seen from its local socket (a public port's cap). */
export interface StreamLimits {
  /** Bytes read from the local socket and sent to the peer. */
  read?: RateLimit;
  /** Bytes from the peer written to the local socket (held back by delaying its credit). */
  write?: RateLimit;
}

export type StreamEnd = { ok: true } | { ok: false; reason: string; code?: string };

export class TunnelStream {
  readonly dc: DataChannel;
  readonly label: string;
  private socket?: Socket;
  private readonly log: Logger;
  private readonly pending: Buffer[] = [];
  private sendCredit = INITIAL_WINDOW;
  /** Bytes written to the local socket, and bytes of those granted back to the sender as credit. */
  private written = 0;
  private granted = 0;
  private paused = false;
  /** Socket reads waiting to be sent as one message (see onSocketData). */
  private readonly outq: Buffer[] = [];
  private outqBytes = 0;
  private flushScheduled = false;
  private finSent = false;
  private finReceived = false;
  private socketFinished = false;
  private doneSent = false;
  private doneReceived = false;
  private ended = false;
  private endedOk = false;
  private refused = false;
  private readonly onEnd: (end: StreamEnd) => void;
  /** Called once, at the first data byte from the peer (setup timing). */
  private onFirstData?: () => void;
  readonly stats: StreamStats = { bytesOut: 0, bytesIn: 0 };
  /** Rate caps (limit()); reading waits while `throttled`, credit waits until `grantAfter`. */
  private limits?: StreamLimits;
  private throttled = false;
  private grantAfter = 0;
  private limitTimer?: NodeJS.Timeout;
  private grantTimer?: NodeJS.Timeout;
  /** Called once when the channel is closed at the transport (its SCTP stream id is free again). */
  private channelClosed?: () => void;

  constructor(dc: DataChannel, log: Logger, onEnd: (end: StreamEnd) => void, onFirstData?: () => void) {
    this.dc = dc;
    this.label = dc.getLabel();
    this.log = log;
    this.onEnd = onEnd;
    this.onFirstData = onFirstData;
    dc.setBufferedAmountLowThreshold(LOW_WATER);
    dc.onBufferedAmountLow(() => this.maybeResume());
    dc.onMessage((msg) => this.onChannelMessage(msg));
    dc.onClosed(() => {
      if (!this.ended) this.abort('data channel closed by peer or transport', false);
      const cb = this.channelClosed;
      this.channelClosed = undefined;
      cb?.();
    });
    dc.onError((err) => this.abort(`data channel error: ${err}`, false));
  }

  /**
   * Cap this stream's rate: reading the socket pauses while the read limit is in
   * debt; the peer's credit is granted only when the write limit is out of debt,
   * so the remote sender slows down (at most one window, INITIAL_WINDOW, ahead).
   */
  limit(limits: StreamLimits): void {
    this.limits = limits;
  }

  /**
   * `cb` once the channel is closed at the transport: after the stream's end, when
   * the SCTP stream reset is done and libdatachannel can give its id to a new
   * channel (stream-slots.ts). Not called if the channel never closes.
   */
  onChannelClosed(cb: () => void): void {
    this.channelClosed = cb;
  }

  /** Attach the local socket; data that arrived before is written first. */
  attach(socket: Socket): void {
    if (this.ended) {
      // Ended before the socket was ready (e.g. the client reset while the service was
      // still being connected): a reset stays a reset. A plain close would only send a
      // FIN, which a service that is not reading never notices.
      if (this.endedOk) socket.destroy();
      else resetSocket(socket);
      return;
    }
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onSocketData(chunk));
    socket.on('end', () => this.onSocketEnd(socket));
    socket.on('drain', () => this.grant());
    socket.on('finish', () => {
      this.socketFinished = true;
      this.checkDone();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.abort(`local socket error: ${err.code ?? err.message}`, true));
    socket.on('close', () => {
      if (!this.ended && !(this.finSent && this.socketFinished)) this.abort('local socket closed', true);
    });
    for (const buf of this.pending.splice(0)) this.writeToSocket(buf);
    if (this.finReceived) socket.end();
    if (socket.isPaused()) socket.resume();
  }

  /**
   * The local socket's read side ended. A reset that arrives while data is still
   * queued unread (a paused socket: flow control, or a channel still opening) is
   * reported by the kernel as that data and a plain EOF, not ECONNRESET; a
   * zero-length write tells the two apart (ECONNRESET on a reset socket, nothing
   * sent on a half-closed one). A reset then aborts the stream through the socket's
   * 'error' handler, so the service sees a reset, not a half-close that keeps its
   * connection open for ever.
   */
  private onSocketEnd(socket: Socket): void {
    if (!socket.writableEnded && socket.writableLength === 0 && !socket.destroyed) {
      socket.write(EMPTY, (err) => {
        if (!err) this.sendFin();
      });
      return;
    }
    this.sendFin();
  }

  private sendFin(): void {
    if (this.ended || this.finSent) return;
    this.flushOut();
    this.finSent = true;
    this.sendFrame({ t: 'fin' });
    this.checkDone();
  }

  /**
   * Refuse the stream (exposing side): tell the peer why. The peer closes the
   * channel when it reads the frame (closing here at once could drop the frame);
   * REFUSE_CLOSE_MS later we close it ourselves in case the peer does not.
   */
  refuse(code: string, message: string): void {
    if (this.ended || this.refused) return;
    this.refused = true;
    this.sendFrame({ t: 'err', code, message });
    setTimeout(() => this.finish({ ok: false, reason: message, code }), REFUSE_CLOSE_MS).unref();
  }

  /** Abort: reset the remote stream and the local socket. */
  abort(reason: string, notifyPeer: boolean): void {
    if (this.ended) return;
    if (notifyPeer) this.sendFrame({ t: 'rst', reason });
    // Ended first, so an error the reset raises on the socket cannot re-enter abort()
    // with another reason (and send a second rst).
    const socket = this.socket;
    this.finish({ ok: false, reason });
    if (socket) resetSocket(socket);
  }

  private onSocketData(chunk: Buffer): void {
    // Coalesce the reads of one event-loop turn: fewer, larger messages cost less CPU
    // per byte on both ends (one native call and one callback per message). A short
    // read is the last of its turn, so it is sent now with what is queued: waiting for
    // setImmediate would batch nothing more and only add latency (~20 us a hop here,
    // every small request and reply). Only full reads wait for the rest of the turn.
    this.outq.push(chunk);
    this.outqBytes += chunk.length;
    this.sendCredit -= chunk.length;
    if (this.outqBytes >= MAX_CHUNK || chunk.length < READ_SIZE) this.flushOut();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushOut();
      });
    }
    if (this.sendCredit <= 0 || this.dc.bufferedAmount() > HIGH_WATER) {
      this.paused = true;
      this.socket?.pause();
    }
    const wait = this.limits?.read?.take(chunk.length) ?? 0;
    if (wait > 0 && !this.throttled) {
      this.throttled = true;
      this.paused = true;
      this.socket?.pause();
      this.limitTimer = setTimeout(() => {
        this.throttled = false;
        this.maybeResume();
      }, wait);
    }
  }

  private flushOut(): void {
    if (this.ended || this.outqBytes === 0) return;
    const all = this.outq.length === 1 ? this.outq[0]! : Buffer.concat(this.outq, this.outqBytes);
    this.outq.length = 0;
    this.outqBytes = 0;
    for (let off = 0; off < all.length; off += MAX_CHUNK) {
      const part = all.subarray(off, Math.min(off + MAX_CHUNK, all.length));
      try {
        this.dc.sendMessageBinary(part);
      } catch (err) {
        this.abort(`send failed: ${(err as Error).message}`, false);
        return;
      }
      this.stats.bytesOut += part.length;
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.ended || this.throttled) return;
    if (this.sendCredit > 0 && this.dc.bufferedAmount() <= HIGH_WATER) {
      this.paused = false;
      this.socket?.resume();
    }
  }

  private onChannelMessage(msg: string | Buffer | ArrayBuffer): void {
    if (this.ended) return;
    if (typeof msg !== 'string') {
      const buf = Buffer.isBuffer(msg) ? msg : Buffer.from(msg);
      this.stats.bytesIn += buf.length;
      if (this.onFirstData && buf.length > 0) {
        const first = this.onFirstData;
        this.onFirstData = undefined;
        first();
      }
      if (this.finReceived) {
        this.abort('protocol violation: data after fin', true);
        return;
      }
      // The sender may overshoot its credit by at most one socket read; more is a peer
      // ignoring flow control, and would grow our buffers without bound.
      if (this.stats.bytesIn > this.granted + INITIAL_WINDOW + MAX_CHUNK) {
        this.abort('protocol violation: peer exceeded the flow-control window', true);
        return;
      }
      if (this.socket) this.writeToSocket(buf);
      else this.pending.push(buf);
      return;
    }
    const frame = decodeFrame(msg);
    if (!frame) {
      this.log.warn('ignoring malformed control frame', { label: this.label, frame: msg.slice(0, 80) });
      return;
    }
    this.onFrame(frame);
  }

  private onFrame(f: Frame): void {
    switch (f.t) {
      case 'credit':
        this.sendCredit += f.n;
        this.maybeResume();
        return;
      case 'fin':
        this.finReceived = true;
        this.socket?.end();
        this.checkDone();
        return;
      case 'done':
        this.doneReceived = true;
        this.checkDone();
        return;
      case 'rst':
        this.abort(`reset by peer${f.reason ? `: ${f.reason}` : ''}`, false);
        return;
      case 'err':
        this.socket?.destroy();
        this.finish({ ok: false, reason: f.message, code: f.code });
        return;
    }
  }

  private writeToSocket(buf: Buffer): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    socket.write(buf);
    this.written += buf.length;
    const wait = this.limits?.write?.take(buf.length) ?? 0;
    if (wait > 0) this.grantAfter = Math.max(this.grantAfter, performance.now() + wait);
    this.grant();
  }

  /**
   * Grant credit for what the socket has consumed: bytes written minus what
   * still waits in its user-space buffer. Checked after each write and on
   * 'drain' rather than in per-write callbacks (cheaper on the hot path).
   */
  private grant(): void {
    const socket = this.socket;
    if (!socket || this.grantTimer) return;
    const hold = this.grantAfter - performance.now();
    if (hold > 0) {
      this.grantTimer = setTimeout(() => {
        this.grantTimer = undefined;
        if (!this.ended) this.grant();
      }, Math.ceil(hold));
      return;
    }
    const consumed = this.written - socket.writableLength;
    const grantable = consumed - this.granted;
    if (grantable >= GRANT_BATCH) {
      this.granted += grantable;
      this.sendFrame({ t: 'credit', n: grantable });
    }
  }

  private checkDone(): void {
    if (this.ended) return;
    if (!this.doneSent && this.finSent && this.finReceived && this.socketFinished) {
      this.doneSent = true;
      this.sendFrame({ t: 'done' });
    }
    if (this.doneSent && this.doneReceived) this.finish({ ok: true });
  }

  private sendFrame(f: Frame): void {
    try {
      // Also before the channel is open: the connector sends behind its DCEP OPEN.
      this.dc.sendMessage(encodeFrame(f));
    } catch {
      // The channel is going away; its close handler finishes the stream.
    }
  }

  private finish(end: StreamEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.endedOk = end.ok;
    clearTimeout(this.limitTimer);
    clearTimeout(this.grantTimer);
    if (end.ok) this.socket?.destroy();
    try {
      this.dc.close();
    } catch {
      /* already closed */
    }
    this.onEnd(end);
  }
}

/**
 * Whether the peer of a socket has reset it: a zero-length write fails (ECONNRESET,
 * or EPIPE once the error was read) on a reset socket and sends nothing on a live or
 * half-closed one. A failed probe destroys the socket. Needed because libuv reports
 * a reset that arrives together with unread data as that data and a plain EOF.
 */
export function probeReset(socket: Socket): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => socket.write(EMPTY, (err) => resolve(!!err)));
}

/**
 * Reset a socket (RST, so the other end sees ECONNRESET rather than a clean
 * FIN), or destroy it when we already half-closed it: libuv cannot reset a
 * socket that is shutting down (EINVAL), and Node 20 then leaves its handle
 * behind with the process spinning.
 */
function resetSocket(socket: Socket): void {
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}
