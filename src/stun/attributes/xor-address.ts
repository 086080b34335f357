/**
 * XOR-MAPPED-ADDRESS (0x0020) [RFC 8489 §14.2], XOR-PEER-ADDRESS (0x0012) and
 * XOR-RELAYED-ADDRESS (0x0016) [RFC 8656 §18.3, §18.5].
 *
 * Same layout as MAPPED-ADDRESS, but the port is XORed with the top 16 bits of
 * the magic cookie and the address with the magic cookie (IPv4) or with the
 * magic cookie followed by the 12-byte transaction ID (IPv6).
 */
import { MAGIC_COOKIE, TRANSACTION_ID_LENGTH } from '../constants.js';
import { StunDecodeError } from '../errors.js';
import { formatIp } from '../ip.js';
import { addressBytes, splitAddressValue, type TransportAddress } from './address.js';

export type { TransportAddress } from './address.js';

function xorKey(transactionId: Buffer): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(MAGIC_COOKIE, 0);
  transactionId.copy(key, 4);
  return key;
}

function xorInPlace(b: Buffer, key: Buffer): Buffer {
  for (let i = 0; i < b.length; i++) b[i] = b[i]! ^ key[i]!;
  return b;
}

export function encodeXorAddress(a: TransportAddress, transactionId: Buffer): Buffer {
  if (!Buffer.isBuffer(transactionId) || transactionId.length !== TRANSACTION_ID_LENGTH) {
    throw new RangeError(`transaction ID must be ${TRANSACTION_ID_LENGTH} bytes`);
  }
  const { family, bytes } = addressBytes(a);
  const out = Buffer.alloc(4 + bytes.length);
  out[1] = family;
  out.writeUInt16BE(a.port ^ (MAGIC_COOKIE >>> 16), 2);
  xorInPlace(Buffer.from(bytes), xorKey(transactionId)).copy(out, 4);
  return out;
}

export function decodeXorAddress(value: Buffer, transactionId: Buffer): TransportAddress {
  if (!(transactionId instanceof Uint8Array) || transactionId.length !== TRANSACTION_ID_LENGTH) {
    throw new StunDecodeError('bad-transaction-id', `transaction ID must be ${TRANSACTION_ID_LENGTH} bytes`);
  }
  const { family, port, addr } = splitAddressValue(value, 'XOR address');
  const plain = xorInPlace(Buffer.from(addr), xorKey(Buffer.from(transactionId)));
  return { family, address: formatIp(plain), port: port ^ (MAGIC_COOKIE >>> 16) };
}
