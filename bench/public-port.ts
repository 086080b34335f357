/**
 * `npm run bench:public-port`: the public-port path (a reverse proxy, frp-like)
 * against what users would pick instead, in one run. Rows (paths.ts):
 *
 *   p2prc public port  `p2prc server --reverse-proxy` + `p2prc expose --public`
 *   ssh -R             OpenSSH's sshd + `ssh -N -R` (ssh.ts)
 *   socat chain        socat on the proxy -> socat on the peer -> the service (the floor)
 *
 * Per row (measure.ts): the time to first byte of fresh client connections
 * (p50/p95), the memory per idle client connection on the proxy side (and the
 * peer side), and one verified bulk transfer. Settings (settings.ts): loopback,
 * and as root the lab, where the peer sits behind a NAT on an emulated 50 ms RTT,
 * 200 Mbit/s link; otherwise one line says why the lab rows are missing.
 *
 * Output: progress on stderr, a markdown table on stdout (`--json`: one JSON
 * object), and bench/results/public-port-<timestamp>.json + public-port-latest.md
 * (report.ts). Flags in public-port/options.ts. Exit code 1 when a row failed
 * (the files are still written) or the bench itself did.
 *
 * Cleanup: every process is started on the shared harness (killed at exit,
 * whatever the exit), every path is stopped with what its processes forked
 * (stopPath), and the lab removes its namespaces in stop() and at exit.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { MiB } from './common.js';
import { removeTemps } from './proc.js';
import { machineInfo } from './results-file.js';
import { r2 } from './stats.js';
import { measure } from './public-port/measure.js';
import { parseOptions, type PublicPortOptions } from './public-port/options.js';
import { PATHS, PATH_LABEL, startPath, stopPath, type PathName } from './public-port/paths.js';
import { RATHOLE_KB_PER_CONN, markdown, settingText, writeFiles, type PublicPortResults, type PublicPortRow } from './public-port/report.js';
import { labSetting, labSkipReason, loopbackSetting, type RunningSetting } from './public-port/settings.js';
import { sshCipher, sshUnavailable, sshVersion } from './public-port/ssh.js';

const progress = (line: string): void => void process.stderr.write(`[public-port] ${line}\n`);

function socatUnavailable(): string | undefined {
  const r = spawnSync('socat', ['-V'], { encoding: 'utf8', timeout: 5000 });
  return r.error || r.status !== 0 ? 'socat row skipped: socat is not installed (Debian: apt-get install socat)' : undefined;
}

function socatVersion(): string {
  const r = spawnSync('socat', ['-V'], { encoding: 'utf8', timeout: 5000 });
  return /socat version (\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

/** Every path of one setting, one after the other; a failed path is a row with its error. */
async function runSetting(rs: RunningSetting, opts: PublicPortOptions, skip: Partial<Record<PathName, string>>): Promise<PublicPortRow[]> {
  const s = rs.setting;
  const rows: PublicPortRow[] = [];
  for (const path of PATHS) {
    const mib = s.where === 'lab' ? opts.labMib : opts.mib;
    const base = {
      where: s.where, rttMs: s.rttMs, rateMbit: s.rateMbit, path, label: PATH_LABEL[path], bulkMiB: mib, conns: opts.conns, idleConns: opts.idleConns,
      upMibPerSec: null, downMibPerSec: null, ttfbP50Ms: null, ttfbP95Ms: null, proxyKiBPerConn: null, proxyRssKiBPerConn: null, peerKiBPerConn: null, proxyCpuMsPerMib: null, peerCpuMsPerMib: null,
    };
    const say = (line: string): void => progress(`${settingText(s)} / ${PATH_LABEL[path]}: ${line}`);
    if (skip[path]) {
      say(skip[path]!);
      rows.push({ ...base, note: '', skipped: skip[path]! });
      continue;
    }
    say('starting');
    let procs: Awaited<ReturnType<typeof startPath>>['procs'] = [];
    try {
      const started = await startPath(path, { ...s, peerArgs: [...s.peerArgs, ...opts.exposeFlags] });
      procs = started.procs;
      say(`public port ${started.host}:${started.port}`);
      const m = await measure(s.client, started, { bytes: mib * MiB, conns: opts.conns, warmConns: opts.warmConns, idleConns: opts.idleConns, progress: say });
      const row: PublicPortRow = {
        ...base,
        upMibPerSec: r2(m.up.mibPerSec),
        downMibPerSec: r2(m.down.mibPerSec),
        ttfbP50Ms: r2(m.ttfb.p50),
        ttfbP95Ms: r2(m.ttfb.p95),
        proxyKiBPerConn: r2(m.idle.proxy.pssKiBPerConn),
        proxyRssKiBPerConn: r2(m.idle.proxy.rssKiBPerConn),
        peerKiBPerConn: r2(m.idle.peer.pssKiBPerConn),
        proxyCpuMsPerMib: r2(m.cpu.proxyMsPerMib),
        peerCpuMsPerMib: r2(m.cpu.peerMsPerMib),
        note: `${started.note}; ${m.idle.conns} idle conns opened in ${Math.round(m.idle.openMs)} ms, proxy side ${m.idle.proxy.base.processes} -> ${m.idle.proxy.full.processes} processes, Pss ${(m.idle.proxy.base.pssKiB / 1024).toFixed(1)} -> ${(m.idle.proxy.mid.pssKiB / 1024).toFixed(1)} -> ${(m.idle.proxy.full.pssKiB / 1024).toFixed(1)} MiB (${r2(m.idle.proxy.pssKiBPerConnFrom0)} KiB/conn from 0); bulk sha256 up ${m.up.sha256.slice(0, 12)}, down ${m.down.sha256.slice(0, 12)}${started.route ? `; ${started.route()}` : ''}`,
      };
      say(`${row.upMibPerSec} MiB/s up, ${row.downMibPerSec} down, first byte p50 ${row.ttfbP50Ms} ms p95 ${row.ttfbP95Ms} ms, proxy ${row.proxyKiBPerConn} KiB/conn (Pss; Rss ${row.proxyRssKiBPerConn}), peer ${row.peerKiBPerConn} KiB/conn; CPU ms/MiB proxy ${row.proxyCpuMsPerMib}, peer ${row.peerCpuMsPerMib}`);
      rows.push(row);
    } catch (err) {
      const msg = (err as Error).message;
      say(`FAILED: ${msg}`);
      rows.push({ ...base, note: '', error: msg });
    } finally {
      await stopPath(procs);
    }
  }
  return rows;
}

