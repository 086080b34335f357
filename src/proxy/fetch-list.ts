/**
 * GET /proxies of one proxy (proxy-list.ts's schema), with a timeout: what
 * proxies exchange (signal-server/proxy-peers.ts) and peers read (choose.ts).
 * Throws when the proxy does not answer or its answer is not a proxy list.
 */
import { ProxyListSchema, httpBaseOf, type ProxyEntry } from './proxy-list.js';

export async function fetchProxyList(proxyUrl: string, timeoutMs: number, query = ''): Promise<ProxyEntry[]> {
  const r = await fetch(`${httpBaseOf(proxyUrl)}/proxies${query}`, { signal: AbortSignal.timeout(timeoutMs) });
  const parsed = ProxyListSchema.safeParse(await r.json());
  if (!parsed.success) throw new Error('not a proxy list');
  return parsed.data.proxies;
}
