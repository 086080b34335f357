/**
 * The relay's data path (RFC 8656 §11, §12): Send indications and ChannelData
 * from clients to peers, datagrams from peers back to clients as ChannelData
 * or Data indications, and the in-process hand-off when the peer is another
 * allocation on this server. The hot path: nothing here may allocate per
 * datagram beyond what the wire needs (no closures, no key strings, no copies).
 */
import { randomBytes } from 'node:crypto';
import {
  Attr,
  CHANNEL_DATA_HEADER_LENGTH,
  Method,
  StunClass,
  decodeXorAddress,
  encodeMessage,
  encodeXorAddress,
  getAttribute,
  viewChannelData,
  writeChannelDataHeader,
  type StunMessage,
} from '../../../src/stun/index.js';
import { allocKey, type DropReason, type Client } from '../allocation.js';
import { CHANNELS, type Alloc, type TurnContext } from '../context.js';
import { checkPeer, normalizeAddress } from '../peer-filter.js';

/**
 * A datagram of `a` dropped: counted (per allocation and in the server's stats);
 * the first of each reason per allocation is logged, at debug (the peer's ICE
 * often probes before its permissions are in), a refused peer at warn.
 */
function drop(ctx: TurnContext, a: Alloc, reason: DropReason, address: string, port: number, why?: string): void {
  ctx.stats.dropped[reason]++;
  if (++a.drops[reason] !== 1) return;
  const peer = reason === 'unknownChannel' ? `channel 0x${port.toString(16)}` : `${address}:${port}`;
  if (reason === 'refusedPeer') ctx.log.warn('Send to peer refused', { user: a.user, relay: a.relay.port, peer, reason: why });
  else ctx.log.debug('relay dropped a datagram (the first for this reason)', { user: a.user, relay: a.relay.port, peer, reason });
}

/** Send indication: client -> peer (§11.2). Silently dropped without a permission. */
export function onSend(ctx: TurnContext, msg: StunMessage, client: Client): void {
  const a = ctx.table.get(allocKey(client));
  if (!a) {
    ctx.stats.noAllocation++;
    return;
  }
  const peerRaw = getAttribute(msg, Attr.XorPeerAddress);
  const data = getAttribute(msg, Attr.Data);
  if (!peerRaw || !data) return;
  const peer = decodeXorAddress(peerRaw, msg.transactionId);
  const addr = normalizeAddress(peer.address);
  if (!a.hasPermission(addr, Date.now())) return drop(ctx, a, 'noPermissionOut', addr, peer.port);
  // Permissions are per IP (RFC 8656 §9), so the port is checked here, on every datagram:
  // a permission on this server's own address must not reach its own service ports.
  // (ChannelData needs no check per datagram: its peer is fixed and checked at ChannelBind.)
  const v = checkPeer(ctx.policy, addr, peer.port);
  if (!v.ok) {
    ctx.stats.refused++;
    return drop(ctx, a, 'refusedPeer', addr, peer.port, v.reason);
  }
  toPeer(ctx, a, data, addr, peer.port);
}

/** ChannelData: client -> peer (§12.6). The hot path: no copies, no per-packet key strings. */
export function onChannelData(ctx: TurnContext, buf: Buffer, rinfo: Client): void {
  const cd = viewChannelData(buf, CHANNELS);
  if (!cd) {
    ctx.stats.malformed++;
    return;
  }
  const a = ctx.table.find(rinfo);
  if (!a) {
    ctx.stats.noAllocation++;
    return;
  }
  const { channel, data } = cd;
  const now = Date.now();
  const peer = a.peerFor(channel, now);
  if (!peer) return drop(ctx, a, 'unknownChannel', '', channel);
  if (!a.hasPermission(peer.address, now)) return drop(ctx, a, 'noPermissionOut', peer.address, peer.port);
  toPeer(ctx, a, data, peer.address, peer.port, buf);
}

/**
 * `frame`, when given, is the client's whole ChannelData datagram with `data` at
 * offset 4: a hand-off to another allocation's client may rewrite its header in
 * place (onPeerData).
 */
