/**
 * The options several p2prc commands share, written once (as frp's
 * `cmd/frpc/sub/root.go` does): the global --json and --log-level, and the
 * signal server, secret, data dir and ICE options of the peer commands. The
 * P2PRC_SECRET fallback lives here and nowhere else.
 */
import { Option, type Command } from 'commander';
import { numericOption, parseCount, wholeIn } from './numbers.js';
import { STRANGER_SESSIONS_PER_MINUTE } from '../peer/stranger-budget.js';
import { DEFAULT_SCTP_TUNING, NATIVE_ONLY_SCTP, SCTP_LIMITS, STOCK_SCTP, type SctpTuning } from '../peer/sctp-settings.js';
import { hasNativePatch, SCTP_SETTINGS_PATCH } from '../peer/native-build.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { RELAY_TRANSPORT_MODES } from '../relay-bridge/relay-path.js';

/** Global: one JSON object per line on stdout instead of human text. */
export const jsonOption = (): Option => new Option('--json', 'machine-readable output, one JSON object per line').default(false);

/** Global: log verbosity on stderr; P2PRC_LOG_LEVEL sets the default. */
export const logLevelOption = (): Option =>
  new Option('--log-level <level>', 'log verbosity on stderr').choices(['debug', 'info', 'warn', 'error']).default(process.env.P2PRC_LOG_LEVEL ?? 'info');

/** --server: the signal server's URL; mandatory unless a command can do without (`p2prc nat --stun`). */
export function serverOption(description = 'signal server URL, ws://host:port', mandatory = true): Option {
  return new Option('--server <url>', description).makeOptionMandatory(mandatory);
}

/** --secret: what the signal server requires; see secretOf for the environment fallback. */
export const secretOption = (description = 'secret the signal server requires (or P2PRC_SECRET)'): Option => new Option('--secret <secret>', description);

/** The secret to use: --secret, else $P2PRC_SECRET, else none. */
export function secretOf(o: { secret?: string }): string | undefined {
  return o.secret ?? process.env.P2PRC_SECRET;
}

/** --server-cert: pin a wss:// signal server's self-signed certificate. */
export const serverCertOption = (): Option =>
  new Option('--server-cert <sha256>', 'wss:// to a server with a self-signed certificate: accept exactly the one with this SHA-256 fingerprint (AA:BB:..., as `p2prc server` prints it)');

/** --data-dir: its description says what the command keeps there. */
export const dataDirOption = (description: string): Option => new Option('--data-dir <dir>', description);

/** Adds the options of the commands that run a peer (expose, connect), in the order their help lists them after --name. */
export function addPeerOptions(cmd: Command): Command {
  return cmd
    .addOption(dataDirOption('identity, known peers and mapping log (default $P2PRC_HOME or ~/.p2prc)'))
    .addOption(secretOption())
    .addOption(new Option('--force-relay', 'only use relayed (TURN) paths').default(false))
    .addOption(
      new Option('--relay-transport <how>', 'reach the relay over udp, or over tcp or tls through a local bridge; auto: tcp, then tls, when UDP to it gets no answer')
        .choices(RELAY_TRANSPORT_MODES)
        .default('auto'),
    )
    .addOption(serverCertOption())
    .addOption(new Option('--bind <address>', 'local address for ICE sockets (default: all)'))
    .addOption(new Option('--no-punch', 'no NAT check at start and no port prediction with symmetric NATs (ICE and the relay only)'))
    .addOption(numericOption('--max-new-sessions <n>', `sessions accepted per minute from peers not connected to us (default ${STRANGER_SESSIONS_PER_MINUTE})`, parseCount))
    .addOption(sctpBufferOption())
    .addOption(sctpCcOption())
    .addOption(sctpSackOption())
    .addOption(sctpCwndOption())
    .addOption(sctpMaxBurstOption())
    .addOption(sctpMaxChunksOption())
    .addOption(sctpMinRtoOption());
}

/** The --sctp-* flags, as commander hands them over. */
export interface SctpFlags {
  sctpBufferKib?: number;
  sctpCc?: number;
  sctpSackMs?: number;
  sctpCwnd?: number;
  sctpMaxBurst?: number;
  sctpMaxChunks?: number;
  sctpMinRto?: number;
}

const KiB = 1024;
const L = SCTP_LIMITS;

/** SCTP tuning flags (process-wide, see sctp-settings.ts), shared by the peer commands and the bench's children. */
export const sctpBufferOption = (description = `SCTP receive and send buffer per session, KiB (default ${DEFAULT_SCTP_TUNING.recvBufferSize! / KiB}; libdatachannel's stock ${STOCK_SCTP.recvBufferSize / KiB})`): Option =>
  numericOption('--sctp-buffer-kib <n>', description, wholeIn(L.recvBufferSize.min / KiB, L.recvBufferSize.max / KiB));
export const sctpCcOption = (): Option =>
  numericOption('--sctp-cc <n>', `SCTP congestion control: 0 RFC 2581, 1 HighSpeed TCP, 2 H-TCP, 3 RTCC (default ${STOCK_SCTP.congestionControlModule})`, wholeIn(L.congestionControlModule.min, L.congestionControlModule.max));
