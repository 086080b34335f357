/**
 * STUN client transactions over UDP (RFC 8489 §6.2.1): send a request,
 * retransmit with doubling RTO, match the response by transaction id.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { decodeMessage, encodeMessage, isStunMessage, type StunMessage } from '../stun/index.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

export interface TransactionOptions {
  /** Sign the request (MESSAGE-INTEGRITY) with this key. */
  key?: Buffer;
  /** First retransmission timeout; doubles each time (RFC 8489 suggests 500 ms on the internet). */
  rtoMs?: number;
  /** Requests sent in all (RFC 8489 Rc = 7). */
  attempts?: number;
}

export interface TransactionResult {
  response: StunMessage;
  raw: Buffer;
  from: RemoteInfo;
  rttMs: number;
}

export function stunTransaction(sock: Socket, server: { address: string; port: number }, request: StunMessage, opts: TransactionOptions = {}): Promise<TransactionResult> {
  const wire = encodeMessage(request, { integrityKey: opts.key, fingerprint: true });
  const tid = request.transactionId;
  const attempts = opts.attempts ?? 5;
  let rto = opts.rtoMs ?? 250;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const t0 = performance.now();
    const onMessage = (buf: Buffer, rinfo: RemoteInfo): void => {
      if (!isStunMessage(buf) || !buf.subarray(8, 20).equals(tid)) return;
      let response: StunMessage;
      try {
        response = decodeMessage(buf);
      } catch {
        return;
      }
      done();
      resolve({ response, raw: buf, from: rinfo, rttMs: performance.now() - t0 });
    };
    const done = (): void => {
      if (timer) clearTimeout(timer);
      sock.off('message', onMessage);
    };
    const send = (): void => {
      if (sent >= attempts) {
        done();
        reject(new P2prcError(ErrorCode.Timeout, `no STUN response from ${server.address}:${server.port} after ${attempts} attempts`));
        return;
      }
      sent++;
      sock.send(wire, server.port, server.address, (err) => {
        if (err) {
          done();
          reject(err);
        }
      });
      timer = setTimeout(send, rto);
      rto *= 2;
    };
    sock.on('message', onMessage);
    send();
  });
}
