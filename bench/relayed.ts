/**
 * One relayed tunnel: the tunnel with both peers on --force-relay, through our
 * relay (`p2prc server`) or through coturn (`turnserver`), with the checks that
 * the bytes really crossed that relay.
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HOST, START_TIMEOUT_MS, progress } from './common.js';
import { running, spawnProgram, stopProc, type Proc } from './proc.js';
import { threadCpuMs } from './cpu.js';
import { Tunnel, routeText, type Endpoint, type RouteLine } from './tunnel.js';
import { waitForStunAnswer } from '../test/harness/stun-ready.js';

/** Both peers of the relayed tunnels present this: it signs their TURN REST credentials, for both relays. */
export const RELAY_SECRET = 'bench-relay-secret';
/** Relay port ranges: disjoint, so the route line tells which relay carried the tunnel. */
export const RELAY_PORTS: Record<RelayKind, { min: number; max: number }> = {
  ours: { min: 50000, max: 50999 },
  coturn: { min: 51000, max: 51999 },
};

/** ICE addresses of the relayed tunnels' peers: not the relay's (see RelayedTunnel.start). */
export const RELAY_PEER_BIND = { expose: '127.0.0.2', connect: '127.0.0.3' };

/** Bound on `turnserver --version`, which answers at once when coturn is installed. */
const VERSION_TIMEOUT_MS = 10_000;

export type RelayKind = 'ours' | 'coturn';

/** A free UDP port on HOST (for coturn, which cannot be told to pick one). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, HOST, () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether coturn's `turnserver` can be run here (Debian: apt-get install coturn). */
export function haveCoturn(): boolean {
  const r = spawnSync('turnserver', ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  return !r.error && r.status === 0;
}

/**
 * The same tunnel (exposer + connector, both --force-relay) through a relay:
 *   ours    `p2prc server` with its built-in STUN/TURN relay, relay ports 50000-50999
 *   coturn  `turnserver` with its defaults (one UDP relay thread per core), relay
 *           ports 51000-51999, and a `p2prc server --no-relay --ice-server turn:...`
 * Both peers allocate on the same relay, so every datagram crosses it twice:
 * connector -> its allocation -> the exposer's allocation -> exposer.
 */
export class RelayedTunnel {
  readonly kind: RelayKind;
  readonly tunnel: Tunnel;
  private turn?: Proc;
  /** The relay process: `p2prc server` for ours, `turnserver` for coturn. */
  relayPid?: number;
  /** Threads of the relay process once the tunnel is up. */
  relayThreads = 0;
  /** Route setupMs + first byte of each `p2prc connect` started through this relay (set by the relayed comparison). */
  setupMs: number[] = [];

  /** `peerArgs`: given to both peers (the run's --sctp-* flags). */
  constructor(kind: RelayKind, peerArgs: string[] = []) {
    this.kind = kind;
    this.tunnel = new Tunnel(`${kind}/`, peerArgs);
  }

  get route(): string {
    return this.tunnel.setup?.route ?? '?';
  }

  async start(servicePort: number, root: string): Promise<void> {
    const range = RELAY_PORTS[this.kind];
    let serverArgs: string[];
    if (this.kind === 'coturn') {
      const dir = join(root, 'coturn');
      mkdirSync(dir);
      const port = await freeUdpPort();
      // coturn as users run it: default threading (a UDP relay thread per CPU core).
      this.turn = spawnProgram(
        'coturn',
        'turnserver',
        [
          '-n', `--listening-ip=${HOST}`, `--listening-port=${port}`, `--relay-ip=${HOST}`, `--min-port=${range.min}`, `--max-port=${range.max}`,
          '--use-auth-secret', `--static-auth-secret=${RELAY_SECRET}`, '--realm=bench', '--no-cli', '--no-tls', '--no-dtls', '--allow-loopback-peers',
          '--log-file=stdout', '--simple-log', `--pidfile=${join(dir, 'pid')}`, `--db=${join(dir, 'turndb')}`,
        ],
      );
      const tl = await this.turn.waitForEventTimed({ text: /pid file created/ }, START_TIMEOUT_MS);
      // The pid file comes before the UDP listeners answer: wait for an answer, not a pause.
      const waited = await waitForStunAnswer(HOST, port, START_TIMEOUT_MS);
      if (!running(this.turn)) throw new Error('coturn exited during start-up');
      this.relayPid = this.turn.pid;
      progress(`coturn: turnserver pid ${this.relayPid} on ${HOST}:${port}/udp (pid file after ${(tl.at - this.turn.spawnedAt).toFixed(0)} ms, answering ${waited.toFixed(0)} ms later)`);
      serverArgs = ['--no-relay', '--ice-server', `turn:${HOST}:${port}?transport=udp`];
    } else {
      serverArgs = ['--stun-port', '0', '--allow-private-peers', '--relay-ports', `${range.min}-${range.max}`];
    }
    // The peers' ICE sockets are on other loopback addresses than the relay's. With all on
    // 127.0.0.1, a permission for the other peer's relay address (IP only, RFC 8656 §9)
    // also lets in its host socket: ICE then finds a host <-> prflx pair through that hole
    // and moves the traffic off the relay, --force-relay or not (seen with coturn: the
    // route line said relay, coturn used no CPU). From 127.0.0.2/3 nothing but the relay
    // has a permission, so every byte goes through it.
    await this.tunnel.launch(servicePort, root, [...serverArgs, '--secret', RELAY_SECRET], {
      args: ['--force-relay', '--secret', RELAY_SECRET],
      exposeBind: RELAY_PEER_BIND.expose,
      connectBind: RELAY_PEER_BIND.connect,
    });
    if (this.kind === 'ours') this.relayPid = this.tunnel.server?.pid;
    this.checkRoute(this.tunnel.routeLine);
    this.relayThreads = threadCpuMs(this.relayPid).size;
  }

  /** The route must be relay <-> relay through this relay's port range: otherwise the comparison is void. */
  checkRoute(r: RouteLine | undefined): void {
    const range = RELAY_PORTS[this.kind];
    const relayed = (c?: Endpoint): boolean => c?.type === 'relay' && c.port !== undefined && c.port >= range.min && c.port <= range.max;
    if (r?.kind !== 'relay' || !relayed(r.local) || !relayed(r.remote)) {
      const route = r ? routeText(r) : '?';
      throw new Error(`${this.kind}: route ${route} is not relay <-> relay on ports ${range.min}-${range.max}, so it did not go through ${this.kind === 'ours' ? 'our relay' : 'coturn'}`);
    }
  }

  async stop(): Promise<void> {
    await this.tunnel.stop();
    if (this.turn) await stopProc(this.turn);
  }
}
