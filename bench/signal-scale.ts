/**
 * `node dist/bench/bench.js --signal-scale N` (#8 item 2): N peers registered on
 * one `p2prc server` process. Registration used to carry the whole peer list and
 * every join was broadcast to everyone (O(n) bytes per join; 1,000 joins took
 * 15.7 s and 154.5 MB). This mode measures what a join costs now:
 *
 *   fill      N raw WebSocket peers register, CONCURRENCY at a time, PER_ADDRESS
 *             per loopback source address (the server caps each address);
 *   probes    then PROBES new peers register one after another with N online:
 *             the p50/p99 register time (target: p99 < 500 ms);
 *   bytes     every byte the server sent to the crowd, per join (must not grow
 *             with N), and what the crowd received during the probes (0: no broadcast);
 *   memory    the server's RSS growth per registered peer (from /proc);
 *   list      `p2prc peers` paging through all N.
 */
import { WebSocket } from 'ws';
import { readFileSync } from 'node:fs';
import { Identity } from '../src/identity/keys.js';
import { PROTOCOL_VERSION, registerChallenge, type ServerMessage } from '../src/protocol/messages.js';
import { CLI, ROOT, START_TIMEOUT_MS, progress, withTimeout } from './common.js';
import { spawnCli, stopProc, type Proc } from './proc.js';
import { spawn } from 'node:child_process';
import { latency } from './stats.js';

/** p50 and p99 of `ms` (stats.latency's percentiles; its fields say µs, the unit is whatever goes in). */
function percentile(ms: number[], p: 50 | 99): number {
  const l = latency(ms);
  return p === 50 ? l.p50Us : l.p99Us;
}

/** Peers per source address: below the server's per-IP registration burst (60) and connection cap (256). */
const PER_ADDRESS = 50;
/** Registrations in flight during the fill: enough to keep the server busy, bounded so the bench is not the bottleneck. */
const CONCURRENCY = 64;
/** New peers timed one after another once the crowd is online. */
const PROBES = 200;
/** Largest N: the server and this process each hold N sockets, below the usual 20,000 descriptor limit. */
export const MAX_SIGNAL_SCALE = 15_000;
/** One registration may take this long before the bench fails (a stalled server must not hang it). */
const REGISTER_TIMEOUT_MS = 30_000;
/** `p2prc peers` may take this long to page through everyone. */
const LIST_TIMEOUT_MS = 120_000;

export interface SignalScaleResult {
  peers: number;
  fill: { seconds: number; p50Ms: number; p99Ms: number };
  probes: { count: number; p50Ms: number; p99Ms: number; maxMs: number; crowdBytesDuring: number };
  bytesPerJoin: number;
  serverRssBaseMiB: number;
  serverRssMiB: number;
  rssPerPeerKiB: number;
  listMs: number;
  listed: number;
}

interface Member {
  ws: WebSocket;
  bytes: number;
}

/** The i-th source address: 127.(10 + i / 250).(i % 250 + 1).1, away from the addresses the tests use. */
function address(i: number): string {
  return `127.${10 + Math.floor(i / 250)}.${(i % 250) + 1}.1`;
}

function rssKiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

/** Register one raw peer; resolves with its socket and the time from opening to `registered`. */
function register(url: string, name: string, localAddress: string): Promise<{ member: Member; ms: number }> {
  const id = Identity.generate();
  const t0 = performance.now();
  const ws = new WebSocket(url, { localAddress });
  const member: Member = { ws, bytes: 0 };
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (ws.terminate(), reject(new Error(`${name}: not registered within ${REGISTER_TIMEOUT_MS} ms`))), REGISTER_TIMEOUT_MS);
    ws.on('error', (err) => (clearTimeout(t), reject(err)));
    ws.on('message', (d: Buffer) => {
      member.bytes += d.length;
      const msg = JSON.parse(d.toString()) as ServerMessage;
      if (msg.type === 'hello') ws.send(JSON.stringify({ type: 'register', v: PROTOCOL_VERSION, name, publicKey: id.publicKey, signature: id.sign(registerChallenge(msg.nonce, name)) }));
      else if (msg.type === 'registered') {
        clearTimeout(t);
        resolve({ member, ms: performance.now() - t0 });
      } else if (msg.type === 'error' && msg.ref === 'register') {
        clearTimeout(t);
        reject(new Error(`${name}: ${msg.code} ${msg.message}`));
      }
    });
  });
}

