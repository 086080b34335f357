/**
 * A peer whose re-registration is refused keeps trying (#8 item 4). The server
 * restarts with its name bindings lost (a new data dir), a squatter takes
 * `alice` before alice reconnects, alice is refused `name-taken`, says so and
 * retries with backoff, and registers again once the operator has released the
 * name (the new server bound it to the squatter). (Before, alice stayed connected
 * and unregistered for good.)
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { registerRawPeer } from './harness/raw-peer.js';
import { execFileSync } from 'node:child_process';
import { CLI, cleanup, echoService, startExpose, startSignal, waitUntil } from './helpers.js';

/** Bound on alice's retries reaching the server again (its backoff is at most 5 s). */
const RETRY_WAIT_MS = 20_000;

/** A squatter: `name` registered with a fresh key over a raw WebSocket. */
async function squat(url: string, name: string): Promise<WebSocket> {
  return (await registerRawPeer(url, name, { timeoutMs: RETRY_WAIT_MS })).ws;
}

describe('a refused re-registration', () => {
  after(cleanup);

  it('is retried with backoff until the name is free again', async () => {
    const first = await startSignal();
    const alice = await startExpose('alice', [`echo=${await echoService()}`], first.url);
    // The server goes away long enough for alice's backoff to grow past a squatter's start-up.
    await first.proc.stop('SIGKILL');
    await alice.proc.waitFor(/lost the signal server/, 'err');
    // Each failed reconnect is logged (debug); after five, alice's backoff is 4 s or more, so the
    // squatter, which registers within milliseconds of the new server's start, comes first.
    await waitUntil(() => alice.proc.err.filter((l) => l.includes('signal connection error')).length >= 5, 'five failed reconnects of alice', RETRY_WAIT_MS);
    const second = await startSignal([], first.port);
    const squatter = await squat(second.url, 'alice');
    await alice.proc.waitFor(/re-registration refused, retrying code=name-taken/, 'err', RETRY_WAIT_MS);
    squatter.close();
    // The new server bound the name to the squatter (first come, first served); the operator frees it.
    execFileSync(process.execPath, [CLI, 'release-name', 'alice', '--data-dir', second.dataDir], { stdio: 'ignore', timeout: RETRY_WAIT_MS });
    await alice.proc.waitFor(/registered again/, 'err', RETRY_WAIT_MS);
    assert.ok(true);
  });
});
