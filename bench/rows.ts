/**
 * The bench's result rows: one row per (path, link) measured, the shape the
 * results file, the markdown table and the chart are built from. The loopback
 * rows come from loopback-rows.ts, the emulated-link rows from lab-rows.ts.
 */

/** What carried the bytes. */
export type BenchPath =
  /** A plain TCP connection, no tunnel: the ceiling of the link. */
  | 'plain-tcp'
  /** A raw node-datachannel data channel (the bench's settings). */
  | 'raw-dc'
  /** A raw data channel with node-datachannel's stock SCTP settings. */
  | 'raw-dc-stock'
  /** TCP through the p2prc tunnel, direct host pair. */
  | 'tunnel-direct'
  /** The tunnel with both peers --force-relay through our relay (`p2prc server`). */
  | 'tunnel-our-relay'
  /** The same through coturn (`turnserver`). */
  | 'tunnel-coturn'
  /** Through our relay with both peers reaching it over TCP, through their local bridges (--relay-transport tcp). */
  | 'tunnel-relay-tcp'
  /** The same over TLS. */
  | 'tunnel-relay-tls';

/** Every path, in the order tables and legends list them. */
export const BENCH_PATHS: readonly BenchPath[] = ['plain-tcp', 'raw-dc', 'raw-dc-stock', 'tunnel-direct', 'tunnel-our-relay', 'tunnel-coturn', 'tunnel-relay-tcp', 'tunnel-relay-tls'];

/** How each path is named for a reader. */
export const PATH_LABELS: Record<BenchPath, string> = {
  'plain-tcp': 'plain TCP',
  'raw-dc': 'raw data channel',
  'raw-dc-stock': 'raw data channel, stock SCTP',
  'tunnel-direct': 'tunnel, direct',
  'tunnel-our-relay': 'tunnel via our relay',
  'tunnel-coturn': 'tunnel via coturn',
  'tunnel-relay-tcp': 'tunnel via our relay over TCP',
  'tunnel-relay-tls': 'tunnel via our relay over TLS',
};

/** Where it was measured: on the machine's loopback, or across the lab's emulated links (network namespaces). */
export type BenchWhere = 'loopback' | 'lab';

export interface BenchRow {
  path: BenchPath;
  where: BenchWhere;
  /** The link's round-trip time as emulated (0 on loopback: tens of µs, not emulated). */
  rttMs: number;
  /** Emulated loss each way, in per cent (0 on loopback). */
  lossPct: number;
  /** Emulated rate limit in Mbit/s; null when the link has none. */
  rateMbit: number | null;
  /** Throughput of the best run, MiB/s of payload; 0 in a row that measures the setup only. */
  mibPerSec: number;
  /** mibPerSec / the plain-tcp row's of the same link; null when that row is missing. */
  ratioToTcp: number | null;
  /** CPU ms per MiB of payload, summed over every process of the path; null when not measured. */
  cpuMsPerMib: number | null;
  /**
   * Setup time of the path, p50 and p95 over the samples: for the tunnels, the
   * `setupMs` of the connector's route line (session creation to ICE connected,
   * so without node's start-up) plus the first byte of a new TCP connection
   * through it (connect() to an echoed byte: a new data channel and the
   * exposer's connect), one sample per `p2prc connect` started. Null when not
   * measured (plain TCP, the raw channel).
   */
  setupP50Ms: number | null;
  setupP95Ms: number | null;
  /** The same setup in round trips of the emulated link (setup / rttMs); null on loopback. */
  setupRtts?: { p50: number; p95: number } | null;
  /** Anything a reader needs to read the row right (run sizes, samples). */
  note?: string;
}

/** The machine a run was on. */
export interface BenchMachine {
  hostname: string;
  cpuModel: string;
  cpuCount: number;
  memGiB: number;
  /** os.type() and os.release(), e.g. "Linux 6.8.0-45-generic". */
  kernel: string;
  /** process.version. */
  node: string;
}

/** One run's results file, bench/results/<timestamp>.json. */
export interface BenchResults {
  machine: BenchMachine;
  /** ISO 8601, UTC. */
  started: string;
  finished: string;
  /** The 1-minute load average when the run started: other work on the machine makes the figures noisy. */
  loadAtStart: number;
  /** The bench's options (bench/options.ts) as parsed, but the output directory. */
  options: Record<string, unknown>;
  rows: BenchRow[];
  /** Why the lab rows are missing (one line), or null when they ran. */
  labSkipped: string | null;
  /** Lines a reader of the rows needs (a path not measured, and why). */
  notes: string[];
  /** Every loopback figure of the run: the object `--json` prints (report-json.ts). */
  loopback: unknown;
}
