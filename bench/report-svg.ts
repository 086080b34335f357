/**
 * The results chart (bench/results/<timestamp>.svg), hand-written SVG: throughput
 * (MiB/s, y) against the link's RTT (ms, x) with one line per path, one small
 * panel per (loss, rate) of the lab's links; the loopback rows, which have no
 * RTT to speak of, as one point per path in a panel of their own. The y axis is
 * logarithmic and the same in every panel. Pure: rows in, text out.
 */
import { PATH_LABELS, type BenchMachine, type BenchPath, type BenchRow } from './rows.js';

/** The paths the chart draws, in legend order (the raw-dc row stays in the table only). */
export const CHART_PATHS: readonly BenchPath[] = ['tunnel-direct', 'tunnel-our-relay', 'tunnel-coturn', 'plain-tcp', 'raw-dc-stock'];

/** Okabe-Ito colours (told apart with colour-blindness too), and dashes for the two references. */
const STYLE: Record<BenchPath, { color: string; dash?: string; short: string }> = {
  'tunnel-direct': { color: '#0072B2', short: 'direct' },
  'tunnel-our-relay': { color: '#D55E00', short: 'our relay' },
  'tunnel-coturn': { color: '#009E73', short: 'coturn' },
  'plain-tcp': { color: '#444444', dash: '6 3', short: 'plain TCP' },
  'raw-dc-stock': { color: '#CC79A7', dash: '2 3', short: 'raw DC stock' },
  'raw-dc': { color: '#E69F00', dash: '8 2 2 2', short: 'raw DC' },
  'tunnel-relay-tcp': { color: '#56B4E9', dash: '4 2', short: 'relay TCP' },
  'tunnel-relay-tls': { color: '#F0E442', dash: '4 2', short: 'relay TLS' },
};

/** The lab's RTTs: always ticked on the x axis (and any other RTT a row has). */
export const RTT_TICKS: readonly number[] = [0, 20, 50, 100, 200];

export interface ChartPanel {
  /** 'loopback', or 'loss <pct> rate <mbit|none>'. */
  key: string;
  title: string;
  kind: 'paths' | 'lines';
  rows: BenchRow[];
}

/** The rows of CHART_PATHS with a throughput, grouped into panels: loopback first, then loss ascending, a rate before none. */
export function chartPanels(rows: BenchRow[]): ChartPanel[] {
  const panels = new Map<string, ChartPanel & { order: number[] }>();
  for (const r of rows) {
    if (!CHART_PATHS.includes(r.path) || !(r.mibPerSec > 0)) continue; // setup-only rows have no throughput
    const loop = r.where === 'loopback';
    const key = loop ? 'loopback' : `loss ${r.lossPct} rate ${r.rateMbit ?? 'none'}`;
    let p = panels.get(key);
    if (!p) {
      const title = loop ? 'loopback (no emulated link)' : `loss ${r.lossPct} %, ${r.rateMbit === null ? 'no rate limit' : `${r.rateMbit} Mbit/s`}`;
      p = { key, title, kind: loop ? 'paths' : 'lines', rows: [], order: [loop ? 0 : 1, r.lossPct, r.rateMbit ?? Number.MAX_VALUE] };
      panels.set(key, p);
    }
    p.rows.push(r);
  }
  return [...panels.values()]
    .sort((a, b) => a.order[0]! - b.order[0]! || a.order[1]! - b.order[1]! || a.order[2]! - b.order[2]!)
    .map(({ key, title, kind, rows: rs }) => ({ key, title, kind, rows: rs }));
}

/**
 * The y axis, shared by every panel: log10 from the decade at or below the
 * smallest value to the first 1, 2 or 5 x 10^k a quarter above the largest
 * (room for its label; one decade at least),
 * since the rows span orders of magnitude (plain TCP on loopback against a
 * relayed tunnel over a lossy 200 ms link). Ticks at 1, 2 and 5 of each decade;
 * the 2 and 5 are labelled while the axis spans 3 decades or fewer.
 */
export function logAxis(values: number[]): { lo: number; hi: number; ticks: { v: number; label: boolean }[] } {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  const min = pos.length ? Math.min(...pos) : 1;
  const max = pos.length ? Math.max(...pos) : 10;
  const lo = 10 ** Math.floor(Math.log10(min) + 1e-9);
  const top = max * 1.25;
  const decade = 10 ** Math.floor(Math.log10(top) + 1e-9);
  let hi = [1, 2, 5, 10].map((m) => decade * m).find((v) => v >= top * (1 - 1e-9))!;
  if (hi < lo * 10) hi = lo * 10;
  const decades = Math.log10(hi / lo);
  const ticks: { v: number; label: boolean }[] = [];
  for (let d = lo; d < hi * 1.001; d *= 10) {
    for (const m of [1, 2, 5]) {
      const v = Number((d * m).toPrecision(6));
      if (v <= hi * 1.001) ticks.push({ v, label: m === 1 || decades <= 3 });
    }
  }
  return { lo, hi, ticks };
}

