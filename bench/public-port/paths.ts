/**
 * The three ways the public-port bench publishes the peer's service on the
 * proxy, each started with real programs and stopped again (its leftovers too):
 *
 *   p2prc  `p2prc server --reverse-proxy` on the proxy side, `p2prc expose
 *          bench=SERVICE --public` on the peer side: a client's TCP connection to the public
 *          port is carried over a data channel (proxy <-> peer) to the service.
 *   ssh    sshd on the proxy side, `ssh -N -R PROXY:0:127.0.0.1:SERVICE` on the
 *          peer side (OpenSSH, defaults; ssh.ts): carried over the ssh connection.
 *   socat  `socat TCP-LISTEN,fork` on the proxy side -> a second socat on the peer
 *          side -> the service: the same processes and hops as the two above, with
 *          nothing but copying in between (the floor). The peer's socat must be
 *          reachable from the proxy: in the lab through a port forward on its NAT.
 */
import { pathToFileURL } from 'node:url';
import type { Proc } from '../../test/harness/process.js';
import { CLI, tmpDir } from '../../test/harness/process.js';
import { asRoute } from '../../test/helpers.js';
import { describeRoute } from '../../src/peer/ice.js';
import { START_TIMEOUT_MS } from '../common.js';
import { killTree, snapshotTree } from './memory.js';
import type { Place } from './places.js';
import { ALLOCATED_RE, SSHD, prepareSshd, sshClientArgs, sshdArgs } from './ssh.js';

export const PATHS = ['p2prc', 'ssh', 'socat'] as const;
export type PathName = (typeof PATHS)[number];
export const PATH_LABEL: Record<PathName, string> = { p2prc: 'p2prc public port', ssh: 'ssh -R', socat: 'socat chain (floor)' };

/**
 * The p2prc processes run as `node --expose-gc --import gc-hook.js CLI ...`
 * (bench/gc-hook.ts): on SIGUSR2 they run two full GCs and say so, so that
 * their memory is read after a collection, not at a random point of the heap's
 * growth. Nothing else changes for them.
 */
const GC_NODE_ARGS = ['--expose-gc', '--import', pathToFileURL(new URL('../gc-hook.js', import.meta.url).pathname).href];

/** Full GCs in `procs` (gc-hook.ts), resolved once each has answered. */
function gcOnSignal(procs: Proc[]): () => Promise<void> {
  let n = 0;
  return async () => {
    n++;
    await Promise.all(
      procs.map(async (p) => {
        p.child.kill('SIGUSR2');
        const ev = await p.waitForEvent({ event: 'bench-gc', n }, 10_000);
        if (ev.gc !== true) throw new Error(`${p.name}: no gc() (--expose-gc missing)`);
      }),
    );
  };
}

/** The proxy's secret for the p2prc row (both ends get it). */
const SECRET = 'public-port-bench';
/** A public port the proxy may give (and the p2prc server's --allow-ports). */
export const ALLOW_PORTS = '20000-29999';

/** One setting (loopback or the lab): where things run and how they reach each other. */
export interface Setting {
  where: 'loopback' | 'lab';
  rttMs: number;
  rateMbit: number | null;
  proxy: Place;
  peer: Place;
  client: Place;
  /** The service's port on the peer (127.0.0.1). */
  servicePort: number;
  /** A port for a listener on the proxy side (sshd, the public socat). */
  proxyPort(): Promise<number>;
  /** p2prc server's flags besides --reverse-proxy, --allow-ports, --secret, --data-dir (address, ports, relay). */
  serverArgs: string[];
  /** Extra flags for p2prc expose (loopback: --bind 127.0.0.1; the run's --expose-flags). */
  peerArgs: string[];
  /** Where the peer-side socat listens, and the address:port the proxy-side socat dials to reach it. */
  inbound(): Promise<{ bind: string; port: number; host: string; dialPort: number }>;
}

export interface Started {
  host: string;
  port: number;
  /** Processes whose memory is the proxy side's / the peer side's (their trees). */
  proxyPids: number[];
  peerPids: number[];
  /** Stop order: the peer side first, then the proxy side. */
  procs: Proc[];
  note: string;
  /** p2prc: the peer connection's route as the exposer last printed it (direct or relayed, which candidates). */
  route?: () => string;
  /** p2prc: a full GC in the proxy and the exposer before a memory reading. */
  gc?: () => Promise<void>;
}

export async function startPath(name: PathName, s: Setting): Promise<Started> {
  const procs: Proc[] = [];
  try {
    if (name === 'p2prc') return await startP2prc(s, procs);
    if (name === 'ssh') return await startSsh(s, procs);
    return await startSocat(s, procs);
  } catch (err) {
    await stopPath(procs);
    throw err;
  }
}

