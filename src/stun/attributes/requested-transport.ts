/**
 * REQUESTED-TRANSPORT (0x0019) [RFC 8656 §18.7]: an IP protocol number
 * (17 = UDP; 6 = TCP per RFC 6062) followed by 3 RFFU bytes.
 *
 * Any protocol number decodes; the server decides whether to answer
 * 442 Unsupported Transport Protocol.
 */
import { TransportProtocol } from '../constants.js';
import { checkInt, expectLength } from './util.js';

export { TransportProtocol } from '../constants.js';

export function encodeRequestedTransport(protocol: number = TransportProtocol.UDP): Buffer {
  checkInt(protocol, 0, 255, 'protocol');
  const out = Buffer.alloc(4);
  out[0] = protocol;
  return out;
}

export function decodeRequestedTransport(value: Buffer): number {
  return expectLength(value, 4, 'REQUESTED-TRANSPORT')[0]!;
}
