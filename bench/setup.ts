/**
 * The setup figures: what the CLI tunnel's start-up is made of (recorded by
 * Tunnel.launch from its processes' JSON lines), and the first TCP connection
 * through the tunnel against one to the service directly.
 */
import { tcpPingPong, type PingResult } from './raw-tcp.js';
import { progress } from './common.js';
import type { RouteLine, Tunnel } from './tunnel.js';

export interface TunnelSetup {
  /** Spawn of `server` to its listening line: the CLI's own start-up cost. */
  serverStartMs: number;
  /** Spawn of `connect` to its listening line. */
  connectListenMs: number;
  /** Spawn of `connect` to its route line (peer connection up). */
  connectRouteMs: number;
  /** setupMs on the route line (session creation to ICE connected, inside the connector). */
  routeSetupMs: number;
  route: string;
}

export interface FirstConnection {
  /** The first TCP connection through the tunnel: a new data channel, the exposer's TCP connect, one echo. */
  tunnel: PingResult;
  /** The same to the service directly. */
  tcp: PingResult;
}

/** One echo on a new connection through the tunnel, then one on a new raw TCP connection. */
export async function firstConnection(tunnelPort: number, servicePort: number, pingSize: number): Promise<FirstConnection> {
  // First TCP connection through the tunnel: a new data channel, the exposer's TCP connect, one echo.
  const firstTunnel = await tcpPingPong(tunnelPort, 0, 1, pingSize);
  const firstTcp = await tcpPingPong(servicePort, 0, 1, pingSize);
  progress(`first connection through the tunnel: first byte after ${firstTunnel.ttfbMs.toFixed(1)} ms (raw TCP ${firstTcp.ttfbMs.toFixed(2)} ms)`);
  return { tunnel: firstTunnel, tcp: firstTcp };
}

/**
 * A tunnel's setup samples, each the route line's setupMs (session creation to
 * ICE connected) plus the first byte of a new TCP connection through it (a new
 * data channel, the exposer's connect, one echo), as the lab measures it: of its
 * own connector (`firstByteMs` measured by the caller), then of `n - 1` more
 * connectors started one after another (Tunnel.connectOnce), each route passed
 * to `check` first.
 */
export async function setupSamples(tunnel: Tunnel, n: number, firstByteMs: number, pingSize: number, check: (r: RouteLine) => void = () => undefined): Promise<number[]> {
  const samples = [Number(tunnel.routeLine?.setupMs) + firstByteMs];
  for (let i = 2; i <= n; i++) {
    const { route, firstByteMs: fb } = await tunnel.connectOnce(i, pingSize);
    check(route);
    samples.push(Number(route.setupMs) + fb);
    progress(`p2prc connect ${i}/${n}: route after ${route.setupMs} ms, first byte ${fb.toFixed(1)} ms later`);
  }
  const bad = samples.find((ms) => !(ms >= 0));
  if (bad !== undefined) throw new Error(`a route line without a setupMs (${bad}): samples ${samples.join(', ')}`);
  return samples;
}
