/**
 * The bench's rows over emulated links (network namespaces: RTT 0/20/50/100/200
 * ms, loss 0/1 %, rate 200 Mbit/s or none). Not built yet: this returns no rows
 * and says why, in one line, for the bench to print.
 */
import { spawnSync } from 'node:child_process';
import type { BenchRow } from './rows.js';

export async function runLabRows(opts: {
  quick: boolean;
  mib: number;
  runs: number;
  setupRuns: number;
  progress: (line: string) => void;
}): Promise<{ rows: BenchRow[]; skipped?: string }> {
  void opts;
  if (process.platform !== 'linux') return { rows: [], skipped: 'lab rows skipped: needs Linux for network namespaces' };
  if (process.getuid?.() !== 0) return { rows: [], skipped: 'lab rows skipped: needs root for network namespaces' };
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8', timeout: 5000 });
  if (ip.error || ip.status !== 0) return { rows: [], skipped: 'lab rows skipped: needs `ip` (iproute2) for network namespaces' };
  return { rows: [], skipped: 'lab rows not built yet' };
}
