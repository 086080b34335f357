/**
 * Binding requests: RFC 8489 (XOR-MAPPED-ADDRESS) and classic RFC 3489 (bare
 * MAPPED-/SOURCE-/CHANGED-ADDRESS, from src/stun/rfc3489), answered from the
 * RFC 5780 binder socket that CHANGE-REQUEST picks when the server has an
 * alternate address. Binding needs no credentials and keeps no state.
 */
import type { RemoteInfo } from 'node:dgram';
import {
  Attr,
  CLASSIC_HEADER_LENGTH,
  ErrorCodes,
  buildError,
  buildSuccess,
  decodeChangeRequest,
  encodeAddress,
  encodeLegacyBindingResponse,
  encodeMessage,
  encodeText,
  encodeUnknownAttributes,
  encodeXorAddress,
  getAttribute,
  legacyChangeRequest,
  type ChangeRequest,
  type StunAttribute,
  type StunMessage,
  type TransportAddress,
} from '../../../src/stun/index.js';
import type { Client, Endpoint } from '../allocation.js';
import { SOFTWARE, type TurnContext } from '../context.js';
import { normalizeAddress } from '../peer-filter.js';

/**
 * Binding (RFC 8489), with RFC 5780 behaviour discovery when an alternate
 * address is configured: `recv` is the index of the socket the request came
 * in on (bit 0: alternate port, bit 1: alternate IP), CHANGE-REQUEST flips
 * those bits for the socket we answer from, OTHER-ADDRESS is the socket that
 * differs in both.
 */
export function onBinding(ctx: TurnContext, msg: StunMessage, client: Client, recv = 0): void {
  const cr = getAttribute(msg, Attr.ChangeRequest);
  const change = changeBits(cr ? decodeChangeRequest(cr) : { changeIp: false, changePort: false });
  if (change && (ctx.binders.length < 4 || client.stream)) {
    // RFC 5780 §7.2: no alternate address configured (or a TCP/TLS client, whose answer can only come back on its connection).
    ctx.reply(client, buildError(msg, ErrorCodes.UnknownAttribute, 'CHANGE-REQUEST not supported (no alternate address)', [
      { type: Attr.UnknownAttributes, value: encodeUnknownAttributes([Attr.ChangeRequest]) },
    ]));
    return;
  }
  const from = recv ^ change;
  const mapped: TransportAddress = { family: 'IPv4', address: normalizeAddress(client.address), port: client.port };
  const attrs: StunAttribute[] = [
    { type: Attr.XorMappedAddress, value: encodeXorAddress(mapped, msg.transactionId) },
    { type: Attr.MappedAddress, value: encodeAddress(mapped) },
    { type: Attr.ResponseOrigin, value: encodeAddress({ family: 'IPv4', ...binderAddress(ctx, from) }) },
    ...(ctx.binders.length === 4 ? [{ type: Attr.OtherAddress, value: encodeAddress({ family: 'IPv4', ...binderAddress(ctx, recv ^ 3) }) }] : []),
    { type: Attr.Software, value: encodeText(SOFTWARE) },
  ];
  const out = encodeMessage(buildSuccess(msg, attrs), { fingerprint: true });
  // Over TCP or TLS the answer goes back on the connection (no RFC 5780 alternates there: CHANGE-REQUEST was refused above).
  if (client.stream) client.stream.send(out);
  else ctx.binders[from]?.send(out, client.port, client.address);
}

/** Advertised address of binding socket `i` (0 primary; 1 alt port; 2 alt IP; 3 both). */
function binderAddress(ctx: TurnContext, i: number): { address: string; port: number } {
  const ip = i & 2 ? ctx.opts.altAddress! : ctx.advertised;
  const sock = ctx.binders[i];
  return { address: ip, port: sock ? sock.address().port : (ctx.socket?.address().port ?? ctx.opts.port) };
}

/** RFC 3489 (classic STUN) binding, as older clients such as Debian's `stun` send it. */
export function onLegacyBinding(ctx: TurnContext, buf: Buffer, rinfo: RemoteInfo, recv = 0): void {
  const change = changeBits(legacyChangeRequest(buf));
  // A change request we cannot honour gets no answer: what a classic client expects of a server without an alternate address.
  if (change && ctx.binders.length < 4) return;
  const from = recv ^ change;
  const alt = ctx.binders.length === 4;
  const v4 = (e: Endpoint): Endpoint => ({ address: normalizeAddress(e.address), port: e.port });
  const out = encodeLegacyBindingResponse(buf.subarray(4, CLASSIC_HEADER_LENGTH), v4(rinfo), v4(binderAddress(ctx, from)), alt ? v4(binderAddress(ctx, recv ^ 3)) : undefined);
  ctx.binders[from]?.send(out, rinfo.port, rinfo.address);
}

/** CHANGE-REQUEST as an index into the binders: bit 0 changes the port, bit 1 the IP (see onBinding). */
function changeBits(flags: ChangeRequest): number {
  return (flags.changeIp ? 2 : 0) | (flags.changePort ? 1 : 0);
}
