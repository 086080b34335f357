/**
 * Browser <-> Node against Node <-> Node through the same tunnel (issue #12),
 * on loopback, in one run. One `p2prc server` (with its relay) and one
 * `p2prc expose echo=PORT` in front of a plain TCP echo server; then, taking
 * turns, RUNS echoes of MIB MiB each (the bytes go out and come back at once,
 * so the figure is MiB/s each way) through:
 *
 *   node direct      `p2prc connect` (node-datachannel) -> data channel -> the exposer
 *   browser direct   headless Chromium's page (RTCPeerConnection) -> data channel -> the exposer
 *   node relay       `p2prc connect --force-relay`, both ends relayed by our TURN
 *   browser relay    the page with its "relay only" switch
 *
 * Each path is warmed up with one echo first. The browser checks every byte it
 * gets back; the Node client counts them (the tunnel suites check content).
 *
 *   node dist/bench/browser.js [--mib 32] [--runs 5] [--json] [--out DIR]
 *
 * Writes bench/results/browser-<timestamp>.json and browser-latest.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { MiB, ROOT, median, parseFlags, progress } from './common.js';
import { Proc, cleanup, startSignal, tmpDir } from '../test/helpers.js';
import { launchChromium } from '../test/harness/browser.js';
import { choosePeerService, openPeerPage, runEcho } from '../test/harness/peer-page.js';
import { table } from '../src/cli/format.js';
import { routeText, type RouteLine } from './tunnel.js';

/** A p2prc peer process (--json), once it printed `ready` (its event). */
async function peer(name: string, args: string[], url: string, ready: string): Promise<{ proc: Proc; port: number; peerId: string }> {
  const proc = new Proc(name, ['--json', ...args, '--server', url, '--data-dir', tmpDir()]);
  const ev = await proc.waitForEvent({ event: ready });
  return { proc, port: Number(ev.port ?? 0), peerId: String(ev.peerId ?? '') };
}

const PATHS = ['node direct', 'browser direct', 'node relay', 'browser relay'] as const;
type PathName = (typeof PATHS)[number];

interface Options {
  mib: number;
  runs: number;
  json: boolean;
  outDir: string;
}

function parse(argv: string[]): Options {
  const o: Options = { mib: 32, runs: 5, json: false, outDir: join(ROOT, 'bench', 'results') };
  parseFlags(
    argv,
    {
      '--mib': (a) => (o.mib = a.whole()),
      '--runs': (a) => (o.runs = a.whole()),
      '--json': () => (o.json = true),
      '--out': (a) => (o.outDir = a.value()),
    },
    'node dist/bench/browser.js [--mib N] [--runs N] [--json] [--out DIR]',
  );
  return o;
}

