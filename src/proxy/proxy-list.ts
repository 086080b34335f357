/**
 * The list of reverse proxies that proxies exchange and peers read (`GET
 * /proxies` on a signal server run with --reverse-proxy): its schema, merging
 * with a bound, and the HTTP URL of a proxy's signalling URL. Pure.
 *
 * Trust: a proxy lists only proxies it was given (--peer-proxy) or that
 * announced themselves with a proof of the shared secret (announceProof), so a
 * stranger cannot slip its own "proxy" into the lists peers pick from.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Entries a list holds at most (a response stays small; a flood of announcements cannot grow it). */
export const MAX_PROXIES = 64;

export const ProxyEntrySchema = z.object({
  name: z.string().min(1).max(128),
  /** The proxy's signalling URL (ws:// or wss://), what `expose --server` takes. */
  url: z.string().max(256).regex(/^wss?:\/\/[^\s/?#]+\/?$/, 'a ws:// or wss:// URL with no path'),
});
export type ProxyEntry = z.infer<typeof ProxyEntrySchema>;
export const ProxyListSchema = z.object({ proxies: z.array(ProxyEntrySchema).max(MAX_PROXIES) });
export type ProxyList = z.infer<typeof ProxyListSchema>;

/** A signalling URL without a trailing slash, so one proxy is one entry. */
export function normalUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** http(s):// base of a ws(s):// signalling URL. */
export function httpBaseOf(wsUrl: string): string {
  return normalUrl(wsUrl).replace(/^ws(s?):\/\//, 'http$1://');
}

/**
 * `known` with `incoming` added: one entry per URL (the known one kept), at most
 * `max`, new entries only while there is room (what is known stays).
 */
export function mergeProxies(known: ProxyEntry[], incoming: ProxyEntry[], max = MAX_PROXIES): ProxyEntry[] {
  const out = new Map<string, ProxyEntry>();
  for (const e of known) out.set(normalUrl(e.url), { ...e, url: normalUrl(e.url) });
  for (const e of incoming) {
    if (out.size >= max) break;
    const url = normalUrl(e.url);
    if (!out.has(url)) out.set(url, { ...e, url });
  }
  return [...out.values()].slice(0, max);
}

/** Proof that an announcing proxy holds the shared secret: HMAC-SHA256(secret, url), base64url. */
export function announceProof(secret: string, url: string): string {
  return createHmac('sha256', secret).update(`p2prc-proxy-announce\n${normalUrl(url)}`).digest('base64url');
}

export function checkAnnounceProof(secret: string, url: string, proof: string): boolean {
  const want = Buffer.from(announceProof(secret, url));
  const got = Buffer.from(proof);
  return want.length === got.length && timingSafeEqual(want, got);
}
