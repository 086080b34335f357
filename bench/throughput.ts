/**
 * The throughput measurement: a warm-up on each path, then R runs of N MiB,
 * interleaved across raw TCP, the raw data channel and the tunnel (so drift
 * hits all alike), each run with the CPU its processes used.
 */
import { MiB, progress } from './common.js';
import { CpuMeter } from './cpu.js';
import { tcpBulk } from './raw-tcp.js';
import type { RawChannel } from './raw-dc.js';
import type { Tunnel } from './tunnel.js';
import type { Run } from './stats.js';

export interface ThroughputPlan {
  bytes: number;
  warmBytes: number;
  runs: number;
  timeoutMs: number;
  tcpPayload: Buffer;
  dcPayload: Buffer;
}

export interface ThroughputRuns {
  tcp: Run[];
  dc: Run[];
  tunnel: Run[];
}

export async function measureThroughput(servicePort: number, raw: RawChannel, tunnel: Tunnel, plan: ThroughputPlan): Promise<ThroughputRuns> {
  const { bytes, warmBytes, timeoutMs, tcpPayload, dcPayload } = plan;
  const mib = bytes / MiB;
  // Warm-up (JIT, socket buffers, SCTP congestion window): not measured.
  progress(`warm-up: ${warmBytes / MiB} MiB on each path`);
  await tcpBulk(servicePort, warmBytes, tcpPayload, timeoutMs);
  await raw.bulkSend(warmBytes, dcPayload, timeoutMs);
  await tcpBulk(tunnel.listenPort, warmBytes, tcpPayload, timeoutMs);

  const meter = new CpuMeter([['child-dc', raw.proc.pid], ...tunnel.procs.map((p): [string, number | undefined] => [p.name, p.pid])]);
  const measured = async (fn: () => Promise<number>): Promise<Run> => {
    const a = meter.snapshot();
    const secs = await fn();
    return { secs, cpuMs: CpuMeter.diff(a, meter.snapshot()) };
  };
  const runs: ThroughputRuns = { tcp: [], dc: [], tunnel: [] };
  for (let run = 1; run <= plan.runs; run++) {
    const one = async (name: string, into: Run[], fn: () => Promise<number>): Promise<void> => {
      const r = await measured(fn);
      into.push(r);
      progress(`run ${run}/${plan.runs}: ${name} ${(mib / r.secs).toFixed(1)} MiB/s`);
    };
    await one('raw TCP', runs.tcp, () => tcpBulk(servicePort, bytes, tcpPayload, timeoutMs));
    await one('raw data channel', runs.dc, () => raw.bulkSend(bytes, dcPayload, timeoutMs));
    await one('tunnel', runs.tunnel, () => tcpBulk(tunnel.listenPort, bytes, tcpPayload, timeoutMs));
  }
  return runs;
}
