/**
 * The relay's TLS certificate when the operator gives none: a self-signed
 * ECDSA P-256 certificate, made once and kept in the data dir, so its
 * fingerprint (which peers pin, told in the register reply) survives restarts.
 * Made with @peculiar/x509 over Node's WebCrypto: Node can make keys but not
 * certificates, and nothing is downloaded or run (no openssl binary needed).
 */
import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from '../../src/util/atomic-file.js';

export const CERT_FILE = 'turn_tls_cert.pem';
export const KEY_FILE = 'turn_tls_key.pem';
/** Ten years: a pinned certificate has no CA to renew it with. */
const VALIDITY_MS = 10 * 365 * 86_400_000;

export interface TlsMaterial {
  cert: string;
  key: string;
  selfSigned: boolean;
}

/** The SHA-256 fingerprint of a PEM certificate, as Node writes it (AA:BB:...). */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A new self-signed certificate for `name`, valid for the given IP addresses too (subjectAltName). */
export async function makeSelfSigned(name: string, ips: readonly string[]): Promise<TlsMaterial> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${name.replace(/[,=+<>#;"\\]/g, '_')}`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + VALIDITY_MS),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'p2prc-relay' }, ...ips.map((ip) => ({ type: 'ip' as const, value: ip }))])],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as never);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), selfSigned: true };
}

/** The data dir's self-signed certificate, made (and kept, the key readable by its owner only) on first use. */
export async function loadOrMakeSelfSigned(dataDir: string, name: string, ips: readonly string[]): Promise<TlsMaterial> {
  const certPath = join(dataDir, CERT_FILE);
  const keyPath = join(dataDir, KEY_FILE);
  if (existsSync(certPath) && existsSync(keyPath)) return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), selfSigned: true };
  const made = await makeSelfSigned(name, ips);
  writeFileAtomic(keyPath, made.key, 0o600);
  writeFileAtomic(certPath, made.cert, 0o644);
  return made;
}
