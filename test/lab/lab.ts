/**
 * NAT lab: network namespaces, veths and a bridge that model "the internet", NAT
 * routers in several behaviours and hosts behind them, so the real `p2prc` CLI can
 * be run across NATs on one machine. Split as Tailscale's natlab is:
 *
 *   topology.ts    namespaces, veths, bridges, addresses, routes (the picture)
 *   router.ts      router modes: eim / symmetric NAT, firewall / open (iptables)
 *   link-emulator.ts  delay, loss and rate on a link (userspace: no netem here)
 *   counters.ts    UDP bytes through a host (did the tunnel use the relay?)
 *   miniupnpd.ts   UPnP IGD / NAT-PMP in a router
 *   namespaces.ts  prefixes, pid files, leftovers of earlier runs
 *   shell.ts       bounded commands
 *
 * This file holds the Lab: create and destroy, running commands and processes
 * inside its namespaces, and one method per job of the files above.
 *
 * Cleanup: destroy() kills every process the lab spawned and every process still
 * inside its namespaces, then deletes the namespaces (veths and bridges go with
 * them). It also runs synchronously on SIGINT/SIGTERM and process exit. create()
 * first removes leftovers of earlier runs (namespaces `p2l????-*` whose owning
 * process, recorded in a pid file, is gone); labs of live parallel runs are kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, type ProcOptions } from '../harness/process.js';
import { UdpCounters } from './counters.js';
import { LinkEmulator } from './link-emulator.js';
import { startMiniupnpd, type Miniupnpd, type MiniupnpdOptions } from './miniupnpd.js';
import { claimPrefix, labUnavailable, listNamespaces, releasePrefix, removeLeftovers, removeNamespaceSync } from './namespaces.js';
import { conntrack, enablePublicAddress, flushConntrack, setMode, type RouterMode } from './router.js';
import { execP, type ExecResult } from './shell.js';
import { SERVER_IPS, buildTopology, describeLab, type LabHost, type LabOptions, type LabRouter } from './topology.js';

export { labUnavailable, removeLeftovers } from './namespaces.js';
export { parseLeases, type LeaseEntry, type Miniupnpd, type MiniupnpdOptions } from './miniupnpd.js';
export { LinkEmulator, shapePath, type LinkParams, type LinkDirStats, type PathShape } from './link-emulator.js';
export { UPNP_PUBLIC_NET, type RouterKind, type RouterMode } from './router.js';
export type { ExecResult } from './shell.js';
export { INTERNET, SERVER_IPS, type LabHost, type LabOptions, type LabRouter } from './topology.js';

export class Lab {
  readonly prefix: string;
  readonly inetNs: string;
  readonly server: LabHost;
  readonly publicHosts: LabHost[] = [];
  readonly natRouters: LabRouter[] = [];
  readonly firewallRouters: LabRouter[] = [];
  private readonly namespaces: string[] = [];
  private readonly counters = new UdpCounters(this);
  private readonly procs = new Set<Proc>();
  /** Link emulators by role (LabOptions.emulate). */
  private readonly links = new Map<string, LinkEmulator>();
  /** Temp dirs of lab-run daemons (miniupnpd), removed by destroy(). */
  private readonly tempDirs = new Set<string>();
  readonly opts: Required<Omit<LabOptions, 'wanDelayMs' | 'log' | 'emulate'>> & Pick<LabOptions, 'wanDelayMs' | 'log' | 'emulate'>;
  private destroyed = false;
  private readonly onSignal = (sig: NodeJS.Signals): void => {
    this.destroySync();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  private readonly onExit = (): void => this.destroySync();

  private constructor(opts: LabOptions, prefix: string) {
    this.opts = {
      publicHosts: opts.publicHosts ?? 2,
      natHosts: opts.natHosts ?? [2, 1],
      firewallHosts: opts.firewallHosts ?? [1, 1],
      natMode: opts.natMode ?? 'eim',
      commandTimeoutMs: opts.commandTimeoutMs ?? 10_000,
      ...(opts.wanDelayMs !== undefined ? { wanDelayMs: opts.wanDelayMs } : {}),
      ...(opts.emulate !== undefined ? { emulate: opts.emulate } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    };
    this.prefix = prefix;
    this.inetNs = this.nsName('inet');
    this.server = { role: 'srv', ns: this.nsName('srv'), ip: SERVER_IPS[0] };
  }

  /** Build the whole lab; on any failure everything created so far is removed. */
  static async create(opts: LabOptions = {}): Promise<Lab> {
    const why = labUnavailable();
    if (why) throw new Error(why);
    removeLeftovers(opts.log);
    const prefix = claimPrefix();
    const lab = new Lab(opts, prefix);
    // The pid file was written before any namespace: a parallel run never takes ours for leftovers.
    process.on('SIGINT', lab.onSignal);
    process.on('SIGTERM', lab.onSignal);
    process.on('exit', lab.onExit);
    try {
      await buildTopology(lab);
    } catch (err) {
      await lab.destroy();
      throw err;
    }
    return lab;
  }

  nsName(role: string): string {
    return `${this.prefix}-${role}`;
  }

  /** Every host that can run a peer (public hosts, hosts behind routers). */
  get hosts(): LabHost[] {
    return [...this.publicHosts, ...[...this.natRouters, ...this.firewallRouters].flatMap((r) => r.hosts)];
  }

  get routers(): LabRouter[] {
    return [...this.natRouters, ...this.firewallRouters];
  }

  host(role: string): LabHost {
    const h = [this.server, ...this.hosts].find((x) => x.role === role);
    if (!h) throw new Error(`lab ${this.prefix}: no host "${role}"`);
    return h;
  }

  router(role: string): LabRouter {
    const r = this.routers.find((x) => x.role === role);
    if (!r) throw new Error(`lab ${this.prefix}: no router "${role}"`);
    return r;
  }

  // ---------------------------------------------------------------- commands

  /** Run a command in the root namespace (only `ip netns`/`ip -n` style commands are used). */
  private async sh(cmd: string, args: string[], input?: string): Promise<ExecResult> {
    return execP(cmd, args, { timeoutMs: this.opts.commandTimeoutMs, ...(input !== undefined ? { input } : {}) });
  }

  /** Run `argv` inside `ns` (bounded by `timeoutMs`); never throws, see `execOk`. */
  exec(ns: string, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
    this.assertOwn(ns);
    return execP('ip', ['netns', 'exec', ns, ...argv], { timeoutMs: opts.timeoutMs ?? this.opts.commandTimeoutMs, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  }

  /** Like exec, but throws with the command's output when it fails. */
  async execOk(ns: string, argv: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<string> {
    const r = await this.exec(ns, argv, opts);
    if (r.code !== 0) throw new Error(`lab ${ns}: \`${argv.join(' ')}\` exited ${r.code}\n${r.stdout}${r.stderr}`.trimEnd());
    return r.stdout;
  }

  /** `ip -n NS ...` (throws on failure). */
  async ip(ns: string, ...args: string[]): Promise<void> {
    this.assertOwn(ns);
    const r = await this.sh('ip', ['-n', ns, ...args]);
    if (r.code !== 0) throw new Error(`lab: \`ip -n ${ns} ${args.join(' ')}\` exited ${r.code}: ${r.stderr.trim()}`);
  }

  /**
   * A long-running process inside `ns` (`ip netns exec` execs it, so the pid is
   * the program's own). Tracked by the lab and by the harness's cleanup().
   */
  spawn(ns: string, name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}, opts: Pick<ProcOptions, 'stdin' | 'echo' | 'maxLines'> = {}): Proc {
    this.assertOwn(ns);
    const p = new Proc(name, ['netns', 'exec', ns, command, ...args], env, { ...opts, command: 'ip' });
    this.procs.add(p);
    void p.exited.then(() => this.procs.delete(p));
    return p;
  }

  /** `node SCRIPT ARGS` inside `ns`. */
  spawnNode(ns: string, name: string, script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, opts: Pick<ProcOptions, 'stdin' | 'echo' | 'maxLines'> = {}): Proc {
    return this.spawn(ns, name, process.execPath, [script, ...args], env, opts);
  }

  /** How many namespaces the lab has made. */
  get namespaceCount(): number {
    return this.namespaces.length;
  }

  /** A new namespace `<prefix>-<role>` with lo up, deleted by destroy() (the topology builder's). */
  async addNamespace(role: string): Promise<string> {
    const ns = this.nsName(role);
    const r = await this.sh('ip', ['netns', 'add', ns]);
    if (r.code !== 0) throw new Error(`lab: ip netns add ${ns} failed: ${r.stderr.trim()}`);
    this.namespaces.push(ns);
    await this.ip(ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A temp dir `<prefix>-<name>-XXXXXX` for a lab-run daemon, removed by destroy(). */
  tempDir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `${this.prefix}-${name}-`));
    this.tempDirs.add(dir);
    return dir;
  }

  /**
   * Reachability from a namespace: a TCP connect to `ip:port` where nothing
   * listens proves a round trip when it is refused (RST came back). No ping needed.
   */
  async probe(ns: string, ip: string, port = 9, timeoutMs = 1000): Promise<'refused' | 'connected' | string> {
    const script = `const s=require('net').connect({host:${JSON.stringify(ip)},port:${port}});` +
      `const t=setTimeout(()=>{console.log('timeout');process.exit(0)},${timeoutMs});` +
      `s.on('connect',()=>{console.log('connected');process.exit(0)});` +
      `s.on('error',e=>{clearTimeout(t);console.log(e.code==='ECONNREFUSED'?'refused':e.code||e.message);process.exit(0)});`;
    const r = await this.exec(ns, [process.execPath, '-e', script], { timeoutMs: timeoutMs + 5000 });
    return (r.stdout.trim() || `exit ${r.code}: ${r.stderr.trim()}`);
  }

  // ------------------------------------------------------------ link emulation (link-emulator.ts)

  /** Whether `role`'s link to the internet goes through a link emulator. */
  emulates(role: string): boolean {
    const e = this.opts.emulate;
    return e === true || (Array.isArray(e) && e.includes(role));
  }

  /** The emulator on `role`'s link to the internet (`srv`, `p1`, `r1`, ...). */
  link(role: string): LinkEmulator {
    const l = this.links.get(role);
    if (!l) throw new Error(`lab ${this.prefix}: ${role}'s link is not emulated (LabOptions.emulate)`);
    return l;
  }

  /** Start the emulator for `role`'s link (the topology builder's); stopped by destroy(). */
  async addLinkEmulator(role: string, outerNs: string, outerIf: string, innerNs: string, innerIf: string): Promise<LinkEmulator> {
    this.assertOwn(outerNs);
    this.assertOwn(innerNs);
    const l = await LinkEmulator.start(`${this.prefix}/${role}`, outerNs, outerIf, innerNs, innerIf);
    this.links.set(role, l);
    return l;
  }

  // ------------------------------------------------------------ router modes (router.ts)

  /** Replace a router's iptables rules with those of `mode`, then flush its conntrack table. */
  setMode(router: LabRouter | string, mode: RouterMode): Promise<void> {
    return setMode(this, router, mode);
  }

  /** Flush conntrack in the given namespaces (default: every router). */
  flushConntrack(namespaces?: string[]): Promise<void> {
    return flushConntrack(this, namespaces);
  }

  /** Current conntrack table of a namespace (for failure messages). */
  conntrack(ns: string): Promise<string> {
    return conntrack(this, ns);
  }

  /** A second, non-reserved WAN address for NAT router `router` (see router.ts). */
  enablePublicAddress(router: LabRouter | string): Promise<string> {
    return enablePublicAddress(this, router);
  }

  // ------------------------------------------------------------ counters (counters.ts)

  /** UDP bytes in and out of a host namespace since the last reset. */
  udpBytes(ns: string): Promise<{ in: number; out: number }> {
    return this.counters.bytes(ns);
  }

  resetUdpBytes(ns: string): Promise<void> {
    return this.counters.reset(ns);
  }

  // ------------------------------------------------------------ services (miniupnpd.ts)

  /** miniupnpd in NAT router `router` (see miniupnpd.ts); killed by destroy(). */
  startMiniupnpd(router: LabRouter | string, opts: MiniupnpdOptions = {}): Promise<Miniupnpd> {
    return startMiniupnpd(this, router, opts);
  }

  // ------------------------------------------------------------ topology (topology.ts)

  /** A summary of the topology for logs. */
  describe(): string {
    return describeLab(this);
  }

  private assertOwn(ns: string): void {
    if (!ns.startsWith(`${this.prefix}-`)) throw new Error(`lab ${this.prefix}: refusing to touch namespace ${ns} (not ours)`);
  }

  // ---------------------------------------------------------------- teardown

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await Promise.all([...this.procs].map((p) => p.stop('SIGKILL', 1000)));
    this.destroySync();
  }

  /** Synchronous teardown (signal and exit handlers). Idempotent. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const p of this.procs) {
      try {
        p.child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
    this.procs.clear();
    for (const l of this.links.values()) l.stop();
    this.links.clear();
    for (const d of this.tempDirs) rmSync(d, { recursive: true, force: true });
    this.tempDirs.clear();
    // Hosts first, the internet last.
    for (const ns of [...this.namespaces].reverse()) removeNamespaceSync(ns);
    // Anything of ours that escaped the list (a failure between add and push).
    for (const ns of listNamespaces()) if (ns.startsWith(`${this.prefix}-`)) removeNamespaceSync(ns);
    releasePrefix(this.prefix);
    // Only now: a SIGTERM arriving while we clean up (node --test's runner sends one
    // after the SIGINT) must find our handler, not the default action that kills us
    // half-way through.
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}
