/**
 * What registered peers send the server besides presence requests: signals to
 * another peer (brokered, with back-pressure), their NAT behaviour (kept in
 * their presence entry) and the routes they report (rate-limited, logged and
 * written to the mapping log).
 */
import type { NatInfo, PeerInfo, PublishedService, RouteReport, SignalPayload } from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import { encodeSignalIn, payloadText } from '../src/protocol/signal-relay.js';
import type { MappingLog } from '../src/mapping/log.js';
import type { Logger } from '../src/util/log.js';
import type { Conn, Replies } from './connection.js';
import type { SignalLimits } from './limits.js';
import type { Presence } from './presence.js';
import { TokenBucket } from './rate-limit.js';
import type { Registry } from './registry.js';
import { routeRow } from './route-row.js';
import type { RouteBook } from './web/snapshot.js';

/**
 * Do not queue more than this for a slow receiver; the sender is told `peer-congested`.
 * Below the limits' maxSendBuffered, so a sender learns of congestion before the receiver is dropped.
 */
const MAX_PEER_BUFFERED = 1024 * 1024;

export interface PeerMessageContext {
  registry: Registry<Conn>;
  presence: Presence<Conn>;
  out: Replies;
  log: Logger;
  limits: SignalLimits;
  mapping?: MappingLog;
  serverName: string;
  /** The latest route per pair, for the dashboard. */
  routes: RouteBook;
  /** What the dashboard shows changed (a peer's NAT, services or route). */
  changed: () => void;
}

/** A signal for `to`; `text` is the whole message as the sender wrote it (its payload may be relayed as written). */
export function onSignal(ctx: PeerMessageContext, conn: Conn, from: PeerInfo, to: string, payload: SignalPayload, text?: string): void {
  const target = ctx.registry.get(to);
  if (!target) {
    ctx.out.reject(conn, new P2prcError(ErrorCode.PeerOffline, `peer ${to} is not online`), 'signal');
    return;
  }
  if (target.ws.bufferedAmount > MAX_PEER_BUFFERED) {
    ctx.out.reject(conn, new P2prcError(ErrorCode.PeerCongested, `peer ${target.peer?.name ?? to} is not reading; message dropped`), 'signal');
    return;
  }
  // fromIp: where we see the sender, which its peer checks a punch's address against. Only on
  // punch payloads: a peer that punches shows its address anyway, and one that does not
  // (--force-relay) must not have it revealed by us.
  const fromIp = payload.kind === 'punch' ? conn.ip : undefined;
  // The sender as its peer needs it: not its published services (up to 32 entries, in every signal).
  const sender = from.services === undefined ? from : withoutServices(from);
  ctx.out.sendText(target, encodeSignalIn(sender, fromIp, payload, text === undefined ? undefined : payloadText(text, to, payload)));
  ctx.presence.signalled(conn, from.peerId, target, to);
}

function withoutServices(p: PeerInfo): PeerInfo {
  return { peerId: p.peerId, name: p.name, publicKey: p.publicKey, ...(p.nat ? { nat: p.nat } : {}) };
}

/** A peer published its NAT behaviour: keep it in its presence entry and tell its subscribers. */
export function onNat(ctx: PeerMessageContext, conn: Conn, peer: PeerInfo, nat: NatInfo): void {
  const info: PeerInfo = { ...peer, nat };
  ctx.registry.add(info, conn);
  ctx.presence.notify('update', info, conn);
  ctx.changed();
  ctx.log.info('peer NAT behaviour', { peer: info.name, natted: nat.natted, mapping: nat.mapping, filtering: nat.filtering });
}

/** A peer published the services it exposes: kept in its presence entry (replacing the last list) and told to its subscribers. */
export function onServices(ctx: PeerMessageContext, conn: Conn, peer: PeerInfo, services: PublishedService[]): void {
  const info: PeerInfo = { ...peer, services };
  ctx.registry.add(info, conn);
  ctx.presence.notify('update', info, conn);
  ctx.changed();
  ctx.log.info('peer services', { peer: info.name, services: services.map((s) => `${s.name}/${s.type}`).join(',') || 'none' });
}

/** A route a peer reports: at most `routeReportsPerSec` per peer, then logged and written as a row. */
export function onRoute(ctx: PeerMessageContext, conn: Conn, peer: PeerInfo, msg: RouteReport): void {
  conn.routeBucket ??= new TokenBucket(ctx.limits.routeReportsPerSec, ctx.limits.routeReportBurst);
  if (!conn.routeBucket.take()) {
    ctx.out.reject(conn, new P2prcError(ErrorCode.RateLimited, `more than ${ctx.limits.routeReportsPerSec} route reports/s; report dropped`), 'route');
    return;
  }
  const other = ctx.registry.info(msg.peer);
  ctx.log.info('route reported', { peer: peer.name, to: other?.name ?? msg.peer, kind: msg.kind, remote: `${msg.remote.type} ${msg.remote.address}:${msg.remote.port}` });
  ctx.mapping?.add(routeRow(ctx.serverName, peer, msg, other));
  ctx.routes.add(peer, msg, other?.name);
  ctx.changed();
}
