/**
 * A `register` message, from the rules to the admitted peer: the per-IP
 * registration limit, checkRegister (./register: version, secret, key proof,
 * name), the replaced connection of a peer that registers again with the same
 * key, then the registry, the name book, the `registered` reply and the join.
 * Every refusal is an error reply on the connection, which stays open.
 */
import type { IceServerConfig, RegisterMessage } from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import type { Logger } from '../src/util/log.js';
import { remoteOf, type Conn, type Replies } from './connection.js';
import type { IpLimiter } from './limits.js';
import type { NameBook } from './names.js';
import type { Presence } from './presence.js';
import { checkRegister, type NameRelease } from './register.js';
import type { Registry } from './registry.js';
import type { RelayRelease } from './relay-release.js';

export interface AdmitContext {
  registry: Registry<Conn>;
  presence: Presence<Conn>;
  out: Replies;
  log: Logger;
  perIp: IpLimiter;
  names: NameBook;
  /** Pending relay releases of departed peers: a peer that is back keeps its allocations. */
  releases: RelayRelease;
  /** The server's admission secret, if any. */
  secret?: string;
  /** How a bound name is released, for the name-taken message. */
  nameRelease: NameRelease;
  iceServersFor(conn: Conn, peerId: string): IceServerConfig[];
  /** Something the dashboard shows changed. */
  changed(): void;
}

export function admitPeer(ctx: AdmitContext, conn: Conn, msg: RegisterMessage): void {
  if (conn.peer) {
    ctx.out.reject(conn, new P2prcError(ErrorCode.AlreadyRegistered, `already registered as ${conn.peer.name}`), 'register');
    return;
  }
  if (!ctx.perIp.register(conn.ip)) {
    ctx.out.reject(conn, new P2prcError(ErrorCode.RateLimited, `too many registrations from ${conn.ip}; try again later`), 'register');
    return;
  }
  const info = checkRegister(msg, conn.nonce, ctx.secret, ctx.registry, ctx.names, ctx.nameRelease);
  if (info instanceof P2prcError) {
    ctx.out.reject(conn, info, 'register');
    return;
  }
  const peerId = info.peerId;
  const previous = ctx.registry.get(peerId);
  if (previous) {
    // Same key again (a restarted peer whose old socket is not closed yet): the new connection wins.
    ctx.log.info('peer reconnected, replacing old connection', { peer: msg.name, peerId });
    const left = ctx.registry.remove(peerId, previous)!;
    previous.peer = undefined;
    ctx.presence.notify('leave', left, previous);
    ctx.presence.closed(previous);
    previous.ws.close(4000, 'replaced by a new connection');
  }
  // Neither is needed any more: let them go (a cleared timer kept on each of 10,000 connections is memory).
  clearTimeout(conn.registerDeadline);
  conn.registerDeadline = undefined;
  conn.nonce = '';
  ctx.registry.add(info, conn); // conn.peer = info
  ctx.names.seen(info.name, peerId, info.publicKey);
  ctx.releases.cancel(peerId);
  ctx.out.send(conn, {
    type: 'registered',
    peerId,
    name: msg.name,
    iceServers: ctx.iceServersFor(conn, peerId),
    // No list of peers: the reply must not grow with the number online (#8 item 2); kept empty for older clients.
    peers: [],
    online: ctx.registry.size - 1,
  });
  ctx.presence.notify('join', info, conn);
  ctx.changed();
  ctx.log.info('peer registered', { peer: msg.name, peerId, remote: remoteOf(conn), online: ctx.registry.size });
}
