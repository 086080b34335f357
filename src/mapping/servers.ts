/**
 * reverse_proxy_server.json (seed format): signal/relay servers this peer has
 * used, with the latency measured over the signalling connection.
 */
import { join } from 'node:path';
import { quarantineFile, readJsonFile, writeFileAtomic } from '../util/atomic-file.js';
import { FILES } from '../util/paths.js';
import { createLogger } from '../util/log.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

const log = createLogger('servers');

export interface ServerEntry {
  Server_name: string;
  Address: string;
  Latency: number;
  last_seen?: string;
}
export interface ServersFile {
  reverse_proxy_servers: ServerEntry[];
}

/** The servers on disk; entries that are not objects are skipped; a file that is not JSON or not this shape throws `bad-file`. */
export function readServersFile(path: string): ServersFile {
  const raw = readJsonFile(path);
  if (raw === undefined) return { reverse_proxy_servers: [] };
  const rows = (raw as Partial<ServersFile> | null)?.reverse_proxy_servers;
  if (!Array.isArray(rows)) throw new P2prcError(ErrorCode.BadFile, `${path} has no "reverse_proxy_servers" array`);
  return { reverse_proxy_servers: rows.filter((r): r is ServerEntry => typeof r === 'object' && r !== null && !Array.isArray(r)) };
}

export function recordServer(dataDir: string, entry: ServerEntry): void {
  const path = join(dataDir, FILES.servers);
  let file: ServersFile;
  try {
    file = readServersFile(path);
  } catch (err) {
    const keptAs = quarantineFile(path);
    log.warn('server list is corrupt; kept aside, starting a new one', { path, keptAs, err });
    file = { reverse_proxy_servers: [] };
  }
  const rest = file.reverse_proxy_servers.filter((s) => s.Address !== entry.Address);
  rest.push({ ...entry, last_seen: new Date().toISOString() });
  writeFileAtomic(path, JSON.stringify({ reverse_proxy_servers: rest }, null, 2) + '\n', 0o644);
}
