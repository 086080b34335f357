/**
 * PASSWORD-ALGORITHM (0x001D) and PASSWORD-ALGORITHMS (0x8002)
 * [RFC 8489 §14.11, §14.12].
 *
 *   |          Algorithm           |  Algorithm Parameters Length   |
 *   |                    Algorithm Parameters (variable)
 *
 * Parameters are padded to a multiple of 4 bytes inside the value.
 * PASSWORD-ALGORITHMS is a list of such entries. Algorithm 0x0001 = MD5,
 * 0x0002 = SHA-256 (both without parameters).
 */
import { StunDecodeError } from '../errors.js';
import { asBuffer, checkInt } from './util.js';

export { PasswordAlgorithmId } from '../constants.js';

export interface PasswordAlgorithm {
  algorithm: number;
  parameters: Buffer;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function encodeOne(a: PasswordAlgorithm): Buffer {
  checkInt(a.algorithm, 0, 0xffff, 'algorithm');
  const params = a.parameters ?? Buffer.alloc(0);
  if (params.length > 0xffff) throw new RangeError('algorithm parameters too long');
  const out = Buffer.alloc(4 + pad4(params.length));
  out.writeUInt16BE(a.algorithm, 0);
  out.writeUInt16BE(params.length, 2);
  Buffer.from(params).copy(out, 4);
  return out;
}

function decodeAt(v: Buffer, off: number, what: string): { entry: PasswordAlgorithm; next: number } {
  if (v.length - off < 4) throw new StunDecodeError('bad-length', `${what} entry truncated`);
  const algorithm = v.readUInt16BE(off);
  const len = v.readUInt16BE(off + 2);
  const end = off + 4 + len;
  if (end > v.length) throw new StunDecodeError('bad-length', `${what} parameters overrun the value`);
  return { entry: { algorithm, parameters: Buffer.from(v.subarray(off + 4, end)) }, next: Math.min(off + 4 + pad4(len), v.length) };
}

export function encodePasswordAlgorithm(a: PasswordAlgorithm): Buffer {
  return encodeOne(a);
}

export function decodePasswordAlgorithm(value: Buffer): PasswordAlgorithm {
  const v = asBuffer(value, 'PASSWORD-ALGORITHM');
  const { entry, next } = decodeAt(v, 0, 'PASSWORD-ALGORITHM');
  if (next !== v.length) throw new StunDecodeError('bad-length', 'PASSWORD-ALGORITHM has trailing bytes');
  return entry;
}

export function encodePasswordAlgorithms(list: readonly PasswordAlgorithm[]): Buffer {
  return Buffer.concat(list.map(encodeOne));
}

export function decodePasswordAlgorithms(value: Buffer): PasswordAlgorithm[] {
  const v = asBuffer(value, 'PASSWORD-ALGORITHMS');
  const out: PasswordAlgorithm[] = [];
  let off = 0;
  while (off < v.length) {
    const { entry, next } = decodeAt(v, off, 'PASSWORD-ALGORITHMS');
    out.push(entry);
    off = next;
  }
  return out;
}
