/**
 * Wait until a STUN server answers: a Binding request sent again every RETRY_MS until a
 * success response, bounded by `timeoutMs`. coturn writes its pid file before its UDP
 * listeners answer, and on a busy machine they took longer than any fixed pause: a peer
 * that probed too early found "no STUN response" and called the relay unusable.
 */
import { bindUdp, bindingRequest } from '../../src/stun-client/binding.js';

const RETRY_MS = 100;

/** Resolves with the milliseconds waited; rejects after `timeoutMs` without an answer. */
export async function waitForStunAnswer(address: string, port: number, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  const sock = await bindUdp('127.0.0.1');
  try {
    for (;;) {
      // One attempt of RETRY_MS each time: a reply to an earlier request is ignored by its transaction id.
      if (await bindingRequest(sock, { address, port }, undefined, { rtoMs: RETRY_MS, attempts: 1 })) return performance.now() - t0;
      if (performance.now() - t0 > timeoutMs) throw new Error(`no STUN answer from ${address}:${port} within ${timeoutMs} ms`);
    }
  } finally {
    sock.close();
  }
}
