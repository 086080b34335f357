/**
 * One load-client process of the signal-scale bench:
 * `node dist/bench/signal-load-child.js '{"kind":"ours","url":...,"first":F,"count":C}'`
 * holds C WebSocket peers (global indices F..F+C-1) on one server, ours or
 * PeerJS (signal-wire.ts, peerjs-wire.ts). Peers 2k and 2k+1 are partners, so
 * a signal's sender and receiver are in this process and its latency is read
 * on one clock. Commands come as JSON lines on stdin, each answered on stdout
 * by `{"event":"done","seq":S,...}`:
 *
 *   register {upTo}                register own peers up to local index upTo,
 *                                  CONCURRENCY at a time: the register times
 *                                  (a histogram, histogram.ts);
 *   bytes                          bytes the server has sent to all own peers;
 *   flood {window, warmMs, measureMs}  closed loop: `window` signals in flight,
 *                                  each delivery sends the next (from the next
 *                                  peer round-robin, to its partner): signals
 *                                  delivered and their latency in the window;
 *   paced {rate, warmMs, measureMs}    `rate` signals/s on a timer, the same.
 *
 * Every peer sends its protocol's keepalive as often as that protocol's real
 * client does (wire.keepaliveMs), spread over the interval. The process exits
 * when stdin closes (the bench is done or gone).
 */
import { createInterface } from 'node:readline';
import { peerjsWire } from './peerjs-wire.js';
import { record, type Histogram } from './histogram.js';
import { addressOf, nameOf, oursWire, type Wire, type WirePeer } from './signal-wire.js';

/** Registrations in flight per process. */
const CONCURRENCY = 16;
/** One registration may take this long (a stalled server fails the bench instead of hanging it). */
const REGISTER_TIMEOUT_MS = 30_000;
/** After a phase, signals still in flight are waited for this long, then counted as lost. */
const DRAIN_MS = 10_000;
/** The paced sender's timer. */
const TICK_MS = 5;

interface Args {
  kind: 'ours' | 'peerjs';
  url: string;
  first: number;
  count: number;
}

interface Phase {
  running: boolean;
  /** Flood: each delivery sends the next signal. */
  closedLoop: boolean;
  measureFrom: number;
  measureTo: number;
  delivered: number;
  hist: Histogram;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const wire: Wire = args.kind === 'peerjs' ? peerjsWire : oursWire;
const peers: WirePeer[] = [];
/** Frames other than relayed signals, by type (pongs are expected; errors and closes are not). */
const others: Record<string, number> = {};
let firstOther: string | undefined;
let inflight = 0;
let rr = 0;
let phase: Phase | undefined;
let closing = false;

const nowUs = (): number => Math.round(performance.now() * 1000);
const reply = (seq: number, o: object): void => void process.stdout.write(JSON.stringify({ event: 'done', seq, ...o }) + '\n');

const handlers = {
  onSignal(sentUs: number): void {
    inflight--;
    const p = phase;
    if (!p) return;
    const now = nowUs();
    if (now >= p.measureFrom && now < p.measureTo) {
      p.delivered++;
      record(p.hist, now - sentUs);
    }
    if (p.running && p.closedLoop) sendNext();
  },
  onOther(type: string, text: string): void {
    if (closing || type === 'pong') return;
    others[type] = (others[type] ?? 0) + 1;
    firstOther ??= text.slice(0, 300);
  },
};

/** The next peer round-robin sends one signal to its partner. */
function sendNext(): void {
  const n = peers.length - (peers.length % 2);
  if (n === 0) return;
  const from = peers[rr % n]!;
  const to = peers[(rr % n) ^ 1]!;
  rr = (rr + 1) % n;
  inflight++;
  from.signal(to.address, nowUs());
}

/** Register own peers up to `upTo`: their register times (µs) as a histogram, so the reply stays one short line. */
async function register(upTo: number): Promise<{ hist: Histogram }> {
  const hist: Histogram = {};
  let next = peers.length;
  const order: (WirePeer | undefined)[] = [];
  const worker = async (): Promise<void> => {
    while (next < Math.min(upTo, args.count)) {
      const i = next++;
      const t0 = performance.now();
      order[i - peers.length] = await wire.connect(args.url, nameOf('crowd', args.first + i), addressOf(args.first + i), handlers, REGISTER_TIMEOUT_MS);
      record(hist, (performance.now() - t0) * 1000);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  for (const p of order) peers.push(p!);
  return { hist };
}

async function drain(): Promise<number> {
  const t0 = performance.now();
  while (inflight > 0 && performance.now() - t0 < DRAIN_MS) await new Promise((r) => setTimeout(r, 20));
  return inflight;
}

/** Run a load phase: warm-up, then the measured window; `start` begins sending. */
async function load(closedLoop: boolean, warmMs: number, measureMs: number, start: (p: Phase) => NodeJS.Timeout | undefined): Promise<object> {
  const t0 = nowUs();
  const p: Phase = { running: true, closedLoop, measureFrom: t0 + warmMs * 1000, measureTo: Infinity, delivered: 0, hist: {} };
  phase = p;
  const timer = start(p);
  await new Promise((r) => setTimeout(r, warmMs + measureMs));
  p.running = false;
  clearInterval(timer);
  p.measureTo = Math.min(p.measureTo, nowUs());
  const lost = await drain();
  phase = undefined;
  return { delivered: p.delivered, seconds: (p.measureTo - p.measureFrom) / 1e6, hist: p.hist, lost, others, firstOther };
}

function flood(window: number, warmMs: number, measureMs: number): Promise<object> {
  return load(true, warmMs, measureMs, () => {
    for (let i = 0; i < window; i++) sendNext();
    return undefined;
  });
}

function paced(rate: number, warmMs: number, measureMs: number): Promise<object> {
  let sent = 0;
  const start = performance.now();
  return load(false, warmMs, measureMs, (p) =>
    setInterval(() => {
      if (!p.running) return;
      const due = Math.floor((rate * (performance.now() - start)) / 1000);
      while (sent < due) {
        sent++;
        sendNext();
      }
    }, TICK_MS),
  );
}

function keepalives(): void {
  let tick = 0;
  const slots = wire.keepaliveMs / 1000;
  setInterval(() => {
    tick++;
    for (let i = tick % slots; i < peers.length; i += slots) peers[i]!.keepalive();
  }, 1000).unref();
}

async function handle(cmd: { seq: number; cmd: string; upTo?: number; window?: number; rate?: number; warmMs?: number; measureMs?: number }): Promise<void> {
  try {
    if (cmd.cmd === 'register') reply(cmd.seq, { ...(await register(cmd.upTo!)), registered: peers.length });
    else if (cmd.cmd === 'bytes') reply(cmd.seq, { bytes: peers.reduce((s, p) => s + p.bytes, 0) });
    else if (cmd.cmd === 'flood') reply(cmd.seq, await flood(cmd.window!, cmd.warmMs!, cmd.measureMs!));
    else if (cmd.cmd === 'paced') reply(cmd.seq, await paced(cmd.rate!, cmd.warmMs!, cmd.measureMs!));
    else reply(cmd.seq, { error: `unknown command ${cmd.cmd}` });
  } catch (err) {
    reply(cmd.seq, { error: (err as Error).message });
  }
}

keepalives();
createInterface({ input: process.stdin })
  .on('line', (line) => void handle(JSON.parse(line) as Parameters<typeof handle>[0]))
  .on('close', () => {
    closing = true;
    for (const p of peers) p.ws.terminate();
    process.exit(0);
  });
