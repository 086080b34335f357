/**
 * Round-trip time to a signal server or proxy: HTTP GETs of /healthz on one
 * kept-alive connection. The first request pays for the TCP (and TLS)
 * handshake and is not counted; the smallest of the rest is one round trip
 * plus the server's few microseconds. Resolves undefined when the server does
 * not answer within the timeout (a proxy that is down has no latency).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { httpBaseOf } from './proxy-list.js';

export const RTT_SAMPLES = 3;
export const RTT_TIMEOUT_MS = 3000;

export async function measureRtt(wsUrl: string, samples = RTT_SAMPLES, timeoutMs = RTT_TIMEOUT_MS): Promise<number | undefined> {
  const base = new URL(httpBaseOf(wsUrl));
  const tls = base.protocol === 'https:';
  const agent = tls ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const get = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = (tls ? httpsRequest : httpRequest)({ host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || (tls ? 443 : 80), path: '/healthz', agent, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
  try {
    await get();
    let best = Infinity;
    for (let i = 0; i < samples; i++) best = Math.min(best, await get());
    return Math.round(best * 10) / 10;
  } catch {
    return undefined;
  } finally {
    agent.destroy();
  }
}
