/**
 * A lab transfer's timeline (issue #9: the relayed tunnel against the direct one):
 * per bin of 100 ms, the bytes the receiver got, and the frames that crossed each
 * emulated link (the sender's NAT link r1, the relay's link srv, the receiver's
 * r2), from the link emulators' counters polled every 20 ms; for raw channels also
 * SCTP's smoothed RTT as the sender sees it. Before the transfers it pings the
 * paths' legs (TCP handshakes), so the RTT each path has as the lab sets it up is measured, not
 * assumed: direct (h1a -> r2's WAN address) and the relayed detour (h1a -> relay
 * plus h2a -> relay).
 *
 *   node dist/bench/lab/trace.js [--rtt 50] [--paths raw-dc-direct,raw-dc-our-relay,tunnel-direct,tunnel-our-relay]
 *        [--runs 1] [--seconds 4] [--bin-ms 100] [--relay-delay MS] [--peer-flags "--sctp-cc 1"] [--queues] [--quiet]
 *
 * As root, under the e2e lock. One JSON line per transfer on stdout (bins and
 * totals), the tables on stderr (--quiet: only the summary lines). Drops are
 * counted where they can happen: UDP receive/send buffers per namespace, the link
 * emulators, and the kernel's per-CPU input backlog (softnet_stat; machine-wide).
 * Reading a table: `data` is frames from the sender's side into the internet (r1
 * up), `back` frames to it (SACKs, r1 down); `srv in/out` frames into and out of
 * the relay's link; `wire/payload` at the end is the sender's frame bytes per
 * delivered byte (headers, plus any retransmission).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { LabBench, RELAY_DELAY_MS, type LabPath, type Scenario } from './matrix.js';
import { SERVER_IPS } from '../../test/lab/lab.js';
import { softnetDrops, udpMib } from './kernel-counters.js';

const argv = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const rtts = flag('rtt', '50').split(',').map(Number);
const paths = flag('paths', 'raw-dc-direct,raw-dc-our-relay,tunnel-direct,tunnel-our-relay').split(',');
const runs = Number(flag('runs', '1'));
const seconds = Number(flag('seconds', '4'));
const binMs = Number(flag('bin-ms', '100'));
const relayDelayMs = Number(flag('relay-delay', String(RELAY_DELAY_MS)));
const quiet = argv.includes('--quiet');
/** `--peer-flags "--sctp-cc 1"`: extra flags for the tunnel paths' exposers and connectors. */
const peerFlags = flag('peer-flags', '').split(' ').filter(Boolean);
/** Sample the UDP sockets' queues (ss) in srv, h1a and h2a every 100 ms (costs CPU: a diagnostic, not a rate). */
const queues = argv.includes('--queues');
const POLL_MS = 20;
const err = (l: string): void => void process.stderr.write(`${l}\n`);

/** One poll of the emulators: [epoch ms, r1 up frames, r1 up bytes, r1 down frames, srv down frames, srv up frames, r2 down frames, r2 up frames]. */
type Poll = [number, number, number, number, number, number, number, number];
let polls: Poll[] = [];
let polling = false;
let pollDone: Promise<void> = Promise.resolve();

/** Per socket (namespace, local address, process): the largest Recv-Q / Send-Q seen, and the drops counter at the end. */
let sockMax: Record<string, { recvQ: number; sendQ: number; drops: number; rb: number }> = {};
/** The relay's socket receive queue over time: [epoch ms, bytes]. */
let relayQ: [number, number][] = [];
let queueLoopDone: Promise<void> = Promise.resolve();

function ss(ns: string): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn('ip', ['netns', 'exec', ns, 'ss', '-uanmpH'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', () => resolve(out));
  });
}

