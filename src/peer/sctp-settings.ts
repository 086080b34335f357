/**
 * SCTP tuning for every data channel of this process.
 *
 * libdatachannel's SCTP settings (usrsctp sysctls: socket buffers, initial
 * congestion window, congestion control module, delayed SACK) are process-global
 * and are read when an association is created, so they must be set before the
 * first PeerConnection and cannot differ between sessions. This module is the one
 * place that sets them: `applySctpTuning()` is idempotent (the same configuration
 * again is a no-op) and refuses a second, different one with a P2prcError, since
 * that would leave the process with associations of both kinds.
 *
 * The default is DEFAULT_SCTP_TUNING (larger buffers than libdatachannel's stock
 * STOCK_SCTP, v0.24.5); a configuration equal to stock makes no native call at all.
 */
import ndc from 'node-datachannel';
import type { SctpSettings } from 'node-datachannel';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { hasNativePatch, SCTP_SETTINGS_PATCH } from './native-build.js';

/** What can be tuned: the fields node-datachannel passes to libdatachannel (its `SctpSettings`). */
export interface SctpTuning {
  /** usrsctp receive buffer, bytes (the advertised receive window). */
  recvBufferSize?: number;
  /** usrsctp send buffer, bytes (what may be unacknowledged in flight, plus what waits). */
  sendBufferSize?: number;
  /** Chunks that may wait in an association's queues. */
  maxChunksOnQueue?: number;
  /** Initial congestion window, in MTUs. */
  initialCongestionWindow?: number;
  /** 0: RFC 2581 (standard), 1: HighSpeed TCP (RFC 3649), 2: H-TCP, 3: RTCC (RTP-style). */
  congestionControlModule?: number;
  /** Delayed SACK time, ms (0: SACK every packet). */
  delayedSackTime?: number;
  /**
   * usrsctp's max burst: packets sent at once on one SACK, in MTUs (0: no limit). Only
   * node-datachannel built with native/patches passes it on (native/README.md).
   */
  maxBurst?: number;
  /**
   * The minimum retransmission timeout, ms (libdatachannel: 200, RFC 4960: 1000). Only
   * node-datachannel built with native/patches passes it on (native/README.md).
   */
  minRetransmitTimeout?: number;
}

export type SctpField = keyof SctpTuning;

/** libdatachannel v0.24.5's values when nothing is set (SctpTransport::SetSettings). */
export const STOCK_SCTP: Readonly<Required<SctpTuning>> = Object.freeze({
  recvBufferSize: 1024 * 1024,
  sendBufferSize: 1024 * 1024,
  maxChunksOnQueue: 10 * 1024,
  initialCongestionWindow: 10,
  congestionControlModule: 0,
  delayedSackTime: 20,
  maxBurst: 10,
  minRetransmitTimeout: 200,
});

/**
 * The minimum retransmission timeout a PeerNode and the reverse proxy use: RFC 4960's
 * 1 s, not libdatachannel's 200 ms. With 200 ms, an association that had carried about a
 * thousand short streams fired its retransmission timer again and again with nothing to
 * retransmit, each time cutting its congestion window to one MTU (0.5-2 MiB/s on a
 * 50 ms / 200 Mbit/s link). Measured with usrsctp's counters (bench/lab/pp-upload.ts;
 * README, reverse proxy, "The upload/download collapse"): 10 rounds of 3 x 64 MiB after
 * 500 connections, 27-85 timeouts per round and rates down to 4.8 MiB/s at 200 ms, 2-7
 * timeouts and 13.5-19.5 MiB/s at 1000 ms. Needs the native build (native/README.md);
 * the prebuilt addon keeps 200 ms.
 */
export const MIN_RTO_MS = 1000;

