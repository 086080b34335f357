/**
 * The results files of a run: <timestamp>.json, .md and .svg in the results
 * directory, and latest.json/.md/.svg, overwritten, for the README to link.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { resultsMarkdown } from './report-md.js';
import { throughputSvg } from './report-svg.js';
import type { BenchMachine, BenchResults } from './rows.js';

export function machineInfo(): BenchMachine {
  const cs = cpus();
  return {
    hostname: hostname(),
    cpuModel: cs[0]?.model.trim() ?? 'unknown',
    cpuCount: cs.length,
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${type()} ${release()}`,
    node: process.version,
  };
}

/** ISO 8601 in UTC to the second, ':' replaced so it can be a file name: 2026-11-30T23-59-01Z. */
export function stampName(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export interface ResultsFiles {
  json: string;
  md: string;
  svg: string;
}

/** Writes the run's three files and the latest.* copies; returns the run's paths and its markdown. */
export function writeResults(dir: string, r: BenchResults): { files: ResultsFiles; markdown: string } {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const stamp = stampName(new Date(r.started));
  const files = { json: join(abs, `${stamp}.json`), md: join(abs, `${stamp}.md`), svg: join(abs, `${stamp}.svg`) };
  const markdown = resultsMarkdown(r, `${stamp}.svg`);
  writeFileSync(files.json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(files.md, markdown);
  writeFileSync(files.svg, throughputSvg(r.rows, r.machine, r.started));
  copyFileSync(files.json, join(abs, 'latest.json'));
  writeFileSync(join(abs, 'latest.md'), resultsMarkdown(r, 'latest.svg'));
  copyFileSync(files.svg, join(abs, 'latest.svg'));
  return { files, markdown };
}
