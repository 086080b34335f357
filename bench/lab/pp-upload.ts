/**
 * Diagnosis of the public port's upload on the emulated link: the public-port
 * bench's lab setting (bench/public-port/settings.ts) and p2prc row, then RUNS
 * upload-only transfers of MIB MiB (client -> proxy -> exposer -> sink), each
 * with the r1 link emulator's frames and drops per direction every 100 ms
 * (DIAG_ROWS=1 prints them), the UDP buffer errors of the proxy's and the
 * exposer's namespaces, interface drops in every lab namespace and the kernel's
 * input backlog drops. DIAG_IDLE=N first opens and closes 2N connections
 * through the public port, as the bench's memory phase does. DIAG_WARM=N runs the
 * bench's own order instead of one upload (client.ts bulk: N MiB up unmeasured,
 * MIB up, then the same down). Each run also prints the share of one core each
 * process used (the top six), and DIAG_CPU=1 the top four of every second.
 *
 *   node dist/bench/lab/pp-upload.js RUNS MIB [extra p2prc expose flags...]   (root)
 *   DIAG_SERVER_FLAGS="--sctp-cc 2" ... gives the proxy's server flags too.
 * With an addon built with native/experiments/libdatachannel-sctp-counters-at-reset.patch,
 * the proxy's and the exposer's counter lines of each phase are summed up after it (how many, the
 * last four, the first and last process stats).
 */
import { labSetting } from '../public-port/settings.js';
import { startPath, stopPath } from '../public-port/paths.js';
import { CLIENT } from '../public-port/measure.js';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { softnetDrops, udpMib } from './kernel-counters.js';
import { statCpuMs } from '../cpu.js';

type ProcCpu = Map<number, { ms: number; name: string }>;
/** CPU ms (utime+stime) of every process now, by pid, with a short name from its command line. */
function procCpu(): ProcCpu {
  const out: ProcCpu = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ms = statCpuMs(readFileSync(`/proc/${d}/stat`, 'utf8'));
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const name = cmd.map((a) => a.split('/').pop()).slice(0, 4).join(' ').slice(0, 60);
      out.set(Number(d), { ms, name });
    } catch {
      /* gone */
    }
  }
  return out;
}
/** Per process, the share of one core used between two procCpu() readings `wall` ms apart (top n). */
function cpuShares(a: ProcCpu, b: ProcCpu, wall: number, n = 6): string {
  const rows: [number, string][] = [];
  for (const [pid, v] of b) {
    const d = v.ms - (a.get(pid)?.ms ?? v.ms);
    if (d > 0) rows.push([d, `${pid} ${v.name}`]);
  }
  rows.sort((x, y) => y[0] - x[0]);
  return rows.slice(0, n).map(([d, what]) => `${((d / wall) * 100).toFixed(0)}% ${what}`).join(' | ');
}

/** Per namespace of the lab: interfaces with rx/tx drops, as `ns:if rxdrop txdrop`. */
function linkDrops(prefix: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const nss = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(prefix));
  for (const ns of nss) {
    const j = JSON.parse(execFileSync('ip', ['-n', ns, '-s', '-j', 'link'], { encoding: 'utf8' })) as { ifname: string; stats64?: { rx: { dropped: number }; tx: { dropped: number } } }[];
    for (const i of j) if (i.stats64) out.set(`${ns}:${i.ifname}`, [i.stats64.rx.dropped, i.stats64.tx.dropped]);
  }
  return out;
}
/** Udp RcvbufErrors, SndbufErrors, InErrors of the process's network namespace. */
function udp(pid: number): number[] {
  const mib = udpMib(readFileSync(`/proc/${pid}/net/snmp`, 'utf8'));
  return ['RcvbufErrors', 'SndbufErrors', 'InErrors'].map((n) => mib[n]!);
}

/** The usrsctp counter lines (experiment build only) of each process since the last call: how many, and the last 4. */
const seen = new Map<string, string>();
function counters(procs: { name: string; err: string[] }[]): void {
  for (const p of procs) {
    // The harness keeps a bounded tail of each process's lines: start after the last one seen.
    const last = seen.get(p.name);
    const at = last === undefined ? -1 : p.err.lastIndexOf(last);
    const fresh = p.err.slice(at + 1);
    if (p.err.length) seen.set(p.name, p.err[p.err.length - 1]!);
    const lines = fresh.filter((l) => l.includes('SCTP counters'));
    if (lines.length) log(`${p.name}: ${lines.length} counter lines; last: ${lines.slice(-4).map((l) => l.replace(/^.*SCTP counters at /, '')).join(' || ')}`);
    const stats = fresh.filter((l) => l.includes('SCTP process stats'));
    if (stats.length) log(`${p.name}: process stats, first and last of the phase: ${stats[0]!.replace(/^.*SCTP process stats at /, '')} || ${stats[stats.length - 1]!.replace(/^.*SCTP process stats at /, '')}`);
  }
}

