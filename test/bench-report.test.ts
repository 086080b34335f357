/**
 * The bench's report builders, on rows made up here: the loopback rows from a
 * run's figures, the markdown table, the SVG chart (well-formed XML, a series
 * per path and panel, points where the values put them) and the results file name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loopbackRows, type LoopbackFigures } from '../bench/loopback-rows.js';
import { resultsMarkdown, sortRows } from '../bench/report-md.js';
import { CHART_PATHS, chartPanels, logAxis, throughputSvg } from '../bench/report-svg.js';
import { stampName } from '../bench/results-file.js';
import type { BenchMachine, BenchResults, BenchRow } from '../bench/rows.js';

const machine: BenchMachine = { hostname: 'box<&>"1', cpuModel: 'Test CPU', cpuCount: 2, memGiB: 7.8, kernel: 'Linux 6.1.0', node: 'v20.0.0' };

function labRow(path: BenchRow['path'], rttMs: number, lossPct: number, rateMbit: number | null, mibPerSec: number): BenchRow {
  return { path, where: 'lab', rttMs, lossPct, rateMbit, mibPerSec, ratioToTcp: null, cpuMsPerMib: null, setupP50Ms: 10 + rttMs * 3, setupP95Ms: 12 + rttMs * 4, setupRtts: rttMs ? { p50: 3, p95: 4 } : null };
}

const figures: LoopbackFigures = {
  mib: 16,
  opts: { runs: 2 },
  throughput: { tcp: { bestMiBps: 1000, cpuMsPerMiB: 1.5 }, dc: { bestMiBps: 100, cpuMsPerMiB: 18 }, tunnel: { bestMiBps: 80, cpuMsPerMiB: 25 } },
  setupSamplesMs: [30, 10, 20, 50, 40],
  rc: { mib: 8, runs: 2, ours: { bestMiBps: 40, cpuMsPerMiB: 42, setupMs: [300, 100] }, coturn: { bestMiBps: 36, cpuMsPerMiB: 47, setupMs: [120] } },
};

/**
 * Well-formedness, enough for what throughputSvg writes: every '<' opens a tag
 * whose attributes are quoted, tags nest and close, one root, and text and
 * attribute values have no bare '&'. Returns the element names in order.
 */
