/**
 * The requests on an existing allocation (RFC 8656 §8, §9, §12): Refresh
 * (lifetime 0 deallocates), CreatePermission and ChannelBind, each checked to
 * come from the allocation's own 5-tuple and username (437 otherwise), and
 * peers checked against ../peer-filter (403).
 */
import {
  Attr,
  ErrorCodes,
  buildError,
  buildSuccess,
  decodeChannelNumber,
  decodeLifetime,
  decodeXorAddress,
  encodeLifetime,
  getAttribute,
  getAttributes,
  type StunMessage,
  type TransportAddress,
} from '../../../src/stun/index.js';
import { DEFAULT_LIFETIME_S, MAX_LIFETIME_S, allocKey, type Client } from '../allocation.js';
import { CHANNELS, type Alloc, type TurnContext } from '../context.js';
import { checkPeer, normalizeAddress } from '../peer-filter.js';
import { freeAllocation } from './allocate.js';

/** The allocation of this 5-tuple, checked to belong to the same username (§5). */
function ownAllocation(ctx: TurnContext, msg: StunMessage, client: Client, key: Buffer, username: string): Alloc | undefined {
  const a = ctx.table.get(allocKey(client));
  if (!a || a.username !== username) {
    ctx.replyAuth(client, key, buildError(msg, ErrorCodes.AllocationMismatch, 'Allocation Mismatch'));
    return undefined;
  }
  return a;
}

/** Refresh (§8): a new lifetime, capped at the maximum; 0 deallocates. */
export function onRefresh(ctx: TurnContext, msg: StunMessage, client: Client, key: Buffer, username: string): void {
  const a = ownAllocation(ctx, msg, client, key, username);
  if (!a) return;
  const lt = getAttribute(msg, Attr.Lifetime);
  const requested = lt ? decodeLifetime(lt) : DEFAULT_LIFETIME_S;
  if (requested === 0) {
    freeAllocation(ctx, a, 'deallocated by client');
    ctx.replyAuth(client, key, buildSuccess(msg, [{ type: Attr.Lifetime, value: encodeLifetime(0) }]));
    return;
  }
  // RFC 8656 §8: a refresh may shorten the lifetime; it is capped at the maximum.
  const lifetime = Math.min(requested, MAX_LIFETIME_S);
  a.refresh(Date.now(), lifetime);
  ctx.replyAuth(client, key, buildSuccess(msg, [{ type: Attr.Lifetime, value: encodeLifetime(lifetime) }]));
}

/** The XOR-PEER-ADDRESS attributes of a request. */
function peerAddresses(msg: StunMessage): TransportAddress[] {
  return getAttributes(msg, Attr.XorPeerAddress).map((v) => decodeXorAddress(v, msg.transactionId));
}

/** Why relaying to `peer` is refused (logged), or undefined when it is allowed. */
function refusePeer(ctx: TurnContext, a: Alloc, peer: TransportAddress): string | undefined {
  if (peer.family !== 'IPv4') return 'only IPv4 peers';
  const v = checkPeer(ctx.policy, peer.address, peer.port);
  if (v.ok) return undefined;
  ctx.log.warn('relay to peer refused (403)', { user: a.user, relay: a.relay.port, peer: `${peer.address}:${peer.port}`, reason: v.reason });
  return v.reason;
}

/** CreatePermission (§9): all peers allowed, or none installed (403). */
export function onCreatePermission(ctx: TurnContext, msg: StunMessage, client: Client, key: Buffer, username: string): void {
  const a = ownAllocation(ctx, msg, client, key, username);
  if (!a) return;
  const peers = peerAddresses(msg);
  if (peers.length === 0) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.BadRequest, 'XOR-PEER-ADDRESS missing'));
  for (const p of peers) {
    const reason = refusePeer(ctx, a, p);
    if (reason) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.Forbidden, `Forbidden: ${reason}`));
  }
  const now = Date.now();
  for (const p of peers) a.addPermission(normalizeAddress(p.address), now);
  ctx.replyAuth(client, key, buildSuccess(msg, []));
}

/** ChannelBind (§12): one peer, a channel in range, and the number/peer rebinding rules of Allocation.bindChannel. */
export function onChannelBind(ctx: TurnContext, msg: StunMessage, client: Client, key: Buffer, username: string): void {
  const a = ownAllocation(ctx, msg, client, key, username);
  if (!a) return;
  const cn = getAttribute(msg, Attr.ChannelNumber);
  const peers = peerAddresses(msg);
  if (!cn || peers.length !== 1) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.BadRequest, 'CHANNEL-NUMBER and one XOR-PEER-ADDRESS required'));
  let channel: number;
  try {
    channel = decodeChannelNumber(cn, CHANNELS);
  } catch {
    return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.BadRequest, 'channel number outside 0x4000-0x7FFF'));
  }
  const peer = peers[0]!;
  const reason = refusePeer(ctx, a, peer);
  if (reason) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.Forbidden, `Forbidden: ${reason}`));
  const r = a.bindChannel(channel, { address: normalizeAddress(peer.address), port: peer.port }, Date.now());
  if (!r.ok) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.BadRequest, r.reason));
  ctx.replyAuth(client, key, buildSuccess(msg, []));
}