export const sctpSackOption = (): Option =>
  numericOption('--sctp-sack-ms <n>', `SCTP delayed SACK time, ms; 0 acknowledges every packet (default ${STOCK_SCTP.delayedSackTime})`, wholeIn(L.delayedSackTime.min, L.delayedSackTime.max));
export const sctpCwndOption = (): Option =>
  numericOption('--sctp-cwnd <n>', `SCTP initial congestion window, MTUs (default ${STOCK_SCTP.initialCongestionWindow})`, wholeIn(L.initialCongestionWindow.min, L.initialCongestionWindow.max));

export const sctpMaxBurstOption = (): Option =>
  numericOption('--sctp-max-burst <n>', `SCTP max burst, MTUs: the congestion window is kept within this much of what is in flight; 0 no limit (default ${DEFAULT_SCTP_TUNING.maxBurst}; libdatachannel's ${STOCK_SCTP.maxBurst}; needs the native build, native/README.md)`, wholeIn(L.maxBurst.min, L.maxBurst.max));

export const sctpMaxChunksOption = (): Option =>
  numericOption('--sctp-max-chunks <n>', `SCTP chunks that may wait in a session's send queues (default ${STOCK_SCTP.maxChunksOnQueue})`, wholeIn(L.maxChunksOnQueue.min, L.maxChunksOnQueue.max));

export const sctpMinRtoOption = (): Option =>
  numericOption('--sctp-min-rto <ms>', `SCTP minimum retransmission timeout, ms (default ${DEFAULT_SCTP_TUNING.minRetransmitTimeout} as RFC 4960 says; libdatachannel's ${STOCK_SCTP.minRetransmitTimeout}; needs the native build, native/README.md)`, wholeIn(L.minRetransmitTimeout.min, L.minRetransmitTimeout.max));

/**
 * The tuning the --sctp-* flags ask for, each flag changing its one setting of
 * `base` (default DEFAULT_SCTP_TUNING: `--sctp-cc 2` alone keeps the default
 * buffers); undefined when none is given.
 */
export function sctpTuningOf(o: SctpFlags, base: Readonly<SctpTuning> = DEFAULT_SCTP_TUNING): SctpTuning | undefined {
  const t: SctpTuning = {};
  if (o.sctpBufferKib !== undefined) t.recvBufferSize = t.sendBufferSize = o.sctpBufferKib * KiB;
  if (o.sctpCc !== undefined) t.congestionControlModule = o.sctpCc;
  if (o.sctpSackMs !== undefined) t.delayedSackTime = o.sctpSackMs;
  if (o.sctpCwnd !== undefined) t.initialCongestionWindow = o.sctpCwnd;
  if (o.sctpMaxBurst !== undefined) t.maxBurst = o.sctpMaxBurst;
  if (o.sctpMaxChunks !== undefined) t.maxChunksOnQueue = o.sctpMaxChunks;
  if (o.sctpMinRto !== undefined) t.minRetransmitTimeout = o.sctpMinRto;
  if (NATIVE_ONLY_SCTP.some((f) => t[f] !== undefined) && !hasNativePatch(SCTP_SETTINGS_PATCH)) {
    throw new P2prcError(ErrorCode.BadArgument, '--sctp-max-burst and --sctp-min-rto need node-datachannel built from source with native/patches (bash native/build.sh): its prebuilt addon ignores them');
  }
  return Object.keys(t).length ? { ...base, ...t } : undefined;
}

/** The flags that give `t` to a child process (the bench passes its tuning on this way). */
export function sctpArgs(t: SctpTuning | undefined): string[] {
  if (!t) return [];
  const a: string[] = [];
  if (t.recvBufferSize !== undefined || t.sendBufferSize !== undefined) {
    if (t.recvBufferSize !== t.sendBufferSize) throw new P2prcError(ErrorCode.BadArgument, '--sctp-buffer-kib sets both buffers: they must be equal');
    a.push('--sctp-buffer-kib', String(t.recvBufferSize! / KiB));
  }
  if (t.congestionControlModule !== undefined) a.push('--sctp-cc', String(t.congestionControlModule));
  if (t.delayedSackTime !== undefined) a.push('--sctp-sack-ms', String(t.delayedSackTime));
  if (t.initialCongestionWindow !== undefined) a.push('--sctp-cwnd', String(t.initialCongestionWindow));
  if (t.maxBurst !== undefined) a.push('--sctp-max-burst', String(t.maxBurst));
  if (t.maxChunksOnQueue !== undefined) a.push('--sctp-max-chunks', String(t.maxChunksOnQueue));
  if (t.minRetransmitTimeout !== undefined) a.push('--sctp-min-rto', String(t.minRetransmitTimeout));
  return a;
}

/** Commander's way to repeat an option: each value appended to the list. */
export const collect = (v: string, prev: string[]): string[] => [...prev, v];
