/**
 * UdpServiceSession: the exposing peer's side of one UDP session. The proxy
 * opened the channel for one client address (udp-public-port.ts); here it gets
 * a UDP socket of its own, connected to the local service, so the service sees
 * each remote client as a distinct source port and its replies come back on
 * the channel for that client alone. Datagrams from the channel that arrive
 * before the socket is connected (a host name to resolve) wait in a bounded
 * queue. The channel closing closes the socket; a socket error (the service's
 * port closed: ICMP unreachable) is logged and closes the channel, which ends
 * the session at the proxy too.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { DataChannel } from 'node-datachannel';
import type { Logger } from '../util/log.js';
import { readChannelMessage, sendDatagram } from './udp-channel.js';
import { DatagramQueue, MAX_DATAGRAM, noDrops, type UdpDropReason, type UdpDrops } from './udp-datagrams.js';

export interface UdpServiceStats {
  /** Datagrams from the channel (the remote client) sent to the service. */
  datagramsToService: number;
  bytesToService: number;
  /** Datagrams from the service sent on the channel. */
  datagramsToPeer: number;
  bytesToPeer: number;
  drops: UdpDrops;
}

export interface UdpServiceEnd {
  /** False when a socket or channel error ended the session. */
  ok: boolean;
  reason: string;
  stats: UdpServiceStats;
}

export class UdpServiceSession {
  readonly stats: UdpServiceStats = { datagramsToService: 0, bytesToService: 0, datagramsToPeer: 0, bytesToPeer: 0, drops: noDrops() };
  private readonly dc: DataChannel;
  private readonly socket: Socket;
  private readonly log: Logger;
  private readonly target: string;
  private readonly queue = new DatagramQueue();
  private connected = false;
  private ended = false;
  private readonly onEnd: (end: UdpServiceEnd) => void;

  constructor(dc: DataChannel, target: { host: string; port: number }, log: Logger, onEnd: (end: UdpServiceEnd) => void) {
    this.dc = dc;
    this.log = log;
    this.onEnd = onEnd;
    this.target = `${target.host}:${target.port}`;
    this.socket = createSocket({ type: isIPv6(target.host) ? 'udp6' : 'udp4' });
    this.socket.on('error', (err: NodeJS.ErrnoException) => {
      this.log.warn('udp service socket error', { target: this.target, err: err.code ?? err.message });
      this.finish(false, `service socket error: ${err.code ?? err.message}`);
    });
    this.socket.on('message', (msg) => this.fromService(msg));
    this.socket.connect(target.port, target.host, () => {
      if (this.ended) return;
      this.connected = true;
      for (const d of this.queue.drain()) this.toService(d);
    });
    dc.onMessage((msg) => this.fromChannel(msg));
    dc.onClosed(() => this.finish(true, 'channel closed'));
    dc.onError((err) => this.finish(false, `channel error: ${err}`));
  }

  /** End the session: close the socket and the channel. */
  close(reason = 'closed'): void {
    this.finish(true, reason);
  }

  private fromChannel(msg: string | Buffer | ArrayBuffer): void {
    if (this.ended) return;
    const m = readChannelMessage(msg);
    if (!('datagram' in m)) return this.log.debug('ignoring a non-datagram message on a udp channel', { target: this.target });
    if (m.datagram.length > MAX_DATAGRAM) return this.drop('too-large');
    if (!this.connected) {
      if (!this.queue.push(m.datagram)) this.drop('queue-full');
      return;
    }
    this.toService(m.datagram);
  }

  private toService(d: Buffer): void {
    this.socket.send(d, (err) => {
      if (err) return this.drop('send-error');
      this.stats.datagramsToService++;
      this.stats.bytesToService += d.length;
    });
  }

  private fromService(d: Buffer): void {
    if (this.ended) return;
    const why = sendDatagram(this.dc, d);
    if (why) return this.drop(why);
    this.stats.datagramsToPeer++;
    this.stats.bytesToPeer += d.length;
  }

  private drop(reason: UdpDropReason): void {
    this.stats.drops[reason]++;
  }

  private finish(ok: boolean, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.drain();
    try {
      this.socket.close();
    } catch {
      /* already closed */
    }
    try {
      this.dc.close();
    } catch {
      /* already closed */
    }
    this.onEnd({ ok, reason, stats: this.stats });
  }
}
