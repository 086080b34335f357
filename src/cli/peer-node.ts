/**
 * The peer that `p2prc expose` and `p2prc connect` run: options to PeerNode,
 * the data-dir lock, the NAT line it prints at start, and its stop on a signal.
 */
import { PeerNode } from '../peer/node.js';
import type { RelayTransportMode } from '../relay-bridge/relay-path.js';
import { Identity } from '../identity/keys.js';
import { resolveDataDir } from '../util/paths.js';
import { lockDataDir } from '../util/lock.js';
import { formatNatLine } from './format.js';
import { secretOf, sctpTuningOf, type SctpFlags } from './options.js';
import { defaultName, installSignals, onShutdown, out } from './runtime.js';
import { startWatchdog } from '../util/watchdog.js';

export interface PeerOpts extends SctpFlags {
  server: string;
  name?: string;
  dataDir?: string;
  secret?: string;
  forceRelay: boolean;
  relayTransport?: RelayTransportMode;
  serverCert?: string;
  bind?: string;
  /** --port-map, or its older name --upnp. */
  portMap?: boolean;
  upnp?: boolean;
  icePort?: number;
  /** commander's --no-punch. */
  punch?: boolean;
  /** --max-new-sessions: sessions accepted per minute from peers not connected to us. */
  maxNewSessions?: number;
}

/** Data dirs this process holds the lock of: a process that moves to another server (expose --server auto) starts a node again. */
const locked = new Set<string>();
let watchdogStarted = false;

export async function startNode(o: PeerOpts, name: string | undefined, asJson: boolean): Promise<PeerNode> {
  installSignals();
  const dataDir = resolveDataDir(o.dataDir);
  if (!locked.has(dataDir)) {
    lockDataDir(dataDir);
    locked.add(dataDir);
  }
  const secret = secretOf(o);
  const sctp = sctpTuningOf(o);
  const provisional = name ?? `${defaultName()}-${Identity.loadOrCreate(dataDir).peerId.slice(0, 6)}`;
  const node = new PeerNode({
    server: o.server,
    name: provisional,
    dataDir,
    ...(secret ? { secret } : {}),
    forceRelay: o.forceRelay,
    ...(o.relayTransport ? { relayTransport: o.relayTransport } : {}),
    ...(o.serverCert ? { pinnedCertSha256: o.serverCert.toUpperCase() } : {}),
    ...(o.bind ? { bindAddress: o.bind } : {}),
    ...(o.portMap || o.upnp ? { upnp: true, ...(o.icePort !== undefined ? { icePort: o.icePort } : {}) } : {}),
    ...(o.punch === false ? { punch: false } : {}),
    ...(o.maxNewSessions !== undefined ? { strangerSessionsPerMinute: o.maxNewSessions } : {}),
    ...(sctp ? { sctp } : {}),
  });
  const o2 = out(asJson);
  node.on('nat', (r) =>
    o2.print(formatNatLine(r), {
      event: 'nat',
      natted: r.natted,
      mapping: r.mapping,
      filtering: r.filtering,
      classic: r.classic,
      ...(r.publicAddress ? { publicAddress: r.publicAddress } : {}),
    }),
  );
  // Registered before start(): start() may map a router port that a signal must still undo.
  onShutdown(() => node.stop());
  // A peer whose main thread is stuck in libdatachannel never recovers: better ended (and restarted).
  const watchdog = watchdogStarted
    ? undefined
    : startWatchdog("a native call never returned; the known cause is libdatachannel's relayed DTLS deadlock in node-datachannel's prebuilt addon (see src/peer/stall-reason.ts and native/README.md), after which no PeerConnection of this process works");
  if (watchdog) {
    watchdogStarted = true;
    onShutdown(async () => watchdog.stop());
  }
  await node.start();
  const rp = node.relayPath.decision;
  if (rp.transport !== 'udp') o2.print(`relay: over ${rp.transport.toUpperCase()} through a local bridge to ${rp.via} (${rp.reason})`, { event: 'relay-path', ...rp });
  else if (o.relayTransport && o.relayTransport !== 'auto' && o.relayTransport !== 'udp') o2.print(`relay: ${rp.reason}`, { event: 'relay-path', ...rp });
  return node;
}
