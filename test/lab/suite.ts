/**
 * What the lab suites share, in one place: where the signal server listens in
 * the lab, how long a route may take and when ICE has settled, how a route line
 * reads, and when a suite is skipped. (The matrix and the UPnP suite used to
 * copy these.)
 */
import { labUnavailable } from './namespaces.js';
import { SERVER_IPS } from './topology.js';

export const SIGNAL_PORT = 8088;
export const STUN_PORT = 3478;
export const SERVER_URL = `ws://${SERVER_IPS[0]}:${SIGNAL_PORT}`;
/** connect's first route line: ICE plus, across symmetric NATs, the punch or the relay fallback. */
export const ROUTE_TIMEOUT_MS = 30_000;
/** libjuice nominates its final pair ~2-2.5 s after the first working one: measure the data path after this. */
export const SETTLE_MS = 3500;
/** connect's route line: kind, local type and address, remote type and address, setup ms. */
export const ROUTE_RE = /^route (\S+): (direct|relay|upnp|public-port) (\S+) (\S+) <-> (\S+) (\S+) \(setup (\d+) ms\)/;
/** The exposer's route line: group 1 is the route as connect would print it (kind, candidates, setup). */
export const EXPOSE_ROUTE_RE = /^route \S+ -> \S+: ((direct|relay|upnp|public-port) (\S+) (\S+) <-> (\S+) (\S+) .*)$/;

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