/**
 * usrsctp's max burst a PeerNode and the reverse proxy use: 128 MTUs, not
 * libdatachannel's 10. usrsctp applies the limit to the congestion window itself:
 * whenever what is in flight falls more than max-burst MTUs below the window
 * (a transfer that starts after the last one drained, or a moment the sender's
 * application was late), the window is cut to the flight plus max-burst MTUs, and
 * slow start begins again from there. With 10 that was from 12 KiB: every new
 * transfer on a warm association spent about 8 round trips getting back to the
 * link's rate, and a steady transfer lost rate at each hiccup. Measured on the
 * lab's 50 ms / 200 Mbit/s link with its one-BDP queue (bench/lab/pp-upload.ts,
 * DIAG_WARM=16, the public-port bench's order: 16 MiB, then 64 MiB timed):
 * uploads through a public port 18.2-19.1 MiB/s at 10, 19.9-20.6 at 128, 17.8-20.8
 * at 0 (no limit: a burst of a whole window overran the queue, 263 drops),
 * 5.6-21.1 at 256 and 512 (the same); a raw channel (bench/lab/tuning.ts, 3 runs)
 * 16.3-20.2 at 10, 18.6-20.6 at 128. usrsctp's other mode (the limit counts
 * packets per send without touching the window; sysctl use_cwnd_based_maxburst=0,
 * an experiment build) did worse: 16.4-20.1 at 10, with drops. Needs the native
 * build (native/README.md); the prebuilt addon keeps 10.
 */
export const MAX_BURST_MTUS = 128;

/**
 * What a PeerNode uses when it is given no tuning: 4 MiB send and receive
 * buffers, the rest stock. Measured on the lab's emulated links with a raw
 * channel (bench/lab/tuning.ts, table in the README): at 50 ms RTT 44.6 MiB/s
 * against 12.6 stock, at 100 ms 29.3 against 3.8; 8 and 16 MiB were no faster
 * and collapsed more often; other congestion control modules, delayed-SACK
 * times, several channels and smaller messages gained nothing. The cost: on a
 * rate-capped link whose queue holds about one bandwidth-delay product, slow
 * start can overshoot it and usrsctp recovers slowly (seen in 3 of 4 runs at
 * 50 ms / 200 Mbit/s); `--sctp-buffer-kib 2048` avoids that on such links.
 * Idle memory per PeerConnection is the same (the buffers fill only under load).
 * The minimum RTO is MIN_RTO_MS and the max burst MAX_BURST_MTUS.
 */
export const DEFAULT_SCTP_TUNING: Readonly<SctpTuning> = Object.freeze({ recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024, minRetransmitTimeout: MIN_RTO_MS, maxBurst: MAX_BURST_MTUS });

/** Accepted range of each field, inclusive; the CLI's flags use the same bounds. */
export const SCTP_LIMITS: Readonly<Record<SctpField, { min: number; max: number; unit: string }>> = Object.freeze({
  // Below 64 KiB a single 256 KiB message would not fit (libdatachannel raises it to the
  // message size anyway); above 64 MiB one association could hold that much per direction.
  recvBufferSize: { min: 64 * 1024, max: 64 * 1024 * 1024, unit: 'bytes' },
  sendBufferSize: { min: 64 * 1024, max: 64 * 1024 * 1024, unit: 'bytes' },
  maxChunksOnQueue: { min: 256, max: 1024 * 1024, unit: 'chunks' },
  initialCongestionWindow: { min: 1, max: 1000, unit: 'MTUs' },
  congestionControlModule: { min: 0, max: 3, unit: '' },
  // RFC 4960 6.2: the SACK delay must not exceed 500 ms.
  delayedSackTime: { min: 0, max: 500, unit: 'ms' },
  maxBurst: { min: 0, max: 1000, unit: 'MTUs' },
  minRetransmitTimeout: { min: 50, max: 5000, unit: 'ms' },
});

const FIELDS = Object.keys(STOCK_SCTP) as SctpField[];

/** The settings only node-datachannel built with native/patches passes on (native/README.md). */
export const NATIVE_ONLY_SCTP: readonly SctpField[] = ['maxBurst', 'minRetransmitTimeout'];

/**
 * Check a tuning (from a library caller or the CLI): only known fields, each a
 * whole number within SCTP_LIMITS. Returns a copy without undefined fields.
 */
