/**
 * A peer that loses only its signalling connection keeps its live tunnels
 * (#8 item 5). During a transfer, one peer's TCP connection to the signal
 * server is cut with `ss -K` (the server stays up); the server tells the other
 * side the peer left. The session's P2P path still works, so it must be kept:
 * the transfer completes, sha256-verified. Then the same for the other peer.
 * Needs root (ss -K).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cleanup, echoService, randomData, sha256, startConnect, startExpose, startSignal, waitUntil, type Proc, type SignalProc } from './helpers.js';
import { Transfer } from './harness/transfer.js';

/** Abort `proc`'s TCP connection to the signal server on `serverPort` (root: ss -K). */
function cutSignalling(proc: Proc, serverPort: number): void {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${serverPort} )`], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes(`pid=${proc.pid},`));
  const sport = line && /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:\d+/.exec(line)?.[1];
  if (!sport) throw new Error(`no signalling connection of pid ${proc.pid} to :${serverPort} in:\n${out}`);
  execFileSync('ss', ['-4', '-K', 'state', 'established', `( sport = :${sport} and dport = :${serverPort} )`]);
}

describe('signalling cut during a transfer', () => {
  let signal: SignalProc;
  let echoPort: number;
  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
  });
  after(cleanup);

  it('keeps the tunnel when either peer loses only its signal-server connection', async () => {
    const ex = await startExpose('alice', [`echo=${echoPort}`], signal.url);
    const c = await startConnect('alice/echo', signal.url);
    const data = randomData(8 * 1024 * 1024);
    const half = data.length / 2;
    const t = new Transfer(c.port);
    try {
      t.write(data.subarray(0, half));
      await t.until(half);

      // The exposer loses its signalling: the connector is told alice left.
      cutSignalling(ex.proc, signal.port);
      await c.proc.waitFor(/alice left the signal server|peer left the signal server/, 'err');
      const [seen] = await c.proc.waitFor(/P2P path alive; session kept|session closed/, 'err');
      assert.match(seen, /session kept/, `the connector closed its live session:\n${c.proc.dump()}`);

      // Alice is back on the server (so she hears of the connector leaving).
      await waitUntil(() => signal.proc.dump().split('peer registered peer=alice ').length === 3, 'alice registered again');
      // The connector loses its signalling: the exposer is told.
      cutSignalling(c.proc, signal.port);
      const [seen2] = await ex.proc.waitFor(/P2P path alive; session kept|session closed/, 'err');
      assert.match(seen2, /session kept/, `the exposer closed its live session:\n${ex.proc.dump()}`);

      t.write(data.subarray(half), true);
      const back = await t.until(data.length);
      assert.equal(sha256(back), sha256(data));
    } finally {
      t.destroy();
    }
  });
});
