/**
 * Recovery: the exposing peer restarts (same identity, new process) and
 * `connect` carries new streams again without being restarted itself.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, type SignalProc } from './helpers.js';

describe('exposing peer restart', () => {
  let signal: SignalProc;
  let echoPort: number;
  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
  });
  after(cleanup);

  it('connect recovers for new streams after the exposing peer restarts', async () => {
    const first = await startExpose('alice', [`echo=${echoPort}`], signal.url);
    const c = await startConnect('alice/echo', signal.url);
    await c.proc.waitForEvent({ event: 'route', target: 'alice/echo', kind: 'direct' });
    const d1 = randomData(512 * 1024);
    assert.equal(sha256(await exchange(c.port, d1)), sha256(d1));

    // SIGKILL: no goodbye, no DTLS close; the server sees the socket drop.
    await first.proc.stop('SIGKILL');
    const second = await startExpose('alice', [`echo=${echoPort}`], signal.url, first.dataDir);
    assert.equal(second.peerId, first.peerId, 'same data dir, same identity');

    const d2 = randomData(2 * 1024 * 1024);
    const back = await exchange(c.port, d2, { timeoutMs: 30_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${c.proc.dump()}\n${second.proc.dump()}`);
    });
    assert.equal(sha256(back), sha256(d2));
    // The new session was set up with the restarted peer.
    // (Under load ICE may start on the relay candidate and move to the direct pair.)
    await second.proc.waitForEvent({ event: 'route', kind: 'direct' });
  });

  it('a new connection waits for a peer that is briefly offline', async () => {
    const c = await startConnect('bob/echo', signal.url);
    let bob: Awaited<ReturnType<typeof startExpose>> | undefined;
    const pending = exchange(c.port, Buffer.from('late but delivered'), { timeoutMs: 30_000 }).catch(async (err: Error) => {
      await new Promise((r) => setTimeout(r, 500)); // let the last log lines arrive
      throw new Error(`${err.message}\n${c.proc.dump()}\n${bob?.proc.dump() ?? ''}`);
    });
    await new Promise((r) => setTimeout(r, 1500));
    bob = await startExpose('bob', [`echo=${echoPort}`], signal.url);
    assert.equal((await pending).toString(), 'late but delivered');
  });
});
