/**
 * The bench's rows over emulated links (network namespaces: RTT 0/20/50/100/200
 * ms, loss 0/1 %, rate 200 Mbit/s or none), measured by bench/lab/matrix.ts;
 * `quick`: the 0 and 50 ms rows with short transfers and 3 setup runs at 50 ms.
 * Where the lab cannot run, no rows and one line that says why.
 */
import { spawnSync } from 'node:child_process';
import type { BenchRow } from './rows.js';
import { FULL_SCENARIOS, QUICK_SCENARIOS, runLabMatrix } from './lab/matrix.js';

export async function runLabRows(opts: {
  quick: boolean;
  mib: number;
  runs: number;
  setupRuns: number;
  progress: (line: string) => void;
}): Promise<{ rows: BenchRow[]; skipped?: string }> {
  if (process.platform !== 'linux') return { rows: [], skipped: 'lab rows skipped: needs Linux for network namespaces' };
  if (process.getuid?.() !== 0) return { rows: [], skipped: 'lab rows skipped: needs root for network namespaces' };
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8', timeout: 5000 });
  if (ip.error || ip.status !== 0) return { rows: [], skipped: 'lab rows skipped: needs `ip` (iproute2) for network namespaces' };
  const rows = await runLabMatrix(
    opts.quick
      ? { scenarios: QUICK_SCENARIOS, seconds: 3, setupRuns: Math.min(opts.setupRuns, 3), setupRtts: [50], progress: opts.progress }
      : { scenarios: FULL_SCENARIOS, seconds: 5, setupRuns: Math.max(opts.setupRuns, 20), setupRtts: [0, 20, 50, 100, 200], progress: opts.progress },
  );
  return { rows };
}
