/**
 * Who is online: registered peers by id and by name. Pure state, no sockets:
 * the server loop asks it and acts on the answers.
 */
import type { PeerInfo } from '../src/protocol/messages.js';

export class Registry<C> {
  private readonly byId = new Map<string, { info: PeerInfo; conn: C }>();
  private readonly byName = new Map<string, string>();

  get size(): number {
    return this.byId.size;
  }
  get(peerId: string): { info: PeerInfo; conn: C } | undefined {
    return this.byId.get(peerId);
  }
  idForName(name: string): string | undefined {
    return this.byName.get(name);
  }
  /** Who currently holds `name`, when it is someone with another id. */
  nameHolder(name: string, peerId: string): PeerInfo | undefined {
    const holder = this.byName.get(name);
    if (holder === undefined || holder === peerId) return undefined;
    return this.byId.get(holder)?.info;
  }
  add(info: PeerInfo, conn: C): void {
    const old = this.byId.get(info.peerId);
    if (old && this.byName.get(old.info.name) === info.peerId) this.byName.delete(old.info.name);
    this.byId.set(info.peerId, { info, conn });
    this.byName.set(info.name, info.peerId);
  }
  /** Remove `peerId` if `conn` is still its connection (a replaced connection must not remove the new one). */
  remove(peerId: string, conn: C): PeerInfo | undefined {
    const entry = this.byId.get(peerId);
    if (!entry || entry.conn !== conn) return undefined;
    this.byId.delete(peerId);
    if (this.byName.get(entry.info.name) === peerId) this.byName.delete(entry.info.name);
    return entry.info;
  }
  list(): PeerInfo[] {
    return [...this.byId.values()].map((e) => e.info);
  }
  entries(): { info: PeerInfo; conn: C }[] {
    return [...this.byId.values()];
  }
}
