/**
 * CRC-32 (ITU-T V.42 / ISO 3309 / zlib polynomial 0xEDB88320, reflected),
 * as used by the STUN FINGERPRINT attribute.
 *
 * Uses node:zlib's native `crc32` when present (Node >= 20.15 / 22.2) and a
 * table-driven implementation otherwise.
 */
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** Portable table-driven CRC-32 (exported for tests). */
export function crc32Table(data: Uint8Array, initial = 0): number {
  const t = (table ??= makeTable());
  let c = (initial ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) {
    c = (t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
  }
  return (c ^ 0xffffffff) >>> 0;
}

type Crc32Fn = (data: Uint8Array, value?: number) => number;
const native: Crc32Fn | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as { crc32: Crc32Fn }).crc32 : undefined;

/** True when node:zlib provides a native crc32. */
export const hasNativeCrc32 = native !== undefined;

/** CRC-32 of `data`, optionally continuing from a previous CRC value. */
export function crc32(data: Uint8Array, initial = 0): number {
  return native ? native(data, initial) >>> 0 : crc32Table(data, initial);
}