type Axis = ReturnType<typeof logAxis>;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number): string => String(Number(v.toPrecision(6)));
/** A throughput as printed next to a point: three significant figures at most. */
const fmtRate = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : String(Number(v.toPrecision(2))));
const px = (v: number): string => v.toFixed(1);

const PANEL_W = 360;
const PANEL_H = 250;
const GAP = 20;
const MARGIN = 20;
/** Inside a panel: room for the y tick labels, the title, the x ticks and axis label. */
const IN = { left: 52, right: 14, top: 26, bottom: 44 };
const COLUMNS = 3;
/** Narrower than this and the title does not fit. */
const MIN_WIDTH = 760;

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** y of a throughput in a panel's box (values at or below the axis bottom sit on it). */
function yOf(b: Box, axis: Axis, v: number): number {
  const f = Math.log10(Math.max(v, axis.lo) / axis.lo) / Math.log10(axis.hi / axis.lo);
  return b.y1 - f * (b.y1 - b.y0);
}

/** Frame, y grid and y tick labels, the panel's title and the y axis label. */
function frame(out: string[], b: Box, title: string, axis: Axis): void {
  out.push(`<text x="${px((b.x0 + b.x1) / 2)}" y="${px(b.y0 - 10)}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  for (const t of axis.ticks) {
    const y = yOf(b, axis, t.v);
    out.push(`<line x1="${px(b.x0)}" y1="${px(y)}" x2="${px(b.x1)}" y2="${px(y)}" stroke="${t.label ? '#dddddd' : '#f0f0f0'}"/>`);
    if (t.label) out.push(`<text x="${px(b.x0 - 5)}" y="${px(y + 4)}" text-anchor="end" fill="#333">${fmt(t.v)}</text>`);
  }
  out.push(`<rect x="${px(b.x0)}" y="${px(b.y0)}" width="${px(b.x1 - b.x0)}" height="${px(b.y1 - b.y0)}" fill="none" stroke="#999"/>`);
  const my = (b.y0 + b.y1) / 2;
  out.push(`<text x="${px(b.x0 - 40)}" y="${px(my)}" text-anchor="middle" transform="rotate(-90 ${px(b.x0 - 40)} ${px(my)})">MiB/s (log)</text>`);
}

function linesPanel(out: string[], p: ChartPanel, b: Box, axis: Axis): void {
  const rtts = [...new Set([...RTT_TICKS, ...p.rows.map((r) => r.rttMs)])].sort((x, y) => x - y);
  const xMax = Math.max(...rtts, 1);
  const xs = (v: number): number => b.x0 + (v / xMax) * (b.x1 - b.x0);
  const ys = (v: number): number => yOf(b, axis, v);
  frame(out, b, p.title, axis);
  for (const t of rtts) {
    out.push(`<line x1="${px(xs(t))}" y1="${px(b.y1)}" x2="${px(xs(t))}" y2="${px(b.y1 + 4)}" stroke="#999"/>`);
    out.push(`<text x="${px(xs(t))}" y="${px(b.y1 + 16)}" text-anchor="middle" fill="#333">${fmt(t)}</text>`);
  }
  out.push(`<text x="${px((b.x0 + b.x1) / 2)}" y="${px(b.y1 + 34)}" text-anchor="middle">RTT (ms)</text>`);
  for (const path of CHART_PATHS) {
    const pts = p.rows.filter((r) => r.path === path).sort((x, y) => x.rttMs - y.rttMs);
    if (pts.length === 0) continue;
    const s = STYLE[path];
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<g class="series" data-path="${path}" data-panel="${esc(p.key)}">`);
    if (pts.length > 1) {
      const coords = pts.map((r) => `${px(xs(r.rttMs))},${px(ys(r.mibPerSec))}`).join(' ');
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${coords}"/>`);
    }
    for (const r of pts) {
      out.push(
        `<circle cx="${px(xs(r.rttMs))}" cy="${px(ys(r.mibPerSec))}" r="3" fill="${s.color}"><title>${esc(`${PATH_LABELS[path]}: RTT ${r.rttMs} ms, ${fmt(r.mibPerSec)} MiB/s`)}</title></circle>`,
      );
    }
    out.push('</g>');
  }
}

