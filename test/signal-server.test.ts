/**
 * The signal server against hostile and broken clients: a real `p2prc server`
 * process and raw WebSocket clients. Every bad input gets an `error` with a code
 * and a log line; the offending connection and every other peer carry on.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { Identity } from '../src/identity/keys.js';
import { registerChallenge, PROTOCOL_VERSION, type ServerMessage } from '../src/protocol/messages.js';
import { signDescription } from '../src/identity/signed-description.js';
import { cleanup, startSignal, type SignalProc } from './helpers.js';

class Raw {
  readonly ws: WebSocket;
  readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  nonce = '';
  closed = false;
  readonly identity = Identity.generate();

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      if (m.type === 'hello') this.nonce = m.nonce;
      this.inbox.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
    this.ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(url: string): Promise<Raw> {
    const r = new Raw(url);
    await r.next((m) => m.type === 'hello');
    return r;
  }
  send(v: unknown): void {
    this.ws.send(typeof v === 'string' || Buffer.isBuffer(v) ? v : JSON.stringify(v));
  }
  /** Wait for (and consume) the first message matching `pred`. */
  async next(pred: (m: ServerMessage) => boolean, ms = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i >= 0) return this.inbox.splice(i, 1)[0]!;
      if (this.closed) throw new Error('connection closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; inbox: ${JSON.stringify(this.inbox).slice(0, 500)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  async error(code: string): Promise<ServerMessage> {
    return this.next((m) => m.type === 'error' && m.code === code);
  }
  registerMsg(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      type: 'register',
      v: PROTOCOL_VERSION,
      name,
      publicKey: this.identity.publicKey,
      signature: this.identity.sign(registerChallenge(this.nonce, name)),
      ...extra,
    };
  }
  async register(name: string): Promise<ServerMessage> {
    this.send(this.registerMsg(name));
    return this.next((m) => m.type === 'registered' || m.type === 'error');
  }
  /** The connection still works: ping answered. */
  async alive(): Promise<void> {
    this.send({ type: 'ping', id: 7 });
    await this.next((m) => m.type === 'pong');
  }
  close(): void {
    this.ws.close();
  }
}