/** Stop every process (SIGTERM, SIGKILL after 3 s), then whatever their trees left (socat's children). */
export async function stopPath(procs: Proc[]): Promise<void> {
  for (const p of procs) {
    const snap = p.pid !== undefined ? snapshotTree(p.pid) : [];
    await p.stop('SIGTERM', 3000).catch(() => undefined);
    killTree(snap);
  }
}

async function startP2prc(s: Setting, procs: Proc[]): Promise<Started> {
  const server = s.proxy.spawn('proxy', process.execPath, [
    ...GC_NODE_ARGS, CLI, '--json', '--log-level', 'warn', 'server', ...s.serverArgs, '--reverse-proxy', '--allow-ports', ALLOW_PORTS, '--secret', SECRET, '--data-dir', tmpDir('p2prc-pp-srv-'),
  ]);
  procs.push(server);
  const ev = await server.waitForEvent('listening', START_TIMEOUT_MS);
  const url = `ws://${s.proxy.address}:${Number(ev.port)}`;
  const expose = s.peer.spawn('expose', process.execPath, [
    ...GC_NODE_ARGS, CLI, '--json', '--log-level', 'warn', 'expose', `bench=${s.servicePort}`, '--public', '--name', 'ppbench', '--server', url, '--secret', SECRET,
    '--data-dir', tmpDir('p2prc-pp-ex-'), ...s.peerArgs,
  ]);
  procs.unshift(expose);
  const pub = await expose.waitForEvent({ event: 'public-port', service: 'bench' }, START_TIMEOUT_MS * 2);
  return {
    host: String(pub.ipv4),
    port: Number(pub.serverport),
    proxyPids: [server.pid!],
    peerPids: [expose.pid!],
    procs,
    note: `p2prc server --reverse-proxy (${url}), p2prc expose bench=${s.servicePort} --public${s.peerArgs.length ? ` ${s.peerArgs.join(' ')}` : ''}`,
    gc: gcOnSignal([server, expose]),
    route: () => {
      const all = expose.eventsMatching('route');
      return all.length ? `route ${describeRoute(asRoute(all[all.length - 1]!))}` : 'no route event';
    },
  };
}

async function startSsh(s: Setting, procs: Proc[]): Promise<Started> {
  const sshdPort = await s.proxyPort();
  const keys = prepareSshd(tmpDir('p2prc-pp-ssh-'), s.proxy.address, sshdPort);
  const sshd = s.proxy.spawn('sshd', SSHD, sshdArgs(keys));
  procs.push(sshd);
  await sshd.waitFor(/Server listening on/, 'err', START_TIMEOUT_MS);
  const ssh = s.peer.spawn('ssh -R', 'ssh', sshClientArgs(keys, s.proxy.address, sshdPort, s.proxy.address, s.servicePort));
  procs.unshift(ssh);
  const m = await ssh.waitFor(ALLOCATED_RE, 'err', START_TIMEOUT_MS);
  return {
    host: s.proxy.address,
    port: Number(m[1]),
    proxyPids: [sshd.pid!],
    peerPids: [ssh.pid!],
    procs,
    note: `sshd (GatewayPorts clientspecified), ssh -N -R ${s.proxy.address}:0:127.0.0.1:${s.servicePort}`,
  };
}

async function startSocat(s: Setting, procs: Proc[]): Promise<Started> {
  const inb = await s.inbound();
  // -d -d: the "listening on" line says when it is ready; nodelay on every leg, as the tunnel sets it.
  const inner = s.peer.spawn('socat (peer)', 'socat', ['-d', '-d', `TCP-LISTEN:${inb.port},bind=${inb.bind},fork,reuseaddr,nodelay`, `TCP:127.0.0.1:${s.servicePort},nodelay`]);
  procs.push(inner);
  await inner.waitFor(/listening on/, 'err', START_TIMEOUT_MS);
  const pub = await s.proxyPort();
  const outer = s.proxy.spawn('socat (proxy)', 'socat', ['-d', '-d', `TCP-LISTEN:${pub},bind=${s.proxy.address},fork,reuseaddr,nodelay`, `TCP:${inb.host}:${inb.dialPort},nodelay`]);
  procs.push(outer); // stop order: the peer side first, as for the others
  await outer.waitFor(/listening on/, 'err', START_TIMEOUT_MS);
  return {
    host: s.proxy.address,
    port: pub,
    proxyPids: [outer.pid!],
    peerPids: [inner.pid!],
    procs,
    note: `socat TCP-LISTEN:${pub},fork -> ${inb.host}:${inb.dialPort} -> socat TCP-LISTEN:${inb.port},fork -> 127.0.0.1:${s.servicePort}`,
  };
}
