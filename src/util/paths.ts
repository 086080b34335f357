import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

/** Data dir resolution: explicit flag, else $P2PRC_HOME, else ~/.p2prc. */
export function resolveDataDir(explicit?: string): string {
  const dir = explicit ?? process.env.P2PRC_HOME ?? join(homedir(), '.p2prc');
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  return abs;
}

export const FILES = {
  identity: 'identity.json',
  knownPeers: 'known_peers.json',
  mapping: 'reverse_proxy_mapping.json',
  servers: 'reverse_proxy_server.json',
} as const;
