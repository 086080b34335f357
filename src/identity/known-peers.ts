/**
 * known_peers: the key first met for each name, as ssh's known_hosts does.
 * A later key for the same name is refused until the user removes the entry.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../util/atomic-file.js';
import { FILES } from '../util/paths.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

const KnownPeersSchema = z.object({
  version: z.literal(1),
  peers: z.record(z.string(), z.object({ peerId: z.string(), publicKey: z.string(), firstSeen: z.string() })),
});
type KnownPeersFile = z.infer<typeof KnownPeersSchema>;

export class KnownPeers {
  private readonly path: string;
  private data: KnownPeersFile;

  constructor(dataDir: string) {
    this.path = join(dataDir, FILES.knownPeers);
    const raw = readJsonFile(this.path);
    if (raw === undefined) {
      this.data = { version: 1, peers: {} };
    } else {
      const parsed = KnownPeersSchema.safeParse(raw);
      if (!parsed.success) throw new P2prcError(ErrorCode.BadFile, `${this.path} is not a valid known_peers file`);
      this.data = parsed.data;
    }
  }

  get(name: string): { peerId: string; publicKey: string } | undefined {
    return this.data.peers[name];
  }

  /**
   * Check `name` -> `peerId` against what we met before; remember it on first
   * meeting. Throws P2prcError(key-changed) when the key differs.
   */
  checkAndRemember(name: string, peerId: string, publicKey: string): void {
    const known = this.data.peers[name];
    if (known) {
      if (known.peerId !== peerId) {
        throw new P2prcError(
          ErrorCode.KeyChanged,
          `the key of peer "${name}" has changed: known as ${known.peerId}, now offered as ${peerId}. ` +
            `Someone may be impersonating it (or it was reinstalled). If you trust the change, remove "${name}" from ${this.path}, ` +
            `or connect by full peer id.`,
        );
      }
      return;
    }
    this.data.peers[name] = { peerId, publicKey, firstSeen: new Date().toISOString() };
    writeFileAtomic(this.path, JSON.stringify(this.data, null, 2) + '\n', 0o600);
  }
}
