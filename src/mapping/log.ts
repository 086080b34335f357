/**
 * reverse_proxy_mapping.json: every route a process sets up, in the seed's
 * format (`reverse_proxy_mappings` array with `Server_name`, `Address`, `Type`,
 * `blind_port`) plus route fields. Writes are atomic (temp + rename) and merge
 * with rows other processes sharing the data dir wrote, so concurrent `expose`
 * and `connect` in one data dir do not erase each other's rows.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createLogger } from '../util/log.js';
import { quarantineFile, readJsonFile, writeFileAtomic } from '../util/atomic-file.js';
import { FILES } from '../util/paths.js';
import type { CandidateInfo, RouteKind } from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

export interface MappingRow {
  /** Seed field: the server (or remote peer) this route goes to. */
  Server_name: string;
  /** Seed field: remote address of the route (relay address for relayed routes). */
  Address: string;
  /** Seed field: transport, "UDP" for ICE/TURN routes, "TCP" for TCP public ports. */
  Type: 'TCP' | 'UDP';
  /** Seed field: the port on `Address` (relay port, public port, remote candidate port). */
  blind_port: number;
  id: string;
  /** Who created the row: peer role, the server, or the server's reverse proxy (a public port). */
  role: 'expose' | 'connect' | 'server' | 'proxy';
  /** Remote peer id (server rows: the reporting peer). */
  peer: string;
  peer_name?: string;
  service?: string;
  route: RouteKind;
  local_candidate?: CandidateInfo;
  remote_candidate?: CandidateInfo;
  /**
   * How the relay is reached when not over UDP: peer rows, our side's relay
   * reached through the local bridge; relay rows (the server's), the client's
   * allocation came over TCP or TLS. Absent: UDP.
   */
  relay_transport?: 'tcp' | 'tls';
  /** connect rows: the local TCP listener. */
  listen?: string;
  setup_ms?: number;
  /** Public-port rows (the seed's ip table entry): the proxy's public address and the public port. */
  ipv4?: string;
  serverport?: number;
  /** Public-port rows: client connections (TCP) or client sessions (UDP) carried, refused, open now. */
  connections?: number;
  refused?: number;
  active?: number;
  started_at: string;
  updated_at: string;
  ended_at?: string;
  bytes_sent: number;
  bytes_received: number;
  streams: number;
}

const log = createLogger('mapping');

export interface MappingFile {
  reverse_proxy_mappings: MappingRow[];
}

/** Oldest rows are dropped beyond this, so a long-running server's log stays bounded. */
export const MAX_ROWS = 5000;
/** Batch updates (byte counters change constantly) into at most one write per interval. */
const FLUSH_DELAY_MS = 500;

/**
 * The rows on disk. Entries that are not objects (a hand-edited `null`, a
 * number) are skipped, so readers such as `view-rpm` never meet them; a file
 * that is not JSON, or not the seed's shape, throws `bad-file` naming it.
 */
export function readMappingFile(path: string): MappingFile {
  const raw = readJsonFile(path);
  if (raw === undefined) return { reverse_proxy_mappings: [] };
  const rows = (raw as Partial<MappingFile> | null)?.reverse_proxy_mappings;
  if (!Array.isArray(rows)) throw new P2prcError(ErrorCode.BadFile, `${path} has no "reverse_proxy_mappings" array`);
  return { reverse_proxy_mappings: rows.filter((r): r is MappingRow => typeof r === 'object' && r !== null && !Array.isArray(r)) };
}

export type NewRow = Omit<MappingRow, 'id' | 'started_at' | 'updated_at' | 'bytes_sent' | 'bytes_received' | 'streams'> &
  Partial<Pick<MappingRow, 'bytes_sent' | 'bytes_received' | 'streams'>>;

export class MappingLog {
  readonly path: string;
  private readonly own = new Map<string, MappingRow>();
  private readonly removed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, FILES.mapping);
  }

  add(row: NewRow): MappingRow {
    const now = new Date().toISOString();
    const full: MappingRow = {
      bytes_sent: 0,
      bytes_received: 0,
      streams: 0,
      ...row,
      id: `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
      started_at: now,
      updated_at: now,
    };
    this.own.set(full.id, full);
    // Memory is bounded like the file: the oldest rows leave memory (they stay on disk until the file trims them).
    for (const id of this.own.keys()) {
      if (this.own.size <= MAX_ROWS) break;
      this.own.delete(id);
    }
    this.flushSoon();
    return full;
  }

  update(id: string, patch: Partial<MappingRow>): void {
    const row = this.own.get(id);
    if (!row) return;
    Object.assign(row, patch, { updated_at: new Date().toISOString() });
    this.flushSoon();
  }

  addBytes(id: string, sent: number, received: number): void {
    const row = this.own.get(id);
    if (!row) return;
    this.update(id, { bytes_sent: row.bytes_sent + sent, bytes_received: row.bytes_received + received });
  }

  end(id: string): void {
    if (this.own.get(id)?.ended_at) return;
    this.update(id, { ended_at: new Date().toISOString() });
  }

  get(id: string): MappingRow | undefined {
    return this.own.get(id);
  }

  rows(): MappingRow[] {
    return [...this.own.values()];
  }

  private flushSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (err) {
        // A full disk or removed dir must not take the tunnel down; the next write retries.
        log.error('could not write the mapping log', { path: this.path, err });
      }
    }, FLUSH_DELAY_MS);
    this.timer.unref();
  }

  /** Write now (synchronously): merge our rows into what is on disk. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    let onDisk: MappingFile;
    try {
      onDisk = readMappingFile(this.path);
    } catch (err) {
      // A corrupt file (written by something else) must not crash the route: keep it aside, say so, start afresh.
      const keptAs = quarantineFile(this.path);
      log.warn('mapping log is corrupt; kept aside, starting a new one', { path: this.path, keptAs, err });
      onDisk = { reverse_proxy_mappings: [] };
    }
    const merged = onDisk.reverse_proxy_mappings.filter((r) => !this.own.has(r.id) && !this.removed.has(r.id));
    merged.push(...this.own.values());
    const rows = merged.slice(-MAX_ROWS);
    writeFileAtomic(this.path, JSON.stringify({ reverse_proxy_mappings: rows }, null, 2) + '\n', 0o644);
  }
}
