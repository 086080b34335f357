/**
 * The process harness driven with small `node -e` children: event waits by
 * name, pattern and predicate, failures that carry the child's output, the
 * SIGKILL bound of stop(), failOn, a program that cannot start, and cleanup().
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Proc, cleanup, tmpDir } from './process.js';

/** A node child running `code`. */
function node(name: string, code: string, opts: { stdin?: boolean } = {}): Proc {
  return new Proc(name, ['-e', code], {}, { command: process.execPath, ...opts });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('process harness', () => {
  after(cleanup);

  it('waits for JSON events by name, pattern and predicate, seen before or after the wait starts', async () => {
    const p = node(
      'events',
      `console.log(JSON.stringify({ event: 'listening', port: 1234 }));
       console.log('plain text line');
       setTimeout(() => console.log(JSON.stringify({ event: 'route', kind: 'direct', local: { address: '127.0.0.1' } })), 100);
       setTimeout(() => {}, 10000);`,
    );
    const route = p.waitForEvent({ event: 'route', local: { address: /^127\./ } }, 5000);
    assert.equal((await p.waitForEvent('listening', 5000)).port, 1234);
    assert.equal((await route).kind, 'direct');
    assert.equal((await p.waitForEvent((o) => o.text === 'plain text line', 5000)).text, 'plain text line');
    const timed = await p.waitForEventTimed('route', 5000);
    assert.ok(timed.at >= p.spawnedAt);
    assert.equal(p.eventsMatching({ kind: 'direct' }).length, 1);
    assert.equal(typeof p.pid, 'number');
    await p.stop();
  });

  it('a wait that times out reports the bound and what the child printed', async () => {
    const p = node('quiet', `console.error('some stderr detail'); console.log(JSON.stringify({ event: 'other' })); setTimeout(() => {}, 10000);`);
    await p.waitFor(/some stderr detail/, 'err', 5000);
    await assert.rejects(p.waitForEvent('route', 300), (err: Error) => {
      assert.match(err.message, /quiet: timed out after 300 ms waiting for event "route"/);
      assert.match(err.message, /some stderr detail/);
      assert.match(err.message, /"event":"other"/);
      return true;
    });
    await p.stop();
  });

  it('a wait fails as soon as the child exits without the event', async () => {
    const p = node('dies', `console.error('fatal: no config'); process.exit(7);`);
    const t0 = performance.now();
    await assert.rejects(p.waitForEvent('listening', 10_000), /dies exited \(7\) before printing event "listening"[^]*fatal: no config/);
    assert.ok(performance.now() - t0 < 5000);
  });

  it('failOn rejects pending waits at a matching stderr line', async () => {
    const p = node('warns', `setTimeout(() => console.error('WARN no connection yet'), 100); setTimeout(() => {}, 10000);`);
    p.failOn(/no connection yet/);
    await assert.rejects(p.waitForEvent('route', 5000), /warns reported: WARN no connection yet/);
    await p.stop();
  });

  it('stop() sends SIGKILL after the bound to a child that ignores SIGTERM, and awaits its exit', async () => {
    const p = node('stubborn', `process.on('SIGTERM', () => console.error('ignoring SIGTERM')); console.log(JSON.stringify({ event: 'ready' })); setInterval(() => {}, 1000);`);
    await p.waitForEvent('ready', 5000);
    const t0 = performance.now();
    const code = await p.stop('SIGTERM', 300);
    const ms = performance.now() - t0;
    assert.equal(code, null);
    assert.equal(p.child.signalCode, 'SIGKILL');
    assert.ok(ms >= 250 && ms < 3000, `stopped after ${ms} ms`);
    assert.ok(p.err.includes('ignoring SIGTERM'));
  });

  it('send() writes JSON lines to a child started with stdin', async () => {
    const p = node(
      'echoes',
      `require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => console.log(JSON.stringify({ event: 'echo', got: JSON.parse(l) })));`,
      { stdin: true },
    );
    p.send({ n: 42 });
    assert.deepEqual((await p.waitForEvent('echo', 5000)).got, { n: 42 });
    await p.stop();
    assert.equal(p.exitCode !== undefined, true);
  });

  it('a program that cannot be started fails its waits and stops at once', async () => {
    const p = new Proc('missing', [], {}, { command: '/nonexistent/p2prc-no-such-program' });
    await assert.rejects(p.waitForEvent('listening', 5000), /missing exited \(null\)[^]*spawn failed: .*ENOENT/);
    assert.equal(await p.stop(), null);
  });

  it('cleanup() kills every child and removes every temp dir', async () => {
    const p = node('lingers', `process.on('SIGTERM', () => {}); console.log(JSON.stringify({ event: 'ready' })); setInterval(() => {}, 1000);`);
    await p.waitForEvent('ready', 5000);
    const pid = p.pid!;
    const d = tmpDir();
    await cleanup();
    assert.equal(alive(pid), false);
    assert.equal(existsSync(d), false);
  });
});