function checkXml(xml: string): string[] {
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
  const bareAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/;
  const stack: string[] = [];
  const names: string[] = [];
  let roots = 0;
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    assert.ok(!bareAmp.test(text), `bare & in text at ${i}`);
    if (stack.length === 0) assert.equal(text.trim(), '', `text outside the root at ${i}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    assert.ok(m, `not a tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    const [, close, name, attrs, selfClose] = m;
    assert.ok(!bareAmp.test(attrs!), `bare & in the attributes of <${name}>`);
    const attrNames = [...attrs!.matchAll(/([A-Za-z_:][\w:.-]*)="/g)].map((a) => a[1]);
    assert.equal(new Set(attrNames).size, attrNames.length, `an attribute twice in <${name}>`);
    if (close) {
      assert.equal(stack.pop(), name, `</${name}> closes something else`);
    } else {
      if (stack.length === 0) roots++;
      names.push(name!);
      if (!selfClose) stack.push(name!);
    }
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'one root element');
  return names;
}

/** The series groups of a chart: path, panel and the points' (x, y) of each. */
function series(svg: string): { path: string; panel: string; points: [number, number][] }[] {
  const out: { path: string; panel: string; points: [number, number][] }[] = [];
  for (const g of svg.matchAll(/<g class="series" data-path="([^"]+)" data-panel="([^"]+)">([\s\S]*?)<\/g>/g)) {
    const points = [...g[3]!.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((c): [number, number] => [Number(c[1]), Number(c[2])]);
    out.push({ path: g[1]!, panel: g[2]!, points });
  }
  return out;
}

describe('bench report', () => {
  it('turns the loopback figures into rows: ratios to plain TCP, setup p50/p95 by nearest rank', () => {
    const { rows, notes } = loopbackRows(figures);
    assert.deepEqual(
      rows.map((r) => r.path),
      ['plain-tcp', 'raw-dc', 'tunnel-direct', 'tunnel-our-relay', 'tunnel-coturn'],
    );
    for (const r of rows) {
      assert.equal(r.where, 'loopback');
      assert.equal(r.rttMs, 0);
      assert.equal(r.rateMbit, null);
    }
    const by = (p: string): BenchRow => rows.find((r) => r.path === p)!;
    assert.equal(by('plain-tcp').ratioToTcp, 1);
    assert.equal(by('tunnel-direct').ratioToTcp, 0.08);
    assert.equal(by('tunnel-direct').cpuMsPerMib, 25);
    assert.equal(by('tunnel-direct').setupP50Ms, 30);
    assert.equal(by('tunnel-direct').setupP95Ms, 50);
    assert.equal(by('tunnel-our-relay').setupP50Ms, 100, 'of two samples, p50 is the lower');
    assert.equal(by('tunnel-our-relay').setupP95Ms, 300);
    assert.equal(by('tunnel-coturn').setupP50Ms, 120);
    assert.equal(by('raw-dc').setupP50Ms, null);
    assert.match(by('tunnel-our-relay').note!, /best of 2 x 8 MiB/);
    assert.deepEqual(notes, []);

    const noCoturn = loopbackRows({ ...figures, rc: { ...figures.rc!, coturn: undefined } });
    assert.ok(!noCoturn.rows.some((r) => r.path === 'tunnel-coturn'));
    assert.match(noCoturn.notes.join('\n'), /coturn .*not installed/);
    const noRelay = loopbackRows({ ...figures, rc: undefined });
    assert.deepEqual(
      noRelay.rows.map((r) => r.path),
      ['plain-tcp', 'raw-dc', 'tunnel-direct'],
    );
    assert.match(noRelay.notes.join('\n'), /--no-relay-bench/);
  });

  it('writes the markdown: machine, a table row per result row in order, dashes for nulls, the skip reason, the chart', () => {
    const rows = [
      labRow('tunnel-direct', 50, 1, null, 3.25),
      labRow('plain-tcp', 50, 0, 200, 23.8),
      ...loopbackRows(figures).rows,
      labRow('tunnel-direct', 0, 0, 200, 23.5),
      labRow('plain-tcp', 0, 0, 200, 23.8),
      { ...labRow('tunnel-our-relay', 100, 0, null, 0), note: 'setup only' },
    ];
    rows[0]!.note = 'a | b';
    const r: BenchResults = {
      machine,
      started: '2026-11-30T23:59:01.000Z',
      finished: '2026-11-30T23:59:31.000Z',
      loadAtStart: 1.5,
      options: { quick: true, mib: 16, outDir: '/secret/dir' },
      rows,
      labSkipped: 'lab rows skipped: needs root for network namespaces',
      notes: ['a note'],
      loopback: {},
    };
    const md = resultsMarkdown(r, 'x.svg');
    assert.match(md, /Machine `box<&>"1`: 2 x Test CPU, 7.8 GiB, Linux 6.1.0, node v20.0.0/);
    assert.match(md, /\(30 s\), load 1\.50 at start \(busy: the figures are noisy\); options: quick true, mib 16\./);
    assert.ok(!md.includes('/secret/dir'), 'the output directory is not an option worth printing');
    const tableRows = md.split('\n').filter((l) => /^\| (plain-tcp|raw-dc|tunnel-)/.test(l));
    assert.equal(tableRows.length, rows.length);
    assert.deepEqual(
      tableRows.map((l) => l.split(' | ').slice(0, 5).join(' ')),
      [
        '| plain-tcp loopback 0 0 none',
        '| raw-dc loopback 0 0 none',
        '| tunnel-direct loopback 0 0 none',
        '| tunnel-our-relay loopback 0 0 none',
        '| tunnel-coturn loopback 0 0 none',
        '| plain-tcp lab 0 0 200',
        '| tunnel-direct lab 0 0 200',
        '| plain-tcp lab 50 0 200',
        '| tunnel-our-relay lab 100 0 none',
        '| tunnel-direct lab 50 1 none',
      ],
    );
    assert.match(md, /\| tunnel-our-relay \| lab \| 100 \| 0 \| none \| - \| - \| - \| 310 \/ 412 \| 3\.0 \/ 4\.0 \| setup only \|/, 'no throughput in a setup-only row');
    assert.match(md, /\| tunnel-direct \| lab \| 50 \| 1 \| none \| 3\.25 \| - \| - \| 160 \/ 212 \| 3\.0 \/ 4\.0 \| a \\\| b \|/);
    assert.match(md, /\| tunnel-direct \| loopback \| 0 \| 0 \| none \| 80\.0 \| 0\.08 \| 25\.0 \| 30 \/ 50 \| - \|/);
    assert.match(md, /^- lab rows skipped: needs root for network namespaces$/m);
    assert.match(md, /^- a note$/m);
    assert.match(md, /!\[[^\]]*\]\(x\.svg\)/);
    assert.equal(sortRows(rows)[0]!.path, 'plain-tcp');
  });

  it('groups the chart: loopback first, then loss and rate (a rate before none); raw-dc stays out', () => {
    const rows = [
      labRow('tunnel-direct', 0, 1, null, 5),
      labRow('tunnel-direct', 0, 0, null, 50),
      labRow('raw-dc', 0, 0, 200, 20),
      labRow('tunnel-direct', 0, 0, 200, 20),
      labRow('tunnel-direct', 0, 1, 200, 4),
      ...loopbackRows(figures).rows,
    ];
    const panels = chartPanels(rows);
    assert.deepEqual(
      panels.map((p) => p.key),
      ['loopback', 'loss 0 rate 200', 'loss 0 rate none', 'loss 1 rate 200', 'loss 1 rate none'],
    );
    assert.ok(panels.every((p) => p.rows.every((r) => r.path !== 'raw-dc')));
    assert.equal(logAxis([3.2, 1040]).lo, 1);
    assert.equal(logAxis([3.2, 1040]).hi, 2000, 'the next 1-2-5 step a quarter above the largest');
    assert.equal(logAxis([3.2, 700]).hi, 1000);
    assert.equal(logAxis([3.2, 900]).hi, 2000);
    assert.equal(logAxis([0.04, 3]).lo, 0.01);
    assert.equal(logAxis([20, 20]).hi, 100, 'one decade at least');
    assert.deepEqual(
      logAxis([3.2, 1040]).ticks.filter((t) => t.label).map((t) => t.v),
      [1, 10, 100, 1000],
      'past 3 decades only the decades are labelled',
    );
  });

  it('draws a well-formed SVG with a line per path and panel, higher throughput higher up, RTT left to right', () => {
    const rows: BenchRow[] = [...loopbackRows(figures).rows];
    const rtts = [0, 20, 50, 100, 200];
    for (const loss of [0, 1]) {
      for (const rate of [200, null]) {
        for (const rtt of rtts) {
          const f = (base: number): number => Math.min(rate ? rate / 8.4 : Infinity, base / (1 + rtt / 30) / (1 + loss * 3));
          rows.push(labRow('plain-tcp', rtt, loss, rate, f(1000)), labRow('tunnel-direct', rtt, loss, rate, f(70)), labRow('tunnel-our-relay', rtt, loss, rate, f(40)));
          rows.push(labRow('tunnel-coturn', rtt, loss, rate, f(36)), labRow('raw-dc', rtt, loss, rate, f(90)));
          if (loss === 0) rows.push(labRow('raw-dc-stock', rtt, loss, rate, f(50)));
        }
      }
    }
    // A setup-only row (no throughput) is not drawn: the tunnel-direct line keeps its five points.
    const svg = throughputSvg([...rows, labRow('tunnel-direct', 50, 0, null, 0)], machine, '2026-11-30T23:59:01.000Z');
    const names = checkXml(svg);
    assert.equal(names[0], 'svg');
    assert.match(svg, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
    assert.match(svg, /throughput against RTT, box&lt;&amp;&gt;&quot;1</);
    assert.match(svg, /machine box&lt;&amp;&gt;&quot;1: 2 x Test CPU/);

    const ss = series(svg);
    const key = (s: { path: string; panel: string }): string => `${s.panel}/${s.path}`;
    const expected = new Set(rows.filter((r) => CHART_PATHS.includes(r.path)).map((r) => key({ path: r.path, panel: r.where === 'loopback' ? 'loopback' : `loss ${r.lossPct} rate ${r.rateMbit ?? 'none'}` })));
    assert.deepEqual(new Set(ss.map(key)), expected);
    assert.equal(ss.length, expected.size, 'one group per path and panel');
    assert.ok(!ss.some((s) => s.path === 'raw-dc'));
    for (const s of ss.filter((x) => x.panel !== 'loopback')) {
      assert.equal(s.points.length, rtts.length, key(s));
      const xs = s.points.map((p) => p[0]);
      assert.deepEqual(xs, [...xs].sort((a, b) => a - b), `${key(s)}: RTT grows to the right`);
    }
    // Same panel, same RTT: the faster path is drawn higher (smaller y).
    const at = (panel: string, path: string, i: number): number => ss.find((s) => s.panel === panel && s.path === path)!.points[i]![1];
    assert.ok(at('loss 0 rate none', 'plain-tcp', 0) < at('loss 0 rate none', 'tunnel-direct', 0));
    assert.ok(at('loss 0 rate none', 'tunnel-direct', 0) < at('loss 0 rate none', 'tunnel-coturn', 0));
    assert.ok(at('loss 0 rate none', 'tunnel-direct', 0) < at('loss 0 rate none', 'tunnel-direct', 4), 'slower at 200 ms');
    // The y axis is the same in every panel: equal throughput, equal height (these two panels share a grid row).
    assert.equal(at('loopback', 'plain-tcp', 0), at('loss 0 rate none', 'plain-tcp', 0));
    const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)];
    assert.equal(polylines.length, ss.filter((s) => s.panel !== 'loopback').length);
    for (const path of CHART_PATHS) assert.match(svg, new RegExp(`<g class="legend" data-path="${path}">`));
  });

  it('charts loopback rows alone, and no rows at all, as valid SVG', () => {
    const only = throughputSvg(loopbackRows(figures).rows, machine, 'then');
    checkXml(only);
    assert.deepEqual(
      series(only).map((s) => s.path),
      ['tunnel-direct', 'tunnel-our-relay', 'tunnel-coturn', 'plain-tcp'],
    );
    assert.ok(!/data-path="raw-dc-stock"/.test(only), 'no legend entry for a path not measured');
    const none = throughputSvg([], machine, 'then');
    checkXml(none);
    assert.match(none, /no rows to chart/);
  });

  it('names the results files by the start time, without colons', () => {
    assert.equal(stampName(new Date('2026-11-30T23:59:01.123Z')), '2026-11-30T23-59-01Z');
  });
});
