/**
 * The latency floor of the tunnel's TCP legs: a child process (`bench.js
 * --child-tcp-relay PORT`) that pipes every TCP connection to the service, so a
 * ping-pong through it crosses the same four loopback TCP hops between processes
 * that the tunnel adds to a raw data channel (client -> connect, expose -> service,
 * service -> expose, connect -> client), with nothing else in the way. The tunnel
 * cannot be faster than a raw data channel's round trip plus this one.
 */
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HOST, START_TIMEOUT_MS, type Json } from './common.js';
import { spawnProgram, stopProc, type Proc } from './proc.js';

const SELF = fileURLToPath(new URL('./bench.js', import.meta.url));

/** The relay child, listening; `port` is where the bench's client connects. */
export class TcpRelay {
  readonly proc: Proc;
  readonly port: number;

  private constructor(proc: Proc, port: number) {
    this.proc = proc;
    this.port = port;
  }

  static async start(targetPort: number): Promise<TcpRelay> {
    const proc = spawnProgram('tcp-relay', process.execPath, [SELF, '--child-tcp-relay', String(targetPort)]);
    const ready = await proc.waitForEvent({ t: 'ready' }, START_TIMEOUT_MS);
    return new TcpRelay(proc, Number(ready.port));
  }

  close(): Promise<void> {
    return stopProc(this.proc);
  }
}

/**
 * The child: pipe each accepted connection to HOST:targetPort, Nagle off on both
 * sockets as the tunnel's are; exits when its stdin closes (the parent is gone).
 */
export function runTcpRelayChild(targetPort: number): void {
  const server = createServer({ allowHalfOpen: true }, (a) => {
    const b = tcpConnect({ host: HOST, port: targetPort, allowHalfOpen: true });
    a.setNoDelay(true);
    b.setNoDelay(true);
    a.pipe(b);
    b.pipe(a);
    a.on('error', () => b.destroy());
    b.on('error', () => a.destroy());
  });
  server.listen(0, HOST, () => {
    const ready: Json = { t: 'ready', port: (server.address() as AddressInfo).port };
    process.stdout.write(JSON.stringify(ready) + '\n');
  });
  process.stdin.on('close', () => process.exit(0));
  process.stdin.resume();
  process.on('SIGTERM', () => process.exit(0));
}
