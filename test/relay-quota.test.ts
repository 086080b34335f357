/**
 * Relay quotas that strangers cannot hold (#8 item 7), against a real server
 * process: free identities from one address cannot fill the relay so that a
 * legitimate pair gets 486 (per-IP quota), and the credentials a peer was given
 * stop working once it has left the signal server (no new allocations after its
 * reconnect grace, none left behind).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import type { IceServerConfig } from '../src/protocol/messages.js';
import { registerRawPeer } from './harness/raw-peer.js';
import { TurnClient, TurnError } from '../src/stun-client/turn-client.js';
import { asRoute, atCleanup, cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal } from './helpers.js';

/** A throwaway identity registered over a raw WebSocket, holding the relay credentials the server gave it. */
interface Sybil {
  ws: WebSocket;
  peerId: string;
  username: string;
  password: string;
}

async function sybil(url: string, name: string): Promise<Sybil> {
  const { ws, registered: m } = await registerRawPeer(url, name);
  atCleanup(() => ws.terminate());
  const turn = m.iceServers.find((s: IceServerConfig) => [s.urls].flat().some((u) => u.startsWith('turn:')));
  if (!turn?.username || !turn.credential) throw new Error(`${name}: no TURN credentials in ${JSON.stringify(m.iceServers)}`);
  return { ws, peerId: m.peerId, username: turn.username, password: turn.credential };
}

function turnClient(stunPort: number, s: Sybil): TurnClient {
  const c = new TurnClient({ server: { address: '127.0.0.1', port: stunPort }, username: s.username, password: s.password, transaction: { rtoMs: 100, attempts: 4 } });
  atCleanup(() => c.close());
  return c;
}

/** Allocate, or the error code. */
async function tryAllocate(c: TurnClient): Promise<number | 'ok'> {
  await c.bind();
  try {
    await c.allocate();
    return 'ok';
  } catch (err) {
    if (err instanceof TurnError) return err.code;
    throw err;
  }
}

describe('relay quotas against strangers', () => {
  after(cleanup);

  it('two identities x 10 allocations from one IP cannot fill --max-allocations 20: a pair from other addresses still relays', async () => {
    const s = await startSignal(['--max-allocations', '20']);
    const outcomes: (number | 'ok')[] = [];
    for (const name of ['sybil-1', 'sybil-2']) {
      const id = await sybil(s.url, name);
      for (let i = 0; i < 10; i++) outcomes.push(await tryAllocate(turnClient(s.stunPort!, id)));
    }
    const held = outcomes.filter((o) => o === 'ok').length;
    // The legitimate pair, from 127.0.0.2 and 127.0.0.3, relayed only.
    const echo = await echoService();
    const ex = await startExpose('alice', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--bind', '127.0.0.2']);
    const c = await startConnect('alice/echo', s.url, undefined, ['--force-relay', '--bind', '127.0.0.3']);
    const route = asRoute(await c.proc.waitForEvent({ event: 'route', target: 'alice/echo' }, 30_000));
    assert.equal(route.kind, 'relay');
    const d = randomData(256 * 1024);
    assert.equal(sha256(await exchange(c.port, d)), sha256(d));
    await s.proc.waitFor(/allocation created .*client=127\.0\.0\.2:/, 'err');
    await s.proc.waitFor(/allocation created .*client=127\.0\.0\.3:/, 'err');
    // The strangers got half the server, no more, and were told 486.
    assert.equal(held, 10, `allocations held from 127.0.0.1: ${JSON.stringify(outcomes)}`);
    assert.deepEqual(outcomes.filter((o) => o !== 'ok'), Array(10).fill(486));
    await s.proc.waitFor(/allocation refused: quota .*per-IP allocation quota \(10\) reached for 127\.0\.0\.1/, 'err');
    await ex.proc.stop();
  });

  it('credentials of a peer that left stop working: no new allocation, and none left behind', async () => {
    const s = await startSignal();
    const gone = await sybil(s.url, 'leaver');
    const before = turnClient(s.stunPort!, gone);
    assert.equal(await tryAllocate(before), 'ok', 'allocates while online');
    gone.ws.close();
    await s.proc.waitFor(/peer left peer=leaver/, 'err');
    // After the reconnect grace its allocation is freed ...
    await s.proc.waitFor(new RegExp(`allocation freed user=${gone.peerId} .*why="owner left the signal server"`), 'err', 15_000);
    // ... and its credentials (valid for 24 h) no longer allocate: 403 with the reason, logged.
    const after = turnClient(s.stunPort!, gone);
    await after.bind();
    await assert.rejects(after.allocate(), (e: TurnError) => e.code === 403 && /not online on the signal server/.test(e.reason));
    await s.proc.waitFor(new RegExp(`TURN request refused \\(403\\): owner offline .*user=${gone.peerId}`), 'err');
    const created = s.proc.err.join('\n').match(new RegExp(`allocation created user=${gone.peerId}`, 'g')) ?? [];
    assert.equal(created.length, 1, 'only the allocation made while online was ever created');
  });
});
