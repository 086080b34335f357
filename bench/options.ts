/**
 * The bench's command line: its flags, their defaults and the usage text.
 */
import { join } from 'node:path';
import { KiB, ROOT } from './common.js';
import { HIGH_WATER, LOW_WATER } from '../src/tunnel/stream.js';
import { DEFAULT_SCTP_TUNING, SCTP_LIMITS, validateSctpTuning, type SctpTuning } from '../src/peer/sctp-settings.js';

export interface Options {
  mib: number;
  runs: number;
  pings: number;
  pingSize: number;
  json: boolean;
  dcHigh: number;
  dcLow: number;
  /** Keep the signal server's built-in STUN/TURN relay (off by default: the raw channel has no ICE servers either). */
  relay: boolean;
  /** The relayed comparison: the tunnel with --force-relay through our relay and through coturn (on by default). */
  relayBench: boolean;
  /** MiB per relayed throughput run. */
  relayMib: number;
  /** Signal server scale mode (#8 item 2, #9): ours and PeerJS with this many peers each, and nothing else. */
  signalScale?: number;
  /** Scale mode: load-client processes, seconds per load phase, signals in flight per process (flood), signals/s (paced). */
  signalClients: number;
  signalSeconds: number;
  signalWindow: number;
  signalRate: number;
  /** Small sizes and few runs everywhere (QUICK below): checks the bench works, in about a minute. */
  quick: boolean;
  /** Where the results files go (<timestamp>.json/.md/.svg and latest.*). */
  outDir: string;
  /** `p2prc connect` processes started per tunnel for the setup p50/p95 (the first is the tunnel's own). */
  setupRuns: number;
  /**
   * SCTP settings for every PeerConnection of the run (the raw channel's two ends and
   * the CLI peers, through the same --sctp-* flags); undefined: the defaults (DEFAULT_SCTP_TUNING for the CLI peers).
   */
  sctp?: SctpTuning;
  /** Internal: run as the raw data channel's answering side (raw-dc-child.ts). */
  childDc: boolean;
  /** Internal: run as the TCP relay process of the latency floor, to this port (tcp-relay.ts). */
  childTcpRelay?: number;
}

/** The project's bench/results (the bench runs from dist/bench/). */
export const DEFAULT_OUT_DIR = join(ROOT, 'bench', 'results');

/**
 * --quick's defaults (explicit flags still win): sizes that take a fraction of
 * a second per transfer, one run, a relayed row through each relay, three setup
 * samples per tunnel, and the lab's quick set.
 */
export const QUICK = { mib: 16, runs: 1, pings: 200, relayMib: 16, setupRuns: 3 } as const;

