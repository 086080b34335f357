/**
 * Who is online: registered peers by id and by name. Pure state, no sockets:
 * the server loop asks it and acts on the answers. Ids are also kept sorted, so
 * that `list` pages by id with a stateless cursor (the last id of a page) and a
 * peer that joins or leaves between two pages moves no other peer across pages.
 */
import type { PeerInfo } from '../src/protocol/messages.js';

/** What the registry holds per peer: its connection, which carries the peer's information. */
export interface Registered {
  peer?: PeerInfo;
}

/**
 * By id, the connection itself (its `peer` is the information listed): no
 * entry object pairing the two, which was 40 bytes a peer at 10,000 (#9).
 */
export class Registry<C extends Registered> {
  private readonly byId = new Map<string, C>();
  private readonly byName = new Map<string, string>();
  /** Every online peer id, ascending. */
  private readonly sorted: string[] = [];

  get size(): number {
    return this.byId.size;
  }
  /** The connection of the online peer `peerId`. */
  get(peerId: string): C | undefined {
    return this.byId.get(peerId);
  }
  /** The online peer `peerId`. */
  info(peerId: string): PeerInfo | undefined {
    return this.byId.get(peerId)?.peer;
  }
  idForName(name: string): string | undefined {
    return this.byName.get(name);
  }
  /** Who currently holds `name`, when it is someone with another id. */
  nameHolder(name: string, peerId: string): PeerInfo | undefined {
    const holder = this.byName.get(name);
    if (holder === undefined || holder === peerId) return undefined;
    return this.byId.get(holder)?.peer;
  }
  /** `conn` is online as `info` (set as its `peer`), or its information changed. */
  add(info: PeerInfo, conn: C): void {
    const old = this.byId.get(info.peerId)?.peer;
    if (old && this.byName.get(old.name) === info.peerId) this.byName.delete(old.name);
    if (!old) this.sorted.splice(this.indexAbove(info.peerId, true), 0, info.peerId);
    conn.peer = info;
    this.byId.set(info.peerId, conn);
    this.byName.set(info.name, info.peerId);
  }
  /** Remove `peerId` if `conn` is still its connection (a replaced connection must not remove the new one). */
  remove(peerId: string, conn: C): PeerInfo | undefined {
    const info = this.byId.get(peerId) === conn ? conn.peer : undefined;
    if (!info) return undefined;
    this.byId.delete(peerId);
    const i = this.indexAbove(peerId, true);
    if (this.sorted[i] === peerId) this.sorted.splice(i, 1);
    if (this.byName.get(info.name) === peerId) this.byName.delete(info.name);
    return info;
  }
  /** Up to `limit` peers with an id above `cursor` (all from the start without one), and the next page's cursor. */
  page(cursor: string | undefined, limit: number, except?: string): { peers: PeerInfo[]; next?: string } {
    const peers: PeerInfo[] = [];
    let i = cursor === undefined ? 0 : this.indexAbove(cursor, false);
    for (; i < this.sorted.length && peers.length < limit; i++) {
      const id = this.sorted[i]!;
      if (id !== except) peers.push(this.byId.get(id)!.peer!);
    }
    const last = this.sorted[i - 1];
    return i < this.sorted.length && last !== undefined ? { peers, next: last } : { peers };
  }
  /** Index of the first id >= `id` (inclusive) or > `id` (not inclusive): binary search. */
  private indexAbove(id: string, inclusive: boolean): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.sorted[mid]!;
      if (v < id || (!inclusive && v === id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  list(): PeerInfo[] {
    return [...this.byId.values()].map((c) => c.peer!);
  }
}