describe('signal server: protocol and bad input', () => {
  let s: SignalProc;
  let bystander: Raw;
  const clients: Raw[] = [];
  const open = async (): Promise<Raw> => {
    const r = await Raw.open(s.url);
    clients.push(r);
    return r;
  };

  before(async () => {
    s = await startSignal();
    bystander = await open();
    assert.equal((await bystander.register('bystander')).type, 'registered');
  });
  after(async () => {
    for (const c of clients) c.close();
    await cleanup();
  });

  it('answers GET /healthz', async () => {
    const r = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    assert.equal(r.status, 200);
    const body = (await r.json()) as { status: string; peers: number };
    assert.equal(body.status, 'ok');
    assert.ok(body.peers >= 1);
  });

  it('registers a peer that signs the nonce, and tells those who looked it up that it joined and left', async () => {
    const watcher = await open();
    await watcher.register('watcher');
    watcher.send({ type: 'lookup', targets: ['alice'] });
    const before = await watcher.next((m) => m.type === 'lookup');
    assert.deepEqual(before.type === 'lookup' && before.results, [{ target: 'alice' }]);
    const a = await open();
    const reg = await a.register('alice');
    assert.equal(reg.type, 'registered');
    if (reg.type !== 'registered') return;
    assert.equal(reg.peerId, a.identity.peerId);
    // The reply does not list the peers online (it would grow with them): a count only.
    assert.deepEqual(reg.peers ?? [], []);
    assert.ok((reg.online ?? 0) >= 2);
    const join = await watcher.next((m) => m.type === 'presence' && m.event === 'join' && m.peer.name === 'alice');
    assert.ok(join);
    // A lookup by id answers with the peer and its key.
    watcher.send({ type: 'lookup', targets: [a.identity.peerId] });
    const found = await watcher.next((m) => m.type === 'lookup');
    assert.equal(found.type === 'lookup' && found.results[0]?.peer?.publicKey, a.identity.publicKey);
    a.close();
    await watcher.next((m) => m.type === 'presence' && m.event === 'leave' && m.peer.name === 'alice');
    // Nobody else was told: presence goes to subscribers only.
    await bystander.alive();
    assert.equal(bystander.inbox.some((m) => m.type === 'presence'), false);
    watcher.close();
  });

  it('lists the peers online in pages of at most 100, by a cursor', async () => {
    const extra: Raw[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await open();
      await r.register(`pager-${i}`);
      extra.push(r);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      bystander.send({ type: 'list', limit: 2, ...(cursor ? { cursor } : {}) });
      const page = await bystander.next((m) => m.type === 'peers');
      if (page.type !== 'peers') break;
      assert.ok(page.peers.length <= 2);
      seen.push(...page.peers.map((p) => p.name));
      cursor = page.next;
      if (!cursor) break;
    }
    for (let i = 0; i < 3; i++) assert.ok(seen.includes(`pager-${i}`), `pager-${i} in ${seen.join(',')}`);
    assert.equal(seen.includes('bystander'), false);
    assert.equal(new Set(seen).size, seen.length);
    bystander.send({ type: 'list', limit: 101 });
    await bystander.error('bad-message');
    for (const r of extra) r.close();
  });

  const cases: [string, (r: Raw) => void, string][] = [
    ['malformed JSON', (r) => r.send('{"type": "ping",'), 'bad-json'],
    ['a JSON value that is not an object', (r) => r.send('[1,2,3]'), 'bad-message'],
    ['an unknown type', (r) => r.send({ type: 'teleport' }), 'unknown-type'],
    ['missing fields', (r) => r.send({ type: 'register', v: 1, name: 'x' }), 'bad-message'],
    ['a binary frame', (r) => r.send(Buffer.from([1, 2, 3])), 'bad-message'],
    ['a message over 64 KiB', (r) => r.send({ type: 'ping', pad: 'x'.repeat(70 * 1024) }), 'too-large'],
    ['a signal before registering', (r) => r.send({ type: 'signal', to: 'a'.repeat(40), payload: { kind: 'bye', sessionId: 'abcdefgh' } }), 'not-registered'],
    ['a register with a bad signature', (r) => r.send({ ...r.registerMsg('mallory'), signature: Buffer.alloc(64).toString('base64') }), 'bad-signature'],
    ['a register signed over another nonce', (r) => r.send({ ...r.registerMsg('mallory'), signature: r.identity.sign(registerChallenge('x'.repeat(32), 'mallory')) }), 'bad-signature'],
    ['an unsupported protocol version', (r) => r.send({ ...r.registerMsg('mallory'), v: 99 }), 'unsupported-version'],
    ['a name that looks like a peer id', (r) => r.send(r.registerMsg('0'.repeat(40))), 'bad-message'],
  ];
  for (const [what, act, code] of cases) {
    it(`rejects ${what} with "${code}" and keeps the connection`, async () => {
      const r = await open();
      act(r);
      const e = await r.error(code);
      assert.ok(e.type === 'error' && e.message.length > 0);
      await r.alive();
      await s.proc.waitFor(new RegExp(`rejected message .*code=${code}`), 'err');
    });
  }

  it('refuses a name held by an online peer with another key', async () => {
    const r = await open();
    const res = await r.register('bystander');
    assert.equal(res.type, 'error');
    assert.equal(res.type === 'error' && res.code, 'name-taken');
    await r.alive();
  });

  it('refuses a second register on one connection', async () => {
    const r = await open();
    assert.equal((await r.register('carol')).type, 'registered');
    r.send(r.registerMsg('carol2'));
    await r.error('already-registered');
  });

  it('reports an offline target and an unknown payload kind', async () => {
    const r = await open();
    await r.register('dave');
    r.send({ type: 'signal', to: 'f'.repeat(40), payload: { kind: 'bye', sessionId: 'abcdefgh' } });
    await r.error('peer-offline');
    r.send({ type: 'signal', to: bystander.identity.peerId, payload: { kind: 'nonsense', sessionId: 'abcdefgh' } });
    await r.error('bad-message');
  });

  it('rate-limits a flood without disturbing other peers', async () => {
    const flooder = await open();
    await flooder.register('flooder');
    const sender = await open();
    await sender.register('sender');
    for (let i = 0; i < 2000; i++) flooder.send({ type: 'ping' });
    await flooder.error('rate-limited');
    // Meanwhile a signal between two other peers goes through.
    const offer = signDescription(sender.identity, { kind: 'offer', sessionId: 'flood-test-1', to: bystander.identity.peerId, sdp: 'v=0\r\n', ts: Date.now() });
    sender.send({ type: 'signal', to: bystander.identity.peerId, payload: offer });
    const got = await bystander.next((m) => m.type === 'signal' && m.payload.sessionId === 'flood-test-1');
    assert.ok(got.type === 'signal' && got.from.name === 'sender');
    // The flooder itself recovers once it slows down.
    await new Promise((r) => setTimeout(r, 2500));
    await flooder.alive();
  });

  it('forwards signals with the sender identity attached', async () => {
    const a = await open();
    await a.register('erin');
    a.send({ type: 'signal', to: bystander.identity.peerId, payload: { kind: 'candidate', sessionId: 'cand-test-1', candidate: 'a=candidate:1 1 UDP 1 127.0.0.1 9 typ host', mid: '0' } });
    const m = await bystander.next((x) => x.type === 'signal' && x.payload.sessionId === 'cand-test-1');
    assert.ok(m.type === 'signal');
    assert.equal(m.from.peerId, a.identity.peerId);
    assert.equal(m.from.publicKey, a.identity.publicKey);
  });

  it('is still up and serving after all of it', async () => {
    await bystander.alive();
    const r = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    assert.equal(r.status, 200);
    assert.equal(s.proc.exitCode, undefined, 'server process exited');
  });
});

describe('signal server with --secret', () => {
  let s: SignalProc;
  before(async () => {
    s = await startSignal(['--secret', 'hunter2']);
  });
  after(cleanup);

  it('refuses peers without the secret, admits peers with it', async () => {
    const a = await Raw.open(s.url);
    a.send(a.registerMsg('nosecret'));
    await a.error('bad-secret');
    a.send(a.registerMsg('wrongsecret', { secret: 'nope' }));
    await a.error('bad-secret');
    a.send(a.registerMsg('withsecret', { secret: 'hunter2' }));
    await a.next((m) => m.type === 'registered');
    a.close();
  });
});