export function usage(): string {
  return `usage: node dist/bench/bench.js [--quick] [--out DIR] [--mib N] [--runs R] [--pings K] [--setup-runs S] [--json] [--relay] [--relay-mib M] [--no-relay-bench] [--dc-high-kib H] [--dc-low-kib L]
                                       [--sctp-buffer-kib N] [--sctp-cc N] [--sctp-sack-ms N] [--sctp-cwnd N]
       node dist/bench/bench.js --signal-scale N [--signal-clients K] [--signal-seconds S] [--signal-window W] [--signal-rate R] [--json]
       (p2prc bench takes the same flags)
  --quick        a short run that checks the bench works: --mib ${QUICK.mib} --runs ${QUICK.runs} --pings ${QUICK.pings} --relay-mib ${QUICK.relayMib}
                 --setup-runs ${QUICK.setupRuns}, and the lab's quick set (flags given as well win)
  --out DIR      results directory (default bench/results): <timestamp>.json/.md/.svg and latest.*
  --mib N        MiB per throughput run (default 256)
  --runs R       runs per path, best is reported (default 3)
  --pings K      sequential 64-byte ping-pongs per latency test (default 1000)
  --setup-runs S p2prc connect processes per tunnel for the setup p50/p95 (default 5)
  --json         print one JSON object instead of the tables
  --relay        keep the signal server's STUN/TURN relay (on an ephemeral port); default --no-relay,
                 so the tunnel's peers get no ICE servers, like the raw channel
  --relay-mib M  MiB per relayed throughput run (our relay vs coturn, both peers --force-relay;
                 default 128)
  --no-relay-bench  skip the relayed comparison (our relay vs coturn)
  --dc-high-kib  raw channel: stop sending above this bufferedAmount (default 1024)
  --dc-low-kib   raw channel: resume at this bufferedAmountLowThreshold (default 256)
  --sctp-buffer-kib N, --sctp-cc N, --sctp-sack-ms N, --sctp-cwnd N
                 SCTP settings (as on p2prc expose/connect) for every PeerConnection of the run:
                 both ends of the raw channel and the CLI peers; default 4 MiB buffers (DEFAULT_SCTP_TUNING), the rest stock
  --signal-scale N  only the signal servers at scale, ours and PeerJS side by side: N peers
                 registered on each (63-character names, from many 127.x addresses, ramped in 4 steps),
                 then signals relayed between them; prints register times, server memory per peer,
                 signals relayed/s, their p50/p99 latency, server and load CPU (e.g. 10000)
  --signal-clients K  load-client processes holding the peers (default 4)
  --signal-seconds S  seconds measured per load phase, after 2 s of warm-up (default 10)
  --signal-window W   flood: signals in flight per load process (default 64)
  --signal-rate R     paced: signals/s in all, for the latency at a load far below capacity (default 1000)`;
}

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    mib: 256,
    runs: 3,
    pings: 1000,
    pingSize: 64,
    json: false,
    // The raw channel is paced like the tunnel (src/tunnel/stream.ts), so the two compare like for like.
    dcHigh: HIGH_WATER,
    dcLow: LOW_WATER,
    relay: false,
    relayBench: true,
    relayMib: 128,
    signalClients: 4,
    signalSeconds: 10,
    signalWindow: 64,
    signalRate: 1000,
    quick: false,
    outDir: DEFAULT_OUT_DIR,
    setupRuns: 5,
    childDc: false,
  };
  const sctp: SctpTuning = {};
  /** A whole number within `min`..`max` (the CLI's --sctp-* bounds). */
  const whole = (i: number, name: string, min: number, max: number): number => {
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} needs a whole number from ${min} to ${max}\n${usage()}`);
    return v;
  };
  if (argv.includes('--quick')) Object.assign(o, { quick: true, ...QUICK });
  const num = (i: number, name: string): number => {
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number\n${usage()}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mib') o.mib = num(i++, a);
    else if (a === '--runs') o.runs = Math.floor(num(i++, a));
    else if (a === '--pings') o.pings = Math.floor(num(i++, a));
    else if (a === '--dc-high-kib') o.dcHigh = num(i++, a) * KiB;
    else if (a === '--dc-low-kib') o.dcLow = num(i++, a) * KiB;
    else if (a === '--json') o.json = true;
    else if (a === '--relay') o.relay = true;
    else if (a === '--relay-mib') o.relayMib = num(i++, a);
    else if (a === '--no-relay-bench') o.relayBench = false;
    else if (a === '--signal-scale') o.signalScale = Math.floor(num(i++, a));
    else if (a === '--signal-clients') o.signalClients = Math.floor(num(i++, a));
    else if (a === '--signal-seconds') o.signalSeconds = num(i++, a);
    else if (a === '--signal-window') o.signalWindow = Math.floor(num(i++, a));
    else if (a === '--signal-rate') o.signalRate = num(i++, a);
    else if (a === '--quick') continue; // applied above, before the flags that override it
    else if (a === '--setup-runs') o.setupRuns = Math.floor(num(i++, a));
    else if (a === '--out') {
      const dir = argv[++i];
      if (!dir || dir.startsWith('--')) throw new Error(`--out needs a directory\n${usage()}`);
      o.outDir = dir;
    }
    else if (a === '--sctp-buffer-kib') sctp.recvBufferSize = sctp.sendBufferSize = whole(i++, a, SCTP_LIMITS.recvBufferSize.min / KiB, SCTP_LIMITS.recvBufferSize.max / KiB) * KiB;
    else if (a === '--sctp-cc') sctp.congestionControlModule = whole(i++, a, SCTP_LIMITS.congestionControlModule.min, SCTP_LIMITS.congestionControlModule.max);
    else if (a === '--sctp-sack-ms') sctp.delayedSackTime = whole(i++, a, SCTP_LIMITS.delayedSackTime.min, SCTP_LIMITS.delayedSackTime.max);
    else if (a === '--sctp-cwnd') sctp.initialCongestionWindow = whole(i++, a, SCTP_LIMITS.initialCongestionWindow.min, SCTP_LIMITS.initialCongestionWindow.max);
    else if (a === '--child-dc') o.childDc = true;
    else if (a === '--child-tcp-relay') o.childTcpRelay = whole(i++, a, 1, 65535);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(usage() + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${usage()}`);
  }
  if (o.dcLow >= o.dcHigh) throw new Error('--dc-low-kib must be below --dc-high-kib');
  // As on p2prc expose/connect (sctpTuningOf): each flag changes its one setting of the defaults.
  if (Object.keys(sctp).length) o.sctp = validateSctpTuning({ ...DEFAULT_SCTP_TUNING, ...sctp });
  return o;
}
