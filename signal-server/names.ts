/**
 * Name -> key bindings the server vouches for (#8 item 4). The first key to
 * register a name holds it, online or not, across server restarts: a peer that
 * is reconnecting (or a server that just restarted) no longer lets a squatter
 * take its name, and so no `connect` pins a squatter's key. A binding ends when
 * its holder has been offline for NAME_IDLE_RELEASE_MS, when the table is full
 * and it is the longest idle (identities are free), or when the operator runs
 * `p2prc release-name NAME` (which edits the file; the server re-reads it when it
 * changed, so that works while the server runs).
 *
 * The file is `names.json` in the server's data dir, written atomically
 * (temp file, fsync, rename) at most every NAMES_FLUSH_MS. Without a data dir
 * the bindings live in memory for the process's life.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic, quarantineFile } from '../src/util/atomic-file.js';

export const NAMES_FILE = 'names.json';
/**
 * A binding is released after its holder has been offline this long: long enough
 * for a laptop to come back from a holiday, short enough that an abandoned name
 * frees itself. `p2prc server --name-idle-days` changes it.
 */
export const NAME_IDLE_RELEASE_MS = 30 * 24 * 3600 * 1000;
/**
 * At most this many bindings. Identities are free, so a flood of new names must
 * not grow the table (and the file) without bound: beyond it the longest-idle
 * offline binding is evicted. About 160 bytes per binding on disk.
 */
export const MAX_NAME_BINDINGS = 100_000;
/** Changes are written at most this often: one fsync per burst of registrations, not one per registration. */
export const NAMES_FLUSH_MS = 2000;
/** Online holders' "last seen" is written this often, so a crash does not age a name that was online. */
export const NAMES_TOUCH_MS = 3600 * 1000;

