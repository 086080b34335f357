/**
 * Which way a peer reaches its relays: straight over UDP, or through the local
 * bridge (./bridge) over TCP or TLS when UDP is blocked. Decided once at
 * start (PeerNode.start, after registering):
 *
 *   auto  a STUN Binding to the first UDP relay (4 tries in 1.5 s). Answered:
 *         UDP, and nothing else changes. Unanswered while the signal server's
 *         WebSocket works: each TCP relay, then each TLS relay, is tried through
 *         a bridge with a real Allocate (our credentials; freed at once); the
 *         first that allocates carries every session's relay traffic.
 *   udp   never bridge;
 *   tcp / tls  always bridge over that transport (a network known to block UDP, tests, benches).
 *
 * Sessions then get iceServers(): with a bridge, only the bridge (as
 * `turn:127.0.0.1:<port>?transport=udp` with the server's credentials; STUN
 * and UDP relays would only time out); without, the UDP servers, and never a
 * TCP/TLS one (libjuice would drop it with a warning).
 */
import { lookup } from 'node:dns/promises';
import type { IceServer } from 'node-datachannel';
import type { IceServerConfig } from '../protocol/messages.js';
import { bindUdp, bindingRequest } from '../stun-client/binding.js';
import { probeTurn, type ProbeResult } from '../stun-client/turn-probe.js';
import type { Logger } from '../util/log.js';
import { parseIceUrl } from '../peer/ice.js';
import { TurnBridge, type BridgeTarget } from './bridge.js';

export const RELAY_TRANSPORT_MODES = ['auto', 'udp', 'tcp', 'tls'] as const;
export type RelayTransportMode = (typeof RELAY_TRANSPORT_MODES)[number];
export type RelayTransport = 'udp' | 'tcp' | 'tls';

/** The stream relays are tried at once, each connection given this long (a dropped SYN is retried at 1 s). */
export const PROBE_CONNECT_MS = 3000;
/** A later relay in the list that worked waits this long for an earlier one (TCP before TLS) still connecting. */
export const PREFERENCE_GRACE_MS = 500;
/** The UDP check: first try after 100 ms, 4 tries: unanswered after 1.5 s. */
export const UDP_CHECK_RTO_MS = 100;
export const UDP_CHECK_ATTEMPTS = 4;

/** One TURN server of the list, by transport, with the credentials of its entry. */
export interface RelayEntry {
  url: string;
  transport: RelayTransport;
  host: string;
  port: number;
  username: string;
  credential: string;
  certFingerprint?: string;
}

/** The TURN servers of an ICE server list, in its order, with their transports. */
export function relayEntries(list: readonly IceServerConfig[]): RelayEntry[] {
  const out: RelayEntry[] = [];
  for (const s of list) {
    for (const url of Array.isArray(s.urls) ? s.urls : [s.urls]) {
      let p: IceServer;
      try {
        p = parseIceUrl(url);
      } catch {
        continue;
      }
      if (!p.relayType) continue;
      const transport: RelayTransport = p.relayType === 'TurnTls' ? 'tls' : p.relayType === 'TurnTcp' ? 'tcp' : 'udp';
      out.push({ url, transport, host: p.hostname, port: p.port, username: s.username ?? '', credential: s.credential ?? '', ...(s.certFingerprint ? { certFingerprint: s.certFingerprint } : {}) });
    }
  }
  return out;
}

/** The list without TCP/TLS TURN URLs (what ICE gets when relaying over UDP). */
export function udpOnly(list: readonly IceServerConfig[]): IceServer[] {
  const out: IceServer[] = [];
  for (const s of list) {
    for (const url of Array.isArray(s.urls) ? s.urls : [s.urls]) {
      const p = parseIceUrl(url, s.username, s.credential);
      if (p.relayType === 'TurnTcp' || p.relayType === 'TurnTls') continue;
      out.push(p);
    }
  }
  return out;
}

/** Does a UDP STUN server answer a Binding? (`bind`: the local address ICE uses.) */
export async function udpAnswers(server: { host: string; port: number }, bind?: string, opts: { rtoMs?: number; attempts?: number } = {}): Promise<boolean> {
  const address = (await lookup(server.host, { family: 4 })).address;
  const sock = await bindUdp(bind ?? '0.0.0.0');
  try {
    const r = await bindingRequest(sock, { address, port: server.port }, undefined, { rtoMs: opts.rtoMs ?? UDP_CHECK_RTO_MS, attempts: opts.attempts ?? UDP_CHECK_ATTEMPTS });
    return r !== undefined;
  } finally {
    sock.close();
  }
}

