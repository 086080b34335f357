/**
 * The lab's link emulator (this kernel has no sch_netem): a TAP pair bridged by
 * a small C program, linkem (test/lab/linkem/linkem.c), that adds per direction
 * a delay, jitter (no reordering), random loss, a rate limit and a drop-tail
 * queue in front of it. The lab puts one on a link by building that link as two
 * TAP devices instead of a veth pair (topology.ts, LabOptions.emulate), so every
 * packet on the link, and nothing else, goes through the emulator.
 *
 * Directions: `up` is from the inner side (router WAN, host) to the internet
 * bridge, `down` the reverse. A path between two hosts crosses two emulated
 * links: shapePath() spreads an RTT, a loss and a rate over them.
 *
 * linkem is compiled on first use with the system C compiler (Debian's gcc,
 * installed by test/install-deps.sh) into dist/test/lab/linkem; nothing is
 * downloaded. Measured on the 2-core CI kind (test/lab/link-emulator.test.ts
 * prints the figures): about 200,000 frames/s, plain TCP 2.2 Gbit/s through one
 * link with no delay, so anything a p2prc tunnel does here (under 1 Gbit/s) is
 * not an emulator limit.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The source in the checkout (this module runs from dist/test/lab/). */
export const LINKEM_SOURCE = join(HERE, '..', '..', '..', 'test', 'lab', 'linkem', 'linkem.c');
export const LINKEM_BINARY = join(HERE, 'linkem');
/** How long linkem may take to create its devices or answer a command. */
const REPLY_MS = 5000;

/** One direction of an emulated link; unset keys keep their value (all start at 0 = off). */
export interface LinkParams {
  /** One-way delay, ms. */
  delayMs?: number;
  /** Uniform +-jitter on the delay, ms (frames are never reordered). */
  jitterMs?: number;
  /** Random loss, percent of frames. */
  lossPct?: number;
  /** Bottleneck rate, Mbit/s of whole Ethernet frames; 0 = no limit. */
  rateMbit?: number;
  /** Drop-tail queue in front of the bottleneck, packets; 0 = no limit. */
  limitPackets?: number;
  /** The same queue's limit in bytes; 0 = no limit. */
  limitBytes?: number;
}

export interface LinkDirStats {
  /** Frames read from the sending side, frames written to the far side. */
  rx: number;
  tx: number;
  /** Dropped by the loss setting, by a full queue, by a full ring (should stay 0). */
  lost: number;
  qdrop: number;
  overflow: number;
  writeErr: number;
  rxBytes: number;
  txBytes: number;
  queued: number;
  maxQueued: number;
}

export type LinkDirection = 'up' | 'down' | 'both';

/** Compile linkem when the binary is missing or older than its source. */
export function ensureLinkem(): string {
  if (existsSync(LINKEM_BINARY) && statSync(LINKEM_BINARY).mtimeMs >= statSync(LINKEM_SOURCE).mtimeMs) return LINKEM_BINARY;
  mkdirSync(dirname(LINKEM_BINARY), { recursive: true });
  const tmp = `${LINKEM_BINARY}.${process.pid}.tmp`;
  try {
    execFileSync('cc', ['-O2', '-Wall', '-o', tmp, LINKEM_SOURCE], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`lab: cannot compile the link emulator (needs a C compiler: apt-get install gcc): ${e.stderr?.toString().trim() || e.message}`);
  }
  renameSync(tmp, LINKEM_BINARY); // atomic: a parallel run sees the old binary or the new one
  return LINKEM_BINARY;
}

function paramArgs(p: LinkParams): string {
  const kv: [string, number | undefined][] = [
    ['delay', p.delayMs],
    ['jitter', p.jitterMs],
    ['loss', p.lossPct],
    ['rate', p.rateMbit],
    ['limit', p.limitPackets],
    ['limit_bytes', p.limitBytes],
  ];
  return kv
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([k, v]) => {
      if (!Number.isFinite(v) || v < 0) throw new Error(`link emulator: ${k} must be a number >= 0, got ${v}`);
      return `${k}=${v}`;
    })
    .join(' ');
}

