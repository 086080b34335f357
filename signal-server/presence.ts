/**
 * Presence on demand (#8 item 2): what the server tells about who is online.
 * Registering costs the same whatever the number of peers online; `list` pages
 * through them (bounded pages, each far below a peer's 64 KiB message limit);
 * `lookup` answers for chosen peers and subscribes the asker to them; peers that
 * signal each other are subscribed to each other. A join, leave or NAT update
 * goes to the subscribers only. No sockets here: the server passes `send`.
 */
import { PeerIdSchema, MAX_LIST_PAGE, type LookupResultMessage, type PeerInfo, type PeersMessage, type ServerMessage } from '../src/protocol/messages.js';
import type { Registered, Registry } from './registry.js';
import { Watches } from './watches.js';

export class Presence<C extends Registered> {
  readonly watches = new Watches<C>();

  constructor(
    private readonly registry: Registry<C>,
    private readonly send: (conn: C, msg: ServerMessage) => void,
  ) {}

  /** Tell `peer`'s subscribers (by id and by name) that it joined, left or published new information. */
  notify(event: 'join' | 'leave' | 'update', peer: PeerInfo, own: C): void {
    const msg: ServerMessage = { type: 'presence', event, peer };
    for (const c of this.watches.watchers([peer.peerId, peer.name])) if (c !== own) this.send(c, msg);
  }

  /** Each target (a peer id or a name) with its peer when online; `conn` is subscribed to all of them. */
  lookup(conn: C, targets: string[]): LookupResultMessage {
    const results = targets.map((target) => {
      this.watches.watch(conn, target);
      const id = PeerIdSchema.safeParse(target).success ? target : this.registry.idForName(target);
      const peer = id === undefined ? undefined : this.registry.info(id);
      return peer ? { target, peer } : { target };
    });
    return { type: 'lookup', results };
  }

  /** One page of the peers online other than `self`. */
  list(self: string, cursor: string | undefined, limit = MAX_LIST_PAGE): PeersMessage {
    return { type: 'peers', ...this.registry.page(cursor, Math.min(limit, MAX_LIST_PAGE), self) };
  }

  /** Two peers are signalling: each hears when the other leaves or changes. */
  signalled(a: C, aId: string, b: C, bId: string): void {
    this.watches.watch(a, bId);
    this.watches.watch(b, aId);
  }

  /** A connection closed or was replaced: its subscriptions go (watches on it stay, for its return). */
  closed(conn: C): void {
    this.watches.drop(conn);
  }
}
