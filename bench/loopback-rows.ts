/**
 * The loopback measurements as result rows (rows.ts): plain TCP, the raw data
 * channel, the direct tunnel and the two relayed tunnels, all on 127.x with no
 * emulated link. Pure: the figures in, the rows and the notes out.
 */
import type { BenchRow } from './rows.js';
import { p50p95, r1, r2, r3 } from './stats.js';

interface PathFigures {
  bestMiBps: number;
  cpuMsPerMiB: number;
}

/** What the rows need of a run's Figures (report-json.ts); Figures has it all. */
export interface LoopbackFigures {
  mib: number;
  opts: { runs: number };
  throughput: { tcp: PathFigures; dc: PathFigures; tunnel: PathFigures };
  /** Setup of each connector of the direct tunnel: route setupMs + first byte. */
  setupSamplesMs: number[];
  rc?: { mib: number; runs: number; ours: PathFigures & { setupMs: number[] }; coturn?: PathFigures & { setupMs: number[] } };
}

export function loopbackRows(fig: LoopbackFigures): { rows: BenchRow[]; notes: string[] } {
  const tcp = fig.throughput.tcp.bestMiBps;
  const row = (path: BenchRow['path'], f: PathFigures, note: string, setup: number[] | null): BenchRow => {
    const s = setup ? p50p95(setup) : null;
    return {
      path,
      where: 'loopback',
      rttMs: 0,
      lossPct: 0,
      rateMbit: null,
      mibPerSec: r2(f.bestMiBps),
      ratioToTcp: r3(f.bestMiBps / tcp),
      cpuMsPerMib: r2(f.cpuMsPerMiB),
      setupP50Ms: s ? r1(s.p50) : null,
      setupP95Ms: s ? r1(s.p95) : null,
      setupRtts: null,
      note: setup ? `${note}; setup: ${setup.length} connect${setup.length === 1 ? '' : 's'}` : note,
    };
  };
  const direct = `best of ${fig.opts.runs} x ${fig.mib} MiB; CPU of the best run`;
  const rows = [
    row('plain-tcp', fig.throughput.tcp, direct, null),
    row('raw-dc', fig.throughput.dc, direct, null),
    row('tunnel-direct', fig.throughput.tunnel, direct, fig.setupSamplesMs),
  ];
  const notes: string[] = [];
  const rc = fig.rc;
  if (rc) {
    const relayed = `best of ${rc.runs} x ${rc.mib} MiB, both peers --force-relay; CPU over all runs`;
    rows.push(row('tunnel-our-relay', rc.ours, relayed, rc.ours.setupMs));
    if (rc.coturn) rows.push(row('tunnel-coturn', rc.coturn, relayed, rc.coturn.setupMs));
    else notes.push('tunnel-coturn (loopback): not measured, coturn (turnserver) is not installed');
  } else {
    notes.push('tunnel-our-relay, tunnel-coturn (loopback): not measured (--no-relay-bench)');
  }
  return { rows, notes };
}
