/**
 * Names survive a server restart (#8 item 4): the server keeps name -> key
 * bindings in its data dir, first come first served. A squatter who races the
 * real holder after a restart is refused `name-taken` (so no `connect` can pin
 * its key); the operator's `p2prc release-name` frees the name, also while the
 * server runs.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Proc, cleanup, echoService, startExpose, startSignal, tmpDir } from './helpers.js';

/** An `expose --name NAME` expected to be refused at its first registration. */
async function refused(name: string, url: string, dataDir: string): Promise<string> {
  const p = new Proc(`squatter:${name}`, ['--json', 'expose', `echo=1`, '--name', name, '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', '--no-punch']);
  const [m] = await p.waitFor(/name-taken[^\n]*/, 'err');
  await p.stop();
  assert.equal(p.eventsMatching({ event: 'registered' }).length, 0, 'the squatter never registered');
  return m;
}

describe('names: bindings kept across restarts, released by the operator', () => {
  after(cleanup);

  it('a squatter cannot take alice after a restart; release-name lets it', async () => {
    const echo = await echoService();
    const serverDir = tmpDir();
    const aliceDir = tmpDir();
    const squatterDir = tmpDir();
    let s = await startSignal([], 0, serverDir);
    const alice = await startExpose('alice', [`echo=${echo}`], s.url, aliceDir, ['--no-punch']);
    await alice.proc.stop();
    await s.proc.waitFor(/peer left peer=alice/, 'err');
    await s.proc.stop();
    const file = JSON.parse(readFileSync(join(serverDir, 'names.json'), 'utf8')) as { names: Record<string, { peerId: string }> };
    assert.equal(file.names.alice?.peerId, alice.peerId, 'names.json holds alice -> her key');

    // The server restarts; alice is not back yet, a squatter with another key tries her name.
    s = await startSignal([], 0, serverDir);
    const why = await refused('alice', s.url, squatterDir);
    assert.match(why, new RegExp(`bound to peer ${alice.peerId}.*released after 30 days offline, or by the server operator \\(p2prc release-name --data-dir .* alice\\)`));
    await s.proc.waitFor(/rejected message .*code=name-taken/, 'err');

    // The real alice registers with her key.
    const back = await startExpose('alice', [`echo=${echo}`], s.url, aliceDir, ['--no-punch']);
    assert.equal(back.peerId, alice.peerId);
    await back.proc.stop();
    await s.proc.waitFor(/peer left peer=alice/, 'err');

    // The operator releases the name while the server runs; now the other key may take it.
    const rel = new Proc('release-name', ['--json', 'release-name', 'alice', '--data-dir', serverDir]);
    const ev = await rel.waitForEvent({ event: 'released', name: 'alice' });
    assert.equal(ev.peerId, alice.peerId);
    assert.equal(await rel.exited, 0);
    const squatter = await startExpose('alice', [`echo=${echo}`], s.url, squatterDir, ['--no-punch']);
    assert.notEqual(squatter.peerId, alice.peerId);
    await s.proc.waitFor(/name released by the operator name=alice/, 'err');
  });
});