async function queueLoop(b: LabBench): Promise<void> {
  const nss = [['srv', b.lab.server.ns], ['h1a', b.lab.host('h1a').ns], ['h2a', b.lab.host('h2a').ns]] as const;
  while (polling) {
    const t = Date.now();
    for (const [role, ns] of nss) {
      const out = await ss(ns);
      for (const line of out.replace(/\n\s+skmem/g, ' skmem').split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length < 5) continue;
        const proc = /\(\("([^"]+)"/.exec(line)?.[1] ?? '';
        const key = `${role} ${f[3]} ${proc}`;
        const recvQ = Number(f[1]);
        const sendQ = Number(f[2]);
        const drops = Number(/,d(\d+)\)/.exec(line)?.[1] ?? 0);
        const rb = Number(/rb(\d+)/.exec(line)?.[1] ?? 0);
        const m = (sockMax[key] ??= { recvQ: 0, sendQ: 0, drops: 0, rb });
        m.recvQ = Math.max(m.recvQ, recvQ);
        m.sendQ = Math.max(m.sendQ, sendQ);
        m.drops = drops;
        if (role === 'srv' && f[3] === '203.0.113.1:3478') relayQ.push([t, recvQ]);
      }
    }
    const left = 100 - (Date.now() - t);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
}

/** Machine-wide CPU from /proc/stat: [busy, total] jiffies. */
function cpu(): [number, number] {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((x, y) => x + y, 0);
  return [total - v[3]! - v[4]!, total];
}
let cpu0: [number, number] = [0, 0];
let softnet0 = 0;
let softnetDiff = 0;
let busy = 0;

async function udpErrors(b: LabBench): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [role, ns] of [['srv', b.lab.server.ns], ['h1a', b.lab.host('h1a').ns], ['h2a', b.lab.host('h2a').ns]] as const) {
    const mib = udpMib((await b.lab.exec(ns, ['cat', '/proc/net/snmp'])).stdout);
    for (const name of ['RcvbufErrors', 'SndbufErrors', 'InErrors']) out[`${role} ${name}`] = mib[name]!;
  }
  return out;
}
let udp0: Record<string, number> = {};
let udpDiff: Record<string, number> = {};

async function pollLoop(b: LabBench): Promise<void> {
  while (polling) {
    const t = Date.now();
    const r1 = await b.lab.link('r1').stats();
    const srv = await b.lab.link('srv').stats();
    const r2 = await b.lab.link('r2').stats();
    polls.push([t, r1.up.tx, r1.up.txBytes, r1.down.tx, srv.down.tx, srv.up.tx, r2.down.tx, r2.up.tx]);
    const left = POLL_MS - (Date.now() - t);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
}

/** A counter's value at epoch ms `t` (the last poll at or before it). */
function at(t: number, k: number): number {
  let v = polls[0]![k]!;
  for (const p of polls) {
    if (p[0] > t) break;
    v = p[k]!;
  }
  return v;
}

/** Bytes delivered by epoch ms `t` (linear between the receiver's reports). */
function deliveredAt(series: [number, number][], t0Epoch: number, t: number): number {
  const rel = t - t0Epoch;
  let prev: [number, number] = [0, 0];
  for (const s of series) {
    if (s[0] >= rel) {
      const f = s[0] === prev[0] ? 1 : (rel - prev[0]) / (s[0] - prev[0]);
      return prev[1] + f * (s[1] - prev[1]);
    }
    prev = s;
  }
  return prev[1];
}

/**
 * Round trips from `ns` to ip:port as TCP handshakes (the routers drop ICMP to
 * themselves): connect() to an open port (SYN, SYN-ACK) or a closed one (SYN, RST).
 */
async function rtt(b: LabBench, ns: string, ip: string, port: number): Promise<{ min: number; avg: number; max: number }> {
  const script = `const net=require('net');const out=[];let i=0;const one=()=>{const t=performance.now();const s=net.connect({host:${JSON.stringify(ip)},port:${port}});` +
    `const done=()=>{out.push(performance.now()-t);s.destroy();if(++i<20)setTimeout(one,20);else console.log(JSON.stringify(out))};s.once('connect',done);s.once('error',done)};one();`;
  const r = await b.lab.exec(ns, [process.execPath, '-e', script], { timeoutMs: 30_000 });
  const xs = (JSON.parse(r.stdout.trim() || '[]') as number[]).slice(2); // the first ones pay for ARP and conntrack
  if (!xs.length) throw new Error(`rtt ${ip}:${port} from ${ns}: ${r.stdout}${r.stderr}`);
  const avg = xs.reduce((x, y) => x + y, 0) / xs.length;
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return { min: r2(Math.min(...xs)), avg: r2(avg), max: r2(Math.max(...xs)) };
}

const b = new LabBench({
  scenarios: [],
  seconds,
  setupRuns: 0,
  setupRtts: [],
  relayDelayMs,
  peerFlags,
  progress: (l) => err(l),
  aroundTransfer: {
    async before(_path, bench): Promise<void> {
      polls = [];
      sockMax = {};
      relayQ = [];
      for (const l of ['r1', 'r2', 'srv']) await bench.lab.link(l).resetStats();
      udp0 = await udpErrors(bench);
      cpu0 = cpu();
      softnet0 = softnetDrops();
      polling = true;
      pollDone = pollLoop(bench);
      if (queues) queueLoopDone = queueLoop(bench);
      await new Promise((r) => setTimeout(r, POLL_MS));
    },
    async after(_path, bench): Promise<void> {
      const c = cpu();
      busy = (c[0] - cpu0[0]) / (c[1] - cpu0[1]);
      softnetDiff = softnetDrops() - softnet0;
      polling = false;
      await pollDone;
      await queueLoopDone;
      const u = await udpErrors(bench);
      udpDiff = Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v - (udp0[k] ?? 0)]).filter(([, v]) => v !== 0));
    },
  },
});

