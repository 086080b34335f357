/**
 * The public-port bench keeps working: `public-port.js --quick --no-lab --json
 * --out DIR` measures the three loopback rows (p2prc public port, ssh -R, socat
 * chain), prints one JSON object and writes its two files. Nothing is asserted
 * about speed, only the shape. Skipped while this build has no reverse proxy
 * (`p2prc server --reverse-proxy`). Its flags are checked without a run.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULTS, QUICK, parseOptions } from '../bench/public-port/options.js';
import { PATHS } from '../bench/public-port/paths.js';
import type { PublicPortResults, PublicPortRow } from '../bench/public-port/report.js';
import { CLI, ROOT, cleanup, tmpDir } from './helpers.js';

/** --quick finishes in under 2 minutes (the brief); the bound of a stuck run. */
const QUICK_BOUND_MS = 150_000;

const noReverseProxy = ((): string | false => {
  const r = spawnSync(process.execPath, [CLI, 'server', '--help'], { encoding: 'utf8', timeout: 20_000 });
  return /--reverse-proxy/.test(r.stdout) ? false : 'this build has no reverse proxy yet (p2prc server --reverse-proxy): the bench has no row of ours to run';
})();

describe('public-port bench flags', () => {
  it('has defaults, --quick sizes that explicit flags override, and refuses bad flags', () => {
    const d = parseOptions([]);
    assert.deepEqual([d.mib, d.conns, d.idleConns, d.lab, d.json, d.quick], [DEFAULTS.mib, DEFAULTS.conns, DEFAULTS.idleConns, true, false, false]);
    const q = parseOptions(['--idle-conns', '7', '--quick', '--no-lab', '--json']);
    assert.deepEqual([q.mib, q.labMib, q.conns, q.idleConns, q.lab, q.json, q.quick], [QUICK.mib, QUICK.labMib, QUICK.conns, 7, false, true, true]);
    assert.equal(parseOptions(['--lab-mib', '32']).labMib, 32);
    assert.deepEqual(parseOptions(['--expose-flags', '--sctp-buffer-kib 2048']).exposeFlags, ['--sctp-buffer-kib', '2048']);
    assert.throws(() => parseOptions(['--mib', '0']), /--mib needs a whole number/);
    assert.throws(() => parseOptions(['--conns', 'x']), /--conns needs a whole number/);
    assert.throws(() => parseOptions(['--lab']), /unknown argument --lab/);
    assert.throws(() => parseOptions(['--out']), /--out needs a directory/);
  });
});

function checkRow(r: PublicPortRow, i: number): void {
  const what = `row ${i} ${r.path}`;
  assert.equal(r.where, 'loopback', what);
  assert.equal(r.path, PATHS[i], what);
  assert.equal(r.error, undefined, `${what} failed: ${r.error}`);
  if (r.skipped) {
    // Only a tool missing skips a row, and never ours.
    assert.notEqual(r.path, 'p2prc', what);
    assert.match(r.skipped, /not installed/, what);
    return;
  }
  for (const v of [r.upMibPerSec, r.downMibPerSec]) assert.ok(v !== null && v > 0, `${what}: ${v} MiB/s`);
  assert.ok(r.ttfbP50Ms !== null && r.ttfbP95Ms !== null && r.ttfbP50Ms > 0 && r.ttfbP95Ms >= r.ttfbP50Ms, `${what}: first byte ${r.ttfbP50Ms}/${r.ttfbP95Ms}`);
  // Memory deltas may be negative at --quick's 50 connections (a GC in between); CPU is never.
  for (const v of [r.proxyKiBPerConn, r.proxyRssKiBPerConn, r.peerKiBPerConn]) assert.ok(v !== null && Number.isFinite(v), `${what}: memory ${v}`);
  for (const v of [r.proxyCpuMsPerMib, r.peerCpuMsPerMib]) assert.ok(v !== null && v >= 0, `${what}: CPU ${v}`);
  assert.equal(r.idleConns, QUICK.idleConns, what);
  assert.match(r.note, /sha256 up [0-9a-f]{12}, down [0-9a-f]{12}/, what);
  if (r.path === 'p2prc') assert.match(r.note, /route (direct|relay) /, what);
}

describe('public-port bench --quick --no-lab', { skip: noReverseProxy, timeout: QUICK_BOUND_MS + 10_000 }, () => {
  after(cleanup);

  it('measures the three loopback rows, prints one JSON object and writes its files', async () => {
    const out = tmpDir('p2prc-pp-out-');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'bench', 'public-port.js'), '--quick', '--no-lab', '--json', '--out', out], {
      cwd: ROOT,
      timeout: QUICK_BOUND_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    const res = JSON.parse(stdout) as PublicPortResults & { files: { json: string; md: string } };
    assert.equal(res.bench, 'public-port');
    assert.equal(res.rows.length, PATHS.length, stderr);
    res.rows.forEach(checkRow);
    assert.match(res.labSkipped ?? '', /^lab rows skipped: --no-lab$/);
    assert.equal(res.options.quick, true);
    assert.ok(Date.parse(res.started) <= Date.parse(res.finished));

    assert.match(res.files.json, /\/public-port-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/);
    assert.equal(res.files.md, join(out, 'public-port-latest.md'));
    const file = JSON.parse(readFileSync(res.files.json, 'utf8')) as PublicPortResults;
    assert.deepEqual(file.rows, res.rows);
    assert.ok(existsSync(res.files.md));
    const md = readFileSync(res.files.md, 'utf8');
    assert.equal(md.split('\n').filter((l) => l.startsWith('| loopback |')).length, PATHS.length, md);
    assert.match(md, /rathole/);
    assert.match(stderr, /^\[public-port\] /m);
  });
});
