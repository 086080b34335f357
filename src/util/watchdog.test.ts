/**
 * The main-thread watchdog, in child processes: one whose main thread blocks in a
 * call that does not return (Atomics.wait standing in for a native deadlock) is
 * killed with the fatal line; one whose main thread keeps running past the limit
 * is left alone and exits by itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../protocol/errors.js';

const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));
const STALL_MS = 600;

/** Runs `body` in a child with the watchdog started; resolves with how it ended and its stderr. */
async function child(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const src = `import { startWatchdog } from ${JSON.stringify(WATCHDOG)};\nstartWatchdog('test cause', ${STALL_MS});\n${body}\n`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', src], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, P2PRC_WATCHDOG_MS: '' } });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
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
});
