/**
 * SessionTable driven directly with fake sessions (no sockets): the
 * simultaneous-offer rule (the lower peer id keeps its own offer), an offer
 * replacing an older session, duplicate offers, payloads routed by session id,
 * bye reasons, forged senders, punch payloads, leave, and the table forgetting
 * a closed session but never its replacement.
 */
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Identity } from '../identity/keys.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { DescriptionPayload, PeerInfo, PunchPayload, SignalInMessage, SignalPayload } from '../protocol/messages.js';
import { createLogger, setLogLevel } from '../util/log.js';
import type { PunchResult } from './punch-run.js';
import type { SessionState } from './session.js';
import { byeCode, SessionTable, type SessionRole, type TableSession } from './session-table.js';

setLogLevel('debug'); // this test process only: the unknown-session line is a debug line
const lines: string[] = [];
const log = createLogger('test', (line) => lines.push(line));
const info = (id: Identity, name: string): PeerInfo => ({ peerId: id.peerId, name, publicKey: id.publicKey });

class FakeSession extends EventEmitter implements TableSession {
  state: SessionState = 'connecting';
  readonly calls: string[] = [];
  closeError?: P2prcError;
  constructor(
    readonly remote: PeerInfo,
    readonly role: SessionRole,
    readonly sessionId: string,
    readonly prepare?: Promise<PunchResult | undefined>,
  ) {
    super();
  }
  handleDescription(p: DescriptionPayload): void {
    this.calls.push(`${p.kind} ${p.sessionId}`);
  }
  handleCandidate(candidate: string, mid: string, upnp?: boolean): void {
    this.calls.push(`candidate ${candidate} ${mid} ${upnp}`);
  }
  handleAck(): void {
    this.calls.push('ack');
  }
  /** What the next path probe answers. */
  pathAlive = true;
  checkPath(): Promise<boolean> {
    this.calls.push('probe');
    return Promise.resolve(this.pathAlive);
  }
  close(err?: P2prcError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError = err;
    this.emit('closed', err);
  }
}

// Two identities ordered by peer id: `low` keeps its offer in glare.
const [low, high] = [Identity.generate(), Identity.generate()].sort((a, b) => (a.peerId < b.peerId ? -1 : 1)) as [Identity, Identity];

interface Harness {
  table: SessionTable<FakeSession>;
  created: FakeSession[];
  added: FakeSession[];
  punches: PunchPayload[];
  offererPunches: string[];
  answererPunch?: Promise<PunchResult | undefined>;
  refused: string[];
}

function harness(local: Identity, strangerSessionsPerMinute?: number): Harness {
  const h: Harness = { created: [], added: [], punches: [], offererPunches: [], refused: [] } as unknown as Harness;
  h.table = new SessionTable<FakeSession>({
    localPeerId: local.peerId,
    create: (peer, role, sessionId, prepare) => {
      const s = new FakeSession(peer, role, sessionId, prepare);
      h.created.push(s);
      return s;
    },
    added: (s) => h.added.push(s),
    offererPunch: (peer, sessionId) => {
      h.offererPunches.push(`${peer.name} ${sessionId}`);
      return Promise.resolve(undefined);
    },
    answererPunch: (sessionId, peerId) => (peerId === high.peerId || peerId === low.peerId ? h.answererPunch : undefined),
    onPunch: (_from, p) => h.punches.push(p),
    verify: (p) => (p.signature === BAD_SIGNATURE ? { ok: false, reason: 'offer signature does not verify' } : { ok: true }),
    refuse: (peer, sessionId, reason) => h.refused.push(`${peer.name} ${sessionId} ${reason}`),
    ...(strangerSessionsPerMinute !== undefined ? { strangerSessionsPerMinute } : {}),
    log,
  });
  return h;
}

