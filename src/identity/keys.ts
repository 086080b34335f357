/**
 * Peer identity: an ed25519 key pair kept in the data dir (mode 0600).
 * The peer id is derived from the public key, so a signalling server cannot
 * pair a peer id with a key of its choosing.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, KeyObject } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../util/atomic-file.js';
import { FILES } from '../util/paths.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/** DER prefix of an ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function peerIdFromPublicKey(raw: Uint8Array): string {
  // The first 20 bytes as hex, not the 64-char hex sliced: a slice keeps its whole parent
  // string alive, in every id a signal server holds (#9).
  return createHash('sha256').update(raw).digest().subarray(0, 20).toString('hex');
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new P2prcError(ErrorCode.BadArgument, 'ed25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function verifySignature(publicKeyB64: string, data: Uint8Array, signatureB64: string): boolean {
  try {
    const raw = Buffer.from(publicKeyB64, 'base64');
    if (raw.length !== 32) return false;
    // The key as DER, not a KeyObject: Node makes and frees its native key within the call,
    // where a KeyObject's waits for a GC (a signal server verifies one per registration, #9).
    const key = { key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' } as const;
    return verify(null, data, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export class Identity {
  readonly peerId: string;
  readonly publicKeyRaw: Buffer;
  readonly publicKey: string;
  private readonly privateKey: KeyObject;

  constructor(privateKey: KeyObject) {
    this.privateKey = privateKey;
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    this.publicKeyRaw = Buffer.from(spki.subarray(spki.length - 32));
    this.publicKey = this.publicKeyRaw.toString('base64');
    this.peerId = peerIdFromPublicKey(this.publicKeyRaw);
  }

  static generate(): Identity {
    return new Identity(generateKeyPairSync('ed25519').privateKey);
  }

  /** Load the identity from `dataDir`, creating it (mode 0600) on first use. */
  static loadOrCreate(dataDir: string): Identity {
    const path = join(dataDir, FILES.identity);
    const stored = readJsonFile(path);
    if (stored !== undefined) {
      const parsed = IdentityFileSchema.safeParse(stored);
      if (!parsed.success) throw new P2prcError(ErrorCode.BadFile, `${path} is not a valid p2prc identity file`);
      const mode = statSync(path).mode & 0o777;
      if (mode & 0o077) chmodSync(path, 0o600);
      return new Identity(createPrivateKey({ key: parsed.data.privateKey, format: 'pem' }));
    }
    const id = Identity.generate();
    const file: IdentityFile = {
      version: 1,
      type: 'ed25519',
      peerId: id.peerId,
      publicKey: id.publicKey,
      privateKey: id.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', 0o600);
    return id;
  }

  sign(data: Uint8Array): string {
    return sign(null, data, this.privateKey).toString('base64');
  }
}

const IdentityFileSchema = z.object({
  version: z.literal(1),
  type: z.literal('ed25519'),
  peerId: z.string(),
  publicKey: z.string(),
  privateKey: z.string(),
});
type IdentityFile = z.infer<typeof IdentityFileSchema>;