/** The loopback rows: one column per path, a point at its throughput with the value beside it. */
function pathsPanel(out: string[], p: ChartPanel, b: Box, axis: Axis): void {
  const pts = CHART_PATHS.map((path) => p.rows.find((r) => r.path === path)).filter((r): r is BenchRow => r !== undefined);
  frame(out, b, p.title, axis);
  const slot = (b.x1 - b.x0) / pts.length;
  pts.forEach((r, i) => {
    const s = STYLE[r.path];
    const cx = b.x0 + slot * (i + 0.5);
    const y = yOf(b, axis, r.mibPerSec);
    out.push(`<g class="series" data-path="${r.path}" data-panel="${esc(p.key)}">`);
    out.push(`<line x1="${px(cx)}" y1="${px(b.y1)}" x2="${px(cx)}" y2="${px(y)}" stroke="${s.color}" stroke-width="2" stroke-opacity="0.35"/>`);
    out.push(`<circle cx="${px(cx)}" cy="${px(y)}" r="4" fill="${s.color}"><title>${esc(`${PATH_LABELS[r.path]}: ${fmt(r.mibPerSec)} MiB/s`)}</title></circle>`);
    out.push(`<text x="${px(cx)}" y="${px(y - 8)}" text-anchor="middle" font-size="10">${fmtRate(r.mibPerSec)}</text>`);
    out.push(`<text x="${px(cx)}" y="${px(b.y1 + 16)}" text-anchor="middle" fill="#333" font-size="10">${esc(s.short)}</text>`);
    out.push('</g>');
  });
  out.push(`<text x="${px((b.x0 + b.x1) / 2)}" y="${px(b.y1 + 34)}" text-anchor="middle">path (RTT about 0)</text>`);
}

/** The chart as an SVG document. */
export function throughputSvg(rows: BenchRow[], machine: BenchMachine, started: string): string {
  const panels = chartPanels(rows);
  const cols = Math.max(1, Math.min(COLUMNS, panels.length));
  const gridRows = Math.max(1, Math.ceil(panels.length / cols));
  const width = Math.max(MIN_WIDTH, MARGIN * 2 + cols * PANEL_W + (cols - 1) * GAP);
  const axis = logAxis(panels.flatMap((p) => p.rows.map((r) => r.mibPerSec)));

  // Legend: the charted paths present, laid out left to right, wrapped at the width.
  const present = CHART_PATHS.filter((path) => panels.some((p) => p.rows.some((r) => r.path === path)));
  const legend: string[] = [];
  let lx = MARGIN;
  let ly = 62;
  for (const path of present) {
    const s = STYLE[path];
    const label = PATH_LABELS[path];
    const itemW = 34 + label.length * 6.5 + 18;
    if (lx + itemW > width - MARGIN && lx > MARGIN) {
      lx = MARGIN;
      ly += 18;
    }
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    legend.push(`<g class="legend" data-path="${path}">`);
    legend.push(`<line x1="${px(lx)}" y1="${px(ly - 4)}" x2="${px(lx + 26)}" y2="${px(ly - 4)}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    legend.push(`<circle cx="${px(lx + 13)}" cy="${px(ly - 4)}" r="3" fill="${s.color}"/>`);
    legend.push(`<text x="${px(lx + 32)}" y="${px(ly)}">${esc(label)}</text>`);
    legend.push('</g>');
    lx += itemW;
  }
  const gridTop = ly + 18;
  const height = gridTop + gridRows * PANEL_H + (gridRows - 1) * GAP + 40;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN}" y="26" font-size="16" font-weight="bold">${esc(`p2prc-nat bench: throughput against RTT, ${machine.hostname}`)}</text>`);
  out.push(`<text x="${MARGIN}" y="44" fill="#333">${esc('best run per path, MiB/s of payload on a log scale (the same in every panel); a panel per emulated loss and rate')}</text>`);
  out.push(...legend);
  if (panels.length === 0) {
    out.push(`<text x="${MARGIN}" y="${gridTop + 30}">no rows to chart</text>`);
  }
  panels.forEach((p, i) => {
    const ox = MARGIN + (i % cols) * (PANEL_W + GAP);
    const oy = gridTop + Math.floor(i / cols) * (PANEL_H + GAP);
    const box: Box = { x0: ox + IN.left, x1: ox + PANEL_W - IN.right, y0: oy + IN.top, y1: oy + PANEL_H - IN.bottom };
    out.push(`<g class="panel" data-panel="${esc(p.key)}">`);
    if (p.kind === 'paths') pathsPanel(out, p, box, axis);
    else linesPanel(out, p, box, axis);
    out.push('</g>');
  });
  const m = machine;
  out.push(
    `<text x="${MARGIN}" y="${height - 14}" fill="#555" font-size="10">${esc(`machine ${m.hostname}: ${m.cpuCount} x ${m.cpuModel}, ${m.memGiB} GiB, ${m.kernel}, node ${m.node}; run of ${started}`)}</text>`,
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}