const signal = (from: Identity, name: string, payload: SignalPayload): SignalInMessage => ({ type: 'signal', from: info(from, name), payload });
// Each description its own signature (the replay guard refuses a signature seen before).
const sig = (s: string): string => Buffer.from(s).toString('base64');
const BAD_SIGNATURE = sig('forged');
const offer = (sessionId: string, signature = sig(`offer ${sessionId}`)): SignalPayload => ({ kind: 'offer', sessionId, sdp: 'v=0', ts: Date.now(), signature });

describe('session table', () => {
  beforeEach(() => (lines.length = 0));

  it('makes one offerer session per peer and reuses it until it closes', () => {
    const h = harness(low);
    const peer = info(high, 'high');
    const s = h.table.session(peer);
    assert.equal(s.role, 'offerer');
    assert.match(s.sessionId, /^[A-Za-z0-9_-]{16}$/);
    assert.deepEqual(h.offererPunches, [`high ${s.sessionId}`]);
    assert.ok(s.prepare, 'the offerer session waits for the punch planning');
    assert.equal(h.table.session(peer), s);
    assert.equal(h.table.get(high.peerId), s);
    s.close();
    assert.equal(h.table.get(high.peerId), undefined, 'a closed session is forgotten');
    const again = h.table.session(peer);
    assert.notEqual(again, s);
    assert.notEqual(again.sessionId, s.sessionId);
    assert.deepEqual(h.added, [s, again]);
  });

  it('glare: the lower peer id keeps its own offer and ignores the other side\'s', () => {
    const h = harness(low);
    const ours = h.table.session(info(high, 'high'));
    h.table.onSignal(signal(high, 'high', offer('theirs-0001')));
    assert.equal(ours.state, 'connecting');
    assert.equal(h.table.get(high.peerId), ours);
    assert.equal(h.created.length, 1, 'no answerer session made');
  });

  it('glare: the higher peer id drops its own offer and answers the other side\'s', () => {
    const h = harness(high);
    const ours = h.table.session(info(low, 'low'));
    h.table.onSignal(signal(low, 'low', offer('theirs-0001')));
    assert.equal(ours.state, 'closed');
    const answerer = h.table.get(low.peerId)!;
    assert.notEqual(answerer, ours);
    assert.equal(answerer.role, 'answerer');
    assert.equal(answerer.sessionId, 'theirs-0001');
    assert.deepEqual(answerer.calls, ['offer theirs-0001']);
    // A late 'closed' from the old session does not remove its replacement.
    ours.emit('closed', undefined);
    assert.equal(h.table.get(low.peerId), answerer);
  });

  it('an offer replaces a connected session even from the higher id (the peer restarted)', () => {
    const h = harness(low);
    const ours = h.table.session(info(high, 'high'));
    ours.state = 'connected';
    h.table.onSignal(signal(high, 'high', offer('restart-0001')));
    assert.equal(ours.state, 'closed');
    assert.equal(h.table.get(high.peerId)?.sessionId, 'restart-0001');
  });

  it('an answerer session replaced by a newer offer; a repeated offer for the current session is ignored', () => {
    const h = harness(low);
    h.table.onSignal(signal(high, 'high', offer('first-0001')));
    const first = h.table.get(high.peerId)!;
    h.table.onSignal(signal(high, 'high', offer('first-0001')));
    assert.equal(h.created.length, 1);
    assert.deepEqual(first.calls, ['offer first-0001']);
    h.table.onSignal(signal(high, 'high', offer('second-001')));
    assert.equal(first.state, 'closed');
    assert.equal(h.table.get(high.peerId)?.sessionId, 'second-001');
  });

  it('hands an answerer the punch the other side started', () => {
    const h = harness(low);
    h.answererPunch = Promise.resolve({ role: 'easy', localPort: 40000, ms: 30 });
    h.table.onSignal(signal(high, 'high', offer('punched-01')));
    assert.equal(h.table.get(high.peerId)?.prepare, h.answererPunch);
  });

  it('routes answer, candidate, ack by session id and drops payloads for other sessions', () => {
    const h = harness(low);
    const s = h.table.session(info(high, 'high'));
    const id = s.sessionId;
    h.table.onSignal(signal(high, 'high', { kind: 'answer', sessionId: id, sdp: 'v=0', ts: Date.now(), signature: sig('answer') }));
    h.table.onSignal(signal(high, 'high', { kind: 'candidate', sessionId: id, candidate: 'a=candidate:1', mid: '0' }));
    h.table.onSignal(signal(high, 'high', { kind: 'candidate', sessionId: id, candidate: 'a=candidate:2', mid: '0', upnp: true }));
    h.table.onSignal(signal(high, 'high', { kind: 'ack', sessionId: id }));
    h.table.onSignal(signal(high, 'high', { kind: 'ack', sessionId: 'another-01' }));
    h.table.onSignal(signal(high, 'high', { kind: 'bye', sessionId: 'another-01' }));
    assert.deepEqual(s.calls, [`answer ${id}`, 'candidate a=candidate:1 0 false', 'candidate a=candidate:2 0 true', 'ack']);
    assert.equal(s.state, 'connecting');
    assert.equal(lines.filter((l) => l.includes('signal for an unknown session')).length, 2);
  });

  it('bye closes the session: peer-offline, or tampered when the reason says so', () => {
    const h = harness(low);
    const a = h.table.session(info(high, 'high'));
    h.table.onSignal(signal(high, 'high', { kind: 'bye', sessionId: a.sessionId, reason: 'shutting down' }));
    assert.equal(a.closeError?.code, ErrorCode.PeerOffline);
    assert.equal(a.closeError?.message, 'high ended the session: shutting down');
    const b = h.table.session(info(high, 'high'));
    h.table.onSignal(signal(high, 'high', { kind: 'bye', sessionId: b.sessionId, reason: `${ErrorCode.Tampered}: bad signature` }));
    assert.equal(b.closeError?.code, ErrorCode.Tampered);
  });

  it('drops a signal whose sender key does not hash to its peer id', () => {
    const h = harness(low);
    const forged: SignalInMessage = { type: 'signal', from: { peerId: high.peerId, name: 'high', publicKey: Identity.generate().publicKey }, payload: offer('forged-001') };
    h.table.onSignal(forged);
    assert.equal(h.created.length, 0);
    assert.ok(lines.some((l) => l.includes('dropping signal whose sender key does not match its peer id')));
  });

  it('sends punch payloads to the punch coordinator, not to sessions', () => {
    const h = harness(low);
    const p: PunchPayload = { kind: 'punch', sessionId: 'punch-0001', step: 'fail', reason: 'busy' };
    h.table.onSignal(signal(high, 'high', p));
    assert.deepEqual(h.punches, [p]);
    assert.equal(h.created.length, 0);
  });

  it('closes a connecting session of a peer that left, and closes all on closeAll', () => {
    const h = harness(low);
    const s = h.table.session(info(high, 'high'));
    h.table.onLeave(info(high, 'high'));
    assert.equal(s.closeError?.code, ErrorCode.PeerOffline);
    assert.equal(s.closeError?.message, 'high left the signal server');
    const t = h.table.session(info(high, 'high'));
    h.table.closeAll();
    assert.equal(t.state, 'closed');
    assert.deepEqual([...h.table.values()], []);
  });

  it('keeps a connected session whose P2P path answers when its peer leaves the signal server (#8 item 5)', async () => {
    const h = harness(low);
    const s = h.table.session(info(high, 'high'));
    s.state = 'connected';
    h.table.onLeave(info(high, 'high'));
    await new Promise((r) => setImmediate(r));
    assert.equal(s.state, 'connected');
    assert.deepEqual(s.calls, ['probe']);
    assert.ok(lines.some((l) => l.includes('P2P path alive; session kept')));
    assert.equal(h.table.get(high.peerId), s);
  });

  it('closes a connected session whose P2P path does not answer when its peer leaves', async () => {
    const h = harness(low);
    const s = h.table.session(info(high, 'high'));
    s.state = 'connected';
    s.pathAlive = false;
    h.table.onLeave(info(high, 'high'));
    await new Promise((r) => setImmediate(r));
    assert.equal(s.state, 'closed');
    assert.equal(s.closeError?.code, ErrorCode.PeerOffline);
    assert.match(s.closeError?.message ?? '', /does not answer over the P2P path/);
  });

  it('refuses a replayed offer without touching the live session (#8 item 9)', () => {
    const h = harness(low);
    const first = offer('first-0001');
    h.table.onSignal(signal(high, 'high', first));
    h.table.get(high.peerId)!.close(); // that session ended; the peer connects again
    h.table.onSignal(signal(high, 'high', offer('second-001')));
    const live = h.table.get(high.peerId)!;
    live.state = 'connected';
    h.table.onSignal(signal(high, 'high', first)); // replayed by someone on the path
    assert.equal(live.state, 'connected');
    assert.equal(h.table.get(high.peerId), live);
    assert.equal(h.created.length, 2);
    assert.ok(lines.some((l) => l.includes('refusing offer') && l.includes('replayed offer')));
    // The same session id with a fresh signature (re-signed by nobody we trust) is refused too.
    h.table.onSignal(signal(high, 'high', offer('first-0001', sig('other'))));
    assert.equal(live.state, 'connected');
    assert.ok(lines.some((l) => l.includes('reuses an earlier session id')));
  });

  it('refuses an offer whose session id belongs to another pair, and a forged one, leaving the live session alone', () => {
    const h = harness(low);
    const mine = h.table.session(info(high, 'high'));
    mine.state = 'connected';
    const third = Identity.generate();
    h.table.onSignal(signal(third, 'third', offer(mine.sessionId)));
    assert.equal(h.table.get(third.peerId), undefined);
    assert.ok(lines.some((l) => l.includes('session id of another pair')));
    h.table.onSignal(signal(high, 'high', offer('forged-0001', BAD_SIGNATURE)));
    assert.equal(mine.state, 'connected');
    assert.equal(h.table.get(high.peerId), mine);
    assert.ok(lines.some((l) => l.includes('refusing offer') && l.includes('code=tampered')));
    assert.deepEqual(h.refused, [`high forged-0001 tampered: offer signature does not verify`]);
  });

  it('reads the code a bye carries', () => {
    assert.equal(byeCode('tampered: offer signature does not verify'), ErrorCode.Tampered);
    assert.equal(byeCode('rate-limited: this peer takes 30 new sessions a minute'), ErrorCode.RateLimited);
    assert.equal(byeCode(undefined), ErrorCode.PeerOffline);
    assert.equal(byeCode('closed'), ErrorCode.PeerOffline);
  });

  it('bounds the sessions accepted from strangers per minute (#8 item 7)', () => {
    const h = harness(low, 3);
    const strangers = Array.from({ length: 20 }, () => Identity.generate());
    strangers.forEach((id, i) => h.table.onSignal(signal(id, `s${i}`, offer(`stranger-${String(i).padStart(3, '0')}`))));
    assert.equal(h.created.length, 3, 'only the budget made sessions');
    const refusals = lines.filter((l) => l.includes('too many new sessions from peers not connected to us'));
    assert.equal(refusals.length, 1, 'logged once, not once per offer');
    // The first refused strangers are told why (a rate-limited bye), as many a minute as the budget; the rest of the flood is not answered.
    assert.equal(h.refused.length, 3, h.refused.join('\n'));
    for (const [i, r] of h.refused.entries()) assert.match(r, new RegExp(`^s${i + 3} stranger-${String(i + 3).padStart(3, '0')} rate-limited: this peer takes 3 new sessions a minute`));
    // A peer already connected to us may offer again (e.g. its side restarted).
    h.created[0]!.state = 'connected';
    h.table.onSignal(signal(strangers[0]!, 's0', offer('again-00001')));
    assert.equal(h.created.length, 4);
    assert.equal(h.created[3]!.sessionId, 'again-00001');
  });
});
