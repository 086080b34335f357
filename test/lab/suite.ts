/**
 * What the lab suites share, in one place: the signal server in the lab (where
 * it listens, starting it), how long a route may take and when ICE has settled,
 * waiting for connect's route event and printing a route as the CLI does, and
 * when a suite is skipped. (The matrix and the UPnP suite used to copy these.)
 */
import { CLI, asRoute, type Proc, type RouteEvent } from '../helpers.js';
import { describeRoute } from '../../src/peer/ice.js';
import type { Lab } from './lab.js';
import { labUnavailable } from './namespaces.js';
import { SERVER_IPS } from './topology.js';

export const SIGNAL_PORT = 8088;
export const STUN_PORT = 3478;
export const SERVER_URL = `ws://${SERVER_IPS[0]}:${SIGNAL_PORT}`;
/** connect's first route line: ICE plus, across symmetric NATs, the punch or the relay fallback. */
export const ROUTE_TIMEOUT_MS = 30_000;
/** libjuice nominates its final pair ~2-2.5 s after the first working one: measure the data path after this. */
export const SETTLE_MS = 3500;
/** How long the lab's signal server may take to listen (a cold node start in a namespace on a busy machine). */
export const SERVER_START_MS = 20_000;
/** How long an exposer may take to register, and a connector to listen. */
export const PEER_START_MS = 20_000;

/**
 * `p2prc --json server` on the lab's server host (signal port SIGNAL_PORT, relay
 * on STUN_PORT advertised as SERVER_IPS[0]) with `args`; resolves once it
 * listens with its relay.
 */
export async function startLabServer(lab: Lab, args: string[]): Promise<Proc> {
  const server = lab.spawnNode(lab.server.ns, 'server', CLI, [
    '--json', 'server', '--port', String(SIGNAL_PORT), '--stun-port', String(STUN_PORT), '--public-ip', SERVER_IPS[0], ...args,
  ]);
  await server.waitForEvent({ event: 'listening', port: SIGNAL_PORT, stunPort: STUN_PORT, relayAddress: SERVER_IPS[0] }, SERVER_START_MS);
  return server;
}

/**
 * connect's first route event (its warm-up); fails early, with both peers'
 * output, when connect logs that it has no connection (no JSON event says so).
 */
export async function firstRoute(co: Proc, ctx: () => string): Promise<RouteEvent> {
  return asRoute(
    await Promise.race([
      // Both sides' output on a timeout, not only the connector's: the cause may be the other's.
      co.waitForEvent('route', ROUTE_TIMEOUT_MS).catch((err: Error) => {
        throw new Error(`${err.message.split('\n')[0]}\n${ctx()}`);
      }),
      co.waitFor(/no connection yet/, 'err', ROUTE_TIMEOUT_MS + 1000).then(() => {
        throw new Error(`connect got no connection\n${ctx()}`);
      }),
    ]),
  );
}

/** The last route event a peer printed (ICE may move to another pair after the first). */
export function lastRoute(p: Proc): RouteEvent | undefined {
  const all = p.eventsMatching('route');
  return all.length ? asRoute(all[all.length - 1]!) : undefined;
}

/** `address:port` of a candidate, as route lines print it. */
export const endpoint = (c: { address: string; port: number }): string => `${c.address}:${c.port}`;

/** A route as the CLI's human route line prints it after the colon: `kind type addr:port <-> type addr:port (setup N ms) [was ...]`. */
export function routeText(r: RouteEvent): string {
  return `${describeRoute(r)} (setup ${r.setupMs} ms)${r.previous ? ` [was ${describeRoute(r.previous)}]` : ''}`;
}

export const mib = (n: number): string => `${(n / 1048576).toFixed(2)} MiB`;

/**
 * Why a lab suite is skipped: not root / not Linux means it cannot run here at
 * all. Root with tools missing is not skipped: the suite fails loudly in `before`.
 */
export const labSkipReason = ((): string | false => {
  const why = labUnavailable();
  if (why && (process.platform !== 'linux' || process.getuid?.() !== 0)) return why;
  return false;
})();