/** A 63-character name, the longest allowed (the case that broke registration). */
const nameOf = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(6, '0')}-`.padEnd(63, 'x');

export async function signalScale(n: number, root: string): Promise<SignalScaleResult> {
  if (n > MAX_SIGNAL_SCALE) throw new Error(`--signal-scale is at most ${MAX_SIGNAL_SCALE}`);
  const members: Member[] = [];
  let server: Proc | undefined;
  try {
    server = spawnCli('scale-server', ['--json', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn', 'server', '--host', '127.0.0.1', '--port', '0', '--no-relay', '--data-dir', root]);
    const ev = await server.waitForEvent({ event: 'listening' }, START_TIMEOUT_MS);
    const url = `ws://127.0.0.1:${Number(ev.port)}`;
    const pid = server.child.pid!;
    const base = rssKiB(pid);

    progress(`signal scale: registering ${n} peers (63-character names, ${PER_ADDRESS} per source address, ${CONCURRENCY} at a time)`);
    const fillMs: number[] = [];
    const t0 = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        const r = await register(url, nameOf('crowd', i), address(Math.floor(i / PER_ADDRESS)));
        members.push(r.member);
        fillMs.push(r.ms);
        if (members.length % 1000 === 0) progress(`  ${members.length} registered`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const fillSeconds = (performance.now() - t0) / 1000;
    const bytesPerJoin = members.reduce((s, m) => s + m.bytes, 0) / n;
    const full = rssKiB(pid);

    progress(`signal scale: ${PROBES} new peers one after another with ${n} online`);
    const crowdBefore = members.reduce((s, m) => s + m.bytes, 0);
    const probeMs: number[] = [];
    const firstProbeAddress = Math.ceil(n / PER_ADDRESS);
    for (let i = 0; i < PROBES; i++) {
      const r = await register(url, nameOf('probe', i), address(firstProbeAddress + Math.floor(i / PER_ADDRESS)));
      probeMs.push(r.ms);
      r.member.ws.terminate();
    }
    const crowdBytesDuring = members.reduce((s, m) => s + m.bytes, 0) - crowdBefore;

    progress('signal scale: p2prc peers lists everyone');
    const l0 = performance.now();
    const out = await withTimeout(runPeers(url, `${root}/peers`), LIST_TIMEOUT_MS, 'p2prc peers');
    const listMs = performance.now() - l0;

    return {
      peers: n,
      fill: { seconds: fillSeconds, p50Ms: percentile(fillMs, 50), p99Ms: percentile(fillMs, 99) },
      probes: { count: PROBES, p50Ms: percentile(probeMs, 50), p99Ms: percentile(probeMs, 99), maxMs: Math.max(...probeMs), crowdBytesDuring },
      bytesPerJoin,
      serverRssBaseMiB: base / 1024,
      serverRssMiB: full / 1024,
      rssPerPeerKiB: (full - base) / n,
      listMs,
      listed: out,
    };
  } finally {
    for (const m of members) m.ws.terminate();
    if (server) await stopProc(server);
  }
}

/** `p2prc --json peers`: how many peers it listed. */
function runPeers(url: string, dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--json', 'peers', '--server', url, '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`p2prc peers exited ${code}: ${stderr}`));
      const line = stdout.split('\n').find((l) => l.includes('"event":"peers"'));
      resolve(line ? (JSON.parse(line) as { peers: unknown[] }).peers.length : 0);
    });
  });
}

export function signalScaleReport(r: SignalScaleResult): string[] {
  const f = (x: number, d = 0): string => x.toFixed(d);
  return [
    `signal server scale: ${r.peers} peers registered on one server process (63-character names)`,
    `  fill             ${f(r.fill.seconds, 1)} s (${f(r.peers / r.fill.seconds)} registrations/s), register p50 ${f(r.fill.p50Ms, 1)} ms, p99 ${f(r.fill.p99Ms, 1)} ms`,
    `  new peer         p50 ${f(r.probes.p50Ms, 1)} ms, p99 ${f(r.probes.p99Ms, 1)} ms, max ${f(r.probes.maxMs, 1)} ms over ${r.probes.count} (target p99 < 500 ms)`,
    `  bytes per join   ${f(r.bytesPerJoin)} B sent by the server per join (hello + registered); ${r.probes.crowdBytesDuring} B to the crowd during the ${r.probes.count} new joins`,
    `  server memory    RSS ${f(r.serverRssBaseMiB, 1)} -> ${f(r.serverRssMiB, 1)} MiB, ${f(r.rssPerPeerKiB, 1)} KiB per peer`,
    `  p2prc peers      listed ${r.listed} in ${f(r.listMs)} ms (pages of at most 100)`,
  ];
}
