/**
 * Where the CPU goes on the lab's tunnel paths (issue #9): `node dist/bench/lab/probe.js
 * [--rtt 0,50] [--paths tunnel-direct,tunnel-our-relay] [--runs 3] [--seconds 4]`, as
 * root, under the e2e lock. Runs only the given lab rows (each RTT `runs` times, the
 * paths alternating) and, over each transfer, prints the CPU of every process on the
 * machine that used more than 2 % of a core (lab peers, server, coturn, link
 * emulators, kernel threads), the machine's idle/softirq share, and the UDP counters
 * (drops) of every lab namespace and the link emulators' queues. One JSON line per
 * transfer on stdout, a summary table on stderr.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { CLK_TCK } from '../cpu.js';
import { LabBench, type LabPath, type Scenario } from './matrix.js';
import { udpMib } from './kernel-counters.js';

const argv = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const rtts = flag('rtt', '50').split(',').map(Number);
/** Tunnel paths (matrix.ts) and raw-dc-direct, raw-dc-our-relay, raw-dc-coturn (4 MiB SCTP buffers, as the tunnel's). */
const paths = flag('paths', 'tunnel-direct,tunnel-our-relay').split(',');
const runs = Number(flag('runs', '3'));
const seconds = Number(flag('seconds', '4'));
const minShare = Number(flag('min-share', '0.02'));
/** Sample the UDP sockets' receive queues during each transfer (costs some CPU in this process). */
const queues = argv.includes('--queues');
/** `--perf DIR`: record the whole machine (perf record -a -g) for 2 s of each transfer, JS symbols via --perf-basic-prof. */
const perfDir = flag('perf', '');
if (perfDir) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --perf-basic-prof`.trim();
let perfRun = 0;
/** `--renice N`: run the relay (our server) at nice N (an experiment, not a fix). */
const renice = Number(flag('renice', '0'));

interface ProcSample {
  label: string;
  ms: number;
}

function label(pid: string, comm: string): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const i = args.findIndex((a) => /cli\.js$|bin\/p2prc$|child\.js$|raw-dc-peer\.js$/.test(a));
    if (i >= 0) {
      const rest = args.slice(i + 1).filter((a) => a !== '--json');
      const verb = rest.find((a) => ['server', 'expose', 'connect', 'serve', 'send', 'first'].includes(a)) ?? rest[0] ?? '';
      const name = rest[rest.indexOf('--name') + 1];
      const host = rest[rest.indexOf('--host') + 1];
      return `node ${verb}${verb === 'server' ? ` ${host}` : rest.includes('--name') ? ` ${name}` : ''}`;
    }
    if (comm === 'linkem') return `linkem ${args[2]}`;
    if (comm === 'node' || comm.startsWith('npm')) return `${comm} (other: ${args.slice(1, 3).join(' ').slice(-40)})`;
    return comm;
  } catch {
    return comm;
  }
}

function procs(): Map<string, ProcSample> {
  const m = new Map<string, ProcSample>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
      m.set(pid, { label: label(pid, comm), ms });
    } catch {
      /* gone */
    }
  }
  return m;
}

/** /proc/stat's cpu line: [user, nice, system, idle, iowait, irq, softirq, steal]. */
function cpuTotals(): number[] {
  return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
}

function udp(ns: string): Record<string, number> {
  return udpMib(spawnSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/snmp'], { encoding: 'utf8', timeout: 5000 }).stdout);
}

function namespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5000 });
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => /-(srv|h1a|h2a|r1|r2)$/.test(n));
}

/**
 * UDP sockets' receive queues (ss Recv-Q, bytes) in the lab namespaces every 200 ms
 * during a transfer: the largest seen per socket (a queue there is added delay).
 */
let sampler: NodeJS.Timeout | undefined;
let maxRecvQ: Record<string, number> = {};
function sampleQueues(nss: string[]): void {
  for (const ns of nss) {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-uanpmH'], { encoding: 'utf8', timeout: 2000 });
    for (const line of r.stdout.replace(/\n\s+skmem/g, ' skmem').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      const q = Number(f[1]);
      const proc = /\(\("([^"]+)",pid=(\d+)/.exec(line);
      const rb = /skmem:\(r\d+,rb(\d+)/.exec(line);
      const d = /,d(\d+)\)/.exec(line);
      const key = `${ns.replace(/^.*-/, '')} ${f[3]} ${proc ? proc[1] : ''} rb ${rb ? rb[1] : '?'} drops ${d ? d[1] : '?'}`;
      if (q > (maxRecvQ[key] ?? -1)) maxRecvQ[key] = q;
    }
  }
}

/** Processes of the lab (the rest is other load on the machine). */
const LAB = /^(node (server|expose|connect|serve|send|first|offer|answer)|linkem|turnserver|perf|ip|swapper|ksoftirqd|kworker|rcu_)/;
const otherCores = (a: Map<string, ProcSample>, b2: Map<string, ProcSample>, ms: number): number => {
  let sum = 0;
  for (const [pid, ps] of b2) if (!LAB.test(ps.label) && pid !== String(process.pid)) sum += ps.ms - (a.get(pid)?.ms ?? ps.ms);
  return sum / ms;
};
/** Wait (up to 60 s) until other processes use under 0.1 core over 1 s: others' load skews a transfer. */
async function quiet(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const a = procs();
    await new Promise((r) => setTimeout(r, 1000));
    const o = otherCores(a, procs(), 1000);
    if (o < 0.1) return;
    process.stderr.write(`probe: other load ${o.toFixed(2)} cores, waiting\n`);
  }
}

let before: { t: number; p: Map<string, ProcSample>; cpu: number[]; udp: Record<string, Record<string, number>> } | undefined;
let last: Record<string, unknown> | undefined;
const results: { path: string; rtt: number; mib: number; byLabel: Record<string, number>; idle: number; softirq: number; other: number }[] = [];

const RAW_BUFFERS = { recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 };
const b = new LabBench({
  scenarios: [],
  seconds,
  setupRuns: 0,
  setupRtts: [],
  progress: (l) => process.stderr.write(`${l}\n`),
  aroundTransfer: {
    async before(_path: string, bench: LabBench): Promise<void> {
      await quiet();
      for (const l of ['r1', 'r2', 'srv']) await bench.lab.link(l).resetStats();
      const nss = namespaces();
      maxRecvQ = {};
      if (queues) sampler = setInterval(() => sampleQueues(nss.filter((n) => /-(srv|h1a|h2a)$/.test(n))), 200);
      if (perfDir) {
        const out = `${perfDir}/perf-${++perfRun}-${_path}.data`;
        setTimeout(() => spawn('perf', ['record', '-a', '-g', '-F', '1999', '-o', out, '--', 'sleep', '3'], { stdio: 'ignore' }), 1000);
      }
      before = { t: performance.now(), p: procs(), cpu: cpuTotals(), udp: Object.fromEntries(nss.map((ns) => [ns, udp(ns)])) };
    },
    async after(path: string, bench: LabBench): Promise<void> {
      const t = performance.now();
      clearInterval(sampler);
      const p = procs();
      const cpu = cpuTotals();
      const bf = before!;
      const wallMs = t - bf.t;
      const byLabel: Record<string, number> = {};
      for (const [pid, s2] of p) {
        const d = s2.ms - (bf.p.get(pid)?.ms ?? 0);
        if (d > 0) byLabel[s2.label] = (byLabel[s2.label] ?? 0) + d;
      }
      const cores = Object.fromEntries(
        Object.entries(byLabel)
          .map(([k, v]) => [k, Math.round((v / wallMs) * 100) / 100] as const)
          .filter(([, v]) => v >= minShare)
          .sort((x, y) => y[1] - x[1]),
      );
      const dc = cpu.map((v, i) => v - bf.cpu[i]!);
      const tot = dc.reduce((s2, v) => s2 + v, 0);
      const udpDiff: Record<string, Record<string, number>> = {};
      for (const ns of Object.keys(bf.udp)) {
        const now = udp(ns);
        const d: Record<string, number> = {};
        for (const k of ['InDatagrams', 'OutDatagrams', 'RcvbufErrors', 'SndbufErrors', 'InErrors']) {
          const v = (now[k] ?? 0) - (bf.udp[ns]![k] ?? 0);
          if (v) d[k] = v;
        }
        udpDiff[ns.replace(/^.*-/, '')] = d;
      }
      const links: Record<string, unknown> = {};
      for (const l of ['r1', 'r2', 'srv']) {
        const st = await bench.lab.link(l).stats();
        links[l] = { up: { tx: st.up.tx, qdrop: st.up.qdrop, overflow: st.up.overflow, maxQ: st.up.maxQueued }, down: { tx: st.down.tx, qdrop: st.down.qdrop, overflow: st.down.overflow, maxQ: st.down.maxQueued } };
      }
      last = { path, wallMs: Math.round(wallMs), other: Math.round(otherCores(bf.p, p, wallMs) * 100) / 100, cores, idle: Math.round((dc[3]! / tot) * 200) / 100, softirq: Math.round((dc[6]! / tot) * 200) / 100, udp: udpDiff, links, ...(queues ? { maxRecvQ: Object.fromEntries(Object.entries(maxRecvQ).filter(([, v]) => v > 0)) } : {}) };
    },
  },
});

try {
  await b.start();
  if (renice) {
    // Experiment: the relay process at another scheduling priority (is its CPU share the limit?).
    for (const [pid, ps] of procs()) if (ps.label.startsWith('node server 203.0.113.1')) spawnSync('renice', ['-n', String(renice), '-p', pid]);
  }
  for (let r = 0; r < runs; r++) {
    for (const rttMs of rtts) {
      const s: Scenario = { rttMs, lossPct: 0, rateMbit: null };
      await b.shape(s);
      for (const path of paths) {
        // raw-dc-*@N: N MiB SCTP buffers instead of 4.
        const [kind, bufMib] = path.split('@') as [string, string | undefined];
        const bufs = bufMib ? { recvBufferSize: Number(bufMib) << 20, sendBufferSize: Number(bufMib) << 20 } : RAW_BUFFERS;
        const mib =
          kind === 'raw-dc-direct' ? (await b.rawDc(bufs)).mibPerSec
          : kind === 'raw-dc-our-relay' ? (await b.rawDc(bufs, { relay: 1 }, b.turnServer('ours'))).mibPerSec
          : kind === 'raw-dc-coturn' ? (await b.rawDc(bufs, { relay: 1 }, b.turnServer('coturn'))).mibPerSec
          : (await b.throughput(path as LabPath, s)).mibPerSec;
        const line: Record<string, unknown> = { ...last!, path, rttMs, mibPerSec: Math.round(mib * 100) / 100 };
        process.stdout.write(`${JSON.stringify(line)}\n`);
        process.stderr.write(`run ${r + 1} rtt ${rttMs} ${path}: ${mib.toFixed(2)} MiB/s\n`);
        results.push({ path, rtt: rttMs, mib, byLabel: line.cores as Record<string, number>, idle: line.idle as number, softirq: line.softirq as number, other: line.other as number });
      }
    }
  }
} finally {
  await b.stop();
}
process.stderr.write('\nsummary (MiB/s; cores busy by process over the transfer)\n');
for (const r of results) {
  const top = Object.entries(r.byLabel).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stderr.write(`rtt ${r.rtt} ${r.path.padEnd(17)} ${r.mib.toFixed(1).padStart(6)}  other ${r.other} idle ${r.idle} softirq ${r.softirq}  ${top}\n`);
}
