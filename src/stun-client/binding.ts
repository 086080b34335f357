/**
 * STUN Binding on a UDP socket (RFC 8489 §3): bind a client socket, ask a
 * server, read the mapped address. Shared by NAT behaviour discovery and the
 * port-prediction punch.
 */
import { createSocket, type Socket } from 'node:dgram';
import { Attr, Method, StunClass, buildRequest, decodeAddress, decodeXorAddress, encodeChangeRequest, getAttribute, type StunMessage, type TransportAddress } from '../stun/index.js';
import { stunTransaction } from './transaction.js';

/** A udp4 socket bound to `address:port` (default any address, an ephemeral port). Later socket errors (e.g. ICMP unreachable) are not fatal. */
export function bindUdp(address = '0.0.0.0', port = 0): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(port, address, () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

/** XOR-MAPPED-ADDRESS, else the classic MAPPED-ADDRESS (RFC 3489 servers). */
export function mappedAddressOf(m: StunMessage): TransportAddress | undefined {
  const x = getAttribute(m, Attr.XorMappedAddress);
  if (x) return decodeXorAddress(x, m.transactionId);
  const p = getAttribute(m, Attr.MappedAddress);
  return p ? decodeAddress(p) : undefined;
}

/** A Binding request (with CHANGE-REQUEST when `change` is given); the success response, or undefined when none came. */
export async function bindingRequest(
  sock: Socket,
  server: { address: string; port: number },
  change: { changeIp: boolean; changePort: boolean } | undefined,
  opts: { rtoMs?: number; attempts?: number } = {},
): Promise<StunMessage | undefined> {
  const req = buildRequest(Method.Binding, change ? [{ type: Attr.ChangeRequest, value: encodeChangeRequest(change) }] : []);
  try {
    const { response } = await stunTransaction(sock, server, req, { rtoMs: opts.rtoMs ?? 200, attempts: opts.attempts ?? 4 });
    return response.cls === StunClass.SuccessResponse ? response : undefined;
  } catch {
    return undefined;
  }
}