async function main(opts: PublicPortOptions): Promise<number> {
  const started = new Date();
  const t0 = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  if (loadAtStart > cpus().length / 2) progress(`warning: 1-minute load average is ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs; figures will be noisy`);
  const skip: Partial<Record<PathName, string>> = {};
  const sshWhy = sshUnavailable();
  const socatWhy = socatUnavailable();
  if (sshWhy) skip.ssh = sshWhy;
  if (socatWhy) skip.socat = socatWhy;
  const notes = [
    `ssh -R: ${sshWhy ? 'not installed' : `${sshVersion()}, its defaults (first cipher offered: ${sshCipher()})`}; socat ${socatWhy ? 'not installed' : socatVersion()}`,
    `memory per idle connection: the Pss growth of the proxy side's process tree (p2prc server; sshd and its session child; the public socat and its forked children) from ${Math.floor(opts.idleConns / 2)} to ${2 * Math.floor(opts.idleConns / 2)} held client connections, per connection (read after a full GC in the p2prc processes); rathole's published figure is about ${RATHOLE_KB_PER_CONN} KB per connection`,
    'first byte: connect() to the echo of a 5-byte request, each on a new connection, one at a time, after warm-up connections; bulk: one connection each way after a warm-up one, up from connect() to the sink\'s verified count and sha256, down from connect() to the source\'s close, count and sha256 checked by the client',
  ];
  const labWhy = opts.lab ? labSkipReason() : 'lab rows skipped: --no-lab';
  progress(`${opts.mib} MiB bulk each way (lab ${opts.labMib}), ${opts.conns} fresh connections (+${opts.warmConns} warm-up), ${opts.idleConns} idle connections per row; settings: loopback${labWhy ? '' : ', lab'}`);
  if (labWhy) progress(labWhy);

  const rows: PublicPortRow[] = [];
  const settings: (() => Promise<RunningSetting>)[] = [...(opts.loopback ? [loopbackSetting] : []), ...(labWhy ? [] : [() => labSetting(progress)])];
  try {
    for (const make of settings) {
      const rs = await make();
      try {
        rows.push(...(await runSetting(rs, opts, skip)));
      } finally {
        await rs.stop();
      }
    }
  } finally {
    await removeTemps().catch(() => undefined);
  }

  const results: PublicPortResults = {
    bench: 'public-port',
    machine: machineInfo(),
    started: started.toISOString(),
    finished: new Date().toISOString(),
    loadAtStart: Math.round(loadAtStart * 100) / 100,
    options: Object.fromEntries(Object.entries(opts).filter(([k]) => k !== 'outDir').map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : v])),
    rows,
    labSkipped: labWhy ?? null,
    notes,
  };
  const files = writeFiles(opts.outDir, results);
  progress(`${files.json} (and ${files.md})`);
  process.stdout.write(opts.json ? JSON.stringify({ ...results, files }) + '\n' : markdown(results));
  progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return rows.some((r) => r.error) ? 1 : 0;
}

let opts: PublicPortOptions;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  const e = err as Error & { help?: boolean };
  process.stderr.write(e.help ? `${e.message}\n` : `bench failed: ${e.message}\n`);
  process.exit(e.help ? 0 : 1);
}
// The harness (and the lab) kill every child, remove every temp dir and namespace on exit, whatever the exit.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    process.stderr.write(`[public-port] ${sig}: stopping children\n`);
    process.exit(130);
  });
}
main(opts).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
