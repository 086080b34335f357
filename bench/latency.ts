/**
 * The latency measurement: K sequential ping-pongs per path (raw TCP echo, TCP
 * through a relay process, raw data channel echo, tunnel echo), each on one
 * connection, after a warm-up. The paths take turns in blocks of BLOCK pings, so
 * that a burst of background load hits all of them alike (the machine is shared);
 * the first BLOCK_WARM pings of each block, which follow another path's block, are
 * not counted. The relay path is the floor of the tunnel's TCP legs (tcp-relay.ts):
 * the tunnel's round trip cannot be below raw DC + relay.
 */
import { progress } from './common.js';
import { TcpPinger } from './raw-tcp.js';
import type { RawChannel } from './raw-dc.js';
import { latency, type Latency } from './stats.js';

/** Measured pings per turn of a path. */
export const BLOCK = 100;
/** Unmeasured pings at the start of each turn. */
export const BLOCK_WARM = 5;

export interface Latencies {
  tcp: Latency;
  /** TCP through one relay process: the four loopback hops between processes that the tunnel adds. */
  tcpRelay: Latency;
  dc: Latency;
  tunnel: Latency;
}

export interface LatencyPorts {
  service: number;
  tcpRelay: number;
  tunnel: number;
}

type Path = keyof Latencies;

export async function measureLatency(ports: LatencyPorts, raw: RawChannel, warmPings: number, pings: number, pingSize: number): Promise<Latencies> {
  progress(`${pings} sequential ${pingSize}-byte ping-pongs per path, the paths taking turns every ${BLOCK}`);
  const tcp = new TcpPinger(ports.service, pingSize);
  const relay = new TcpPinger(ports.tcpRelay, pingSize);
  const tunnel = new TcpPinger(ports.tunnel, pingSize);
  const ping: Record<Path, (n: number) => Promise<number[]>> = {
    tcp: (n) => tcp.ping(n),
    tcpRelay: (n) => relay.ping(n),
    dc: (n) => raw.pingPong(0, n, pingSize),
    tunnel: (n) => tunnel.ping(n),
  };
  const paths = Object.keys(ping) as Path[];
  const rtts: Record<Path, number[]> = { tcp: [], tcpRelay: [], dc: [], tunnel: [] };
  try {
    for (const p of paths) await ping[p](warmPings);
    for (let done = 0; done < pings; done += BLOCK) {
      const n = Math.min(BLOCK, pings - done);
      for (const p of paths) {
        await ping[p](BLOCK_WARM);
        rtts[p].push(...(await ping[p](n)));
      }
    }
  } finally {
    for (const p of [tcp, relay, tunnel]) p.close();
  }
  return { tcp: latency(rtts.tcp), tcpRelay: latency(rtts.tcpRelay), dc: latency(rtts.dc), tunnel: latency(rtts.tunnel) };
}

/** The tunnel's floor: a raw data channel's mean round trip plus the relay path's (its TCP legs). */
export function tunnelFloorUs(l: Latencies): number {
  return l.dc.meanUs + l.tcpRelay.meanUs;
}
