/**
 * A malicious signal server for the security suites: a WebSocket man in the
 * middle that swaps the DTLS fingerprint in the offers and answers it relays
 * (the attacker's own certificate would go there; any other fingerprint shows
 * the point). Plain HTTP requests (the browser page and its scripts) are
 * passed to the real server unchanged, so a browser can load the page from it.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';

export interface TamperingProxy {
  /** ws:// URL for peers; the same host and port serve the page (http://). */
  url: string;
  port: number;
  rewrites(): number;
  close(): void;
}

export async function tamperingProxy(upstream: string, kinds: ('offer' | 'answer')[] = ['offer', 'answer']): Promise<TamperingProxy> {
  let rewrites = 0;
  const up = new URL(upstream);
  const http = createServer((req, res) => {
    const fwd = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  const wss = new WebSocketServer({ server: http });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  wss.on('connection', (client) => {
    const conn = new WebSocket(upstream);
    const queue: string[] = [];
    conn.on('open', () => queue.splice(0).forEach((m) => conn.send(m)));
    client.on('message', (d) => (conn.readyState === WebSocket.OPEN ? conn.send(d.toString()) : queue.push(d.toString())));
    conn.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; payload?: { kind?: 'offer' | 'answer'; sdp?: string } };
      if (m.type === 'signal' && m.payload?.sdp && m.payload.kind && kinds.includes(m.payload.kind)) {
        m.payload.sdp = m.payload.sdp.replace(/a=fingerprint:sha-256 ([0-9A-F:]+)/, (_all, fp: string) => `a=fingerprint:sha-256 ${fp.split(':').reverse().join(':')}`);
        rewrites++;
      }
      client.send(JSON.stringify(m));
    });
    client.on('close', () => conn.close());
    conn.on('close', () => client.close());
    conn.on('error', () => client.close());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    rewrites: () => rewrites,
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.close();
    },
  };
}
