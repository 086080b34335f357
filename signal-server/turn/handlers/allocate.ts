/**
 * Allocate (RFC 8656 §7): checks, quota (486), a relay port from the pool
 * (EVEN-PORT, with the R bit reserving the next one in ../reservations, or a
 * RESERVATION-TOKEN claiming it), the Allocation in the table, and the end of
 * allocations: freeing one, and the periodic sweep of expired ones.
 */
import type { Socket } from 'node:dgram';
import {
  Attr,
  ErrorCodes,
  buildError,
  buildSuccess,
  decodeEvenPort,
  decodeLifetime,
  decodeRequestedTransport,
  decodeReservationToken,
  encodeLifetime,
  encodeReservationToken,
  encodeText,
  encodeXorAddress,
  getAttribute,
  type StunMessage,
} from '../../../src/stun/index.js';
import { TokenBucket } from '../../rate-limit.js';
import { Allocation, DEFAULT_LIFETIME_S, MAX_LIFETIME_S, allocKey, clientTransport, formatDrops, type Client } from '../allocation.js';
import { SOFTWARE, type Alloc, type Handle, type TurnContext } from '../context.js';
import { normalizeAddress } from '../peer-filter.js';
import { ownerRefusal } from '../owner-gate.js';
import { onPeerData } from './relay.js';

/** Allocate from an authenticated client (answers retransmissions with the same allocation). */
export async function onAllocate(ctx: TurnContext, msg: StunMessage, client: Client, key: Buffer, username: string, user: string): Promise<void> {
  const k = allocKey(client);
  const existing = ctx.table.get(k);
  if (existing) {
    if (existing.transactionId === msg.transactionId.toString('hex')) {
      ctx.replyAuth(client, key, allocateSuccess(msg, existing, client));
    } else {
      ctx.replyAuth(client, key, buildError(msg, ErrorCodes.AllocationMismatch, 'Allocation Mismatch'));
    }
    return;
  }
  const rt = getAttribute(msg, Attr.RequestedTransport);
  if (!rt) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.BadRequest, 'REQUESTED-TRANSPORT missing'));
  if (decodeRequestedTransport(rt) !== 17) {
    return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.UnsupportedTransportProtocol, 'only UDP relaying is supported'));
  }
  const fam = getAttribute(msg, Attr.RequestedAddressFamily);
  if (fam && fam[0] !== 0x01) {
    return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.AddressFamilyNotSupported, 'only IPv4 relay addresses'));
  }
  const tokenRaw = getAttribute(msg, Attr.ReservationToken);
  const evenRaw = getAttribute(msg, Attr.EvenPort);
  if (tokenRaw && evenRaw) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.BadRequest, 'EVEN-PORT and RESERVATION-TOKEN together'));
  const quota = ctx.table.quotaProblem(user, client.address);
  if (quota) {
    ctx.log.warn('allocation refused: quota', { client: `${client.address}:${client.port}`, user, reason: quota });
    return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.AllocationQuotaReached, 'Allocation Quota Reached'));
  }
  let socket: Socket | undefined;
  let token: Buffer | undefined;
  if (tokenRaw) {
    // RFC 8656 §7.2: the port reserved by an earlier EVEN-PORT(R) allocation.
    socket = ctx.reservations.take(decodeReservationToken(tokenRaw));
    if (!socket) return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.InsufficientCapacity, 'unknown or expired RESERVATION-TOKEN'));
  } else {
    const reserveNext = evenRaw ? decodeEvenPort(evenRaw) : false;
    const bound = await ctx.pool.bind(ctx.opts.relayBind ?? ctx.opts.host, { even: !!evenRaw, pair: reserveNext });
    socket = bound?.socket;
    if (bound?.next) token = ctx.reservations.reserve(bound.next);
  }
  if (!socket) {
    ctx.log.warn('allocation refused: no free relay port', { range: `${ctx.opts.relayPorts.min}-${ctx.opts.relayPorts.max}` });
    return ctx.replyAuth(client, key, buildError(msg, ErrorCodes.InsufficientCapacity, 'no relay port free'));
  }
  // The request may have been retransmitted (or raced) while we were binding.
  const raced = ctx.table.get(k);
  if (raced || !ctx.socket) {
    ctx.pool.release(socket.address().port);
    socket.close();
    if (raced) ctx.replyAuth(client, key, allocateSuccess(msg, raced, client));
    return;
  }
  const lt = getAttribute(msg, Attr.Lifetime);
  // RFC 8656 §7.2: min(requested, maximum), but never below the default.
  const lifetime = Math.max(Math.min(lt ? decodeLifetime(lt) : DEFAULT_LIFETIME_S, MAX_LIFETIME_S), DEFAULT_LIFETIME_S);
  const bw = ctx.opts.bandwidth;
  const handle: Handle = { socket, ...(bw ? { bucketOut: new TokenBucket(bw, bw), bucketIn: new TokenBucket(bw, bw) } : {}) };
  const a: Alloc = new Allocation<Handle>({
    key: k,
    client,
    username,
    user,
    relay: { address: ctx.advertised, port: socket.address().port },
    handle,
    now: Date.now(),
    lifetimeS: lifetime,
    transactionId: msg.transactionId.toString('hex'),
  });
  socket.on('message', (data, rinfo) => onPeerData(ctx, a, data, rinfo));
  socket.on('error', (err) => ctx.log.warn('relay socket error', { relay: a.relay.port, err }));
  ctx.table.add(a); // the mapping row is written by its listener
  ctx.log.info('allocation created', { user, client: `${client.address}:${client.port}/${clientTransport(client)}`, relay: `${a.relay.address}:${a.relay.port}`, lifetime, total: ctx.table.size });
  ctx.replyAuth(client, key, allocateSuccess(msg, a, client, token));
}

