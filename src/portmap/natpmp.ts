/**
 * NAT-PMP client (RFC 6886): external address, and UDP/TCP port mappings on
 * the gateway (UDP port 5351). Small and dependency-free: nat-api 0.3.1's
 * NAT-PMP never matches replies to requests (its handler drops the packet).
 */
import { createSocket } from 'node:dgram';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

export const NATPMP_PORT = 5351;

export interface PmpMapping {
  protocol: 'udp' | 'tcp';
  internalPort: number;
  externalPort: number;
  lifetime: number;
  epoch: number;
}

/** Encode a mapping request (pure). */
export function encodeMapRequest(protocol: 'udp' | 'tcp', internalPort: number, externalPort: number, lifetime: number): Buffer {
  const b = Buffer.alloc(12);
  b[0] = 0;
  b[1] = protocol === 'udp' ? 1 : 2;
  b.writeUInt16BE(internalPort, 4);
  b.writeUInt16BE(externalPort, 6);
  b.writeUInt32BE(lifetime, 8);
  return b;
}

const RESULT: Record<number, string> = {
  1: 'unsupported version',
  2: 'not authorized/refused',
  3: 'network failure',
  4: 'out of resources',
  5: 'unsupported opcode',
};

/** Decode a response to `op` (0 external address, 1 UDP, 2 TCP); throws with the result text on failure. Pure. */
export function decodeResponse(buf: Buffer, op: number): { epoch: number; address?: string; mapping?: Omit<PmpMapping, 'protocol'> } {
  if (buf.length < 8 || buf[0] !== 0 || buf[1] !== 128 + op) throw new P2prcError(ErrorCode.BadResponse, 'not a NAT-PMP response to this request');
  const result = buf.readUInt16BE(2);
  if (result !== 0) throw new P2prcError(ErrorCode.PortMapFailed, `NAT-PMP refused: ${RESULT[result] ?? `result ${result}`}`);
  const epoch = buf.readUInt32BE(4);
  if (op === 0) {
    if (buf.length < 12) throw new P2prcError(ErrorCode.BadResponse, 'short NAT-PMP address response');
    return { epoch, address: [...buf.subarray(8, 12)].join('.') };
  }
  if (buf.length < 16) throw new P2prcError(ErrorCode.BadResponse, 'short NAT-PMP mapping response');
  return { epoch, mapping: { internalPort: buf.readUInt16BE(8), externalPort: buf.readUInt16BE(10), lifetime: buf.readUInt32BE(12), epoch } };
}

async function exchange(gateway: string, req: Buffer, op: number, attempts: number): Promise<Buffer> {
  const s = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, () => resolve());
    });
    return await new Promise<Buffer>((resolve, reject) => {
      let rto = 250; // RFC 6886 §3.1: 250 ms, doubling
      let sent = 0;
      let timer: NodeJS.Timeout;
      const send = (): void => {
        if (sent++ >= attempts) return reject(new Error(`no NAT-PMP answer from ${gateway}:${NATPMP_PORT}`));
        s.send(req, NATPMP_PORT, gateway);
        timer = setTimeout(send, rto);
        rto *= 2;
      };
      s.on('message', (m, r) => {
        if (r.address !== gateway || m[1] !== 128 + op) return;
        clearTimeout(timer);
        resolve(m);
      });
      send();
    });
  } finally {
    s.close();
  }
}

export async function pmpExternalAddress(gateway: string, attempts = 4): Promise<string> {
  const r = decodeResponse(await exchange(gateway, Buffer.from([0, 0]), 0, attempts), 0);
  return r.address!;
}

/** Map (lifetime > 0) or delete (lifetime 0) a port. */
export async function pmpMap(gateway: string, protocol: 'udp' | 'tcp', internalPort: number, externalPort: number, lifetime: number, attempts = 4): Promise<PmpMapping> {
  const op = protocol === 'udp' ? 1 : 2;
  const r = decodeResponse(await exchange(gateway, encodeMapRequest(protocol, internalPort, externalPort, lifetime), op, attempts), op);
  return { protocol, ...r.mapping! };
}
