/**
 * A run's results as markdown (bench/results/<timestamp>.md, also printed):
 * the machine, the options, one table row per result row, why the lab rows are
 * missing if they are, and the chart. Pure.
 */
import { BENCH_PATHS, type BenchResults, type BenchRow } from './rows.js';

/** Loopback first, then the lab's links by loss, rate (limited before none) and RTT; paths in BENCH_PATHS order. */
export function sortRows(rows: BenchRow[]): BenchRow[] {
  const key = (r: BenchRow): number[] => [
    r.where === 'loopback' ? 0 : 1,
    r.lossPct,
    r.rateMbit ?? Number.MAX_VALUE,
    r.rttMs,
    BENCH_PATHS.indexOf(r.path),
  ];
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return 0;
  });
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (n: number | null | undefined, digits: number): string => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const pair = (a: number | null | undefined, b: number | null | undefined, digits: number): string =>
  a === null || a === undefined ? '-' : `${num(a, digits)} / ${num(b, digits)}`;

/** The options line: every option but the output directory, `name value`. */
function optionsText(options: Record<string, unknown>): string {
  return Object.entries(options)
    .filter(([k, v]) => k !== 'outDir' && v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** The markdown; `svgName` (a file beside it) is shown under the table when given. */
export function resultsMarkdown(r: BenchResults, svgName?: string): string {
  const m = r.machine;
  const secs = (Date.parse(r.finished) - Date.parse(r.started)) / 1000;
  const out: string[] = [];
  out.push(`# p2prc-nat bench, ${r.started}`);
  out.push('');
  out.push(`Machine \`${m.hostname}\`: ${m.cpuCount} x ${m.cpuModel}, ${m.memGiB} GiB, ${m.kernel}, node ${m.node}.`);
  out.push(`Ran ${r.started} to ${r.finished} (${Number.isFinite(secs) ? secs.toFixed(0) : '?'} s), load ${r.loadAtStart.toFixed(2)} at start${r.loadAtStart > m.cpuCount / 2 ? ' (busy: the figures are noisy)' : ''}; options: ${optionsText(r.options)}.`);
  out.push('');
  out.push('| path | where | RTT ms | loss % | rate Mbit/s | MiB/s | x TCP | CPU ms/MiB | setup p50 / p95 ms | setup p50 / p95 RTTs | note |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const row of sortRows(r.rows)) {
    out.push(
      '| ' +
        [
          row.path,
          row.where,
          String(row.rttMs),
          String(row.lossPct),
          row.rateMbit === null ? 'none' : String(row.rateMbit),
          row.mibPerSec > 0 ? num(row.mibPerSec, row.mibPerSec < 10 ? 2 : 1) : '-',
          num(row.ratioToTcp, 2),
          num(row.cpuMsPerMib, 1),
          pair(row.setupP50Ms, row.setupP95Ms, 0),
          pair(row.setupRtts?.p50, row.setupRtts?.p95, 1),
          row.note ?? '',
        ]
          .map(cell)
          .join(' | ') +
        ' |',
    );
  }
  if (r.rows.length === 0) out.push('| (no rows) | | | | | | | | | | |');
  out.push('');
  const notes = r.labSkipped ? [r.labSkipped, ...r.notes] : r.notes;
  for (const n of notes) out.push(`- ${n}`);
  if (notes.length > 0) out.push('');
  if (svgName) {
    out.push(`![throughput against RTT, one panel per loss and rate](${svgName})`);
    out.push('');
  }
  return out.join('\n');
}
