/**
 * The browser peer's identity: an Ed25519 key pair kept in IndexedDB, the same
 * kind of key the Node peers keep in their data dir, so the peer id is derived
 * the same way (the first 20 bytes of SHA-256 of the raw public key, in hex).
 *
 * WebCrypto's Ed25519 where the browser has it (Chromium, Firefox, Safari in a
 * secure context: https:// or localhost); the private key is then
 * non-extractable. The fallback, for a page on plain http:// to a remote
 * server (no `crypto.subtle` there) or an older browser, is @noble/ed25519 with
 * @noble/hashes' SHA-512/SHA-256, served by the signal server from its own
 * packages: the 32-byte secret is kept in IndexedDB as bytes.
 */
import { toBase64, toHex } from './bytes.js';

export interface BrowserIdentity {
  readonly peerId: string;
  /** Raw 32-byte public key, base64 (the protocol's `publicKey`). */
  readonly publicKey: string;
  readonly publicKeyRaw: Uint8Array;
  /** `webcrypto` or `noble` (the fallback). */
  readonly provider: 'webcrypto' | 'noble';
  /** Ed25519 signature, base64. */
  sign(data: Uint8Array): Promise<string>;
}

export interface Ed25519 {
  readonly provider: 'webcrypto' | 'noble';
  verify(publicKeyRaw: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

interface NobleEd {
  utils: { randomSecretKey(): Uint8Array };
  hashes: { sha512?: (m: Uint8Array) => Uint8Array; sha512Async?: (m: Uint8Array) => Promise<Uint8Array> };
  getPublicKeyAsync(sk: Uint8Array): Promise<Uint8Array>;
  signAsync(m: Uint8Array, sk: Uint8Array): Promise<Uint8Array>;
  verifyAsync(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): Promise<boolean>;
}
interface NobleSha2 {
  sha512(m: Uint8Array): Uint8Array;
  sha256(m: Uint8Array): Uint8Array;
}

/** Whether WebCrypto does Ed25519 here (false on an insecure page, where `crypto.subtle` is absent). */
export async function hasWebCryptoEd25519(): Promise<boolean> {
  if (!globalThis.crypto?.subtle) return false;
  try {
    await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}

let noble: Promise<{ ed: NobleEd; sha2: NobleSha2 }> | undefined;
function loadNoble(): Promise<{ ed: NobleEd; sha2: NobleSha2 }> {
  // Paths as strings so the compiler leaves them to the browser (served from the server's packages).
  const edUrl = '/vendor/noble-ed25519.js';
  const shaUrl = '/vendor/noble-hashes/sha2.js';
  noble ??= Promise.all([import(edUrl) as Promise<NobleEd>, import(shaUrl) as Promise<NobleSha2>]).then(([ed, sha2]) => {
    // Both: the async API's default is crypto.subtle, which an insecure page does not have.
    ed.hashes.sha512 = sha2.sha512;
    ed.hashes.sha512Async = async (m) => sha2.sha512(m);
    return { ed, sha2 };
  });
  return noble;
}

const webcrypto: Ed25519 = {
  provider: 'webcrypto',
  async verify(pk, data, sig) {
    const key = await crypto.subtle.importKey('raw', pk as BufferSource, { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'Ed25519' }, key, sig as BufferSource, data as BufferSource);
  },
  async sha256(data) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
  },
};

const nobleEd: Ed25519 = {
  provider: 'noble',
  async verify(pk, data, sig) {
    try {
      return await (await loadNoble()).ed.verifyAsync(sig, data, pk);
    } catch {
      return false;
    }
  },
  async sha256(data) {
    return (await loadNoble()).sha2.sha256(data);
  },
};

/** The implementation to use: WebCrypto when it does Ed25519, else the fallback; `force` picks one (tests). */
export async function ed25519(force?: 'webcrypto' | 'noble'): Promise<Ed25519> {
  if (force === 'noble') return nobleEd;
  if (force === 'webcrypto' || (await hasWebCryptoEd25519())) return webcrypto;
  return nobleEd;
}

export async function peerIdOf(ed: Ed25519, publicKeyRaw: Uint8Array): Promise<string> {
  return toHex((await ed.sha256(publicKeyRaw)).subarray(0, 20));
}

/** `SHA256:<base64>` of the raw public key, as the dashboard shows keys. */
export async function keyFingerprint(ed: Ed25519, publicKeyRaw: Uint8Array): Promise<string> {
  return 'SHA256:' + toBase64(await ed.sha256(publicKeyRaw)).replace(/=+$/, '');
}

// ---- IndexedDB ----
const DB = 'p2prc';
const STORE = 'identity';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
}

async function dbGet<T>(key: string): Promise<T | undefined> {
  const db = await openDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(key);
      req.onsuccess = () => resolve(req.result as T | undefined);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
    });
  } finally {
    db.close();
  }
}

async function dbPut(key: string, value: unknown): Promise<void> {
  const db = await openDb();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
  } finally {
    db.close();
  }
}

/** The identity kept under `slot` in IndexedDB (made on first use) with `ed`'s implementation. */
export async function loadOrCreateIdentity(ed: Ed25519, slot = 'default'): Promise<BrowserIdentity> {
  if (ed.provider === 'webcrypto') {
    const key = `webcrypto:${slot}`;
    let pair = await dbGet<CryptoKeyPair>(key);
    if (!pair) {
      pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
      await dbPut(key, pair);
    }
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    const priv = pair.privateKey;
    return {
      peerId: await peerIdOf(ed, raw),
      publicKey: toBase64(raw),
      publicKeyRaw: raw,
      provider: 'webcrypto',
      sign: async (data) => toBase64(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, priv, data as BufferSource))),
    };
  }
  const { ed: n } = await loadNoble();
  const key = `noble:${slot}`;
  let secret = await dbGet<Uint8Array>(key);
  if (!secret) {
    secret = n.utils.randomSecretKey();
    await dbPut(key, secret);
  }
  const sk = secret;
  const raw = await n.getPublicKeyAsync(sk);
  return {
    peerId: await peerIdOf(ed, raw),
    publicKey: toBase64(raw),
    publicKeyRaw: raw,
    provider: 'noble',
    sign: async (data) => toBase64(await n.signAsync(data, sk)),
  };
}
