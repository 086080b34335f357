/**
 * The signal server under hostile clients (#8 item 6): a real `p2prc server`
 * process with small limits, attacked from this process over loopback. Each
 * attack is checked for what it must not do (hold the server's memory, its
 * connections or its log without bound) and for what must still work (a
 * legitimate `p2prc peers` registers during the attack).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../src/protocol/messages.js';
import { registerRawPeer } from './harness/raw-peer.js';
import { cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose } from './helpers.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'p2prc');
/** The server's limits in this suite: small, so each attack meets them quickly. */
const REGISTER_TIMEOUT_MS = 1500;
const MAX_CONNS_PER_IP = 20;
/** Bounded waits: every wait in this suite ends by itself. */
const WAIT_MS = 15_000;

const dir = mkdtempSync(join(tmpdir(), 'p2prc-abuse-'));
let server: ChildProcess | undefined;
let url = '';
const serverLog: string[] = [];
const sockets: WebSocket[] = [];

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]);
}

/** A WebSocket client from a chosen loopback address (127.0.0.0/8 is all ours). */
function open(localAddress = '127.0.0.1'): WebSocket {
  const ws = new WebSocket(url, { localAddress });
  ws.on('error', () => {});
  sockets.push(ws);
  return ws;
}

/** Connect, register with a fresh identity, resolve once registered. */
async function registered(name: string, localAddress = '127.0.0.1'): Promise<WebSocket> {
  const { ws } = await registerRawPeer(url, name, { localAddress, timeoutMs: WAIT_MS });
  sockets.push(ws);
  return ws;
}

/** A legitimate user during the attack: the real CLI registers and lists peers. */
function legitimatePeers(): Promise<{ code: number; ms: number; stderr: string }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, '--json', 'peers', '--server', url], { env: { ...process.env, P2PRC_HOME: join(dir, 'legit') }, timeout: WAIT_MS }, (err, _out, stderr) => {
      resolve({ code: err ? 1 : 0, ms: performance.now() - t0, stderr });
    });
  });
}

function closedWithin(ws: WebSocket, ms: number): Promise<boolean> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    ws.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

