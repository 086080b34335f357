/**
 * Setup runs across the NAT lab (bench/setup-runs.ts --lab): the lab's signal
 * server (with --alt-ip, so peers measure their NATs), one `expose` and an echo
 * service on one host, a fresh `connect` per run on another, the two hosts'
 * links to the internet shaped by the link emulator (shapePath: the RTT between
 * the two hosts, the server's own link left at 0). Root only (the lab).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, tmpDir, type Json, type Proc } from '../test/harness/process.js';
import { Lab, SERVER_IPS, shapePath, type RouterMode } from '../test/lab/lab.js';
import { SERVER_URL, startLabServer } from '../test/lab/suite.js';
import { ECHO_PORT, ECHO_SERVER } from '../test/lab/tunnel-check.js';
import type { FirstByte } from './first-byte-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIRST_BYTE_CLIENT = join(HERE, 'first-byte-client.js');
/**
 * Diagnosis: BENCH_LOG_LEVEL sets the peers' --log-level, BENCH_NDC_LOG_LEVEL
 * libdatachannel's (Verbose shows libjuice's checks), and BENCH_LOG_DIR keeps
 * each run's connect output and, at the end, the exposer's there.
 */
const PEER_ENV: NodeJS.ProcessEnv = {
  P2PRC_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'debug',
  ...(process.env.BENCH_NDC_LOG_LEVEL ? { P2PRC_NDC_LOG_LEVEL: process.env.BENCH_NDC_LOG_LEVEL } : {}),
};
const LOG_DIR = process.env.BENCH_LOG_DIR;
const keep = (p: Proc, file: string): void => {
  if (LOG_DIR) writeFileSync(join(LOG_DIR, file), [...p.out, '--- stderr', ...p.err].join('\n') + '\n');
};

/** A pair of hosts: exposing and connecting host, the role of each one's link to the internet, router modes. */
export interface LabPair {
  expose: string;
  connect: string;
  exposeLink: string;
  connectLink: string;
  modes: Partial<Record<'r1' | 'r2', RouterMode>>;
}

export const LAB_PAIRS: Record<string, LabPair> = {
  public: { expose: 'p1', connect: 'p2', exposeLink: 'p1', connectLink: 'p2', modes: {} },
  eim: { expose: 'h1a', connect: 'h2a', exposeLink: 'r1', connectLink: 'r2', modes: { r1: 'eim', r2: 'eim' } },
  firewall: { expose: 'f1a', connect: 'f2a', exposeLink: 'f1', connectLink: 'f2', modes: {} },
  'symmetric-eim': { expose: 'h1a', connect: 'h2a', exposeLink: 'r1', connectLink: 'r2', modes: { r1: 'symmetric', r2: 'eim' } },
  symmetric: { expose: 'h1a', connect: 'h2a', exposeLink: 'r1', connectLink: 'r2', modes: { r1: 'symmetric', r2: 'symmetric' } },
};

export interface LabRun {
  connectEvents: Json[];
  exposeRoute?: Json;
  client: FirstByte;
  /** Date.now() when connect printed its listening line (its own clock, the same machine's). */
  listening: number;
}

export class SetupLab {
  private lab?: Lab;
  private server?: Proc;
  private expose?: Proc;
  private readonly pair: LabPair;
  private readonly rttMs: number;
  private readonly log: (l: string) => void;
  /** Exposer and connectors run --force-relay (relay-only sessions). */
  private readonly forceRelay: boolean;
  private readonly procs = new Set<Proc>();

  constructor(pair: LabPair, rttMs: number, log: (l: string) => void, forceRelay = false) {
    this.pair = pair;
    this.forceRelay = forceRelay;
    this.rttMs = rttMs;
    this.log = log;
  }

  async start(): Promise<void> {
    const roles = ['srv', this.pair.exposeLink, this.pair.connectLink];
    const lab = await Lab.create({ publicHosts: 2, natHosts: [1, 1], firewallHosts: [1, 1], emulate: roles });
    this.lab = lab;
    for (const r of ['r1', 'r2'] as const) {
      const mode = this.pair.modes[r] ?? 'eim';
      if (lab.router(r).mode !== mode) await lab.setMode(r, mode);
    }
    await shapePath({ a: lab.link(this.pair.exposeLink), b: lab.link(this.pair.connectLink), relay: lab.link('srv') }, { rttMs: this.rttMs });
    this.server = await startLabServer(lab, ['--host', SERVER_IPS[0], '--alt-ip', SERVER_IPS[1], '--data-dir', tmpDir('p2prc-setup-srv-')]);
    const ha = lab.host(this.pair.expose);
    const echo = lab.spawnNode(ha.ns, 'echo', ECHO_SERVER, [String(ECHO_PORT)]);
    this.procs.add(echo);
    await echo.waitFor(/echo listening/, 'out', 10_000);
    this.expose = lab.spawnNode(ha.ns, 'expose', CLI, ['--json', 'expose', `echo=${ECHO_PORT}`, '--name', 'setup-alice', '--server', SERVER_URL, '--data-dir', tmpDir('p2prc-setup-a-'), '--max-new-sessions', '100000', ...(this.forceRelay ? ['--force-relay'] : [])], PEER_ENV);
    this.procs.add(this.expose);
    await this.expose.waitForEvent('registered', 20_000);
    await this.expose.waitForEvent('nat', 15_000).catch(() => undefined);
    this.log(`lab ${lab.prefix}: ${this.pair.expose} exposes, ${this.pair.connect} connects, RTT ${this.rttMs} ms between them`);
  }

  async run(i: number): Promise<LabRun> {
    const lab = this.lab!;
    const hb = lab.host(this.pair.connect);
    const port = 9000 + (i % 1000);
    const client = lab.spawnNode(hb.ns, `client${i}`, FIRST_BYTE_CLIENT, [String(port), '30000']);
    this.procs.add(client);
    const name = `setup-bob${i}`;
    const co = lab.spawnNode(hb.ns, `connect${i}`, CLI, ['--json', 'connect', 'setup-alice/echo', '--listen', `127.0.0.1:${port}`, '--name', name, '--server', SERVER_URL, '--data-dir', tmpDir('p2prc-setup-b-'), ...(this.forceRelay ? ['--force-relay'] : [])], PEER_ENV);
    this.procs.add(co);
    try {
      co.failOn(/no connection yet/);
      const l = await co.waitForEventTimed('listening', 20_000);
      const listening = Date.now() - (performance.now() - l.at);
      const line = await client.waitFor(/^\{.*\}$/, 'out', 30_000);
      const fb = JSON.parse(line[0]) as FirstByte & { error?: string };
      if (fb.error) throw new Error(`run ${i}: ${fb.error}\n${co.dump()}`);
      await co.waitForEvent('setup', 10_000);
      const exposeRoute = await this.expose!.waitForEvent({ event: 'route', peer: name }, 5000).catch(() => undefined);
      return { connectEvents: co.events.map((e) => e.obj), exposeRoute, client: fb, listening };
    } finally {
      keep(co, `connect${i}.log`);
      await co.stop();
      await client.stop();
      this.procs.delete(co);
      this.procs.delete(client);
    }
  }

  async stop(): Promise<void> {
    if (this.expose) keep(this.expose, 'expose.log');
    for (const p of this.procs) await p.stop();
    await this.server?.stop();
    await this.lab?.destroy();
  }
}
