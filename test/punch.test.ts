/**
 * Port prediction on real sockets (loopback): the hard side's sockets, the easy
 * side's STUN-learned port and spray, probes/acks/confirms, and two PunchRuns
 * talking through a real signalling hop. There is no NAT on loopback, so the
 * spray is narrowed to the hard side's own ports (tests only); the NAT lab
 * (test/lab/matrix.test.ts) runs the full-range punch through real NATs.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { WebSocket } from 'ws';
import { Identity } from '../src/identity/keys.js';
import { EasyPuncher, HardPuncher } from '../src/nat/punch.js';
import { encodeProbe } from '../src/nat/punch-plan.js';
import { PunchRun } from '../src/peer/punch-run.js';
import { PROTOCOL_VERSION, registerChallenge, type PunchPayload, type ServerMessage, type SignalInMessage } from '../src/protocol/messages.js';
import { PunchPayloadSchema } from '../src/protocol/messages.js';
import { createLogger } from '../src/util/log.js';
import { cleanup, startSignal, type SignalProc } from './helpers.js';

const quiet = createLogger('test', () => undefined);
/** Bounded waits in this suite. */
const WAIT_MS = 10_000;

/** A UDP socket on another loopback address that counts what reaches it: the third party. */
async function counter(address = '127.0.0.9'): Promise<{ sock: Socket; port: number; got: () => number; settled: () => Promise<void> }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, address, () => r()));
  let got = 0;
  let marker: (() => void) | undefined;
  sock.on('message', (m) => (m.toString() === 'marker' ? marker?.() : got++));
  const port = sock.address().port;
  return {
    sock,
    port,
    got: () => got,
    // Loopback queues a datagram at send: once a later marker is in, everything sent before it is counted.
    settled: async () => {
      const s = createSocket('udp4');
      const seen = new Promise<void>((r) => (marker = r));
      s.send('marker', port, address);
      await Promise.race([seen, new Promise((_, rej) => setTimeout(() => rej(new Error('marker lost')), WAIT_MS).unref())]);
      s.close();
    },
  };
}