describe('signal server under hostile clients', () => {
  before(async () => {
    server = spawn(process.execPath, [CLI, '--json', 'server', '--host', '127.0.0.1', '--port', '0', '--no-relay', '--data-dir', join(dir, 'srv'), '--register-timeout', String(REGISTER_TIMEOUT_MS), '--max-conns-per-ip', String(MAX_CONNS_PER_IP)], { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: server.stderr! }).on('line', (l) => serverLog.push(l));
    const lines = createInterface({ input: server.stdout! });
    const [line] = (await Promise.race([once(lines, 'line'), new Promise((_, rej) => setTimeout(() => rej(new Error(`server did not start: ${serverLog.join('\n')}`)), WAIT_MS))])) as [string];
    url = (JSON.parse(line) as { url: string }).url;
  });
  after(async () => {
    await cleanup();
    for (const ws of sockets) ws.terminate();
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes connections that never register, and raw TCP that never completes a handshake', async () => {
    const idle = Array.from({ length: 10 }, (_, i) => open(`127.0.1.${i + 1}`));
    const port = Number(new URL(url).port);
    const raw = connect(port, '127.0.0.1');
    raw.on('error', () => {});
    const rawClosed = once(raw, 'close');
    const results = await Promise.all(idle.map((ws) => closedWithin(ws, WAIT_MS)));
    assert.deepEqual(results, idle.map(() => true), 'every unregistered connection is closed');
    await Promise.race([rawClosed, new Promise((_, rej) => setTimeout(() => rej(new Error('raw TCP connection still open')), WAIT_MS))]);
    assert.ok(serverLog.some((l) => l.includes('did not register in time')), 'and the server says why');
  });

  it('refuses connections beyond the per-IP cap with 429; other addresses still register', async () => {
    const ip = '127.0.2.1';
    const held = await Promise.all(Array.from({ length: MAX_CONNS_PER_IP }, (_, i) => registered(`cap-${i}`, ip)));
    const extra = open(ip);
    const [, res] = (await once(extra, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(res.statusCode, 429);
    await registered('other-address', '127.0.2.2');
    const legit = await legitimatePeers();
    assert.equal(legit.code, 0, legit.stderr);
    for (const ws of held) ws.close();
  });

  it('drops a client that floods requests and never reads; memory stays bounded and others still register', async () => {
    // 150 peers with long names make each `peers` reply ~25 KB.
    const crowd = await Promise.all(Array.from({ length: 150 }, (_, i) => registered(`crowd-${String(i).padStart(3, '0')}-${'x'.repeat(48)}`, `127.0.3.${(i % 10) + 1}`)));
    const flooder = await registered('flooder', '127.0.4.1');
    const rss0 = rssKiB(server!.pid!);
    // Stop reading: the server's replies pile up in its send queue.
    (flooder as unknown as { _socket: { pause(): void } })._socket.pause();
    let sent = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 10 && flooder.readyState === WebSocket.OPEN; i++) {
        flooder.send(JSON.stringify({ type: 'list' }));
        sent++;
      }
    }, 10); // ~1,000 requests/s, above the per-connection rate limit too
    let dropped = false;
    let peakKiB = rss0;
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      peakKiB = Math.max(peakKiB, rssKiB(server!.pid!));
      if (serverLog.some((l) => l.includes('client is not reading, dropping it'))) {
        dropped = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    clearInterval(timer);
    assert.ok(dropped, `the server drops the non-reading client (sent ${sent} requests)`);
    // Bound: the send queue cap (2 MiB) plus kernel socket buffers and V8 headroom.
    assert.ok(peakKiB - rss0 < 64 * 1024, `server RSS grew by ${peakKiB - rss0} KiB`);
    const legit = await legitimatePeers();
    assert.equal(legit.code, 0, legit.stderr);
    for (const ws of crowd) ws.close();
  });

  it('rate-limits route reports per peer, so the mapping log cannot be flooded', async () => {
    const ws = await registered('reporter', '127.0.5.1');
    const errors: string[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      if (m.type === 'error' && m.ref === 'route') errors.push(m.code);
    });
    const cand = { type: 'host', address: '198.51.100.1', port: 1000 };
    for (let i = 0; i < 90; i++) ws.send(JSON.stringify({ type: 'route', peer: 'a'.repeat(40), kind: 'direct', local: cand, remote: cand }));
    const deadline = Date.now() + WAIT_MS;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(errors.includes('rate-limited'), 'reports beyond the burst are refused with rate-limited');
    // The server writes its log within 0.5 s of a change; wait for the rows to reach the file.
    const path = join(dir, 'srv', 'reverse_proxy_mapping.json');
    let rows = 0;
    const until = Date.now() + WAIT_MS;
    while (Date.now() < until) {
      if (existsSync(path)) rows = (JSON.parse(readFileSync(path, 'utf8')) as { reverse_proxy_mappings: { peer_name?: string }[] }).reverse_proxy_mappings.filter((r) => r.peer_name === 'reporter').length;
      if (rows > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(rows > 0 && rows <= 45, `rows written for the reporter: ${rows} (burst 40 + 2/s)`);
    ws.close();
  });

  it('a legitimate pair registers and tunnels while the server is under these attacks at once', async (t) => {
    // Attackers: unregistered connections (re-opened as the deadline closes them), a route flood
    // and a non-reading request flooder, each from its own address.
    const idle = Array.from({ length: 15 }, (_, i) => open(`127.0.6.${i + 1}`));
    const reporter = await registered('flood-reporter', '127.0.7.1');
    const reader = await registered('flood-reader', '127.0.7.2');
    (reader as unknown as { _socket: { pause(): void } })._socket.pause();
    const cand = { type: 'host', address: '198.51.100.1', port: 1000 };
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++) {
        if (reporter.readyState === WebSocket.OPEN) reporter.send(JSON.stringify({ type: 'route', peer: 'a'.repeat(40), kind: 'direct', local: cand, remote: cand }));
        if (reader.readyState === WebSocket.OPEN) reader.send(JSON.stringify({ type: 'list' }));
      }
    }, 10);
    try {
      const rss0 = rssKiB(server!.pid!);
      const echo = await echoService();
      const t0 = performance.now();
      await startExpose('legit-alice', [`echo=${echo}`], url);
      const tRegistered = performance.now() - t0;
      const c = await startConnect('legit-alice/echo', url);
      const data = randomData(256 * 1024);
      const t1 = performance.now();
      const back = await exchange(c.port, data);
      const tTunnel = performance.now() - t1;
      assert.equal(sha256(back), sha256(data));
      const grown = rssKiB(server!.pid!) - rss0;
      t.diagnostic(`under attack: exposer registered in ${tRegistered.toFixed(0)} ms; first tunnelled 256 KiB echo (connect's session set-up included) in ${tTunnel.toFixed(0)} ms; server RSS grew ${grown} KiB`);
      assert.ok(grown < 64 * 1024, `server RSS grew by ${grown} KiB`);
    } finally {
      clearInterval(flood);
      for (const ws of idle) ws.terminate();
    }
  });
});
