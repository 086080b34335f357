/**
 * Pure IP address text <-> bytes conversion (no node:net, no DNS).
 *
 * formatIp() produces the same text as Node's `rinfo.address` / libuv's
 * inet_ntop (lower case, longest run of two or more zero groups compressed,
 * `::ffff:a.b.c.d` for IPv4-mapped and `::a.b.c.d` for IPv4-compatible
 * addresses), so decoded addresses can be compared with socket addresses as
 * strings.
 */

const V4_PART = /^(0|[1-9][0-9]{0,2})$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIPv4(s: string): Buffer | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!V4_PART.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseGroups(s: string, allowV4Tail: boolean): number[] | undefined {
  if (s === '') return [];
  const parts = s.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && allowV4Tail && p.includes('.')) {
      const v4 = parseIPv4(p);
      if (!v4) return undefined;
      groups.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
    } else {
      if (!V6_GROUP.test(p)) return undefined;
      groups.push(parseInt(p, 16));
    }
  }
  return groups;
}

function parseIPv6(input: string): Buffer | undefined {
  let s = input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone); // scope id is not carried on the wire
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const dbl = s.indexOf('::');
  let groups: number[];
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return undefined;
    const head = parseGroups(s.slice(0, dbl), false);
    const tail = parseGroups(s.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s, true);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Parses an IPv4 or IPv6 literal into 4 or 16 bytes; undefined if it is not one. */
export function parseIp(address: string): Buffer | undefined {
  if (typeof address !== 'string' || address.length > 64) return undefined;
  return address.includes(':') ? parseIPv6(address) : parseIPv4(address);
}

/** 'IPv4' / 'IPv6' for a valid literal, undefined otherwise. */
export function ipFamily(address: string): 'IPv4' | 'IPv6' | undefined {
  const b = parseIp(address);
  return b === undefined ? undefined : b.length === 4 ? 'IPv4' : 'IPv6';
}

/** Formats 4 or 16 address bytes the way Node/libuv does. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) throw new RangeError(`IP address must be 4 or 16 bytes, got ${bytes.length}`);
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Longest run of zero words (first one wins a tie); only runs of >= 2 are compressed.
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // Encapsulated IPv4 (IPv4-compatible or IPv4-mapped), as libuv prints it.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** If `address` is an IPv4-mapped IPv6 address (::ffff:a.b.c.d), the IPv4 text; otherwise undefined. */
export function unmapIPv4(address: string): string | undefined {
  const b = parseIp(address);
  if (b === undefined || b.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return undefined;
  if (b[10] !== 0xff || b[11] !== 0xff) return undefined;
  return formatIp(b.subarray(12));
}
