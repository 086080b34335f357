import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lockDataDir, lockHolderAlive, processStartTime } from './lock.js';

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
});

/** A live process that is not a p2prc peer (bounded: it exits by itself). */
async function unrelatedProcess(): Promise<number> {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  await once(c, 'spawn');
  return c.pid!;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'p2prc-lock-'));
}

describe('data dir lock', () => {
  it('writes pid and start time, and releases only its own lock', () => {
    const dir = tempDir();
    try {
      const release = lockDataDir(dir);
      const text = readFileSync(join(dir, 'peer.lock'), 'utf8');
      assert.equal(text, `${process.pid} ${processStartTime(process.pid)}`);
      release();
      assert.equal(existsSync(join(dir, 'peer.lock')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock whose pid now belongs to an unrelated live process', async () => {
    const pid = await unrelatedProcess();
    const dir = tempDir();
    try {
      // Old format (pid only): the pid is alive but is no node/p2prc process.
      writeFileSync(join(dir, 'peer.lock'), String(pid));
      lockDataDir(dir)();
      // New format with another start time: the pid was reused.
      writeFileSync(join(dir, 'peer.lock'), `${pid} 1`);
      lockDataDir(dir)();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a lock held by a live peer process, naming its pid', async () => {
    const dir = tempDir();
    const lockModule = join(fileURLToPath(new URL('.', import.meta.url)), 'lock.js');
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `const { lockDataDir } = await import(${JSON.stringify(lockModule)}); lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setTimeout(() => {}, 60000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    try {
      await once(holder.stdout!, 'data');
      assert.throws(() => lockDataDir(dir), (err: Error & { code?: string }) => err.code === 'data-dir-in-use' && err.message.includes(`pid ${holder.pid}`));
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('judges lock contents', async () => {
    const pid = await unrelatedProcess();
    assert.equal(lockHolderAlive(`${pid} ${processStartTime(pid)}`), pid);
    assert.equal(lockHolderAlive(`${pid} 7`), undefined);
    assert.equal(lockHolderAlive('garbage'), undefined);
    assert.equal(lockHolderAlive(String(process.pid)), undefined);
  });
});
