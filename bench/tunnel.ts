/**
 * The tunnel path: the signal server, exposer and connector as separate `p2prc`
 * CLI processes; the bench's TCP client talks to the connector's port, the
 * exposer forwards to the bench's service. Also records the CLI's setup times.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, HOST, ROOT, START_TIMEOUT_MS, progress } from './common.js';
import { spawnCli, stopProc, type Proc } from './proc.js';
import { tcpPingPong } from './raw-tcp.js';
import type { TunnelSetup } from './setup.js';

export type Endpoint = { type?: string; address?: string; port?: number };
export interface RouteLine {
  kind?: string;
  local?: Endpoint;
  remote?: Endpoint;
  setupMs?: number;
}

export function routeText(r: RouteLine): string {
  const ep = (c?: Endpoint): string => `${c?.type ?? '?'} ${c?.address ?? '?'}:${c?.port ?? '?'}`;
  return `${r.kind ?? '?'} ${ep(r.local)} <-> ${ep(r.remote)}`;
}

/** Everything the bench starts stays on loopback: a route that leaves it fails the run. */
function checkLoopback(r: RouteLine, label: string): void {
  for (const addr of [r.local?.address, r.remote?.address]) {
    if (!addr?.startsWith('127.')) throw new Error(`${label}tunnel route left loopback: ${routeText(r)}`);
  }
}

/** Signal server, exposer and connector as CLI processes; the bench's TCP client talks to the connector. */
export class Tunnel {
  readonly procs: Proc[] = [];
  /** Names the processes and their data dirs: '' for the main tunnel, 'ours/' and 'coturn/' for the relayed ones. */
  private readonly tag: string;
  server?: Proc;
  listenPort = 0;
  setup?: TunnelSetup;
  routeLine?: RouteLine;
  /** What launch() started the connector with: connectOnce() starts more like it. */
  private connectSpec?: { url: string; root: string; bind: string; args: string[] };

  constructor(tag = '') {
    this.tag = tag;
  }

  private cli(name: string, args: string[]): Proc {
    const p = spawnCli(this.tag + name, ['--json', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn', ...args]);
    this.procs.push(p);
    return p;
  }

  /** How the server's relay was configured: off, on (ephemeral port), or n/a (this CLI has none). */
  relayMode: 'off' | 'on' | 'n/a' = 'n/a';

  /** The main tunnel: no ICE servers (or, with --relay, our relay on an ephemeral port), direct host pair. */
  async start(servicePort: number, root: string, relay: boolean): Promise<void> {
    // Newer CLIs run a STUN/TURN relay in `server` (fixed UDP port 3478 by default):
    // turn it off, or at least move it to an ephemeral port so runs cannot collide.
    const help = spawnSync(process.execPath, [CLI, 'server', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: START_TIMEOUT_MS }).stdout ?? '';
    const relayArgs: string[] = [];
    if (relay && help.includes('--stun-port')) {
      relayArgs.push('--stun-port', '0');
      this.relayMode = 'on';
    } else if (!relay && help.includes('--no-relay')) {
      relayArgs.push('--no-relay');
      this.relayMode = 'off';
    }
    await this.launch(servicePort, root, relayArgs, { args: [], exposeBind: HOST, connectBind: HOST });
  }

  /**
   * Server with `serverArgs`, then exposer and connector with `peer.args`, their ICE
   * sockets on the given addresses; resolves on the connector's route line.
   */
  async launch(servicePort: number, root: string, serverArgs: string[], peer: { args: string[]; exposeBind: string; connectBind: string }): Promise<void> {
    const dir = (d: string): string => join(root, this.tag.replace(/\W/g, '') + d);
    const label = this.tag ? `${this.tag.replace(/\W/g, '')}: ` : '';
    const server = this.cli('signal-server', ['server', '--host', HOST, '--port', '0', ...serverArgs, '--data-dir', dir('server'), '--name', 'bench-signal']);
    this.server = server;
    const sl = await server.waitForEventTimed('listening');
    const serverStartMs = sl.at - server.spawnedAt;
    const url = `ws://${HOST}:${Number(sl.obj.port)}`;
    progress(`${label}signal server ${url} (start-up ${serverStartMs.toFixed(0)} ms, ${this.tag ? serverArgs.join(' ') : `relay ${this.relayMode}`})`);

    const expose = this.cli('expose', [
      'expose', `svc=${HOST}:${servicePort}`, '--name', 'bench-alice', '--server', url, '--data-dir', dir('alice'), '--bind', peer.exposeBind, ...peer.args,
    ]);
    await expose.waitForEventTimed('registered');
    progress(`${label}exposer registered as bench-alice`);

    this.connectSpec = { url, root, bind: peer.connectBind, args: peer.args };
    const connect = this.cli('connect', [
      'connect', 'bench-alice/svc', '--listen', `${HOST}:0`, '--name', 'bench-bob', '--server', url, '--data-dir', dir('bob'), '--bind', peer.connectBind, ...peer.args,
    ]);
    connect.failOn(/no connection yet|error/i);
    const cl = await connect.waitForEventTimed('listening');
    this.listenPort = Number(cl.obj.port);
    const rl = await connect.waitForEventTimed('route');
    const r = rl.obj as RouteLine;
    this.routeLine = r;
    this.setup = {
      serverStartMs,
      connectListenMs: cl.at - connect.spawnedAt,
      connectRouteMs: rl.at - connect.spawnedAt,
      routeSetupMs: Number(r.setupMs),
      route: routeText(r),
    };
    checkLoopback(r, label);
    progress(`${label}connector listening on ${HOST}:${this.listenPort}, route ${this.setup.route} after ${this.setup.connectRouteMs.toFixed(0)} ms`);
  }

  /**
   * One more `p2prc connect` to the same exposer, as the first but named
   * bench-bob-N with its own data dir: its route line and the first byte of a
   * TCP connection through it (connect() to an echoed `pingSize`-byte ping), for
   * the setup samples. It is stopped before this resolves.
   */
  async connectOnce(n: number, pingSize: number): Promise<{ route: RouteLine; firstByteMs: number }> {
    const spec = this.connectSpec;
    if (!spec) throw new Error('connectOnce before launch');
    const dir = join(spec.root, `${this.tag.replace(/\W/g, '')}bob${n}`);
    const p = spawnCli(`${this.tag}connect-${n}`, [
      '--json', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn',
      'connect', 'bench-alice/svc', '--listen', `${HOST}:0`, '--name', `bench-bob-${n}`, '--server', spec.url, '--data-dir', dir, '--bind', spec.bind, ...spec.args,
    ]);
    try {
      p.failOn(/no connection yet|error/i);
      const port = Number((await p.waitForEventTimed('listening')).obj.port);
      const r = (await p.waitForEventTimed('route')).obj as RouteLine;
      checkLoopback(r, `${this.tag}connect-${n}: `);
      return { route: r, firstByteMs: (await tcpPingPong(port, 0, 1, pingSize)).ttfbMs };
    } finally {
      await stopProc(p);
    }
  }

  async stop(): Promise<void> {
    // Peers first, so they leave the server cleanly; then the server.
    await Promise.all(this.procs.filter((p) => p !== this.server).map(stopProc));
    await Promise.all(this.procs.map(stopProc));
  }
}