function echoServer(): Promise<Server> {
  const s = createServer({ allowHalfOpen: true }, (sock) => {
    sock.setNoDelay(true);
    sock.pipe(sock);
    sock.on('error', () => sock.destroy());
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

/** Echo `bytes` through a local port; seconds from the first byte sent to the last one back. */
function nodeEcho(port: number, bytes: number, payload: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.setNoDelay(true);
    let got = 0;
    let t0 = 0;
    const timer = setTimeout(() => sock.destroy(new Error(`echo of ${bytes} bytes: ${got} back after 120 s`)), 120_000);
    sock.on('connect', () => {
      t0 = performance.now();
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes) {
          const n = Math.min(payload.length, bytes - sent);
          sent += n;
          if (!sock.write(payload.subarray(0, n))) return void sock.once('drain', pump);
        }
        sock.end();
      };
      pump();
    });
    sock.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= bytes) {
        clearTimeout(timer);
        const secs = (performance.now() - t0) / 1000;
        sock.destroy();
        resolve(secs);
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function browserEcho(page: Page, bytes: number): Promise<number> {
  const t0 = performance.now();
  const r = await runEcho(page, bytes);
  if (r.bytes !== bytes) throw new Error(`browser echo: ${r.bytes} of ${bytes} bytes`);
  // The page's own timing (from its first write to the last byte back) is in its text.
  const ms = /\((\d+) ms\)$/.exec(r.text)?.[1];
  return ms ? Number(ms) / 1000 : (performance.now() - t0) / 1000;
}

/**
 * The browser's own ceiling on this machine: two RTCPeerConnections in one page,
 * MIB MiB one way over one channel in 64 KiB messages (paced by bufferedAmount), MiB/s.
 */
async function chromeToChrome(page: Page, mib: number): Promise<number> {
  // A string: this file is compiled without the DOM library.
  return page.evaluate(`(${CHROME_TO_CHROME})(${mib * MiB})`) as Promise<number>;
}

const CHROME_TO_CHROME = `async (n) => {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const dc = a.createDataChannel('bench');
  let got = 0;
  let done;
  const all = new Promise((r) => (done = r));
  b.ondatachannel = (e) => {
    e.channel.binaryType = 'arraybuffer';
    e.channel.onmessage = (m) => {
      got += m.data.byteLength;
      if (got >= n) done();
    };
  };
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  await new Promise((r) => (dc.onopen = r));
  const chunk = new Uint8Array(65536);
  dc.bufferedAmountLowThreshold = 1 << 20;
  const t0 = performance.now();
  for (let sent = 0; sent < n; ) {
    if (dc.bufferedAmount > 4 << 20) {
      await new Promise((r) => (dc.onbufferedamountlow = r));
      continue;
    }
    dc.send(chunk);
    sent += chunk.length;
  }
  await all;
  const secs = (performance.now() - t0) / 1000;
  a.close();
  b.close();
  return n / 1048576 / secs;
}`;

interface Row {
  path: PathName;
  route: string;
  runsMiBps: number[];
  medianMiBps: number;
  ratioToNode: number;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const started = new Date();
  progress(`browser <-> node against node <-> node on loopback: ${o.runs} x ${o.mib} MiB echoes per path`);
  const echo = await echoServer();
  const browser = await launchChromium({ loopback: true });
  const rows: Row[] = [];
  let chromeBaseline = { runsMiBps: [] as number[], medianMiBps: 0 };
  try {
    const signal = await startSignal();
    // Each Node peer on its own loopback address: a TURN permission is per IP, so on one address
    // the relay would also pass a relayed peer's direct packets, and ICE would move off the relay.
    const ex = await peer('expose', ['expose', `echo=${(echo.address() as AddressInfo).port}`, '--name', 'bench-echo', '--bind', '127.0.0.2'], signal.url, 'registered');
    const direct = await peer('connect', ['connect', 'bench-echo/echo', '--listen', '127.0.0.1:0', '--bind', '127.0.0.3'], signal.url, 'listening');
    const relayed = await peer('connect-relay', ['connect', 'bench-echo/echo', '--listen', '127.0.0.1:0', '--bind', '127.0.0.4', '--force-relay'], signal.url, 'listening');
    const pageDirect = await browser.newPage();
    const pageRelay = await browser.newPage();
    await openPeerPage(pageDirect, `http://127.0.0.1:${signal.port}/`, 'bench-browser-direct');
    await openPeerPage(pageRelay, `http://127.0.0.1:${signal.port}/?slot=relay`, 'bench-browser-relay');
    for (const p of [pageDirect, pageRelay]) await choosePeerService(p, ex.peerId, 'echo');
    await pageRelay.check('#relay-only');
    const bytes = o.mib * MiB;
    const payload = randomBytes(MiB);
    const run: Record<PathName, () => Promise<number>> = {
      'node direct': () => nodeEcho(direct.port, bytes, payload),
      'browser direct': () => browserEcho(pageDirect, bytes),
      'node relay': () => nodeEcho(relayed.port, bytes, payload),
      'browser relay': () => browserEcho(pageRelay, bytes),
    };
    for (const p of PATHS) await run[p](); // warm-up (and the sessions' setup)
    const nodeRoute = (p: typeof direct.proc): string => {
      const r = p.eventsMatching('route').at(-1) as RouteLine | undefined;
      return r ? routeText(r) : '?';
    };
    const routes: Record<PathName, string> = {
      'node direct': nodeRoute(direct.proc),
      'browser direct': await pageDirect.locator('#route').innerText(),
      'node relay': nodeRoute(relayed.proc),
      'browser relay': await pageRelay.locator('#route').innerText(),
    };
    const runs = new Map<PathName, number[]>(PATHS.map((p) => [p, []]));
    for (let i = 1; i <= o.runs; i++) {
      for (const p of PATHS) {
        const secs = await run[p]();
        runs.get(p)!.push(o.mib / secs);
        progress(`run ${i}/${o.runs}: ${p} ${(o.mib / secs).toFixed(1)} MiB/s each way`);
      }
    }
    const baseline: number[] = [];
    for (let i = 0; i < o.runs; i++) baseline.push(await chromeToChrome(pageDirect, o.mib));
    chromeBaseline = { runsMiBps: baseline.map((x) => Math.round(x * 10) / 10), medianMiBps: median(baseline) };
    progress(`chrome <-> chrome in one page: ${chromeBaseline.medianMiBps.toFixed(1)} MiB/s one way (median)`);
    for (const p of PATHS) {
      const xs = runs.get(p)!;
      const node = median(runs.get(p.endsWith('relay') ? 'node relay' : 'node direct')!);
      rows.push({ path: p, route: routes[p], runsMiBps: xs.map((x) => Math.round(x * 10) / 10), medianMiBps: median(xs), ratioToNode: median(xs) / node });
    }
  } finally {
    await browser.close().catch(() => undefined);
    echo.close();
    await cleanup();
  }
  const md = [
    `# Browser <-> Node against Node <-> Node (${started.toISOString()})`,
    '',
    `Loopback, one exposer (node-datachannel) in front of a TCP echo server; ${o.runs} echoes of ${o.mib} MiB per path, taking turns (MiB/s each way, median).`,
    '',
    table(['path', 'route', 'MiB/s median', 'runs', 'x Node<->Node'], rows.map((r) => [r.path, r.route, r.medianMiBps.toFixed(1), r.runsMiBps.join(' '), r.ratioToNode.toFixed(2)])),
    '',
    `The browser's own ceiling here: two RTCPeerConnections in one page (no Node, no tunnel), ${o.mib} MiB one way in 64 KiB messages: ${chromeBaseline.medianMiBps.toFixed(1)} MiB/s (runs ${chromeBaseline.runsMiBps.join(' ')}).`,
    '',
  ].join('\n');
  mkdirSync(o.outDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
  const json = { bench: 'browser', started: started.toISOString(), finished: new Date().toISOString(), options: o, rows, chromeToChrome: chromeBaseline };
  writeFileSync(join(o.outDir, `browser-${stamp}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(o.outDir, 'browser-latest.md'), md);
  if (o.json) process.stdout.write(JSON.stringify(json) + '\n');
  else process.stdout.write(md);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench browser: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
