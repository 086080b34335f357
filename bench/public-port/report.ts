/**
 * The public-port bench's results: one row per (setting, path), the whole
 * run as one JSON object (`--json`, and bench/results/public-port-<timestamp>.json)
 * and as a markdown table (stdout, and public-port-latest.md). Pure but for
 * writeFiles.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchMachine } from '../rows.js';
import { stampName } from '../results-file.js';
import type { PathName } from './paths.js';

/** rathole's published memory per connection, printed beside ours as an anchor (not measured here). */
export const RATHOLE_KB_PER_CONN = 36;

export interface PublicPortRow {
  where: 'loopback' | 'lab';
  /** The emulated link between the proxy and the peer (0 / null on loopback). */
  rttMs: number;
  rateMbit: number | null;
  path: PathName;
  label: string;
  /** The bulk transfers (verified), client -> service and service -> client, MiB/s; null when the row did not run. */
  upMibPerSec: number | null;
  downMibPerSec: number | null;
  bulkMiB: number;
  /** connect() to the echo of a small request over fresh connections, ms. */
  ttfbP50Ms: number | null;
  ttfbP95Ms: number | null;
  conns: number;
  idleConns: number;
  /** Pss growth of the proxy side's processes per idle client connection (from M/2 to M held), KiB (Rss beside it). */
  proxyKiBPerConn: number | null;
  proxyRssKiBPerConn: number | null;
  /** The same on the peer side (expose, ssh, the inner socat). */
  peerKiBPerConn: number | null;
  /** CPU ms per MiB of the bulk transfers (both ways, warm-ups included), proxy side and peer side. */
  proxyCpuMsPerMib: number | null;
  peerCpuMsPerMib: number | null;
  note: string;
  /** Why the row did not run (a tool missing); not a failure. */
  skipped?: string;
  /** Why the row failed: the bench exits non-zero. */
  error?: string;
}

export interface PublicPortResults {
  bench: 'public-port';
  machine: BenchMachine;
  started: string;
  finished: string;
  /** The 1-minute load average when the run started (above half the CPU count: noisy figures). */
  loadAtStart: number;
  options: Record<string, unknown>;
  rows: PublicPortRow[];
  /** Why there are no lab rows, or null. */
  labSkipped: string | null;
  notes: string[];
}

const num = (n: number | null, digits: number): string => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function settingText(r: Pick<PublicPortRow, 'where' | 'rttMs' | 'rateMbit'>): string {
  return r.where === 'loopback' ? 'loopback' : `lab ${r.rttMs} ms RTT${r.rateMbit ? `, ${r.rateMbit} Mbit/s` : ''}`;
}

export function markdown(r: PublicPortResults): string {
  const m = r.machine;
  const lines = [
    `# public-port bench, ${r.started}`,
    '',
    `${m.cpuModel}, ${m.cpuCount} CPUs, ${m.memGiB} GiB, ${m.kernel}, node ${m.node}; load ${r.loadAtStart} at start${r.loadAtStart > m.cpuCount / 2 ? ' (busy: the figures are noisy)' : ''}. Options: ${Object.entries(r.options).filter(([, v]) => v !== '').map(([k, v]) => `${k} ${String(v)}`).join(', ')}.`,
    '',
    '| setting | path | MiB/s up / down | first byte p50 ms | p95 ms | proxy KiB/conn (Pss) | proxy Rss | peer KiB/conn | CPU ms/MiB proxy / peer | note |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...r.rows.map((x) =>
      `| ${settingText(x)} | ${x.label} | ${num(x.upMibPerSec, 1)} / ${num(x.downMibPerSec, 1)} | ${num(x.ttfbP50Ms, 2)} | ${num(x.ttfbP95Ms, 2)} | ${num(x.proxyKiBPerConn, 1)} | ${num(x.proxyRssKiBPerConn, 1)} | ${num(x.peerKiBPerConn, 1)} | ${num(x.proxyCpuMsPerMib, 1)} / ${num(x.peerCpuMsPerMib, 1)} | ${cell(x.error ? `FAILED: ${x.error.split('\n')[0]}` : x.skipped ?? x.note)} |`,
    ),
    '',
    `Anchor: rathole reports about ${RATHOLE_KB_PER_CONN} KB of memory per connection (its published figure, not measured here).`,
    ...(r.labSkipped ? ['', r.labSkipped] : []),
    ...(r.notes.length ? ['', ...r.notes.map((n) => `- ${n}`)] : []),
    '',
  ];
  return lines.join('\n');
}

/** public-port-<timestamp>.json and public-port-latest.md in `dir`; their paths. */
export function writeFiles(dir: string, r: PublicPortResults): { json: string; md: string } {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const files = { json: join(abs, `public-port-${stampName(new Date(r.started))}.json`), md: join(abs, 'public-port-latest.md') };
  writeFileSync(files.json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(files.md, markdown(r));
  return files;
}
