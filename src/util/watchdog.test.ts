/**
 * The main-thread watchdog, in child processes: one whose main thread blocks in a
 * call that does not return (Atomics.wait standing in for a native deadlock) is
 * killed with the fatal line; one whose main thread keeps running past the limit
 * is left alone and exits by itself; the check itself (pure) counts neither a
 * beat nor a pause of the whole process as a stall.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../protocol/errors.js';
import { watchCheck, type WatchState } from './watchdog.js';

const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));
const STALL_MS = 600;

/** Runs `body` in a child with the watchdog started; resolves with how it ended and its stderr. */
async function child(body: string, onStderr?: (text: string, pid: number) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const src = `import { startWatchdog } from ${JSON.stringify(WATCHDOG)};\nstartWatchdog('test cause', ${STALL_MS});\n${body}\n`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', src], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, P2PRC_WATCHDOG_MS: '' } });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr, p.pid!);
  });
  const [code, signal] = (await once(p, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stderr };
}

describe('main-thread watchdog', () => {
  it('ends a process whose main thread is stuck, saying why', { timeout: 30_000 }, async () => {
    // Blocks the main thread for 20 s (a deadlocked native call never returns at all).
    const r = await child('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);\nprocess.exit(3);');
    assert.equal(r.signal, 'SIGKILL', `exit ${r.code}, stderr: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`FATAL \\[watchdog\\] code=${ErrorCode.MainThreadBlocked} the main thread has not run for \\d+ ms: test cause`));
  });

  it('leaves a process alone whose main thread keeps running past the limit', { timeout: 30_000 }, async () => {
    // Busy for 3x the limit, but in short slices with the event loop turning in between.
    const r = await child(`const end = Date.now() + ${3 * STALL_MS};\nconst slice = () => { const t = Date.now() + 20; while (Date.now() < t) {} if (Date.now() < end) setImmediate(slice); else process.exit(0); };\nslice();`);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /watchdog/);
  });


  it('counts a stall only while the process runs: a beat or a pause of the whole process restarts it', () => {
    const s: WatchState = { last: 0, prev: 0, since: 0 };
    const beat = 250;
    // No beat for 600 ms, checked every 250: stuck at the third check.
    assert.deepEqual([250, 500, 750].map((t) => watchCheck(s, t, 0, beat, 600)), [false, false, true]);
    // A beat restarts the count.
    const b: WatchState = { last: 0, prev: 0, since: 0 };
    assert.deepEqual([watchCheck(b, 250, 0, beat, 600), watchCheck(b, 500, 1, beat, 600), watchCheck(b, 750, 1, beat, 600), watchCheck(b, 1000, 1, beat, 600)], [false, false, false, false]);
    assert.equal(watchCheck(b, 1250, 1, beat, 600), true);
    // The whole process stopped for 1.5 s (no check ran either): not a stuck main thread.
    const p: WatchState = { last: 0, prev: 0, since: 0 };
    assert.equal(watchCheck(p, 250, 0, beat, 600), false);
    assert.equal(watchCheck(p, 1750, 0, beat, 600), false, 'the first check after a pause restarts the count');
    assert.deepEqual([2000, 2250, 2500].map((t) => watchCheck(p, t, 0, beat, 600)), [false, false, true]);
  });
});