const runs = Number(process.argv[2] ?? 3);
const mib = Number(process.argv[3] ?? 32);
const extra = process.argv.slice(4);
const log = (l: string): void => void process.stderr.write(`[diag] ${l}\n`);
const rs = await labSetting(log);
try {
  rs.setting.peerArgs.push(...extra);
  // DIAG_SERVER_FLAGS: more flags for the proxy's server (e.g. "--sctp-cc 2": the upload's sender is the proxy).
  if (process.env.DIAG_SERVER_FLAGS) rs.setting.serverArgs.push(...process.env.DIAG_SERVER_FLAGS.split(/\s+/).filter(Boolean));
  const path = await startPath('p2prc', rs.setting);
  try {
    const em = rs.lab!.link('r1');
    const idleN = Number(process.env.DIAG_IDLE ?? 0);
    if (idleN > 0) {
      const idle = rs.setting.client.spawn('idle', process.execPath, [CLIENT, 'idle', path.host, String(path.port), String(idleN)], { stdin: true });
      await idle.waitForEvent((e) => e.open === idleN || typeof e.error === 'string', 120_000);
      idle.child.stdin?.write('more\n');
      await idle.waitForEvent((e) => e.open === 2 * idleN || typeof e.error === 'string', 120_000);
      idle.child.stdin?.end();
      await idle.waitForEvent({ closed: 2 * idleN }, 30_000);
      await idle.stop('SIGKILL', 2000);
      log(`idle: ${2 * idleN} connections opened and closed`);
      counters(path.procs);
    }
    for (let r = 0; r < runs; r++) {
      await em.resetStats();
      const ld0 = linkDrops(rs.lab!.prefix);
      const sn0 = softnetDrops();
      const t0 = Date.now();
      let stop = false;
      const rows: string[] = [];
      let prev = await em.stats();
      const pp = path.proxyPids[0]!;
      const ep = path.peerPids[0]!;
      let u0 = [udp(pp), udp(ep)];
      const cpu0 = procCpu();
      let cpuPrev = cpu0;
      let cpuAt = Date.now();
      const cpuRows: string[] = [];
      const sampler = (async () => {
        while (!stop) {
          if (Date.now() - cpuAt >= 1000) {
            const now = procCpu();
            cpuRows.push(`${Date.now() - t0} ms: ${cpuShares(cpuPrev, now, Date.now() - cpuAt, 4)}`);
            cpuPrev = now;
            cpuAt = Date.now();
          }
          await new Promise((res) => setTimeout(res, 100));
          const s = await em.stats();
          const d = (k: 'up' | 'down', f: 'rxBytes' | 'qdrop' | 'tx' | 'rx') => s[k][f] - prev[k][f];
          rows.push(`${Date.now() - t0} down(srv->h1a) rxKB=${(d('down', 'rxBytes') / 1024).toFixed(0)} fr=${d('down', 'rx')} qdrop=${d('down', 'qdrop')} q=${s.down.queued} | up rxKB=${(d('up', 'rxBytes') / 1024).toFixed(0)} fr=${d('up', 'rx')} qdrop=${d('up', 'qdrop')} q=${s.up.queued}`);
          prev = s;
          const u1 = [udp(pp), udp(ep)];
          rows[rows.length - 1] += ` | udp srv rcvbuf=${u1[0]![0]! - u0[0]![0]!} snd=${u1[0]![1]! - u0[0]![1]!} h1a rcvbuf=${u1[1]![0]! - u0[1]![0]!} snd=${u1[1]![1]! - u0[1]![1]!}`;
          u0 = u1;
        }
      })();
      // DIAG_WARM=N: the bench's own sequence instead (client.ts bulk): N MiB up unmeasured, then MIB up, then the same down.
      const warm = Number(process.env.DIAG_WARM ?? 0);
      const c = warm > 0
        ? rs.setting.client.spawn('bulk', process.execPath, [CLIENT, 'bulk', path.host, String(path.port), String(mib * 1048576), String(warm * 1048576), '300000'])
        : rs.setting.client.spawn('up', process.execPath, [CLIENT, 'up', path.host, String(path.port), String(mib * 1048576), '300000']);
      const ev = await c.waitForEvent((o) => !('text' in o), 310_000);
      await c.stop('SIGKILL', 2000);
      stop = true;
      await sampler;
      log(`run ${r}: CPU, share of one core over the run: ${cpuShares(cpu0, procCpu(), Date.now() - t0)}`);
      if (process.env.DIAG_CPU) for (const l of cpuRows) process.stderr.write(`[cpu] ${l}\n`);
      const tot = await em.stats();
      const ld1 = linkDrops(rs.lab!.prefix);
      const dl: string[] = [];
      for (const [k, v] of ld1) {
        const b = ld0.get(k) ?? [0, 0];
        if (v[0]! - b[0]! || v[1]! - b[1]!) dl.push(`${k} rxdrop=${v[0]! - b[0]!} txdrop=${v[1]! - b[1]!}`);
      }
      counters(path.procs);
      log(`run ${r}: link drops: ${dl.join(', ') || 'none'}; softnet backlog drops ${softnetDrops() - sn0}`);
      log(`run ${r}: ${JSON.stringify(ev)} totals down ${JSON.stringify(tot.down)} up ${JSON.stringify(tot.up)}`);
      if (process.env.DIAG_ROWS) for (const l of rows) process.stderr.write(`[em] ${l}\n`);
    }
  } finally {
    await stopPath(path.procs);
  }
} finally {
  await rs.stop();
}