/** Allocate through a fresh bridge to `e` (then free it); the bridge is returned when it worked, else closed. */
export async function probeThroughBridge(e: RelayEntry, log: Logger, connectTimeoutMs = PROBE_CONNECT_MS): Promise<{ result: ProbeResult; bridge?: TurnBridge }> {
  const target: BridgeTarget = { host: e.host, port: e.port, transport: e.transport === 'tls' ? 'tls' : 'tcp', connectTimeoutMs, ...(e.certFingerprint ? { certFingerprint: e.certFingerprint } : {}) };
  const bridge = new TurnBridge(target, log);
  const local = await bridge.start();
  // A connection that fails (refused, a pinned certificate that is not the server's) ends the probe at once.
  const failed = new Promise<ProbeResult>((resolve) => bridge.once('failed', (why) => resolve({ ok: false, reason: why })));
  const result = await Promise.race([probeTurn({ host: local.address, port: local.port, username: e.username, credential: e.credential }, { rtoMs: 250, attempts: 5 }), failed]);
  if (result.ok) return { result, bridge };
  bridge.close();
  return { result };
}

/**
 * The settled values of `promises`, in order, as soon as the winner is known:
 * the first one (in order) that is `good`, once every one before it has
 * settled, or `graceMs` after a later one turned out good while an earlier one
 * was still pending (the still pending ones are undefined, and a good one that
 * settles later is handed to `late` to be released). All settled: every value.
 */
export function firstInOrder<T>(promises: Promise<T>[], good: (v: T) => boolean, graceMs: number, late: (v: T) => void = () => undefined): Promise<(T | undefined)[]> {
  return new Promise((resolve) => {
    const values: (T | undefined)[] = promises.map(() => undefined);
    const settled = promises.map(() => false);
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve([...values]);
    };
    const check = (): void => {
      for (let i = 0; i < promises.length; i++) {
        if (!settled[i]) {
          // An earlier one is pending: a later good one waits for it, within the grace.
          if (!timer && values.some((v, j) => j > i && settled[j] && good(v as T))) timer = setTimeout(finish, graceMs);
          return;
        }
        if (good(values[i] as T)) return finish();
      }
      finish();
    };
    promises.forEach((p, i) =>
      p.then((v) => {
        if (done) return late(v);
        values[i] = v;
        settled[i] = true;
        check();
      }),
    );
    if (!promises.length) finish();
  });
}

/** One relay tried with our credentials, over its transport (`p2prc nat`). */
export interface RelayReach {
  url: string;
  transport: RelayTransport;
  server: string;
  ok: boolean;
  /** The allocation's round trip (the first transaction), when it worked. */
  rttMs?: number;
  reason?: string;
}

/** Every TURN server of the list tried at once, each over its own transport (stream ones through a bridge); allocations freed at once. */
export async function probeRelays(list: readonly IceServerConfig[], log: Logger): Promise<RelayReach[]> {
  return Promise.all(
    relayEntries(list).map(async (e): Promise<RelayReach> => {
      const base = { url: e.url, transport: e.transport, server: `${e.host}:${e.port}` };
      let r: ProbeResult;
      if (e.transport === 'udp') r = await probeTurn({ host: e.host, port: e.port, username: e.username, credential: e.credential }, { rtoMs: UDP_CHECK_RTO_MS * 2, attempts: UDP_CHECK_ATTEMPTS });
      else {
        const p = await probeThroughBridge(e, log);
        p.bridge?.close();
        r = p.result;
      }
      return r.ok ? { ...base, ok: true, rttMs: r.rttMs } : { ...base, ok: false, reason: r.reason };
    }),
  );
}

export interface RelayPathDecision {
  transport: RelayTransport;
  /** Why (a line for the log and `--json`). */
  reason: string;
  /** The server the bridge reaches (`tls 203.0.113.1:5349`), when bridged. */
  via?: string;
}

export class RelayPath {
  private bridge?: TurnBridge;
  private entry?: RelayEntry;
  decision: RelayPathDecision = { transport: 'udp', reason: 'not decided yet' };

  constructor(
    private readonly mode: RelayTransportMode,
    private readonly log: Logger,
    private readonly bind?: string,
  ) {}

  get transport(): RelayTransport {
    return this.decision.transport;
  }

