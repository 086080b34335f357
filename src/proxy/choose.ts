/**
 * `--server auto`: which reverse proxy a peer uses. The candidates are the
 * proxies in reverse_proxy_server.json (the seed's list, `p2prc --view-rps`)
 * and the ones given with --proxy; each is asked for the proxies it knows (GET
 * /proxies), every one found has its RTT measured (latency.ts) and recorded in
 * the file, and they are ranked nearest first. Proxies that do not answer are
 * kept in the file with no new latency and ranked last.
 */
import { join } from 'node:path';
import { readServersFile, recordServer } from '../mapping/servers.js';
import { FILES } from '../util/paths.js';
import { mergeProxies, normalUrl, type ProxyEntry } from './proxy-list.js';
import { fetchProxyList } from './fetch-list.js';
import { measureRtt } from './latency.js';

export interface RankedProxy extends ProxyEntry {
  /** Measured now, in ms; undefined: no answer. */
  rtt?: number;
}

const FETCH_TIMEOUT_MS = 3000;

/** The proxies a peer knows of: its file's and the given ones, as signalling URLs. */
export function knownProxies(dataDir: string, given: string[]): ProxyEntry[] {
  let fromFile: ProxyEntry[] = [];
  try {
    fromFile = readServersFile(join(dataDir, FILES.servers))
      .reverse_proxy_servers.filter((s) => typeof s.Address === 'string' && /^wss?:\/\//.test(s.Address))
      .map((s) => ({ name: String(s.Server_name ?? s.Address), url: normalUrl(s.Address) }));
  } catch {
    // A corrupt file is set aside the next time it is written (servers.ts).
  }
  return mergeProxies(
    given.map((url) => ({ name: url.replace(/^wss?:\/\//, ''), url })),
    fromFile,
  );
}

/** Ask each proxy for the proxies it knows (one round); what does not answer is left out of the additions. */
export async function discover(seeds: ProxyEntry[]): Promise<ProxyEntry[]> {
  const lists = await Promise.all(
    seeds.map(async (s) => {
      try {
        return await fetchProxyList(s.url, FETCH_TIMEOUT_MS);
      } catch {
        return [];
      }
    }),
  );
  return mergeProxies(seeds, lists.flat());
}

/** Measure every proxy (in parallel), record the latencies, and rank them nearest first. */
export async function rankProxies(dataDir: string, proxies: ProxyEntry[]): Promise<RankedProxy[]> {
  const measured = await Promise.all(proxies.map(async (p) => ({ ...p, rtt: await measureRtt(p.url) })));
  for (const p of measured) {
    if (p.rtt === undefined) continue;
    try {
      recordServer(dataDir, { Server_name: p.name, Address: p.url, Latency: p.rtt });
    } catch {
      // The list is a record for --view-rps; a write that fails does not stop the choice.
    }
  }
  return measured.sort((a, b) => (a.rtt ?? Infinity) - (b.rtt ?? Infinity));
}
