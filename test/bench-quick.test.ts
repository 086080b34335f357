/**
 * The bench runs: `bench.js --quick --json --out DIR` measures every loopback
 * path (a relayed row through our relay and one through coturn included) plus
 * whatever the lab gives, numbers its progress lines, and writes the results
 * files. Nothing is asserted about speed: it fails only if the bench breaks.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_PATHS, type BenchResults, type BenchRow } from '../bench/rows.js';
import { ROOT, cleanup, tmpDir } from './helpers.js';

/** The quick run takes ~10 s on loopback and the lab's quick set more: the bound for a stuck run, well above both. */
const QUICK_BOUND_MS = 180_000; // the issue: --quick within 3 minutes, lab rows included as root

const haveCoturn = ((): boolean => {
  const r = spawnSync('turnserver', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return !r.error && r.status === 0;
})();

function checkRow(r: BenchRow): void {
  const what = `${r.where} ${r.path} ${r.rttMs} ms`;
  assert.ok(BENCH_PATHS.includes(r.path), what);
  assert.ok(r.where === 'loopback' || r.where === 'lab', what);
  assert.ok(r.rttMs >= 0 && r.lossPct >= 0, what);
  assert.ok(r.rateMbit === null || r.rateMbit > 0, what);
  // A setup-only row (the lab's) has no throughput but a setup.
  assert.ok(Number.isFinite(r.mibPerSec) && (r.mibPerSec > 0 || (r.mibPerSec === 0 && r.setupP50Ms !== null)), `${what}: ${r.mibPerSec} MiB/s`);
  for (const v of [r.ratioToTcp, r.cpuMsPerMib, r.setupP50Ms, r.setupP95Ms]) assert.ok(v === null || (Number.isFinite(v) && v >= 0), `${what}: ${v}`);
  if (r.setupP50Ms !== null) assert.ok(r.setupP95Ms !== null && r.setupP95Ms >= r.setupP50Ms, what);
}

describe('bench --quick', { timeout: QUICK_BOUND_MS + 10_000 }, () => {
  after(cleanup);

  it('measures every loopback path, numbers its steps and writes the results files', async () => {
    const out = tmpDir('p2prc-bench-out-');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'bench', 'bench.js'), '--quick', '--json', '--out', out], {
      cwd: ROOT,
      timeout: QUICK_BOUND_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    const res = JSON.parse(stdout) as { rows: BenchRow[]; labSkipped: string | null; notes: string[]; files: { json: string; md: string; svg: string }; relayed: unknown };

    // Rows: the five loopback paths (coturn when installed), each once; the lab's, when it ran, well-formed too.
    for (const r of res.rows) checkRow(r);
    const loop = res.rows.filter((r) => r.where === 'loopback').map((r) => r.path);
    const want = ['plain-tcp', 'raw-dc', 'tunnel-direct', 'tunnel-our-relay', ...(haveCoturn ? ['tunnel-coturn'] : [])];
    assert.deepEqual(loop, want);
    if (!haveCoturn) assert.match(res.notes.join('\n'), /coturn .*not installed/);
    assert.equal(res.rows.find((r) => r.path === 'plain-tcp')!.ratioToTcp, 1);
    for (const p of ['tunnel-direct', 'tunnel-our-relay']) assert.ok(res.rows.find((r) => r.path === p && r.where === 'loopback')!.setupP50Ms !== null, p);
    const lab = res.rows.filter((r) => r.where === 'lab');
    if (lab.length === 0) assert.match(res.labSkipped ?? '', /^lab rows /, 'no lab rows: a one-line reason');
    assert.ok(res.relayed, 'the relayed comparison ran');

    // Files: the run's three, their latest.* copies, the same rows in the JSON file.
    for (const f of [res.files.json, res.files.md, res.files.svg]) {
      assert.ok(f.startsWith(out), f);
      assert.match(f, /\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.(json|md|svg)$/);
      assert.ok(existsSync(f), f);
    }
    for (const ext of ['json', 'md', 'svg']) assert.ok(existsSync(join(out, `latest.${ext}`)), `latest.${ext}`);
    const file = JSON.parse(readFileSync(res.files.json, 'utf8')) as BenchResults;
    assert.deepEqual(file.rows, res.rows);
    assert.ok(file.machine.cpuCount > 0 && file.machine.hostname.length > 0 && file.machine.node === process.version);
    assert.ok(Date.parse(file.started) <= Date.parse(file.finished));
    assert.equal(file.options.quick, true);
    const md = readFileSync(res.files.md, 'utf8');
    assert.equal(md.split('\n').filter((l) => /^\| (plain-tcp|raw-dc|tunnel-)/.test(l)).length, res.rows.length);
    const svg = readFileSync(res.files.svg, 'utf8');
    for (const p of want.filter((x) => x !== 'raw-dc')) assert.match(svg, new RegExp(`<g class="series" data-path="${p}" data-panel="loopback">`), p);

    // Progress: every line numbered against the plan, the steps in order, up to the last.
    const steps = stderr
      .split('\n')
      .filter((l) => l.startsWith('[bench '))
      .map((l) => {
        const m = /^\[bench (\d+)\/(\d+)\] [^:]+: /.exec(l);
        assert.ok(m, `unnumbered progress line: ${l}`);
        return [Number(m[1]), Number(m[2])];
      });
    assert.ok(steps.length > 10, stderr);
    const total = steps[0]![1];
    assert.ok(steps.every(([, t]) => t === total));
    assert.deepEqual(
      steps.map(([n]) => n),
      steps.map(([n]) => n).sort((a, b) => a! - b!),
    );
    assert.equal(steps[steps.length - 1]![0], total, 'the last step reached');
  });
});