/** One running linkem: a link between `outerNs/outerIf` (the internet side) and `innerNs/innerIf`. */
export class LinkEmulator {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiter?: (line: string | undefined) => void;
  private exited = false;
  private stderr = '';
  /** The settings last applied, per direction (for logs and result rows). */
  readonly settings: { up: LinkParams; down: LinkParams } = { up: {}, down: {} };

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(l);
      else this.lines.push(l);
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    child.on('exit', () => {
      this.exited = true;
      const w = this.waiter;
      this.waiter = undefined;
      w?.(undefined);
    });
  }

  /**
   * Start linkem: TAP `outerIf` in `outerNs` and TAP `innerIf` in `innerNs`,
   * bridged. Resolves once both devices exist (they are down and unaddressed).
   */
  static async start(name: string, outerNs: string, outerIf: string, innerNs: string, innerIf: string): Promise<LinkEmulator> {
    const bin = ensureLinkem();
    const child = spawn(bin, [outerNs, outerIf, innerNs, innerIf], { stdio: ['pipe', 'pipe', 'pipe'] });
    const em = new LinkEmulator(name, child);
    const first = await em.next();
    if (first !== 'ready') throw new Error(`link emulator ${name}: did not start (${first ?? 'exited'}): ${em.stderr.trim()}`);
    return em;
  }

  private next(): Promise<string | undefined> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exited) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`link emulator ${this.name}: no reply in ${REPLY_MS} ms`));
      }, REPLY_MS);
      this.waiter = (l) => {
        clearTimeout(t);
        resolve(l);
      };
    });
  }

  private async command(line: string): Promise<string> {
    if (this.exited) throw new Error(`link emulator ${this.name}: exited: ${this.stderr.trim()}`);
    this.child.stdin!.write(`${line}\n`);
    const reply = await this.next();
    if (reply === undefined) throw new Error(`link emulator ${this.name}: exited on \`${line}\`: ${this.stderr.trim()}`);
    if (reply.startsWith('err')) throw new Error(`link emulator ${this.name}: \`${line}\`: ${reply}`);
    return reply;
  }

  /** Apply `p` to one direction or both; keys left out keep their value. */
  async set(dir: LinkDirection, p: LinkParams): Promise<void> {
    const args = paramArgs(p);
    if (!args) return;
    const wire = dir === 'up' ? 'ba' : dir === 'down' ? 'ab' : 'both';
    await this.command(`set ${wire} ${args}`);
    if (dir !== 'down') Object.assign(this.settings.up, p);
    if (dir !== 'up') Object.assign(this.settings.down, p);
  }

  /** Back to a plain wire: no delay, loss or limits, both ways. */
  clear(): Promise<void> {
    return this.set('both', { delayMs: 0, jitterMs: 0, lossPct: 0, rateMbit: 0, limitPackets: 0, limitBytes: 0 });
  }

  async stats(): Promise<{ up: LinkDirStats; down: LinkDirStats }> {
    const j = JSON.parse(await this.command('stats')) as { ab: LinkDirStats; ba: LinkDirStats };
    return { up: j.ba, down: j.ab };
  }

  async resetStats(): Promise<void> {
    await this.command('reset');
  }

  /** Reseed loss and jitter (a fixed seed makes a run repeatable). */
  async seed(n: number): Promise<void> {
    await this.command(`seed ${Math.max(1, Math.floor(n))}`);
  }

  /** Stop it (its TAP devices vanish with it). */
  stop(): void {
    if (this.exited) return;
    this.child.stdin!.end();
    try {
      this.child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** A path's shape as a user states it: RTT, loss and a rate cap between two hosts. */
export interface PathShape {
  /** Round-trip time added between the two hosts, ms. */
  rttMs: number;
  /** Loss on the path, percent per direction. */
  lossPct?: number;
  /** Rate cap of each access link, Mbit/s; 0 or undefined = none. */
  rateMbit?: number;
  /** Queue in front of each rate cap, packets (default: one bandwidth-delay product, at least 100). */
  limitPackets?: number;
}

/**
 * Spread a path shape over the two access links a direct path crosses (each
 * direction of each gets rttMs/4 of delay, so the path's RTT is rttMs; loss is
 * split so that a frame crossing both links is lost with lossPct), and give the
 * relay's link `relayDelayMs` one way with the same rate cap and no loss: a
 * relayed path crosses it twice each way, so it pays rttMs + 4 x relayDelayMs
 * and the relay's own bottleneck.
 */
export async function shapePath(links: { a: LinkEmulator; b: LinkEmulator; relay?: LinkEmulator }, shape: PathShape, relayDelayMs = 0): Promise<void> {
  const rate = shape.rateMbit ?? 0;
  const oneWay = shape.rttMs / 4;
  const lossEach = shape.lossPct ? 100 * (1 - Math.sqrt(1 - shape.lossPct / 100)) : 0;
  const limit = shape.limitPackets ?? (rate ? Math.max(100, Math.ceil((rate * 1e6 * Math.max(shape.rttMs, 1)) / 1000 / 8 / 1514)) : 0);
  for (const l of [links.a, links.b]) await l.set('both', { delayMs: oneWay, jitterMs: 0, lossPct: lossEach, rateMbit: rate, limitPackets: limit, limitBytes: 0 });
  await links.relay?.set('both', { delayMs: relayDelayMs, jitterMs: 0, lossPct: 0, rateMbit: rate, limitPackets: limit, limitBytes: 0 });
}
