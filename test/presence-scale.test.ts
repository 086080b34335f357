/**
 * The signal server with a crowd online (#8 item 2). The `registered` reply
 * used to list every peer online, and peers refuse server messages over 64 KiB:
 * with ~400 peers with 63-character names online nobody could register any
 * more, and every join was broadcast to everyone (O(n) bytes per join). Here
 * 500 raw WebSocket peers with 63-character names register from several
 * loopback addresses (the server caps each address), then the real CLI must
 * still register, list all of them (paged), and tunnel to one of them by name;
 * the bytes the server sent per join are counted and must not grow with n.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { registerRawPeer } from './harness/raw-peer.js';
import { Proc, cleanup, echoService, exchange, randomData, startConnect, startExpose, startSignal, type SignalProc } from './helpers.js';

/** Above the ~400 at which registration broke. */
const CROWD = 500;
/** Source addresses for the crowd: the server allows 60 registrations at once per address. */
const ADDRESSES = 10;
/** A join costs the server a hello and a registered reply, whatever the crowd: a few hundred bytes. */
const MAX_BYTES_PER_JOIN = 2048;
const WAIT_MS = 30_000;

const longName = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(4, '0')}-`.padEnd(63, 'x');

interface Member {
  ws: WebSocket;
  bytes: number;
}

/** A raw peer from `localAddress`; counts every byte the server sends it. Resolves once registered. */
async function member(url: string, name: string, localAddress: string): Promise<Member> {
  const m = { bytes: 0 } as Member;
  m.ws = (await registerRawPeer(url, name, { localAddress, timeoutMs: WAIT_MS, onFrame: (d) => (m.bytes += d.length) })).ws;
  return m;
}

describe('presence with 500 peers online (63-character names)', () => {
  let signal: SignalProc;
  const crowd: Member[] = [];
  let exposerName = '';
  let echoPort = 0;

  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
    exposerName = longName('exposer', 0);
    await startExpose(exposerName, [`echo=${echoPort}`], signal.url);
    // One address after another, each address's peers at once.
    for (let a = 0; a < ADDRESSES; a++) {
      const per = CROWD / ADDRESSES;
      crowd.push(...(await Promise.all(Array.from({ length: per }, (_, i) => member(signal.url, longName('crowd', a * per + i), `127.0.20.${a + 1}`)))));
    }
  });
  after(async () => {
    for (const m of crowd) m.ws.terminate();
    await cleanup();
  });

  it('sends O(1) bytes per join: no peer list in the reply, no broadcast to the crowd', () => {
    const total = crowd.reduce((s, m) => s + m.bytes, 0);
    const perJoin = total / CROWD;
    process.stderr.write(`[presence-scale] ${CROWD} joins: the server sent ${total} bytes to the crowd, ${perJoin.toFixed(0)} per join\n`);
    assert.ok(perJoin < MAX_BYTES_PER_JOIN, `${perJoin.toFixed(0)} bytes per join (bound ${MAX_BYTES_PER_JOIN})`);
  });

  it('a new `p2prc peers` registers and lists all of them, page after page', async () => {
    const before = crowd.reduce((s, m) => s + m.bytes, 0);
    const p = new Proc('peers', ['--json', 'peers', '--server', signal.url]);
    const ev = await p.waitForEvent({ event: 'peers' }, WAIT_MS);
    const names = new Set((ev.peers as { name: string }[]).map((x) => x.name));
    for (let i = 0; i < CROWD; i++) assert.ok(names.has(longName('crowd', i)), `${longName('crowd', i)} listed`);
    assert.ok(names.has(exposerName));
    assert.equal(await p.exited, 0);
    // Its join was told to nobody in the crowd (nobody looked it up).
    assert.equal(crowd.reduce((s, m) => s + m.bytes, 0), before);
  });

  it('`connect` by name to one of them works', async () => {
    const c = await startConnect(`${exposerName}/echo`, signal.url);
    const data = randomData(64 * 1024);
    assert.ok((await exchange(c.port, data)).equals(data));
  });
});