function toPeer(ctx: TurnContext, a: Alloc, data: Buffer, address: string, port: number, frame?: Buffer): void {
  // Over the bandwidth cap: drop, as a router would.
  if (a.handle.bucketOut && !a.handle.bucketOut.take(data.length)) return drop(ctx, a, 'overBandwidth', address, port);
  a.bytesToPeer += data.length;
  a.packetsToPeer++;
  ctx.stats.packetsRelayed++;
  ctx.stats.bytesRelayed += data.length;
  if (address === ctx.advertised) {
    // The peer is another allocation on this server (both peers relayed, the usual case
    // behind two symmetric NATs): hand the datagram over in process, as if it had
    // arrived from our relay port. Saves a send and a receive through the kernel, and
    // needs no hairpin on a 1:1 NAT in front of the server (--public-ip).
    const b = ctx.table.atRelayPort(port);
    if (b) {
      onPeerData(ctx, b, data, { address: ctx.advertised, port: a.relay.port }, frame);
      return;
    }
    // No allocation there (any more): the datagram would only come back to an unbound relay port.
    if (port >= ctx.opts.relayPorts.min && port <= ctx.opts.relayPorts.max) return drop(ctx, a, 'peerGone', address, port);
  }
  a.handle.socket.send(data, port, address);
}

/**
 * Peer -> client, through the relay port: ChannelData if bound, else a Data
 * indication (§11.3, §12.7). `frame` (the in-process hand-off only): the other
 * client's ChannelData datagram that carries `data` at offset 4. Its 4-byte
 * header is rewritten in place with this client's channel (the length is the
 * same) and it goes out as one buffer: no header allocation, no gathered send.
 * The datagram is ours (node gives each 'message' its own buffer) and is not
 * used after this.
 */
export function onPeerData(ctx: TurnContext, a: Alloc, data: Buffer, rinfo: { address: string; port: number }, frame?: Buffer): void {
  try {
    const now = Date.now();
    const address = normalizeAddress(rinfo.address);
    if (!a.hasPermission(address, now)) return drop(ctx, a, 'noPermissionIn', address, rinfo.port);
    if (a.handle.bucketIn && !a.handle.bucketIn.take(data.length)) return drop(ctx, a, 'overBandwidth', address, rinfo.port);
    a.bytesFromPeer += data.length;
    a.packetsFromPeer++;
    ctx.stats.packetsRelayed++;
    ctx.stats.bytesRelayed += data.length;
    const channel = a.channelFor({ address, port: rinfo.port }, now);
    let sent: boolean;
    if (channel !== undefined) {
      if (frame !== undefined && data.byteOffset === frame.byteOffset + CHANNEL_DATA_HEADER_LENGTH && data.buffer === frame.buffer) {
        writeChannelDataHeader(frame, channel, data.length);
        const out = frame.length === CHANNEL_DATA_HEADER_LENGTH + data.length ? frame : frame.subarray(0, CHANNEL_DATA_HEADER_LENGTH + data.length);
        sent = ctx.sendTo(a.client, out);
      } else {
        const hdr = Buffer.allocUnsafe(CHANNEL_DATA_HEADER_LENGTH);
        writeChannelDataHeader(hdr, channel, data.length);
        sent = ctx.sendTo(a.client, [hdr, data]);
      }
      if (!sent && a.client.stream) drop(ctx, a, 'clientBacklog', address, rinfo.port);
      return;
    }
    const transactionId = randomBytes(12);
    const ind: StunMessage = {
      cls: StunClass.Indication,
      method: Method.Data,
      transactionId,
      attributes: [
        { type: Attr.XorPeerAddress, value: encodeXorAddress({ family: 'IPv4', address, port: rinfo.port }, transactionId) },
        { type: Attr.Data, value: data },
      ],
    };
    if (!ctx.sendTo(a.client, encodeMessage(ind)) && a.client.stream) drop(ctx, a, 'clientBacklog', address, rinfo.port);
  } catch (err) {
    ctx.log.error('internal error relaying peer data', { relay: a.relay.port, err });
  }
}
