/**
 * The latency measurement: K sequential ping-pongs on one connection per path
 * (raw TCP echo, raw data channel echo, tunnel echo), after a warm-up.
 */
import { progress } from './common.js';
import { tcpPingPong } from './raw-tcp.js';
import type { RawChannel } from './raw-dc.js';
import { latency, type Latency } from './stats.js';

export interface Latencies {
  tcp: Latency;
  dc: Latency;
  tunnel: Latency;
}

export async function measureLatency(servicePort: number, raw: RawChannel, tunnelPort: number, warmPings: number, pings: number, pingSize: number): Promise<Latencies> {
  progress(`${pings} sequential ${pingSize}-byte ping-pongs per path`);
  const latTcp = latency((await tcpPingPong(servicePort, warmPings, pings, pingSize)).rttsUs);
  const latDc = latency(await raw.pingPong(warmPings, pings, pingSize));
  const latTunnel = latency((await tcpPingPong(tunnelPort, warmPings, pings, pingSize)).rttsUs);
  return { tcp: latTcp, dc: latDc, tunnel: latTunnel };
}
