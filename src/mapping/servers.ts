/**
 * reverse_proxy_server.json (seed format): signal/relay servers this peer has
 * used, with the latency measured over the signalling connection.
 */
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../util/atomic-file.js';
import { FILES } from '../util/paths.js';

export interface ServerEntry {
  Server_name: string;
  Address: string;
  Latency: number;
  last_seen?: string;
}
export interface ServersFile {
  reverse_proxy_servers: ServerEntry[];
}

export function readServersFile(path: string): ServersFile {
  const raw = readJsonFile(path) as Partial<ServersFile> | undefined;
  if (!raw || !Array.isArray(raw.reverse_proxy_servers)) return { reverse_proxy_servers: [] };
  return { reverse_proxy_servers: raw.reverse_proxy_servers };
}

export function recordServer(dataDir: string, entry: ServerEntry): void {
  const path = join(dataDir, FILES.servers);
  let file: ServersFile;
  try {
    file = readServersFile(path);
  } catch {
    file = { reverse_proxy_servers: [] };
  }
  const rest = file.reverse_proxy_servers.filter((s) => s.Address !== entry.Address);
  rest.push({ ...entry, last_seen: new Date().toISOString() });
  writeFileAtomic(path, JSON.stringify({ reverse_proxy_servers: rest }, null, 2) + '\n', 0o644);
}
