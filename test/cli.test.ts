/** The CLI as a user runs it: help, peers, view-rpm/view-rps and the seed flags, human and --json. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { readMappingFile } from '../src/mapping/log.js';
import { FILES } from '../src/util/paths.js';
import { CLI, ROOT, cleanup, echoService, exchange, startConnect, startExpose, startSignal, tmpDir, waitUntil, withDumps, type SignalProc } from './helpers.js';

/** Default data dir of the commands run without --data-dir (not the user's ~/.p2prc). */
let home: string;

const run = async (args: string[]): Promise<{ stdout: string; stderr: string; code: number }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, P2PRC_HOME: home } });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
};

describe('p2prc CLI', () => {
  let signal: SignalProc;
  let connectDir: string;
  before(() =>
    withDumps('p2prc CLI set-up', async () => {
      home = tmpDir('p2prc-cli-home-');
      signal = await startSignal();
      await startExpose('alice', [`echo=${await echoService()}`], signal.url);
      const c = await startConnect('alice/echo', signal.url);
      connectDir = c.dataDir;
      // Straight away, as a user would: connect may still be setting up its session with
      // alice (its warm-up), and this first connection must wait for it and be carried.
      assert.equal((await exchange(c.port, Buffer.from('hi'))).toString(), 'hi');
      // view-rpm below reads the connect row, which reaches the file in a batched write.
      const file = join(connectDir, FILES.mapping);
      await waitUntil(() => readMappingFile(file).reverse_proxy_mappings.some((r) => r.role === 'connect' && r.service === 'echo'), `the connect row in ${file}`);
    }),
  );
  after(cleanup);

  it('prints help', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const cmd of ['server', 'expose', 'connect', 'peers', 'view-rpm', 'view-rps', 'bench', '--reverse-proxy']) assert.ok(r.stdout.includes(cmd), cmd);
  });

  it('lists peers, human and --json, and records the server in reverse_proxy_server.json', async () => {
    const dir = tmpDir();
    const human = await run(['peers', '--server', signal.url, '--data-dir', dir]);
    assert.match(human.stdout, /alice\s+[0-9a-f]{40}/);
    const json = JSON.parse((await run(['--json', 'peers', '--server', signal.url])).stdout) as { peers: { name: string }[] };
    assert.ok(json.peers.some((p) => p.name === 'alice'));
    const rps = await run(['--view-rps', '--data-dir', dir]);
    assert.match(rps.stdout, new RegExp(`127\\.0\\.0\\.1:${signal.port}\\s+ws://127\\.0\\.0\\.1:${signal.port}\\s+[0-9.]+`));
  });

  it('shows the mapping log with view-rpm and the seed --view-rpm, human and --json', async () => {
    const human = await run(['view-rpm', '--data-dir', connectDir]);
    assert.match(human.stdout, /Server_name\s+Address\s+Type\s+blind_port/);
    assert.match(human.stdout, /alice\s+127\.0\.0\.1\s+UDP\s+\d+\s+connect\s+echo\s+direct/);
    const seed = await run(['--view-rpm', '--data-dir', connectDir]);
    assert.equal(seed.stdout, human.stdout);
    const json = JSON.parse((await run(['--json', 'view-rpm', '--data-dir', connectDir])).stdout) as { reverse_proxy_mappings: { service: string }[] };
    assert.equal(json.reverse_proxy_mappings[0]?.service, 'echo');
  });

  it('fails clearly on bad arguments and unreachable servers', async () => {
    const bad = await run(['expose', 'web', '--server', signal.url, '--data-dir', tmpDir()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad service "web"/);
    const down = await run(['peers', '--server', 'ws://127.0.0.1:1']);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /could not register|ECONNREFUSED|timeout/i);
  });

  it('refuses a second peer process on the same data dir', async () => {
    const dir = tmpDir();
    await startExpose('carol', [`echo=${await echoService()}`], signal.url, dir);
    const r = await run(['expose', 'x=1', '--name', 'carol2', '--server', signal.url, '--data-dir', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /in use by another p2prc peer/);
  });
});

describe('p2prc bench', () => {
  before(() => {
    home = tmpDir('p2prc-cli-home-');
  });
  after(cleanup);

  it('runs the bench of this checkout with the flags passed through: --help, and a bad flag exits non-zero', async () => {
    const help = await run(['bench', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /usage: node dist\/bench\/bench\.js \[--quick\] \[--out DIR\]/);
    assert.match(help.stdout, /p2prc bench takes the same flags/);
    const bad = await run(['bench', '--no-such-flag']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown argument --no-such-flag/);
  });

  it('says where the bench is when the install has none (the npm package ships without bench/)', async () => {
    // The package as npm installs it ("files" in package.json): bin, dist/src, dist/signal-server.
    const pkg = tmpDir('p2prc-cli-pkg-');
    for (const d of ['bin', 'dist/src', 'dist/signal-server', 'package.json']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    assert.ok(!existsSync(join(pkg, 'dist', 'bench')));
    let r: { stdout: string; stderr: string; code: number };
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(pkg, 'bin', 'p2prc'), 'bench', '--quick'], { env: { ...process.env, P2PRC_HOME: home } });
      r = { stdout, stderr, code: 0 };
    } catch (err) {
      r = err as { stdout: string; stderr: string; code: number };
    }
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error \[not-installed\]: the bench ships with the source checkout; run npm run bench there/);
    assert.equal(r.stdout, '');
  });
});
