/**
 * A client that writes and then resets before its tunnel channel is open (here:
 * while `connect` still waits for the exposing peer to come online). The reset
 * must reach the service as a reset, or the service must never see the stream;
 * it must not become a half-close that keeps the service's connection open.
 * (Before the fix the connector kept the socket paused until the channel opened;
 * the kernel then reported the queued byte and a plain EOF, not ECONNRESET.)
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { cleanup, startConnect, startExpose, startSignal, waitUntil } from './helpers.js';

/** How long a service connection may stay open after the marker arrived (the test's own bound). */
const SERVICE_CLOSE_BOUND_MS = 10_000;

interface Conn {
  first: string;
  ended: boolean;
  closed: boolean;
}

describe('a client reset before the channel opens', () => {
  const sockets: Socket[] = [];
  after(async () => {
    for (const s of sockets) s.destroy();
    await cleanup();
  });

  it('never leaves the service holding a half-closed connection', async (t) => {
    // A service that reads, never writes, and records how each connection ends.
    const conns: Conn[] = [];
    const service = createServer({ allowHalfOpen: true }, (s) => {
      const c: Conn = { first: '', ended: false, closed: false };
      conns.push(c);
      sockets.push(s);
      s.on('data', (d: Buffer) => (c.first ||= d.toString()));
      s.on('end', () => (c.ended = true));
      s.on('close', () => (c.closed = true));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', () => r()));
    t.after(() => service.close());
    const servicePort = (service.address() as AddressInfo).port;

    const signal = await startSignal();
    const c = await startConnect('late/svc', signal.url);
    // The peer is not online yet: connect waits for it, with the client's socket accepted.
    const client = tcpConnect({ host: '127.0.0.1', port: c.port });
    client.on('error', () => undefined);
    await once(client, 'connect');
    client.write('x');
    client.resetAndDestroy();
    await startExpose('late', [`svc=${servicePort}`], signal.url);
    // A second client, kept open, marks when the first one's stream (if any) has been carried:
    // streams open in order on the one session.
    const marker = tcpConnect({ host: '127.0.0.1', port: c.port });
    sockets.push(marker);
    marker.on('error', () => undefined);
    await once(marker, 'connect');
    marker.write('m');
    await waitUntil(() => conns.some((k) => k.first === 'm'), 'the marker connection reaching the service', 30_000);
    const others = (): Conn[] => conns.filter((k) => k.first !== 'm');
    await waitUntil(() => others().every((k) => k.closed), 'the reset client service connection closing', SERVICE_CLOSE_BOUND_MS).catch(() => undefined);
    t.diagnostic(`service connections besides the marker: ${JSON.stringify(others())}`);
    assert.deepEqual(
      others().filter((k) => !k.closed),
      [],
      'a service connection of the reset client is still open (a reset carried as a half-close)',
    );
  });
});
