/**
 * public_ports.json in the proxy's data dir: which public port each peer's
 * service held last, so that a peer gets its port back after the proxy restarts
 * (and after it was away), as long as nobody else took it meanwhile.
 */
import { join } from 'node:path';
import { quarantineFile, readJsonFile, writeFileAtomic } from '../../src/util/atomic-file.js';

export const PUBLIC_PORTS_FILE = 'public_ports.json';
/** Entries kept at most (the oldest go first): the file stays small on a busy proxy. */
export const MAX_STICKY = 10_000;

interface StickyFile {
  public_ports: { key: string; port: number }[];
}

/** The entries on disk; a corrupt file is set aside and an empty table returned. */
export function loadSticky(dataDir: string, warn: (msg: string, fields: Record<string, unknown>) => void): Map<string, number> {
  const path = join(dataDir, PUBLIC_PORTS_FILE);
  try {
    const raw = readJsonFile(path) as Partial<StickyFile> | undefined;
    const rows = Array.isArray(raw?.public_ports) ? raw.public_ports : [];
    const map = new Map<string, number>();
    for (const r of rows) {
      if (r && typeof r.key === 'string' && Number.isInteger(r.port) && r.port > 0 && r.port < 65536) map.set(r.key, r.port);
    }
    return map;
  } catch (err) {
    warn('public port table is corrupt; kept aside, starting a new one', { path, keptAs: quarantineFile(path), err });
    return new Map();
  }
}

export function saveSticky(dataDir: string, entries: [string, number][]): void {
  const kept = entries.slice(-MAX_STICKY);
  const body: StickyFile = { public_ports: kept.map(([key, port]) => ({ key, port })) };
  writeFileAtomic(join(dataDir, PUBLIC_PORTS_FILE), JSON.stringify(body, null, 1) + '\n', 0o644);
}
