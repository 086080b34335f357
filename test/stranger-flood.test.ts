/**
 * Strangers cannot hold an exposer's relay allocations (#8 item 7, last
 * bullet). Twenty free identities each send the exposer one valid signed offer
 * a second for three seconds. Every answerer session costs the exposer a TURN
 * allocation; past --max-new-sessions a minute the exposer refuses such offers
 * (logged) before making a session. Checked: the server's count of allocations
 * made for the exposer stays within its budget plus its own relay check, and a
 * connector that was connected before the flood still carries new streams, and
 * a connector past the budget is told so at once (a bye with rate-limited).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ndc from 'node-datachannel';
import { atCleanup, cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, waitUntil, type SignalProc } from './helpers.js';
import { Identity } from '../src/identity/keys.js';
import { signDescription } from '../src/identity/signed-description.js';
import { SignalClient } from '../src/peer/signal-client.js';
import { createLogger } from '../src/util/log.js';

const STRANGERS = 20;
const OFFERS_EACH = 3;
const BUDGET = 4;

/** A real offer SDP (node-datachannel's), so the exposer would accept it as one. */
function realOfferSdp(): Promise<string> {
  return new Promise((resolve, reject) => {
    const pc = new ndc.PeerConnection('flood-sdp', { iceServers: [] });
    const timer = setTimeout(() => reject(new Error('no local description')), 5000);
    pc.onLocalDescription((sdp) => {
      clearTimeout(timer);
      pc.close();
      resolve(sdp);
    });
    pc.createDataChannel('x');
  });
}

const allocationsFor = (server: readonly string[], peerId: string): number => server.filter((l) => l.includes('allocation created') && l.includes(`user=${peerId}`)).length;

describe('offers from strangers', () => {
  let signal: SignalProc;
  let echoPort: number;
  before(async () => {
    signal = await startSignal(['--max-registrations-per-ip', '0', '--max-conns-per-ip', '0']);
    echoPort = await echoService();
  });
  after(cleanup);

  it('are bounded per minute, so they cannot fill the relay with the exposer\'s allocations', { timeout: 90_000 }, async () => {
    const ex = await startExpose('alice', [`echo=${echoPort}`], signal.url, undefined, ['--max-new-sessions', String(BUDGET)]);
    const c = await startConnect('alice/echo', signal.url);
    await c.proc.waitForEvent({ event: 'route', target: 'alice/echo' });
    const before = allocationsFor(signal.proc.err, ex.peerId);

    const log = createLogger('flood', () => undefined);
    const ids = Array.from({ length: STRANGERS }, () => Identity.generate());
    const clients = ids.map((identity, i) => new SignalClient({ url: signal.url, name: `stranger-${i}`, identity, logger: log }));
    atCleanup(() => clients.forEach((cl) => cl.close()));
    await Promise.all(clients.map((cl) => cl.connect()));
    const sdp = await realOfferSdp();
    for (let round = 0; round < OFFERS_EACH; round++) {
      for (const [i, cl] of clients.entries()) {
        const id = ids[i]!;
        const sessionId = `flood-${round}-${i}-${id.peerId.slice(0, 8)}`;
        cl.signal(ex.peerId, signDescription(id, { kind: 'offer', sessionId, to: ex.peerId, sdp, ts: Date.now() }));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Either the exposer refuses (with the budget), or the allocations pass it (without).
    const refused = (): boolean => ex.proc.err.some((l) => l.includes('refusing offer: too many new sessions from peers not connected to us'));
    await waitUntil(() => refused() || allocationsFor(signal.proc.err, ex.peerId) - before > BUDGET, 'a refusal or allocations past the budget', 20_000);

    // The connected peer is no stranger: new streams still go through.
    const data = randomData(256 * 1024);
    assert.equal(sha256(await exchange(c.port, data, { timeoutMs: 20_000 })), sha256(data));
    const made = allocationsFor(signal.proc.err, ex.peerId) - before;
    console.log(`allocations made for the exposer during ${STRANGERS * OFFERS_EACH} stranger offers: ${made} (budget ${BUDGET}/min)`);
    assert.ok(made <= BUDGET, `the exposer made ${made} relay allocations for strangers, budget ${BUDGET}\n${ex.proc.dump()}`);
  });

  it('tell a refused connector why at once (a rate-limited bye), not after the connect timeout', { timeout: 60_000 }, async () => {
    const ex = await startExpose('carol', [`echo=${echoPort}`], signal.url, undefined, ['--max-new-sessions', '1']);
    const first = await startConnect('carol/echo', signal.url);
    await first.proc.waitForEvent({ event: 'route', target: 'carol/echo' });
    const second = await startConnect('carol/echo', signal.url);
    // The session's own failure, not a timeout: the bye names the code and the budget.
    await second.proc.waitFor(/no connection yet.*code=rate-limited.*this peer takes 1 new sessions a minute/, 'err');
    await ex.proc.waitFor(/refusing offer: too many new sessions.*code=rate-limited/, 'err');
  });
});