  /** Decide (once per start; a second call decides again, closing an old bridge). */
  async decide(list: readonly IceServerConfig[]): Promise<RelayPathDecision> {
    this.close();
    const entries = relayEntries(list);
    const streams = (t?: RelayTransport): RelayEntry[] => entries.filter((e) => (t ? e.transport === t : e.transport !== 'udp')).sort((a, b) => (a.transport === b.transport ? 0 : a.transport === 'tcp' ? -1 : 1));
    if (this.mode === 'udp') return this.set({ transport: 'udp', reason: '--relay-transport udp' }, 'debug');
    if (this.mode === 'auto') {
      const udp = entries.find((e) => e.transport === 'udp');
      if (!udp) return this.set({ transport: 'udp', reason: 'no UDP relay to check' }, 'debug');
      let answered = false;
      try {
        answered = await udpAnswers(udp, this.bind);
      } catch (err) {
        this.log.debug('UDP check failed', { err: (err as Error).message });
      }
      if (answered) return this.set({ transport: 'udp', reason: `UDP to ${udp.host}:${udp.port} answers` }, 'debug');
      // Every stream relay at once (a firewall that drops TCP to 3478 costs one connect timeout, not one per relay); the first in order (TCP before TLS) that allocated wins.
      const candidates = streams();
      const probes = await firstInOrder(candidates.map((e) => probeThroughBridge(e, this.log)), (p) => p.bridge !== undefined, PREFERENCE_GRACE_MS, (p) => p.bridge?.close());
      const win = probes.findIndex((p) => p?.bridge);
      probes.forEach((p, i) => i !== win && p?.bridge?.close());
      for (const [i, p] of probes.entries()) if (i !== win && p && !p.result.ok) this.log.warn('relay over a stream unusable', { server: candidates[i]!.url, reason: p.result.reason });
      if (win >= 0) {
        const e = candidates[win]!;
        this.bridge = probes[win]!.bridge;
        this.entry = e;
        return this.set({ transport: e.transport, reason: `UDP to ${udp.host}:${udp.port} gets no answer (STUN, ${UDP_CHECK_ATTEMPTS} tries in 1.5 s): relaying over ${e.transport.toUpperCase()} through a local bridge`, via: this.bridge!.describe() }, 'warn');
      }
      const tried = candidates.map((e) => `${e.transport} ${e.host}:${e.port}`);
      return this.set({ transport: 'udp', reason: `UDP to ${udp.host}:${udp.port} gets no answer, and no TCP/TLS relay allocated${tried.length ? ` (tried ${tried.join(', ')})` : ' (none offered)'}` }, 'warn');
    }
    for (const e of streams(this.mode)) {
      const r = await this.tryBridge(e);
      if (r) return this.set({ transport: e.transport, reason: `--relay-transport ${this.mode}`, via: r });
    }
    return this.set({ transport: 'udp', reason: `--relay-transport ${this.mode}: no ${this.mode.toUpperCase()} relay allocated; relaying over UDP` }, 'warn');
  }

  /** The ICE servers a session gets (see the top of this file). */
  iceServers(list: readonly IceServerConfig[]): IceServer[] {
    if (this.bridge && this.entry) {
      // The credentials of the list now (they are renewed when the signal server is rejoined), by the same URL.
      const e = relayEntries(list).find((x) => x.url === this.entry!.url) ?? this.entry;
      const local = this.bridge.local;
      return [{ hostname: local.address, port: local.port, relayType: 'TurnUdp', username: e.username, password: e.credential }];
    }
    return udpOnly(list);
  }

  /** The bridge's counters (bytes each way, connections, drops), when bridged. */
  get bridgeStats(): TurnBridge['stats'] | undefined {
    return this.bridge?.stats;
  }

  close(): void {
    this.bridge?.close();
    this.bridge = undefined;
    this.entry = undefined;
  }

  private async tryBridge(e: RelayEntry): Promise<string | undefined> {
    const { result, bridge } = await probeThroughBridge(e, this.log);
    if (!bridge) {
      this.log.warn('relay over a stream unusable', { server: e.url, reason: result.ok ? '' : result.reason });
      return undefined;
    }
    this.bridge = bridge;
    this.entry = e;
    return bridge.describe();
  }

  /** Records the decision; logged at `level` (debug: the usual case, UDP works). */
  private set(d: RelayPathDecision, level: 'debug' | 'info' | 'warn' = 'info'): RelayPathDecision {
    this.decision = d;
    this.log[level]('relay path', { ...d });
    return d;
  }
}
