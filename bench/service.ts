/**
 * The one TCP service every measured path ends in, in the bench process: a
 * sink that counts bytes, or an echo, chosen by the first byte.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HOST } from './common.js';

/**
 * The TCP service every path ends in. First byte picks the mode:
 *   'S' sink: count the remaining bytes; on EOF reply with the count and close.
 *   'E' echo: send every further byte back; on EOF close.
 */
export async function startService(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (sock) => {
    sockets.add(sock);
    sock.once('close', () => sockets.delete(sock));
    sock.setNoDelay(true);
    let mode: 'S' | 'E' | undefined;
    let count = 0;
    sock.on('data', (d: Buffer) => {
      if (mode === undefined) {
        mode = d[0] === 0x45 /* E */ ? 'E' : 'S';
        d = d.subarray(1);
      }
      if (mode === 'S') count += d.length;
      else if (d.length > 0) sock.write(d);
    });
    sock.on('end', () => {
      if (mode === 'S') sock.end(String(count));
      else sock.end();
    });
    sock.on('error', () => sock.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
