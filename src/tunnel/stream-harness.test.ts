/**
 * Test harness for TunnelStream (no tests of its own): a mock data channel that
 * records what the stream sends and lets a test play the remote peer, two mock
 * channels linked back to back, and real TCP socket pairs on 127.0.0.1.
 * The mock implements exactly the DataChannel methods stream.ts calls, typed
 * against node-datachannel's interface, so a new call there fails to compile here.
 * Named *.test.ts because it is test code beside the tests that use it (the test
 * glob runs it too; it has no tests of its own).
 */
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import type { DataChannel } from 'node-datachannel';
import { decodeFrame, type Frame } from './frames.js';
import { TunnelStream, type StreamEnd } from './stream.js';
import { createLogger } from '../util/log.js';

/** stream.ts's private water marks, as the README documents them (1 MiB / 256 KiB). */
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** Largest single read from a Node socket (libuv's 64 KiB read buffer): the most a sender may overshoot its credit. */
export const MAX_READ = 64 * 1024;

type ChannelSurface = Pick<
  DataChannel,
  'getLabel' | 'setBufferedAmountLowThreshold' | 'onBufferedAmountLow' | 'onMessage' | 'onClosed' | 'onError' | 'bufferedAmount' | 'sendMessage' | 'sendMessageBinary' | 'isOpen' | 'close'
>;

export class MockChannel implements ChannelSurface {
  /** Everything the stream sent, in order: strings are control frames, Buffers stream bytes. */
  readonly sent: Array<string | Buffer> = [];
  /** What bufferedAmount() reports. */
  buffered = 0;
  lowThreshold = -1;
  closeCalls = 0;
  /** When set, sendMessageBinary throws this message (a channel going away under the sender). */
  failBinary?: string;
  /** The channel at the other end, if linked: what we send is delivered there one turn later. */
  peer?: MockChannel;
  private open = true;
  private onMsg?: (msg: string | Buffer | ArrayBuffer) => void;
  private onClose?: () => void;
  private onErr?: (err: string) => void;
  private onLow?: () => void;

  constructor(private readonly label = 'tcp/test') {}

  getLabel(): string {
    return this.label;
  }
  setBufferedAmountLowThreshold(n: number): void {
    this.lowThreshold = n;
  }
  onBufferedAmountLow(cb: () => void): void {
    this.onLow = cb;
  }
  onMessage(cb: (msg: string | Buffer | ArrayBuffer) => void): void {
    this.onMsg = cb;
  }
  onClosed(cb: () => void): void {
    this.onClose = cb;
  }
  onError(cb: (err: string) => void): void {
    this.onErr = cb;
  }
  bufferedAmount(): number {
    return this.buffered;
  }
  isOpen(): boolean {
    return this.open;
  }
  sendMessage(msg: string): boolean {
    if (!this.open) throw new Error('DataChannel is closed');
    this.sent.push(msg);
    this.forward(msg);
    return true;
  }
  sendMessageBinary(buf: Buffer | Uint8Array): boolean {
    if (this.failBinary) throw new Error(this.failBinary);
    if (!this.open) throw new Error('DataChannel is closed');
    const copy = Buffer.from(buf); // libdatachannel copies too; the caller may reuse its buffer
    this.sent.push(copy);
    this.forward(copy);
    return true;
  }
  /** As libdatachannel: closing fires our own onClosed and the peer's, asynchronously. */
  close(): void {
    this.closeCalls++;
    if (!this.open) return;
    this.open = false;
    setImmediate(() => this.onClose?.());
    const p = this.peer;
    if (p) setImmediate(() => p.closeFromRemote());
  }

  // ---- the test's side ----
  get closed(): boolean {
    return !this.open;
  }
  /** A message from the remote peer. */
  deliver(msg: string | Buffer): void {
    this.onMsg?.(msg);
  }
  deliverFrame(f: Frame): void {
    this.deliver(JSON.stringify(f));
  }
  /** The transport closed the channel under us. */
  closeFromRemote(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose?.();
  }
  fireError(err: string): void {
    this.onErr?.(err);
  }
  fireBufferedAmountLow(): void {
    this.onLow?.();
  }
  /** Control frames sent, decoded. */
  get frames(): Frame[] {
    return this.sent.filter((m): m is string => typeof m === 'string').map((m) => decodeFrame(m)!);
  }
  frameTypes(): string[] {
    return this.frames.map((f) => f.t);
  }
  /** Binary messages sent. */
  get messages(): Buffer[] {
    return this.sent.filter((m): m is Buffer => typeof m !== 'string');
  }
  get bytesSent(): number {
    return this.messages.reduce((n, b) => n + b.length, 0);
  }
  private forward(msg: string | Buffer): void {
    const p = this.peer;
    if (p) setImmediate(() => p.open && p.deliver(msg));
  }
}

/** Two channels back to back, as the two ends of one data channel. */
export function linkedChannels(): [MockChannel, MockChannel] {
  const a = new MockChannel();
  const b = new MockChannel();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

export interface Harness {
  stream: TunnelStream;
  ch: MockChannel;
  ends: StreamEnd[];
  logs: string[];
}

export function newStream(ch = new MockChannel()): Harness {
  const ends: StreamEnd[] = [];
  const logs: string[] = [];
  const log = createLogger('stream-test', (line) => logs.push(line));
  const stream = new TunnelStream(ch as unknown as DataChannel, log, (end) => ends.push(end));
  return { stream, ch, ends, logs };
}

/** The far end of a socket pair, as the application (client or service) sees it. */
export class App {
  readonly chunks: Buffer[] = [];
  ended = false;
  closed = false;
  error?: NodeJS.ErrnoException;
  constructor(readonly sock: Socket) {
    sock.on('data', (c: Buffer) => this.chunks.push(c));
    sock.on('end', () => (this.ended = true));
    sock.on('error', (e: NodeJS.ErrnoException) => (this.error = e));
    sock.on('close', () => (this.closed = true));
  }
  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get bytes(): number {
    return this.chunks.reduce((n, b) => n + b.length, 0);
  }
}

const openSockets = new Set<Socket>();

/**
 * A connected TCP pair on 127.0.0.1, half-open allowed on both ends as the
 * Exposer and Connector make them: `local` is what the stream attaches, `app` the program at the other end.
 */
export async function socketPair(): Promise<{ local: Socket; app: App }> {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = tcpConnect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, allowHalfOpen: true });
  await once(client, 'connect');
  const [local] = await accepted;
  server.close();
  openSockets.add(local);
  openSockets.add(client);
  return { local, app: new App(client) };
}

export function destroySockets(): void {
  for (const s of openSockets) s.destroy();
  openSockets.clear();
}

/** Wait until cond() holds, checking every few ms; fails with `what` after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A few event-loop turns with I/O: long enough for anything already in motion to happen. */
export function settle(ms = 50): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
