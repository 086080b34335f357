/**
 * Relayed setups in a loop on loopback, counting the ones that stall:
 * `node dist/bench/relayed-setup-loop.js [--runs N] [--seconds S] [--expose-only]`.
 *
 * One `p2prc server` (its relay on) and one `expose --force-relay` in front of an
 * echo service; each run starts a fresh `connect` (with --force-relay, or without
 * for --expose-only: the exposer's flag makes the session relay-only anyway),
 * sends one byte through it and waits 20 s for the echo. A run without the echo
 * is a stall: its connect log is kept, `gdb` (when installed) dumps every thread
 * of both peers, and the server and exposer are restarted (a peer caught in the
 * relayed DTLS deadlock, src/peer/stall-reason.ts, never recovers). Runs until --runs
 * (default 200) or --seconds (default 280) is reached; prints one line per stall
 * and the count, and leaves every log in --out DIR (default a new temp dir).
 * P2PRC_NDC_LOG_LEVEL (Debug, Verbose) is passed to both peers, and
 * P2PRC_NDC_LOG_LEVEL_EXPOSE / _CONNECT to one only.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo } from 'node:net';
import { appendFileSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, HOST } from './common.js';

interface Options {
  runs: number;
  seconds: number;
  exposeOnly: boolean;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 200, seconds: 280, exposeOnly: false, out: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--seconds') o.seconds = Number(argv[++i]);
    else if (a === '--expose-only') o.exposeOnly = true;
    else if (a === '--out') o.out = String(argv[++i]);
    else throw new Error(`unknown flag ${a}`);
  }
  if (!(o.runs >= 1) || !(o.seconds > 0)) throw new Error('--runs and --seconds: positive numbers');
  o.out ||= mkdtempSync(join(tmpdir(), 'p2prc-relayed-loop-'));
  return o;
}

type Json = Record<string, unknown>;

/** A CLI child whose output goes to `file` and whose JSON events can be waited for. */
class Child {
  readonly proc: ChildProcess;
  readonly events: Json[] = [];
  private readonly waiters: { match: (e: Json) => boolean; resolve: (e: Json) => void }[] = [];

  constructor(args: string[], file: string, ndc: string | undefined) {
    const log = createWriteStream(file);
    this.proc = spawn(process.execPath, [CLI, '--json', '--log-level', 'debug', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(ndc ? { P2PRC_NDC_LOG_LEVEL: ndc } : {}) },
    });
    let buf = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      log.write(d);
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith('{')) continue;
        try {
          const e = JSON.parse(line) as Json;
          this.events.push(e);
          for (const w of [...this.waiters]) if (w.match(e)) this.waiters.splice(this.waiters.indexOf(w), 1), w.resolve(e);
        } catch {
          /* not an event */
        }
      }
    });
    this.proc.stderr!.on('data', (d: Buffer) => log.write(d));
    this.proc.once('exit', () => log.end());
  }

  waitFor(match: (e: Json) => boolean, ms: number): Promise<Json> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no such event in time')), ms);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(t), resolve(e)) });
      this.proc.once('exit', () => (clearTimeout(t), reject(new Error('exited'))));
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = once(this.proc, 'exit');
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
}

/** Every thread's stack of `pid` (gdb), or why not. */
function stacks(pid: number | undefined): string {
  try {
    return execFileSync('gdb', ['-p', String(pid), '-batch', '-ex', 'thread apply all bt'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return `no stacks: ${(err as Error).message}`;
  }
}

/** One byte through the connector's listener and back, or why not within 20 s. */
function echo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, HOST);
    const done = (r: string): void => {
      clearTimeout(t);
      s.destroy();
      resolve(r);
    };
    const t = setTimeout(() => done('no echo within 20 s'), 20_000);
    s.on('error', (err) => done(`error ${err.message}`));
    s.once('data', () => done('ok'));
    s.once('close', () => done('closed without an echo'));
    s.write('x');
  });
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  const ndc = process.env.P2PRC_NDC_LOG_LEVEL;
  const svc = createServer((s) => (s.on('error', () => s.destroy()), s.pipe(s)));
  await new Promise<void>((r) => svc.listen(0, HOST, r));
  const echoPort = (svc.address() as AddressInfo).port;
  let server: Child | undefined;
  let expose: Child | undefined;
  let url = '';
  let gen = 0;
  const startRig = async (): Promise<void> => {
    const dir = join(o.out, `rig${gen}`);
    server = new Child(['server', '--host', HOST, '--port', '0', '--stun-port', '0', '--allow-private-peers', '--data-dir', join(dir, 'server')], join(o.out, `server${gen}.log`), undefined);
    url = String((await server.waitFor((e) => e.event === 'listening', 15_000)).url);
    expose = new Child(
      ['expose', `echo=${HOST}:${echoPort}`, '--name', 'loop-alice', '--server', url, '--data-dir', join(dir, 'alice'), '--bind', '127.0.0.2', '--max-new-sessions', '100000', '--force-relay'],
      join(o.out, `expose${gen}.log`),
      process.env.P2PRC_NDC_LOG_LEVEL_EXPOSE ?? ndc,
    );
    await expose.waitFor((e) => e.event === 'registered', 15_000);
  };
  const deadline = Date.now() + o.seconds * 1000;
  let ok = 0;
  let stalls = 0;
  try {
    await startRig();
    for (let i = 0; i < o.runs && Date.now() < deadline; i++) {
      const file = join(o.out, `connect${i}.log`);
      const co = new Child(
        ['connect', 'loop-alice/echo', '--listen', `${HOST}:0`, '--name', `loop-bob${i}`, '--server', url, '--data-dir', join(o.out, `bob${i}`), '--bind', '127.0.0.3', ...(o.exposeOnly ? [] : ['--force-relay'])],
        file,
        process.env.P2PRC_NDC_LOG_LEVEL_CONNECT ?? ndc,
      );
      const t0 = Date.now();
      const result = await co.waitFor((e) => e.event === 'listening', 15_000).then(
        (e) => echo(Number(e.port)),
        (err: Error) => `connect did not listen: ${err.message}`,
      );
      if (result !== 'ok') {
        writeFileSync(join(o.out, `stacks-run${i}.txt`), `=== expose\n${stacks(expose!.proc.pid)}\n=== connect\n${stacks(co.proc.pid)}\n`);
      }
      await co.stop();
      rmSync(join(o.out, `bob${i}`), { recursive: true, force: true });
      const line = `${new Date(t0).toISOString()} run ${i}: ${result} (${Date.now() - t0} ms)`;
      appendFileSync(join(o.out, 'runs.txt'), line + '\n');
      if (result === 'ok') {
        ok++;
        rmSync(file, { force: true });
        continue;
      }
      stalls++;
      console.log(`${line}; logs and stacks in ${o.out}`);
      await expose!.stop();
      await server!.stop();
      gen++;
      await startRig();
    }
  } finally {
    await expose?.stop();
    await server?.stop();
    svc.close();
  }
  console.log(`relayed setups: ${ok + stalls}, stalled: ${stalls} (${(((stalls / Math.max(1, ok + stalls)) * 100) || 0).toFixed(2)} %); logs in ${o.out}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`relayed-setup-loop: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
