/**
 * What a reverse proxy knows of other proxies, and the exchange that spreads it:
 * `GET /proxies` answers this proxy and the ones it knows (src/proxy/proxy-list.ts);
 * every `intervalMs` it asks each known proxy for its list and merges it,
 * announcing itself (`?from=URL&proof=HMAC`) so that a proxy named by
 * --peer-proxy on one side learns of the other too. Announcements without a
 * valid proof of the shared secret are ignored and logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProxyListSchema, announceProof, checkAnnounceProof, mergeProxies, normalUrl, type ProxyEntry } from '../src/proxy/proxy-list.js';
import { fetchProxyList } from '../src/proxy/fetch-list.js';
import type { Logger } from '../src/util/log.js';

export const PROXY_EXCHANGE_MS = 60_000;
/** One exchange request at most this long. */
const FETCH_TIMEOUT_MS = 5000;

export interface ProxyPeersOptions {
  /** This proxy, when it knows the URL peers reach it at (--public-ip, or a specific --host). */
  self?: ProxyEntry;
  /** Name used when `self` is derived from a request's Host header. */
  name: string;
  scheme: 'ws' | 'wss';
  /** --peer-proxy URLs. */
  peers: string[];
  secret?: string;
  intervalMs?: number;
  log: Logger;
}

export class ProxyPeers {
  private known: ProxyEntry[];
  private timer?: NodeJS.Timeout;
  private readonly opts: ProxyPeersOptions;

  constructor(opts: ProxyPeersOptions) {
    this.opts = opts;
    this.known = mergeProxies([], opts.peers.map((url) => ({ name: url.replace(/^wss?:\/\//, ''), url })));
  }

  /** This proxy (first) and every one it knows. */
  list(host?: string): ProxyEntry[] {
    const self = this.opts.self ?? (host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? { name: this.opts.name, url: `${this.opts.scheme}://${host}` } : undefined);
    return self ? mergeProxies([self], this.known.filter((e) => e.url !== normalUrl(self.url))) : this.known;
  }

  /** Serve `GET /proxies`; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' || url.pathname !== '/proxies') return false;
    const from = url.searchParams.get('from');
    const proof = url.searchParams.get('proof');
    if (from) this.announced(from, proof ?? '', url.searchParams.get('name') ?? from);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ proxies: this.list(req.headers.host) }));
    return true;
  }

  start(): void {
    void this.exchange();
    this.timer = setInterval(() => void this.exchange(), this.opts.intervalMs ?? PROXY_EXCHANGE_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Ask every known proxy for its list (one round, requests in parallel). */
  async exchange(): Promise<void> {
    const self = this.opts.self;
    const query = self && this.opts.secret ? `?from=${encodeURIComponent(self.url)}&proof=${announceProof(this.opts.secret, self.url)}&name=${encodeURIComponent(self.name)}` : '';
    await Promise.all(
      this.known
        .filter((e) => !self || e.url !== normalUrl(self.url))
        .map(async (e) => {
          try {
            const proxies = await fetchProxyList(e.url, FETCH_TIMEOUT_MS, query);
            const before = this.known.length;
            this.known = mergeProxies(this.known, proxies.filter((p) => !self || normalUrl(p.url) !== normalUrl(self.url)));
            if (this.known.length > before) this.opts.log.info('learned of proxies', { from: e.url, known: this.known.length });
          } catch (err) {
            this.opts.log.debug('proxy list exchange failed', { proxy: e.url, err: (err as Error).message });
          }
        }),
    );
  }

  private announced(url: string, proof: string, name: string): void {
    const entry = entryOf(url, name);
    if (!entry) return void this.opts.log.warn('proxy announcement refused: not a signalling URL', { url: url.slice(0, 80) });
    if (!this.opts.secret || !checkAnnounceProof(this.opts.secret, entry.url, proof)) {
      this.opts.log.warn('proxy announcement refused: no proof of the shared secret', { url: entry.url });
      return;
    }
    const before = this.known.length;
    this.known = mergeProxies(this.known, [entry]);
    if (this.known.length > before) this.opts.log.info('proxy announced itself', { url: entry.url, known: this.known.length });
  }
}

function entryOf(url: string, name: string): ProxyEntry | undefined {
  const p = ProxyListSchema.safeParse({ proxies: [{ name: name.slice(0, 128) || url, url }] });
  return p.success ? p.data.proxies[0] : undefined;
}