/** The success response: relayed and mapped address, lifetime left, and the token of a reserved next port. */
function allocateSuccess(msg: StunMessage, a: Alloc, client: Client, token?: Buffer): StunMessage {
  const left = Math.max(0, Math.round((a.expiresAt - Date.now()) / 1000));
  return buildSuccess(msg, [
    { type: Attr.XorRelayedAddress, value: encodeXorAddress({ family: 'IPv4', ...a.relay }, msg.transactionId) },
    { type: Attr.Lifetime, value: encodeLifetime(left) },
    { type: Attr.XorMappedAddress, value: encodeXorAddress({ family: 'IPv4', address: normalizeAddress(client.address), port: client.port }, msg.transactionId) },
    ...(token ? [{ type: Attr.ReservationToken, value: encodeReservationToken(token) }] : []),
    { type: Attr.Software, value: encodeText(SOFTWARE) },
  ]);
}

/** Ends an allocation (once): out of the table, relay socket closed, port back in the pool. */
export function freeAllocation(ctx: TurnContext, a: Alloc, why: string): void {
  if (!ctx.table.remove(a)) return; // its listener closes the mapping row
  const port = a.handle.socket.address().port;
  try {
    a.handle.socket.close();
  } catch {
    /* already closed */
  }
  ctx.pool.release(port);
  // Over TCP or TLS the connection was the allocation's 5-tuple: it ends with it (RFC 8656 §3.1).
  a.client.stream?.end();
  const drops = formatDrops(a.drops);
  ctx.log.info('allocation freed', { user: a.user, relay: `${a.relay.address}:${port}`, why, toPeer: a.bytesToPeer, fromPeer: a.bytesFromPeer, ...(drops ? { drops } : {}), total: ctx.table.size });
}

/**
 * Housekeeping tick: expired allocations freed, and those whose owner is no
 * longer on the signal server (past its reconnect grace, whenever they were
 * made); expired permissions and channels dropped.
 */
export function sweepAllocations(ctx: TurnContext): void {
  const now = Date.now();
  for (const a of ctx.table.expired(now)) freeAllocation(ctx, a, 'lifetime expired');
  if (ctx.opts.ownerOnline) for (const a of ctx.table.all()) if (ownerRefusal(a.user, ctx.opts.ownerOnline)) freeAllocation(ctx, a, 'owner is not online on the signal server');
  ctx.table.sweep(now); // and the mapping rows' byte counters, by their listener
}
