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
import { createSocket } from 'node:dgram';
import { EasyPuncher, HardPuncher } from '../src/nat/punch.js';
import { encodeProbe } from '../src/nat/punch-plan.js';
import { PunchRun } from '../src/peer/punch-run.js';
import type { PunchPayload } from '../src/protocol/messages.js';
import { PunchPayloadSchema } from '../src/protocol/messages.js';
import { createLogger } from '../src/util/log.js';
import { cleanup, startSignal, type SignalProc } from './helpers.js';

const quiet = createLogger('test', () => undefined);

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