/** A raw client registered with a fresh identity from a chosen loopback address. */
async function rawPeer(url: string, name: string, localAddress: string): Promise<{ ws: WebSocket; peerId: string; inbox: ServerMessage[] }> {
  const ws = new WebSocket(url, { localAddress });
  const id = Identity.generate();
  const inbox: ServerMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${name}: not registered`)), WAIT_MS);
    ws.on('error', reject);
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      inbox.push(m);
      if (m.type === 'hello') ws.send(JSON.stringify({ type: 'register', v: PROTOCOL_VERSION, name, publicKey: id.publicKey, signature: id.sign(registerChallenge(m.nonce, name)) }));
      if (m.type === 'registered') {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return { ws, peerId: id.peerId, inbox };
}

describe('port prediction on loopback', () => {
  let signal: SignalProc;
  before(async () => {
    signal = await startSignal();
  });
  after(cleanup);
  const stun = (): { address: string; port: number } => ({ address: '127.0.0.1', port: signal.stunPort! });

  it('the easy side learns its mapping by STUN, sprays, and meets the socket that probed it', async () => {
    const token = randomBytes(16);
    const easy = await EasyPuncher.open({ bind: '127.0.0.1', stun: stun(), token });
    const hard = await HardPuncher.open({ bind: '127.0.0.1', sockets: 16, token });
    try {
      assert.deepEqual(easy.mapped, { address: '127.0.0.1', port: easy.localPort });
      const ports = hard.localPorts;
      assert.equal(new Set(ports).size, 16);
      hard.probe(easy.mapped, { intervalMs: 50, rounds: 10 });
      const target = ports[5]!;
      const [hit, hardPort] = await Promise.all([easy.spray('127.0.0.1', { portMin: target, portMax: target, rounds: 2 }), hard.waitHit(3000)]);
      assert.deepEqual(hit, { address: '127.0.0.1', port: target });
      assert.equal(hardPort, target, 'the hard side names the socket the spray reached');
    } finally {
      easy.close();
      hard.close();
    }
    assert.deepEqual(hard.localPorts, [], 'closed');
  });

  it('ignores probes with another token, and gives up after its rounds', async () => {
    const hard = await HardPuncher.open({ bind: '127.0.0.1', sockets: 4, token: randomBytes(16) });
    const stranger = createSocket('udp4');
    try {
      await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
      for (const p of hard.localPorts) stranger.send(encodeProbe('probe', randomBytes(16)), p, '127.0.0.1');
      const t0 = performance.now();
      assert.equal(await hard.waitHit(300), undefined);
      assert.ok(performance.now() - t0 >= 290);
      const easy = await EasyPuncher.open({ bind: '127.0.0.1', stun: stun(), token: randomBytes(16) });
      try {
        const p = hard.localPorts[0]!;
        assert.equal(await easy.spray('127.0.0.1', { portMin: p, portMax: p, rounds: 2, roundMs: 50 }), undefined, 'wrong token: no answer');
      } finally {
        easy.close();
      }
    } finally {
      hard.close();
      stranger.close();
    }
  });

  it('two punch runs agree over signalling: ports for ICE, and the punched endpoint on the easy side', async () => {
    const token = randomBytes(16);
    const sent: Record<'easy' | 'hard', PunchPayload[]> = { easy: [], hard: [] };
    // Payloads cross through the schema, as the signal server would check them.
    let easyRun: PunchRun | undefined;
    let hardRun: PunchRun | undefined;
    const deliver = (to: () => PunchRun | undefined, from: 'easy' | 'hard') => (p: PunchPayload): boolean => {
      sent[from].push(p);
      const checked = PunchPayloadSchema.parse(JSON.parse(JSON.stringify(p)));
      setTimeout(() => to()?.handle(checked, '127.0.0.1'), 5);
      return true;
    };
    // The hard side opens its sockets first; the easy side's spray is narrowed to them.
    hardRun = new PunchRun({ sessionId: 'sess-loopback-1', role: 'hard', token, initiator: true, stun: stun(), publicIp: '127.0.0.1', bind: '127.0.0.1', sockets: 8, send: deliver(() => easyRun, 'hard'), log: quiet });
    for (let i = 0; i < 50 && hardRun.hardPorts.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const p = hardRun.hardPorts[3]!;
    assert.ok(p, 'the hard side opened its sockets');
    easyRun = new PunchRun({ sessionId: 'sess-loopback-1', role: 'easy', token, initiator: false, stun: stun(), bind: '127.0.0.1', sprayRange: [p, p], send: deliver(() => hardRun, 'easy'), log: quiet });
    const [e, h] = await Promise.all([easyRun.result, hardRun.result]);
    assert.ok(e && h, `both found the path (easy ${JSON.stringify(e)}, hard ${JSON.stringify(h)})`);
    assert.equal(e.role, 'easy');
    assert.equal(h.role, 'hard');
    assert.deepEqual(e.remote, { address: '127.0.0.1', port: p });
    assert.equal(h.localPort, p);
    assert.deepEqual(sent.hard.map((p) => p.step), ['start', 'hard']);
    assert.deepEqual(sent.easy.map((p) => p.step), ['easy']);
    // Every socket is closed: ICE can bind both ports now.
    for (const port of [e.localPort, h.localPort]) {
      const s = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(port, '127.0.0.1', () => resolve());
      });
      s.close();
    }
  });

  it('the signal server stamps a punch with where it saw the sender, whatever the sender claims, and nothing else', async () => {
    const a = await rawPeer(signal.url, 'stamp-a', '127.0.0.3');
    const b = await rawPeer(signal.url, 'stamp-b', '127.0.0.1');
    try {
      // A bye first: payloads other than punch do not carry the sender's address (--force-relay hides it).
      a.ws.send(JSON.stringify({ type: 'signal', to: b.peerId, payload: { kind: 'bye', sessionId: 'sess-stamp-0' } }));
      a.ws.send(JSON.stringify({ type: 'signal', to: b.peerId, fromIp: '198.51.100.7', payload: { kind: 'punch', sessionId: 'sess-stamp-1', step: 'hard', address: '198.51.100.7' } }));
      const deadline = Date.now() + WAIT_MS;
      let got: SignalInMessage[] = [];
      while (got.length < 2 && Date.now() < deadline) {
        got = b.inbox.filter((x): x is SignalInMessage => x.type === 'signal');
        if (got.length < 2) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(got.length, 2, 'both signals were relayed');
      assert.equal(got[0]!.payload.kind, 'bye');
      assert.equal(got[0]!.fromIp, undefined);
      assert.equal(got[1]!.fromIp, '127.0.0.3');
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });

  for (const role of ['hard', 'easy'] as const) {
    it(`a ${role} run probes only the address the signal server saw the peer at`, async () => {
      const third = await counter();
      const sent: PunchPayload[] = [];
      try {
        let easyStep: () => void;
        const easySent = new Promise<void>((r) => (easyStep = r));
        const run = new PunchRun({
          sessionId: `sess-trust-${role}`, role, token: randomBytes(16), initiator: false, stun: stun(), publicIp: '127.0.0.1', bind: '127.0.0.1', sockets: 8,
          sprayRange: [third.port, third.port], timeoutMs: 3000,
          send: (p) => (sent.push(p), p.step === 'easy' && easyStep(), true), log: quiet,
        });
        // The other peer is at 127.0.0.1 (as the server saw it) but names the third party.
        if (role === 'hard') {
          for (let i = 0; i < 50 && run.hardPorts.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
          run.handle({ kind: 'punch', sessionId: `sess-trust-${role}`, step: 'easy', address: '127.0.0.9', port: third.port }, '127.0.0.1');
        } else {
          await easySent;
          run.handle({ kind: 'punch', sessionId: `sess-trust-${role}`, step: 'hard', address: '127.0.0.9' }, '127.0.0.1');
        }
        assert.equal(await run.result, undefined);
        await third.settled();
        assert.equal(third.got(), 0, 'nothing reached the third party');
        const fail = sent.find((p) => p.step === 'fail');
        assert.match(fail?.reason ?? '', /127\.0\.0\.9 is not the peer's address \(the signal server saw it at 127\.0\.0\.1\)/);
      } finally {
        third.sock.close();
      }
    });
  }

  it('a run whose peer never answers fails within its timeout and says so', async () => {
    const sent: PunchPayload[] = [];
    const run = new PunchRun({ sessionId: 'sess-loopback-2', role: 'hard', token: randomBytes(16), initiator: true, stun: stun(), publicIp: '127.0.0.1', bind: '127.0.0.1', sockets: 4, timeoutMs: 300, send: (p) => (sent.push(p), true), log: quiet });
    const t0 = performance.now();
    assert.equal(await run.result, undefined);
    assert.ok(performance.now() - t0 < 2000);
    assert.deepEqual(sent.map((p) => p.step), ['start', 'fail']);
    assert.match(sent[1]!.reason ?? '', /timed out/);
  });
});
