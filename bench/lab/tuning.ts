/**
 * The SCTP tuning evidence (issue #9, "make high RTT fast"): a raw data channel
 * on the lab's emulated links (bench/lab/matrix.ts) under a grid of settings:
 * send/receive buffers sized to the bandwidth-delay product, the congestion
 * control modules, the delayed-SACK time, several channels on one association,
 * and the message size; each at the RTTs and caps given. One row per setting and
 * link, MiB/s over [1 s, D] of a D-second transfer.
 *
 *   node dist/bench/lab/tuning.js [--seconds D] [--trials REGEX] [--json]     (root: network namespaces)
 *
 * The chosen defaults (src/peer/sctp-settings.ts) and the table are in the README.
 */
import { LabBench, labRowsUnavailable, type Scenario } from './matrix.js';

const MiB = 1024 * 1024;
interface Trial {
  name: string;
  settings: Record<string, number>;
  options?: Record<string, number>;
}
const buf = (mib: number): Record<string, number> => ({ recvBufferSize: mib * MiB, sendBufferSize: mib * MiB });

export const TRIALS: Trial[] = [
  { name: 'stock (1 MiB buffers, cc 0, SACK 20 ms)', settings: {} },
  { name: 'buffers 2 MiB', settings: buf(2) },
  { name: 'buffers 4 MiB', settings: buf(4) },
  { name: 'buffers 8 MiB', settings: buf(8) },
  { name: 'buffers 16 MiB', settings: buf(16) },
  { name: '4 MiB, cc 1 (HSTCP)', settings: { ...buf(4), congestionControlModule: 1 } },
  { name: '4 MiB, cc 2 (H-TCP)', settings: { ...buf(4), congestionControlModule: 2 } },
  { name: '4 MiB, cc 3 (RTCC)', settings: { ...buf(4), congestionControlModule: 3 } },
  { name: '4 MiB, delayed SACK 0 ms', settings: { ...buf(4), delayedSackTime: 0 } },
  { name: '4 MiB, delayed SACK 100 ms', settings: { ...buf(4), delayedSackTime: 100 } },
  { name: 'stock, 4 channels', settings: {}, options: { channels: 4 } },
  { name: '4 MiB, 4 channels', settings: buf(4), options: { channels: 4 } },
  { name: '4 MiB, 64 KiB messages', settings: buf(4), options: { msgKib: 64 } },
  { name: '4 MiB, 16 KiB messages', settings: buf(4), options: { msgKib: 16 } },
  { name: '4 MiB, 4 MiB high water', settings: buf(4), options: { highKib: 4096 } },
  { name: '4 MiB, min RTO 1 s', settings: { ...buf(4), minRetransmitTimeout: 1000 } },
  { name: '4 MiB, min RTO 1 s, max burst 64', settings: { ...buf(4), minRetransmitTimeout: 1000, maxBurst: 64 } },
  { name: '4 MiB, min RTO 1 s, max burst 128', settings: { ...buf(4), minRetransmitTimeout: 1000, maxBurst: 128 } },
  { name: '4 MiB, min RTO 1 s, max burst 256', settings: { ...buf(4), minRetransmitTimeout: 1000, maxBurst: 256 } },
];
export const LINKS: Scenario[] = [
  { rttMs: 50, lossPct: 0, rateMbit: null },
  { rttMs: 100, lossPct: 0, rateMbit: null },
  { rttMs: 50, lossPct: 0, rateMbit: 200 },
  { rttMs: 50, lossPct: 1, rateMbit: null },
];

export interface TuningRow {
  trial: string;
  rttMs: number;
  lossPct: number;
  rateMbit: number | null;
  mibPerSec: number;
}

export async function runTuning(seconds: number, progress: (l: string) => void, trials = TRIALS, links = LINKS): Promise<TuningRow[]> {
  const b = new LabBench({ scenarios: [], seconds, setupRuns: 0, setupRtts: [], progress });
  const rows: TuningRow[] = [];
  try {
    await b.start();
    for (const s of links) {
      await b.shape(s);
      for (const t of trials) {
        const r = await b.rawDc(t.settings, t.options ?? {});
        progress(`RTT ${s.rttMs} ms, loss ${s.lossPct} %, cap ${s.rateMbit ?? 'none'}: ${t.name}: ${r.mibPerSec.toFixed(2)} MiB/s`);
        rows.push({ trial: t.name, ...s, mibPerSec: r.mibPerSec });
      }
    }
  } finally {
    await b.stop();
  }
  return rows;
}

/** Markdown: one row per trial, one column per link. */
export function tuningTable(rows: TuningRow[], links = LINKS): string {
  const col = (s: Scenario): string => `${s.rttMs} ms${s.lossPct ? `, ${s.lossPct} % loss` : ''}${s.rateMbit ? `, ${s.rateMbit} Mbit/s cap` : ''}`;
  const lines = [`| setting | ${links.map(col).join(' | ')} |`, `| --- | ${links.map(() => '---:').join(' | ')} |`];
  for (const t of [...new Set(rows.map((r) => r.trial))]) {
    const cells = links.map((s) => rows.find((r) => r.trial === t && r.rttMs === s.rttMs && r.lossPct === s.lossPct && r.rateMbit === s.rateMbit)?.mibPerSec.toFixed(1) ?? '');
    lines.push(`| ${t} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const why = labRowsUnavailable();
  if (why) {
    console.error(`tuning: skipped: ${why}`);
    process.exit(0);
  }
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 6;
  // --trials REGEX: only the trials whose name matches.
  const t = process.argv.indexOf('--trials');
  const trials = t > 0 ? TRIALS.filter((x) => new RegExp(process.argv[t + 1]!).test(x.name)) : TRIALS;
  const rows = await runTuning(seconds, (l) => process.stderr.write(`[tuning] ${l}\n`), trials);
  console.log(process.argv.includes('--json') ? JSON.stringify(rows) : tuningTable(rows));
  process.exit(0);
}
