/**
 * Check that a TURN server accepts our credentials: Allocate (401 challenge,
 * then authenticated), then deallocate. Gives the peer a clear error when the
 * relay fallback would not work, instead of an ICE failure much later.
 */
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import {
  Attr,
  ErrorCodes,
  Method,
  StunClass,
  buildRequest,
  decodeErrorCode,
  decodeText,
  decodeXorAddress,
  encodeLifetime,
  encodeRequestedTransport,
  encodeText,
  getAttribute,
  longTermKey,
  type StunAttribute,
  type TransportAddress,
} from '../stun/index.js';
import { stunTransaction } from './transaction.js';

export interface TurnServerSpec {
  host: string;
  port: number;
  username: string;
  credential: string;
}

export type ProbeResult =
  | { ok: true; relayed: TransportAddress; mapped?: TransportAddress; rttMs: number }
  | { ok: false; code?: number; reason: string };

export async function probeTurn(spec: TurnServerSpec, opts: { rtoMs?: number; attempts?: number } = {}): Promise<ProbeResult> {
  const sock = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(0, () => resolve());
    });
    const address = (await lookup(spec.host, { family: 4 })).address;
    const server = { address, port: spec.port };
    const base: StunAttribute[] = [{ type: Attr.RequestedTransport, value: encodeRequestedTransport(17) }];
    const first = await stunTransaction(sock, server, buildRequest(Method.Allocate, base), opts);
    const err = (m: typeof first.response): { code: number; reason: string } | undefined => {
      const ec = getAttribute(m, Attr.ErrorCode);
      return ec ? decodeErrorCode(ec) : undefined;
    };
    if (first.response.cls !== StunClass.ErrorResponse || err(first.response)?.code !== ErrorCodes.Unauthorized) {
      return { ok: false, reason: 'server did not challenge an unauthenticated Allocate with 401' };
    }
    let realm = decodeText(getAttribute(first.response, Attr.Realm) ?? Buffer.alloc(0));
    let nonce = decodeText(getAttribute(first.response, Attr.Nonce) ?? Buffer.alloc(0));
    const key = (): Buffer => longTermKey(spec.username, realm, spec.credential);
    const authed = (extra: StunAttribute[]): StunAttribute[] => [
      ...extra,
      { type: Attr.Username, value: encodeText(spec.username) },
      { type: Attr.Realm, value: encodeText(realm) },
      { type: Attr.Nonce, value: encodeText(nonce) },
    ];
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await stunTransaction(sock, server, buildRequest(Method.Allocate, authed(base)), { ...opts, key: key() });
      const e = err(res.response);
      if (res.response.cls === StunClass.SuccessResponse) {
        const tid = res.response.transactionId;
        const relayedRaw = getAttribute(res.response, Attr.XorRelayedAddress);
        const mappedRaw = getAttribute(res.response, Attr.XorMappedAddress);
        // Give the port back at once: this was only a check.
        await stunTransaction(sock, server, buildRequest(Method.Refresh, authed([{ type: Attr.Lifetime, value: encodeLifetime(0) }])), { ...opts, key: key() }).catch(() => undefined);
        if (!relayedRaw) return { ok: false, reason: 'Allocate success without XOR-RELAYED-ADDRESS' };
        return {
          ok: true,
          relayed: decodeXorAddress(relayedRaw, tid),
          ...(mappedRaw ? { mapped: decodeXorAddress(mappedRaw, tid) } : {}),
          rttMs: Math.round(first.rttMs * 10) / 10,
        };
      }
      if (e?.code === ErrorCodes.StaleNonce) {
        nonce = decodeText(getAttribute(res.response, Attr.Nonce) ?? Buffer.alloc(0));
        realm = decodeText(getAttribute(res.response, Attr.Realm) ?? Buffer.from(realm));
        continue;
      }
      return { ok: false, ...(e ? { code: e.code } : {}), reason: e ? `${e.code} ${e.reason}` : 'unexpected response' };
    }
    return { ok: false, code: ErrorCodes.StaleNonce, reason: '438 Stale Nonce twice' };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  } finally {
    sock.close();
  }
}