/** An idle period in words for messages: "30 days", "2 hours", "45 s". */
export function describeIdle(ms: number): string {
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} s`;
}

export interface NameBinding {
  peerId: string;
  publicKey: string;
  /** When the name was first bound to this key (ms). */
  boundAt: number;
  /** When the holder was last online (ms); while it is online, the last write. */
  lastSeen: number;
}

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date');
const FileSchema = z.object({
  names: z.record(z.string(), z.object({ peerId: z.string().regex(/^[0-9a-f]{40}$/), publicKey: z.string(), boundAt: Iso, lastSeen: Iso })).default({}),
  /** Names the operator released (name -> when): bindings made before that time are dropped by the server. */
  released: z.record(z.string(), Iso).default({}),
});

interface NamesFile {
  bindings: Map<string, NameBinding>;
  released: Map<string, number>;
}

/** Parses names.json's content (throws on a bad shape). */
export function parseNamesFile(raw: unknown): NamesFile {
  const f = FileSchema.parse(raw ?? {});
  const bindings = new Map<string, NameBinding>();
  for (const [name, b] of Object.entries(f.names)) bindings.set(name, { peerId: b.peerId, publicKey: b.publicKey, boundAt: Date.parse(b.boundAt), lastSeen: Date.parse(b.lastSeen) });
  return { bindings, released: new Map(Object.entries(f.released).map(([n, at]) => [n, Date.parse(at)])) };
}

export function serializeNames(f: NamesFile): string {
  const names: Record<string, unknown> = {};
  for (const [name, b] of f.bindings) names[name] = { peerId: b.peerId, publicKey: b.publicKey, boundAt: new Date(b.boundAt).toISOString(), lastSeen: new Date(b.lastSeen).toISOString() };
  const released = Object.fromEntries([...f.released].map(([n, at]) => [n, new Date(at).toISOString()]));
  return JSON.stringify({ names, ...(f.released.size ? { released } : {}) }, null, 2) + '\n';
}

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/** Reads a names file; a corrupt one is kept aside as `<name>.corrupt-<time>` and logged, and the book starts empty. */
function readNames(path: string, log: Log): NamesFile {
  try {
    return parseNamesFile(readJsonFile(path));
  } catch (err) {
    const kept = quarantineFile(path);
    log('names file unreadable, kept aside and starting empty', { file: path, keptAs: kept, err: (err as Error).message });
    return { bindings: new Map(), released: new Map() };
  }
}

function fileStamp(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return undefined;
  }
}

export interface NameBookOptions {
  /** The server's data dir; omitted: in memory only. */
  dataDir?: string;
  idleMs?: number;
  maxBindings?: number;
  /** Whether `peerId` is online as `name` now (online holders are never evicted). */
  online?: (name: string, peerId: string) => boolean;
  now?: () => number;
  log?: Log;
}

export class NameBook {
  /** In order of lastSeen, oldest first (touching moves a binding to the end), so eviction takes the first offline one. */
  private bindings = new Map<string, NameBinding>();
  private readonly file?: string;
  private stamp?: string;
  private flushTimer?: NodeJS.Timeout;
  private readonly touchTimer?: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly log: Log;

  constructor(private readonly opts: NameBookOptions = {}) {
    this.idleMs = opts.idleMs ?? NAME_IDLE_RELEASE_MS;
    this.max = opts.maxBindings ?? MAX_NAME_BINDINGS;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    if (opts.dataDir) {
      this.file = join(opts.dataDir, NAMES_FILE);
      this.sync();
      this.touchTimer = setInterval(() => this.schedule(), NAMES_TOUCH_MS);
      this.touchTimer.unref();
    }
  }

  get size(): number {
    return this.bindings.size;
  }

  get(name: string): NameBinding | undefined {
    return this.bindings.get(name);
  }

  /** The binding that keeps `peerId` from registering `name`, if any (an idle one is released here). */
  conflict(name: string, peerId: string): NameBinding | undefined {
    this.sync();
    const b = this.bindings.get(name);
    if (!b || b.peerId === peerId) return undefined;
    if (this.now() - b.lastSeen >= this.idleMs && !this.opts.online?.(name, b.peerId)) {
      this.bindings.delete(name);
      this.log('name released: holder offline too long', { name, peerId: b.peerId, lastSeen: new Date(b.lastSeen).toISOString() });
      this.schedule();
      return undefined;
    }
    return b;
  }

  /** `peerId` holds `name` and is (or was until now) online: bind it if free, else refresh its last-seen time. */
  seen(name: string, peerId: string, publicKey: string): void {
    const now = this.now();
    const b = this.bindings.get(name);
    if (b && b.peerId !== peerId) return; // bound to another key: conflict() refused it first
    this.bindings.delete(name);
    this.bindings.set(name, { peerId, publicKey, boundAt: b?.boundAt ?? now, lastSeen: now });
    if (!b) this.evict();
    this.schedule();
  }

  /** The operator released `name` (in process; the CLI edits the file instead). */
  release(name: string): NameBinding | undefined {
    const b = this.bindings.get(name);
    if (!b) return undefined;
    this.bindings.delete(name);
    this.schedule();
    return b;
  }

  /** Writes pending changes now (on close). */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.file) return;
    this.sync(); // an operator's release since our last look is merged first, not overwritten
    const now = this.now();
    if (this.opts.online) for (const [name, b] of this.bindings) if (this.opts.online(name, b.peerId)) b.lastSeen = now;
    try {
      writeFileAtomic(this.file, serializeNames({ bindings: this.bindings, released: new Map() }), 0o600);
      this.stamp = fileStamp(this.file);
    } catch (err) {
      this.log('cannot write names file', { file: this.file, err: (err as Error).message });
    }
  }

  close(): void {
    if (this.touchTimer) clearInterval(this.touchTimer);
    this.flush();
  }

  private schedule(): void {
    if (!this.file || this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), NAMES_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Evicts the longest-idle offline bindings beyond the cap. */
  private evict(): void {
    for (const [name, b] of this.bindings) {
      if (this.bindings.size <= this.max) return;
      if (this.opts.online?.(name, b.peerId)) continue;
      this.bindings.delete(name);
      this.log('name binding evicted: table full, longest idle', { name, peerId: b.peerId, lastSeen: new Date(b.lastSeen).toISOString(), max: this.max });
    }
  }

  /**
   * Re-reads the file when someone else changed it (the operator's release-name).
   * Only a `released` entry removes a binding we hold: a file that merely lacks
   * one (written before our last change) does not.
   */
  private sync(): void {
    if (!this.file) return;
    const stamp = fileStamp(this.file);
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    if (stamp === undefined) return;
    const f = readNames(this.file, this.log);
    const merged = new Map(this.bindings);
    for (const [name, fb] of f.bindings) {
      const mb = merged.get(name);
      if (!mb) merged.set(name, fb);
      else if (mb.peerId === fb.peerId) mb.lastSeen = Math.max(mb.lastSeen, fb.lastSeen);
    }
    let released = 0;
    for (const [name, at] of f.released) {
      const b = merged.get(name);
      if (b && b.boundAt <= at) {
        merged.delete(name);
        released++;
        this.log('name released by the operator', { name, peerId: b.peerId });
      }
    }
    this.bindings = new Map([...merged].sort((a, b) => a[1].lastSeen - b[1].lastSeen));
    this.evict();
    if (released || f.released.size) this.schedule(); // the applied releases leave the file
  }
}

/**
 * `p2prc release-name`: removes `name` from a data dir's names.json and records
 * the release, so a running server drops its in-memory binding too. Returns the
 * binding released, or undefined when the name was not bound.
 */
export function releaseNameInFile(dataDir: string, name: string, now = Date.now()): NameBinding | undefined {
  const path = join(dataDir, NAMES_FILE);
  const f = parseNamesFile(readJsonFile(path));
  const b = f.bindings.get(name);
  f.bindings.delete(name);
  f.released.set(name, now);
  writeFileAtomic(path, serializeNames(f), 0o600);
  return b;
}
