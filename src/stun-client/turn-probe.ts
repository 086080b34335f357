/**
 * Check that a TURN server accepts our credentials: Allocate (through the
 * 401 challenge), then deallocate at once. Gives the peer a clear error when
 * the relay fallback would not work, instead of an ICE failure much later.
 */
import { lookup } from 'node:dns/promises';
import type { TransportAddress } from '../stun/index.js';
import { TurnClient, TurnError } from './turn-client.js';

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
  let client: TurnClient | undefined;
  try {
    const address = (await lookup(spec.host, { family: 4 })).address;
    client = new TurnClient({ server: { address, port: spec.port }, username: spec.username, password: spec.credential, transaction: opts });
    await client.bind();
    const relayed = await client.allocate();
    if (!client.challenged) {
      await client.refresh(0).catch(() => undefined);
      return { ok: false, reason: 'server did not challenge an unauthenticated Allocate with 401' };
    }
    const rttMs = Math.round(client.firstRttMs * 10) / 10;
    // Give the port back at once: this was only a check.
    await client.refresh(0).catch(() => undefined);
    return { ok: true, relayed, ...(client.mapped ? { mapped: client.mapped } : {}), rttMs };
  } catch (err) {
    if (err instanceof TurnError) return { ok: false, code: err.code, reason: `${err.code} ${err.reason}` };
    return { ok: false, reason: (err as Error).message };
  } finally {
    client?.close();
  }
}
