/**
 * The PeerJS server's side of the signal-scale comparison (npm `peer`, the
 * server PeerJS clients use), spoken as its client library does: a WebSocket to
 * `/peerjs?key=peerjs&id=ID&token=TOKEN`, `{"type":"OPEN"}` once the id is
 * taken, then `{type: OFFER|ANSWER|CANDIDATE, dst, payload}` messages, which the
 * server forwards to `dst` as `{type, src, dst, payload}`. Ids are the same
 * names our peers register; the payload is the same offer (signal-wire.ts).
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { payloadParts, sentUsOf, type Wire, type WirePeer } from './signal-wire.js';

/** The server's default key (`key` option), which the client library sends too. */
export const PEERJS_KEY = 'peerjs';

const OFFER = '{"type":"OFFER"';

export const peerjsWire: Wire = {
  kind: 'peerjs',
  // The PeerJS client's pingInterval default: a HEARTBEAT every 5 s (its server drops a client after 90 s without).
  keepaliveMs: 5000,
  connect(url, name, localAddress, h, timeoutMs) {
    // The client library's token: a random string that proves a reconnecting client holds the id.
    const token = randomBytes(8).toString('hex');
    const ws = new WebSocket(`${url}/peerjs?key=${PEERJS_KEY}&id=${encodeURIComponent(name)}&token=${token}`, { localAddress, perMessageDeflate: false });
    const [head, tail] = payloadParts(`bench-${token}`);
    const peer: WirePeer = {
      address: name,
      ws,
      bytes: 0,
      signal: (to, sentUs) => ws.send(`{"type":"OFFER","dst":"${to}","payload":${head}${sentUs}${tail}}`),
      keepalive: () => ws.send('{"type":"HEARTBEAT"}'),
    };
    return new Promise((resolve, reject) => {
      let open = false;
      const t = setTimeout(() => (ws.terminate(), reject(new Error(`${name}: no OPEN within ${timeoutMs} ms`))), timeoutMs);
      ws.on('error', (err) => (open ? h.onOther('socket-error', err.message) : (clearTimeout(t), reject(err))));
      ws.on('close', (code) => (open ? h.onOther('close', String(code)) : (clearTimeout(t), reject(new Error(`${name}: closed (${code}) before OPEN`)))));
      ws.on('message', (data) => {
        const s = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
        peer.bytes += s.length;
        if (open) {
          if (s.startsWith(OFFER)) h.onSignal(sentUsOf(s));
          else h.onOther((JSON.parse(s) as { type: string }).type, s);
          return;
        }
        const m = JSON.parse(s) as { type: string; payload?: { msg?: string } };
        if (m.type === 'OPEN') {
          open = true;
          clearTimeout(t);
          resolve(peer);
        } else {
          clearTimeout(t);
          ws.terminate();
          reject(new Error(`${name}: ${m.type} ${m.payload?.msg ?? ''}`));
        }
      });
    });
  },
};
