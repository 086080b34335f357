/**
 * Starting a signal server's reverse proxy once its listener is up: the proxy
 * (its own peer registers with this server over loopback, pinning the server's
 * certificate over TLS) and the proxy list (signal-server/proxy-peers.ts), with
 * the URL peers reach this server at when it is known.
 */
import { X509Certificate } from 'node:crypto';
import type { MappingLog } from '../../src/mapping/log.js';
import type { Logger } from '../../src/util/log.js';
import { ProxyPeers } from '../proxy-peers.js';
import { ReverseProxy, isWildcard, type ReverseProxyOptions } from './proxy.js';

export interface ProxyStart {
  /** The server's --host and the port it listens on. */
  host: string;
  port: number;
  tls?: { cert: string | Buffer };
  dataDir: string;
  secret?: string;
  /** The server's name, for the proxy list. */
  name: string;
  mapping?: MappingLog;
  log: Logger;
  options: Omit<ReverseProxyOptions, 'dataDir' | 'bindHost' | 'secret' | 'mapping' | 'log'> & { peerProxies?: string[]; exchangeMs?: number };
}

/** An address as the host part of a URL (IPv6 in brackets). */
const urlHost = (h: string): string => (h.includes(':') ? `[${h}]` : h);

export async function startReverseProxy(o: ProxyStart): Promise<{ proxy: ReverseProxy; peers: ProxyPeers }> {
  const scheme = o.tls ? 'wss' : 'ws';
  const proxy = new ReverseProxy({ ...o.options, dataDir: o.dataDir, bindHost: o.host, secret: o.secret, mapping: o.mapping, log: o.log.child('proxy') });
  const local = o.host === '0.0.0.0' ? '127.0.0.1' : o.host === '::' ? '::1' : o.host;
  try {
    await proxy.start(`${scheme}://${urlHost(local)}:${o.port}`, o.tls ? new X509Certificate(o.tls.cert).fingerprint256 : undefined);
  } catch (err) {
    await proxy.close().catch(() => undefined);
    throw err;
  }
  // The URL peers reach us at, when known (else each /proxies answer uses the request's Host).
  const advertised = o.options.publicIp ?? (isWildcard(o.host) ? undefined : o.host);
  const peers = new ProxyPeers({
    name: o.name,
    scheme,
    self: advertised ? { name: o.name, url: `${scheme}://${urlHost(advertised)}:${o.port}` } : undefined,
    peers: o.options.peerProxies ?? [],
    secret: o.secret,
    intervalMs: o.options.exchangeMs,
    log: o.log.child('proxies'),
  });
  peers.start();
  return { proxy, peers };
}
