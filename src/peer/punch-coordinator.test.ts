/**
 * The punch coordinator's gate, without sockets: which `start`s it joins, which
 * it declines with a `fail`, and which it drops without a word (issue #8: a
 * stranger must not make us punch). Starts that are joined would open sockets,
 * so the joined case is covered by the loopback and lab suites.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Identity } from '../identity/keys.js';
import type { NatInfo, PeerInfo, PunchPayload, SignalPayload } from '../protocol/messages.js';
import { createLogger } from '../util/log.js';
import { PunchBudget } from '../nat/punch-budget.js';
import { PunchCoordinator } from './punch-coordinator.js';
import type { SelfChecks } from './self-checks.js';
import type { SignalClient } from './signal-client.js';

const CONE: NatInfo = { natted: true, mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' };
const SYMMETRIC: NatInfo = { natted: true, mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent' };
const PUBLIC: NatInfo = { natted: false, mapping: 'endpoint-independent', filtering: 'endpoint-independent' };
const info = (id: Identity, name: string): PeerInfo => ({ peerId: id.peerId, name, publicKey: id.publicKey });

function harness(opts: { accepting: boolean; nat?: NatInfo; budget?: PunchBudget }) {
  const sent: { to: string; p: SignalPayload }[] = [];
  const lines: string[] = [];
  const signal = { signal: (to: string, p: SignalPayload) => (sent.push({ to, p }), true), peerById: () => undefined } as unknown as SignalClient;
  const checks = { natInfo: opts.nat ?? CONE, publicIp: '203.0.113.10', stunServer: async () => undefined } as unknown as SelfChecks;
  const c = new PunchCoordinator({ signal, checks, accepting: () => opts.accepting, budget: opts.budget, log: createLogger('test', (l) => lines.push(l)) });
  return { c, sent, lines };
}
const start = (role: 'easy' | 'hard' = 'hard'): PunchPayload => ({ kind: 'punch', sessionId: randomBytes(9).toString('base64url'), step: 'start', role, token: randomBytes(16).toString('base64') });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('punch coordinator: who may start a punch here', () => {
  const mallory = info(Identity.generate(), 'mallory');

  it('drops a start from a peer when we expose nothing (no session, no service): no answer, one log line', async () => {
    const h = harness({ accepting: false });
    for (let i = 0; i < 50; i++) h.c.onSignal(mallory, start(), '203.0.113.50');
    await tick();
    assert.deepEqual(h.sent, [], 'nothing is sent back');
    const refused = h.lines.filter((l) => l.includes('punch: refused'));
    assert.equal(refused.length, 1, `a flood of starts is logged once a second: ${refused.join('\n')}`);
    assert.match(refused[0]!, /we expose no service and have no session with this peer/);
  });

  it('declines a start whose sender the signal server did not locate', async () => {
    const h = harness({ accepting: true });
    h.c.onSignal(mallory, start(), undefined);
    await tick();
    assert.equal(h.sent.length, 1);
    assert.equal((h.sent[0]!.p as PunchPayload).step, 'fail');
    assert.match((h.sent[0]!.p as PunchPayload).reason ?? '', /does not say where peers are/);
  });

  it('declines a role our own NAT does not fit, before anything is charged', async () => {
    const budget = new PunchBudget(1_000_000, 10_000);
    const h = harness({ accepting: true, nat: PUBLIC, budget });
    const before = budget.available();
    h.c.onSignal(mallory, start('hard'), '203.0.113.50');
    await tick();
    assert.match((h.sent[0]!.p as PunchPayload).reason ?? '', /does not fit the easy role/);
    assert.equal(budget.available(), before);
  });

  it('declines a peer within its cooldown, and any peer once the budget is spent', async () => {
    // We would be the hard side (symmetric NAT); both are refused before any socket opens.
    const budget = new PunchBudget(10_000, 10_000);
    const h = harness({ accepting: true, nat: SYMMETRIC, budget });
    assert.equal(budget.take(1, Date.now(), mallory.peerId), undefined);
    h.c.onSignal(mallory, start('easy'), '203.0.113.50');
    await tick();
    assert.match((h.sent.at(-1)!.p as PunchPayload).reason ?? '', /started a punch \d+ ms ago/);
    assert.equal(budget.take(budget.available(), Date.now()), undefined);
    const trent = info(Identity.generate(), 'trent');
    h.c.onSignal(trent, start('easy'), '203.0.113.60');
    await tick();
    assert.match((h.sent.at(-1)!.p as PunchPayload).reason ?? '', /punch budget spent/);
    assert.equal(h.sent.length, 2);
  });
});
