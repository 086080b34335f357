/**
 * The signal server's plain-HTTP side: `GET /healthz` (status for load
 * balancers and monitoring); anything else is a 404 that says where to go.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROTOCOL_VERSION } from '../src/protocol/messages.js';

export interface Health {
  name: string;
  peers: number;
  startedAt: number;
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, health: Health): void {
  if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/healthz/')) {
    const body = JSON.stringify({ status: 'ok', name: health.name, peers: health.peers, uptimeSec: Math.round((Date.now() - health.startedAt) / 1000), protocol: PROTOCOL_VERSION });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the signal server speaks WebSocket; GET /healthz for status\n');
}