export function validateSctpTuning(t: unknown): SctpTuning {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new P2prcError(ErrorCode.BadArgument, 'SCTP tuning must be an object');
  const out: SctpTuning = {};
  for (const [k, v] of Object.entries(t as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (!FIELDS.includes(k as SctpField)) throw new P2prcError(ErrorCode.BadArgument, `unknown SCTP setting "${k}" (known: ${FIELDS.join(', ')})`);
    const field = k as SctpField;
    const { min, max, unit } = SCTP_LIMITS[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new P2prcError(ErrorCode.BadArgument, `SCTP setting ${field} must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}, got ${JSON.stringify(v)}`);
    }
    out[field] = v;
  }
  return out;
}

/** The values in force with `t` applied: every field, stock where `t` leaves it out. */
export function effectiveSctp(t: SctpTuning): Required<SctpTuning> {
  const out = { ...STOCK_SCTP };
  for (const f of FIELDS) if (t[f] !== undefined) out[f] = t[f];
  return out;
}

/** The fields of `t` that differ from stock (empty: the stock configuration). */
export function sctpChanges(t: SctpTuning): SctpTuning {
  const e = effectiveSctp(t);
  const out: SctpTuning = {};
  for (const f of FIELDS) if (e[f] !== STOCK_SCTP[f]) out[f] = e[f];
  return out;
}

/** `recvBufferSize=4194304 delayedSackTime=5`, or `stock`. */
export function describeSctp(t: SctpTuning): string {
  const c = sctpChanges(t);
  const parts = FIELDS.filter((f) => c[f] !== undefined).map((f) => `${f}=${c[f]}`);
  return parts.length ? parts.join(' ') : 'stock';
}

function sameSctp(a: SctpTuning, b: SctpTuning): boolean {
  const ea = effectiveSctp(a);
  const eb = effectiveSctp(b);
  return FIELDS.every((f) => ea[f] === eb[f]);
}

/**
 * The process's one SCTP configuration. The first apply() decides it; the same
 * configuration again is a no-op; a different one is refused. `set` is the
 * native call (injected so tests need no native state).
 */
export class SctpTuner {
  private applied?: SctpTuning;
  private readonly set: (s: SctpSettings) => void;

  constructor(set: (s: SctpSettings) => void) {
    this.set = set;
  }

  /** The configuration in force, once decided. */
  get current(): SctpTuning | undefined {
    return this.applied;
  }

  /**
   * Decide the configuration (undefined: DEFAULT_SCTP_TUNING). Returns true when it
   * made the native call (a non-stock configuration applied for the first time).
   */
  apply(tuning?: SctpTuning): boolean {
    const t = tuning === undefined ? { ...DEFAULT_SCTP_TUNING } : validateSctpTuning(tuning);
    if (this.applied) {
      if (sameSctp(this.applied, t)) return false;
      throw new P2prcError(
        ErrorCode.BadArgument,
        `SCTP settings are process-wide and already set (${describeSctp(this.applied)}); refusing a different configuration (${describeSctp(t)})`,
      );
    }
    const changes = sctpChanges(t);
    this.applied = changes;
    if (Object.keys(changes).length === 0) return false; // stock: libdatachannel's own defaults
    this.set(effectiveSctp(changes));
    return true;
  }
}

const processTuner = new SctpTuner((s) => ndc.setSctpSettings(s));

/**
 * Set this process's SCTP configuration before its first PeerConnection (see
 * SctpTuner.apply). PeerNode calls it with its options; anything else that makes
 * PeerConnections itself (the bench) calls it first.
 */
export function applySctpTuning(tuning?: SctpTuning): boolean {
  // Read when applied, not when this module loads: the addon's stamp is read once, on first use.
  return processTuner.apply(supportedSctp(tuning ?? DEFAULT_SCTP_TUNING));
}

/**
 * `t` without the settings this process's addon would ignore: with the prebuilt addon,
 * maxBurst and minRetransmitTimeout stay libdatachannel's (the peers warn at start).
 */
export function supportedSctp(t: SctpTuning, patched = hasNativePatch(SCTP_SETTINGS_PATCH)): SctpTuning {
  if (patched) return t;
  const out = { ...t };
  for (const f of NATIVE_ONLY_SCTP) delete out[f];
  return out;
}

/** This process's SCTP configuration, once decided (only the fields that differ from stock). */
export function currentSctpTuning(): SctpTuning | undefined {
  return processTuner.current;
}
