/**
 * The peers run node-datachannel's addon as native/build.sh built it, with the relayed
 * DTLS deadlock's fix (native/README.md): the installed build is of the sources in
 * native/, a process that opens a PeerConnection has that file mapped (not the
 * prebuilt package's), and a peer says so at start instead of warning.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATIVE_BUILD = join(ROOT, 'dist', 'src', 'peer', 'native-build.js');

describe('node-datachannel built from source (native/)', () => {
  it('the installed addon is built from the sources and patches in native/', async () => {
    // --check exits 1 when the addon is missing, prebuilt, or of other sources.
    await run('bash', [join(ROOT, 'native', 'build.sh'), '--check']);
  });

  it('a process that opens a PeerConnection maps that addon, and reports the fix', async () => {
    const script = `
      import { readFileSync } from 'node:fs';
      const ndc = (await import('node-datachannel')).default;
      const pc = new ndc.PeerConnection('probe', { iceServers: [] });
      const maps = readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.endsWith('.node'));
      const nb = await import(${JSON.stringify(NATIVE_BUILD)});
      console.log(JSON.stringify({ maps: [...new Set(maps.map((l) => l.split(/\\s+/).pop()))], build: nb.nativeBuild(), said: nb.describeNativeBuild() }));
      pc.close();
      ndc.cleanup();
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 20_000 });
    const r = JSON.parse(stdout) as { maps: string[]; build: { local: boolean; patches: string[]; path: string }; said: { level: string; text: string } };
    assert.deepEqual(r.maps, [r.build.path], `mapped addons: ${r.maps.join(', ')}`);
    assert.match(r.build.path, /node-datachannel\/build\/Release\/node_datachannel\.node$/);
    assert.ok(r.build.patches.includes('libdatachannel-dtls-start-on-thread-pool'), JSON.stringify(r.build));
    assert.ok(r.build.patches.includes('node-datachannel-sctp-settings'), JSON.stringify(r.build));
    assert.equal(r.said.level, 'info', r.said.text);
  });
});
