/**
 * Setup runs on loopback (bench/setup-runs.ts without --lab): `p2prc server`
 * (its relay on, or --no-relay), one `expose` in front of an echo service in
 * this process, and a fresh `connect` per run, all on 127.0.0.1.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Json } from '../test/harness/process.js';
import { HOST } from './common.js';
import { firstByte } from './first-byte-client.js';
import { mkTemp, spawnCli, stopProc, type Proc } from './proc.js';
import type { LabRun } from './setup-lab.js';

async function echoService(): Promise<{ port: number; close: () => Promise<void> }> {
  const socks = new Set<Socket>();
  const server: Server = createServer((s) => {
    socks.add(s);
    s.once('close', () => socks.delete(s));
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

export class SetupLoopback {
  private readonly relay: boolean;
  private readonly log: (l: string) => void;
  private readonly root = mkTemp('p2prc-setup-');
  private readonly procs: Proc[] = [];
  private svc?: { port: number; close: () => Promise<void> };
  private url = '';
  private expose?: Proc;

  constructor(relay: boolean, log: (l: string) => void) {
    this.relay = relay;
    this.log = log;
  }

  private cli(name: string, args: string[]): Proc {
    const p = spawnCli(name, ['--json', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn', ...args]);
    this.procs.push(p);
    return p;
  }

  async start(): Promise<void> {
    this.svc = await echoService();
    const relayArgs = this.relay ? ['--stun-port', '0', '--allow-private-peers'] : ['--no-relay'];
    const server = this.cli('server', ['server', '--host', HOST, '--port', '0', ...relayArgs, '--data-dir', `${this.root}/server`]);
    this.url = `ws://${HOST}:${Number((await server.waitForEvent('listening')).port)}`;
    this.expose = this.cli('expose', ['expose', `echo=${HOST}:${this.svc.port}`, '--name', 'setup-alice', '--server', this.url, '--data-dir', `${this.root}/alice`, '--bind', HOST, '--max-new-sessions', '100000']);
    await this.expose.waitForEvent('registered');
    this.log(`loopback: server ${this.url} (relay ${this.relay ? 'on' : 'off'}), exposer up`);
  }

  async run(i: number): Promise<LabRun> {
    const name = `setup-bob${i}`;
    const co = this.cli(`connect${i}`, ['connect', 'setup-alice/echo', '--listen', `${HOST}:0`, '--name', name, '--server', this.url, '--data-dir', `${this.root}/bob${i}`, '--bind', HOST]);
    try {
      co.failOn(/no connection yet/);
      const l = await co.waitForEventTimed('listening');
      const listening = Date.now() - (performance.now() - l.at);
      const client = await firstByte(Number(l.obj.port), HOST, 20_000);
      await co.waitForEvent('setup', 10_000);
      const exposeRoute = await this.expose!.waitForEvent({ event: 'route', peer: name }, 5000).catch(() => undefined);
      return { connectEvents: co.events.map((e) => e.obj as Json), exposeRoute, client, listening };
    } finally {
      await stopProc(co);
      this.procs.splice(this.procs.indexOf(co), 1);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.filter((p) => p.name !== 'server').map(stopProc));
    await Promise.all(this.procs.map(stopProc));
    await this.svc?.close();
  }
}