const RAW = { recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 };
const summary: string[] = [];
try {
  await b.start();
  for (const rttMs of rtts) {
    const s: Scenario = { rttMs, lossPct: 0, rateMbit: null };
    await b.shape(s);
    const h1 = b.lab.host('h1a').ns;
    const h2 = b.lab.host('h2a').ns;
    // h1a -> r2's port forward -> the sink in h2a: the direct path's round trip.
    const direct = await rtt(b, h1, b.lab.router('r2').wanIp, 7001);
    const leg1 = await rtt(b, h1, SERVER_IPS[0], 9);
    const leg2 = await rtt(b, h2, SERVER_IPS[0], 9);
    const rttLine = `rtt ${rttMs} (relay link ${relayDelayMs} ms one way): TCP handshake direct h1a->h2a ${direct.avg.toFixed(2)} ms (min ${direct.min}, max ${direct.max}); relayed detour h1a->relay ${leg1.avg.toFixed(2)} + h2a->relay ${leg2.avg.toFixed(2)} = ${(leg1.avg + leg2.avg).toFixed(2)} ms (${((leg1.avg + leg2.avg) / direct.avg).toFixed(3)}x direct)`;
    err(rttLine);
    summary.push(rttLine);
    process.stdout.write(`${JSON.stringify({ rttMs, relayDelayMs, rtt: { direct, h1aRelay: leg1, h2aRelay: leg2 } })}\n`);
    for (let run = 0; run < runs; run++) {
      for (const path of paths) {
        let res: { mibPerSec: number; series?: [number, number][]; t0Epoch?: number; srtt?: [number, number][] };
        if (path === 'raw-dc-direct') res = await b.rawDc(RAW);
        else if (path === 'raw-dc-our-relay') res = await b.rawDc(RAW, { relay: 1 }, b.turnServer('ours'));
        else res = await b.throughput(path as LabPath, s);
        const series = res.series ?? [];
        const t0 = res.t0Epoch ?? polls[0]![0];
        const bins: Record<string, number>[] = [];
        const end = t0 + seconds * 1000;
        for (let t = t0; t + binMs <= end + 1; t += binMs) {
          const d = (k: number): number => at(t + binMs, k) - at(t, k);
          const srtts = (res.srtt ?? []).filter(([x]) => x >= t - t0 && x < t + binMs - t0).map(([, v]) => v);
          bins.push({
            ms: t - t0,
            mib: (deliveredAt(series, t0, t + binMs) - deliveredAt(series, t0, t)) / 1048576,
            data: d(1),
            back: d(3),
            srvIn: d(4),
            srvOut: d(5),
            r2In: d(6),
            ...(srtts.length ? { srtt: srtts[srtts.length - 1]! } : {}),
          });
        }
        const delivered = deliveredAt(series, t0, end) - deliveredAt(series, t0, t0);
        const wire = at(end, 2) - at(t0, 2);
        const firstByte = series.find(([, n]) => n > 0)?.[0];
        // Stalls: bins after the first delivered byte with less than 5 % of the run's mean.
        const mean = delivered / 1048576 / bins.length;
        const started = bins.findIndex((x) => x.mib! > 0);
        const stalls = bins.filter((x, i) => i > started && started >= 0 && x.mib! < 0.05 * mean).map((x) => x.ms);
        const drops = { r1: await b.lab.link('r1').stats(), r2: await b.lab.link('r2').stats(), srv: await b.lab.link('srv').stats() };
        const linkDrops = Object.values(drops).map((v) => v.up.qdrop + v.up.overflow + v.up.lost + v.down.qdrop + v.down.overflow + v.down.lost).reduce((x, y) => x + y, 0);
        const srttLast = res.srtt?.length ? res.srtt[res.srtt.length - 1]![1] : undefined;
        const line = `rtt ${rttMs} run ${run + 1} ${path.padEnd(16)} ${res.mibPerSec.toFixed(2).padStart(6)} MiB/s over [1 s, ${seconds} s]; first byte at ${firstByte !== undefined ? Math.round(firstByte) : '-'} ms; stalled bins (ms) ${stalls.join(',') || 'none'}; wire/payload ${(wire / Math.max(1, delivered)).toFixed(3)}; machine busy ${(busy * 100).toFixed(0)} %; udp errors ${JSON.stringify(udpDiff)}; emulator drops ${linkDrops}; backlog drops ${softnetDiff}${srttLast !== undefined ? `; srtt at end ${srttLast} ms` : ''}`;
        summary.push(line);
        err(line);
        if (!quiet) {
          err('    ms     MiB  data  back  srvIn srvOut  r2In  srtt');
          for (const x of bins) err(`${String(x.ms).padStart(6)} ${x.mib!.toFixed(2).padStart(7)} ${String(x.data).padStart(5)} ${String(x.back).padStart(5)} ${String(x.srvIn).padStart(6)} ${String(x.srvOut).padStart(6)} ${String(x.r2In).padStart(5)} ${x.srtt ?? ''}`);
        }
        if (queues) {
          err(`    socket queues (max bytes over the transfer): ${Object.entries(sockMax).filter(([, v]) => v.recvQ > 0 || v.sendQ > 0 || v.drops > 0).map(([k, v]) => `${k} recvQ ${v.recvQ} sendQ ${v.sendQ} drops ${v.drops} rb ${v.rb}`).join('; ')}`);
          err(`    relay socket recvQ (KiB) per 100 ms: ${relayQ.map(([, q]) => Math.round(q / 1024)).join(' ')}`);
        }
        process.stdout.write(`${JSON.stringify({ rttMs, run: run + 1, path, mibPerSec: res.mibPerSec, firstByteMs: firstByte, stalls, wirePerPayload: wire / Math.max(1, delivered), busy, udpErrors: udpDiff, linkDrops, backlogDrops: softnetDiff, sockMax, relayQ, bins })}\n`);
      }
    }
  }
} finally {
  await b.stop();
}
err('\nsummary');
for (const l of summary) err(l);
