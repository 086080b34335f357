/**
 * PCP client (RFC 6887): MAP an IPv4 port on the gateway (UDP 5351), renew it
 * with the same nonce, delete it (lifetime 0). The codec is ./pcp-codec.ts.
 *
 * Retransmission as NAT-PMP's (250 ms, doubling, 4 tries: an answer or a
 * verdict within ~4 s at start-up) rather than RFC 6887's 3 s initial timeout,
 * which is meant for a client that keeps trying for as long as it runs.
 * Only a response from the gateway's PCP port, to our opcode, with our nonce,
 * protocol and internal port is taken; anything else is ignored.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { PCP_PORT, decodeResponse, encodeAnnounceRequest, encodeMapRequest, resultText, PROTO, type MapResponse, type PcpResponse } from './pcp-codec.js';

export interface PcpMapping {
  protocol: 'udp' | 'tcp';
  internalPort: number;
  externalPort: number;
  externalAddress: string;
  lifetime: number;
  epoch: number;
  /** Kept to renew and to delete this mapping. */
  nonce: Buffer;
}

/** The gateway answered in NAT-PMP (version 0): it has no PCP, NAT-PMP is the fallback (RFC 6887 §9). */
export class PcpUnsupported extends P2prcError {
  constructor(gateway: string) {
    super(ErrorCode.PortMapFailed, `${gateway} speaks NAT-PMP, not PCP (it answered version 0)`);
  }
}

export const newNonce = (): Buffer => randomBytes(12);

async function exchange(gateway: string, req: Buffer, accept: (r: PcpResponse) => boolean, attempts: number): Promise<PcpResponse> {
  const s = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, () => resolve());
    });
    s.on('error', () => undefined); // ICMP port unreachable and the like: keep waiting for the next try
    return await new Promise<PcpResponse>((resolve, reject) => {
      let rto = 250;
      let sent = 0;
      let timer: NodeJS.Timeout;
      const send = (): void => {
        if (sent++ >= attempts) return reject(new P2prcError(ErrorCode.PortMapFailed, `no PCP answer from ${gateway}:${PCP_PORT}`));
        s.send(req, PCP_PORT, gateway);
        timer = setTimeout(send, rto);
        rto *= 2;
      };
      s.on('message', (m, r) => {
        if (r.address !== gateway || r.port !== PCP_PORT) return;
        let res: PcpResponse;
        try {
          res = decodeResponse(m);
        } catch {
          return; // not an answer we can read: as if lost
        }
        if (!accept(res)) return;
        clearTimeout(timer);
        resolve(res);
      });
      send();
    });
  } finally {
    s.close();
  }
}

/**
 * MAP `internalPort` (suggesting the same port outside), or delete it with
 * lifetime 0 and the nonce that made it. `clientAddress`: this host's address
 * towards the gateway (PCP checks it against the packet's source).
 */
export async function pcpMap(
  gateway: string,
  o: { protocol: 'udp' | 'tcp'; internalPort: number; externalPort?: number; lifetime: number; clientAddress: string; nonce?: Buffer },
  attempts = 4,
): Promise<PcpMapping> {
  const nonce = o.nonce ?? newNonce();
  const req = encodeMapRequest({ protocol: o.protocol, internalPort: o.internalPort, suggestedExternalPort: o.externalPort ?? o.internalPort, lifetime: o.lifetime, nonce, clientAddress: o.clientAddress });
  const ours = (r: PcpResponse): boolean =>
    r.kind === 'natpmp-only' || (r.kind === 'map' && ((r.result !== 0 && r.internalPort === 0) || (r.nonce.equals(nonce) && r.protocol === PROTO[o.protocol] && r.internalPort === o.internalPort)));
  const res = await exchange(gateway, req, ours, attempts);
  if (res.kind === 'natpmp-only') throw new PcpUnsupported(gateway);
  const r = res as MapResponse;
  if (r.result !== 0) throw new P2prcError(ErrorCode.PortMapFailed, `PCP refused: ${resultText(r.result)}`);
  if (o.lifetime > 0 && (r.externalPort === 0 || !r.externalAddress)) throw new P2prcError(ErrorCode.BadResponse, 'PCP success without an external port or address');
  return { protocol: o.protocol, internalPort: r.internalPort, externalPort: r.externalPort, externalAddress: r.externalAddress, lifetime: r.lifetime, epoch: r.epoch, nonce };
}

/** Whether the gateway speaks PCP (ANNOUNCE, §14.1): its epoch when it does; throws PcpUnsupported or `no PCP answer` when not. */
export async function pcpAnnounce(gateway: string, clientAddress: string, attempts = 3): Promise<{ epoch: number }> {
  const res = await exchange(gateway, encodeAnnounceRequest(clientAddress), (r) => r.kind === 'natpmp-only' || r.kind === 'announce', attempts);
  if (res.kind === 'natpmp-only') throw new PcpUnsupported(gateway);
  if (res.result !== 0) throw new P2prcError(ErrorCode.PortMapFailed, `PCP refused: ${resultText(res.result)}`);
  return { epoch: (res as { epoch: number }).epoch };
}
