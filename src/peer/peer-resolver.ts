/**
 * Peer resolution and key pinning: a target (a name or a full peer id) to an
 * online peer whose key we trust. A peer we hold a connected session with needs
 * no server; otherwise the signal server is asked (a `lookup`, which also
 * subscribes us to the peer's presence, so we hear when it comes online within
 * the wait), the key is checked against the peer id,
 * and a name is pinned to the first key met (known_peers, like ssh's known_hosts).
 */
import { peerIdFromPublicKey } from '../identity/keys.js';
import type { KnownPeers } from '../identity/known-peers.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { PeerIdSchema, type PeerInfo } from '../protocol/messages.js';
import type { SessionState } from './session.js';

/** How long a new stream waits for its target peer to come online. */
export const PEER_WAIT_MS = 15_000;

/** Presence (the signal client; a fake in tests): a server lookup, what it knows, and `join`/`registered` to wait on. */
export interface PeerDirectory {
  /** Ask the server and subscribe to the target's presence; undefined when offline (or the server is unreachable). */
  lookup(target: string): Promise<PeerInfo | undefined>;
  peerById(peerId: string): PeerInfo | undefined;
  peerByName(name: string): PeerInfo | undefined;
  on(event: 'join' | 'registered', listener: () => void): unknown;
  off(event: 'join' | 'registered', listener: () => void): unknown;
}

export interface PeerResolverOptions {
  directory: PeerDirectory;
  /** Our sessions: a connected one was verified when it was set up. */
  sessions: () => Iterable<{ readonly state: SessionState; readonly remote: PeerInfo }>;
  knownPeers: Pick<KnownPeers, 'checkAndRemember'>;
  /** The signal server's URL (for the error message). */
  server: string;
}

export class PeerResolver {
  private readonly opts: PeerResolverOptions;

  constructor(opts: PeerResolverOptions) {
    this.opts = opts;
  }

  /**
   * Resolve `target` (a name or a full peer id) to an online peer, waiting up to
   * `waitMs` for it to appear, and check its key against known_peers.
   */
  async resolve(target: string, waitMs = PEER_WAIT_MS): Promise<PeerInfo> {
    const byId = PeerIdSchema.safeParse(target).success;
    // A live session needs no server: it was verified when it was set up.
    for (const s of this.opts.sessions()) {
      if (s.state === 'connected' && (byId ? s.remote.peerId === target : s.remote.name === target)) return s.remote;
    }
    const directory = this.opts.directory;
    const find = (): PeerInfo | undefined => (byId ? directory.peerById(target) : directory.peerByName(target));
    // Always ask the server (what we know may be stale), listening for the join before asking;
    // its answer is awaited (the client bounds it), then the wait for a join is bounded by waitMs.
    const peer = await new Promise<PeerInfo | undefined>((resolve) => {
      let answered = false;
      let waited = false;
      const onJoin = (): void => {
        const p = find();
        if (p) done(p);
      };
      const done = (p: PeerInfo | undefined): void => {
        clearTimeout(t);
        directory.off('join', onJoin);
        directory.off('registered', onJoin);
        resolve(p);
      };
      const t = setTimeout(() => {
        waited = true;
        if (answered) done(undefined);
      }, waitMs);
      directory.on('join', onJoin);
      directory.on('registered', onJoin);
      const answer = (p: PeerInfo | undefined): void => {
        answered = true;
        if (p) done(p);
        else if (waited) done(undefined);
      };
      directory.lookup(target).then(answer, () => answer(undefined));
    });
    if (!peer) throw new P2prcError(ErrorCode.PeerOffline, `peer "${target}" is not online at ${this.opts.server}`);
    if (peerIdFromPublicKey(Buffer.from(peer.publicKey, 'base64')) !== peer.peerId) {
      throw new P2prcError(ErrorCode.Tampered, `signal server sent a key for ${peer.name} that does not match its peer id`);
    }
    // Pinning by full id needs no known_peers entry; by name, the first key met is remembered.
    if (!byId) this.opts.knownPeers.checkAndRemember(peer.name, peer.peerId, peer.publicKey);
    return peer;
  }
}
