/**
 * NAT lab: network namespaces, veths and a bridge that model "the internet", NAT
 * routers in several behaviours and hosts behind them, so the real `p2prc` CLI can
 * be run across NATs on one machine.
 *
 * Everything lives in namespaces this library creates; nothing is added to the
 * root namespace (veths are created directly inside their namespaces with
 * `ip -n NS link add ... peer ... netns OTHER`). Only documentation prefixes are
 * used: 203.0.113.0/24 is the internet, 198.51.100.0/24 holds routed public LANs
 * behind firewalls (and the address of a silent sink), 192.168.x.0/24 sits behind
 * NAT routers.
 *
 * Topology (names are `<prefix>-<role>`, prefix `p2l` + 4 random hex digits):
 *
 *   inet  bridge br0 = the internet; 203.0.113.254 is its core router, whose
 *         default route goes into a silent sink (a veth pair whose far end drops
 *         everything), so packets to private addresses vanish instead of failing
 *         with ENETUNREACH. It routes each firewall LAN to its router.
 *   srv   the signal server host: 203.0.113.1 and 203.0.113.2 (RFC 5780 needs two).
 *   pN    public hosts, no NAT: 203.0.113.50, .51, ...
 *   rN    NAT router N (N from 1): WAN 203.0.113.(9+N), LAN bridge 192.168.N.1/24;
 *         modes `eim` or `symmetric` (setMode).
 *   hNa.. hosts behind rN: 192.168.N.2, .3, ... default route via the router.
 *   fK    firewall router K: WAN 203.0.113.(9+natRouters+K), a routed public LAN
 *         198.51.100.(64(K-1)+1)/26 (no address translation); mode `firewall`
 *         (stateful: only replies and related traffic get in) or `open`.
 *   fKa.. hosts behind fK: 198.51.100.(64(K-1)+2), ...
 *
 * For UPnP/NAT-PMP, startMiniupnpd() runs miniupnpd in a NAT router; such a router
 * first gets a lab-only non-reserved address 100.128.0.(9+N) (enablePublicAddress,
 * see UPNP_PUBLIC_NET), the one exception to the documentation prefixes.
 *
 * In every mode a router drops unsolicited packets to its own WAN address
 * (INPUT: ESTABLISHED,RELATED accepted, the rest dropped): otherwise an early
 * hole-punching packet from a peer creates a conntrack entry that collides with
 * the port-preserving mapping and the NAT looks symmetric.
 *
 * Cleanup: destroy() kills every process the lab spawned and every process still
 * inside its namespaces, then deletes the namespaces (veths and bridges go with
 * them). It also runs synchronously on SIGINT/SIGTERM and process exit. create()
 * first removes leftovers of earlier runs (namespaces `p2l????-*` whose owning
 * process, recorded in a pid file, is gone); labs of live parallel runs are kept.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc } from '../helpers.js';
import { isProcessAlive } from '../../src/util/lock.js';

export type RouterMode = 'eim' | 'symmetric' | 'firewall' | 'open';
export type RouterKind = 'nat' | 'firewall';

export interface LabOptions {
  /** Public hosts (no NAT) on the internet bridge. Default 2. */
  publicHosts?: number;
  /** Hosts behind each NAT router; the array length is the router count. Default [2, 1]. */
  natHosts?: number[];
  /** Hosts behind each firewall router (routed public LAN). Default [1, 1]. */
  firewallHosts?: number[];
  /** Initial mode of the NAT routers. Default `eim`. */
  natMode?: 'eim' | 'symmetric';
  /** One-way delay added on every router's WAN link (tc netem; needs sch_netem in the kernel). */
  wanDelayMs?: number;
  /** Per-command timeout for setup commands. Default 10 s. */
  commandTimeoutMs?: number;
  /** Progress lines (e.g. t.diagnostic). */
  log?: (line: string) => void;
}

export interface LabHost {
  /** Role name, e.g. `p1`, `h1a`, `f2a`. */
  role: string;
  ns: string;
  ip: string;
  /** Router the host sits behind; undefined for public hosts and the server. */
  router?: LabRouter;
}

export interface LabRouter {
  role: string;
  ns: string;
  kind: RouterKind;
  wanIp: string;
  lanIp: string;
  lanPrefix: number;
  mode: RouterMode;
  hosts: LabHost[];
  /**
   * NAT routers only, after enablePublicAddress(): a second, non-reserved WAN
   * address (lab-only, see UPNP_PUBLIC_NET) that the router's NAT translates to
   * and that miniupnpd reports as its external address.
   */
  publicIp?: string;
}

/** One port mapping in miniupnpd's lease file (`PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESC`). */
export interface LeaseEntry {
  protocol: string;
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  /** Expiry (seconds; miniupnpd's clock), 0 without a lease time. */
  timestamp: number;
  description: string;
}

export interface MiniupnpdOptions {
  /** UPnP IGD (SSDP + SOAP). Default true. */
  upnp?: boolean;
  /** NAT-PMP/PCP on UDP 5351. Default true. */
  natpmp?: boolean;
  /** Extra lines for miniupnpd.conf. */
  extraConfig?: string[];
}

/** A miniupnpd running in a NAT router's namespace (startMiniupnpd). */
export interface Miniupnpd {
  router: LabRouter;
  proc: Proc;
  dir: string;
  configFile: string;
  leaseFile: string;
  /** The external address it reports (the router's publicIp). */
  externalIp: string;
  /** Its HTTP (device description + SOAP) port on the LAN address; 0 with UPnP off. */
  httpPort: number;
  /** The lease file, parsed (empty when miniupnpd has not written one). */
  leases(): LeaseEntry[];
  /** `nft list table inet miniupnpd` in the router (its DNAT and forward rules). */
  nftRules(): Promise<string>;
  /**
   * Remove miniupnpd's DNAT rules behind its back (and the router's UDP conntrack
   * entries): its mappings stay granted (lease file, SOAP, NAT-PMP) but forward
   * nothing, like a router behind a second NAT.
   */
  breakForwarding(): Promise<void>;
  /** SIGTERM (SIGKILL after 3 s); resolves when it has exited. */
  stop(): Promise<void>;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Namespaces of any lab run: `p2l` + 4 hex digits + `-` + role. */
const NS_PATTERN = /^p2l([0-9a-f]{4})-[a-z0-9]+$/;
const STATE_DIR = join(tmpdir(), 'p2prc-lab');
export const INTERNET = '203.0.113.0/24';
export const SERVER_IPS = ['203.0.113.1', '203.0.113.2'] as const;
const CORE_IP = '203.0.113.254';
const SINK_GW = '198.51.100.254';
const SINK_MAC = '02:00:00:00:00:fe';
/**
 * Lab-only "public" addresses for NAT routers that run miniupnpd: router with WAN
 * 203.0.113.N gets 100.128.0.N. miniupnpd refuses to forward when its external
 * address is private or reserved, the documentation prefixes included ("Reserved /
 * private IP address ... Port forwarding is impossible"), so the lab needs an
 * address outside every reserved block: 100.128.0.0/24 is the first one after the
 * CGNAT block 100.64.0.0/10. It exists only inside the lab: on the router's WAN
 * interface and as a /32 route in the lab's `inet` namespace, which has no link to
 * the root namespace (its default route is the silent sink), so no packet to or
 * from it can leave the lab.
 */
export const UPNP_PUBLIC_NET = '100.128.0.0/24';
const upnpPublicIp = (wanIp: string): string => `100.128.0.${wanIp.split('.')[3]}`;
/** nftables table miniupnpd's nftables backend is pointed at (upnp_table_name / upnp_nat_table_name). */
const MINIUPNPD_TABLE = 'miniupnpd';

function execP(cmd: string, args: string[], opts: { timeoutMs: number; input?: string }): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : (err as { killed?: boolean }).killed ? 124 : 1) : 0;
      resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') + (err && code === 124 ? `\n(killed after ${opts.timeoutMs} ms)` : '') });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

function tryExecSync(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return '';
  }
}


function listNamespaces(): string[] {
  return tryExecSync('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** miniupnpd's lease file: one `PROTO:EPORT:IADDR:IPORT:TIMESTAMP:DESC` line per mapping (pure). */
export function parseLeases(text: string): LeaseEntry[] {
  const out: LeaseEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(TCP|UDP):(\d+):([\d.]+):(\d+):(\d+):(.*)$/.exec(line.trim());
    if (m) out.push({ protocol: m[1]!, externalPort: Number(m[2]), internalAddress: m[3]!, internalPort: Number(m[4]), timestamp: Number(m[5]), description: m[6]! });
  }
  return out;
}

/** Kill every process inside `ns` and delete it (synchronous: usable from exit handlers). */
function removeNamespaceSync(ns: string): void {
  for (const pid of tryExecSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  tryExecSync('ip', ['netns', 'del', ns]);
}

/**
 * Remove namespaces of earlier lab runs whose owner process is gone (or that
 * have no pid file). Labs of runs still alive are left alone.
 */
export function removeLeftovers(log?: (l: string) => void): string[] {
  const removed: string[] = [];
  const byPrefix = new Map<string, string[]>();
  for (const ns of listNamespaces()) {
    const m = NS_PATTERN.exec(ns);
    if (!m) continue;
    const prefix = `p2l${m[1]}`;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), ns]);
  }
  for (const [prefix, list] of byPrefix) {
    let owner = 0;
    try {
      owner = Number(readFileSync(join(STATE_DIR, `${prefix}.pid`), 'utf8').trim());
    } catch {
      /* no pid file: leftover */
    }
    if (owner > 0 && isProcessAlive(owner)) continue;
    for (const ns of list) removeNamespaceSync(ns);
    rmSync(join(STATE_DIR, `${prefix}.pid`), { force: true });
    removed.push(...list);
  }
  // Stale pid files without namespaces.
  try {
    for (const f of readdirSync(STATE_DIR)) {
      const m = /^(p2l[0-9a-f]{4})\.pid$/.exec(f);
      if (!m || byPrefix.has(m[1]!)) continue;
      const pid = Number(readFileSync(join(STATE_DIR, f), 'utf8').trim());
      if (!(pid > 0 && isProcessAlive(pid))) rmSync(join(STATE_DIR, f), { force: true });
    }
  } catch {
    /* no state dir */
  }
  // Temp dirs of daemons (startMiniupnpd) left by runs that died before destroy().
  try {
    for (const f of readdirSync(tmpdir())) {
      const m = /^(p2l[0-9a-f]{4})-miniupnpd-/.exec(f);
      if (!m) continue;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(STATE_DIR, `${m[1]}.pid`), 'utf8').trim());
      } catch {
        /* no pid file: its run is gone */
      }
      if (!(owner > 0 && isProcessAlive(owner))) rmSync(join(tmpdir(), f), { recursive: true, force: true });
    }
  } catch {
    /* unreadable tmpdir */
  }
  if (removed.length) log?.(`lab: removed leftover namespaces ${removed.join(', ')}`);
  return removed;
}

/** Why this machine cannot run the lab, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the NAT lab needs Linux network namespaces';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the NAT lab needs root (network namespaces, iptables)';
  const missing = ['ip', 'iptables', 'iptables-restore', 'conntrack'].filter((b) => !tryExecSync('sh', ['-c', `command -v ${b}`]).trim());
  if (missing.length) return `missing ${missing.join(', ')}: apt-get install -y iptables conntrack iproute2 (.ci/run installs them)`;
  return undefined;
}

export class Lab {
  readonly prefix: string;
  readonly inetNs: string;
  readonly server: LabHost;
  readonly publicHosts: LabHost[] = [];
  readonly natRouters: LabRouter[] = [];
  readonly firewallRouters: LabRouter[] = [];
  private readonly namespaces: string[] = [];
  private readonly procs = new Set<Proc>();
  /** Temp dirs of lab-run daemons (miniupnpd), removed by destroy(). */
  private readonly tempDirs = new Set<string>();
  private readonly opts: Required<Omit<LabOptions, 'wanDelayMs' | 'log'>> & Pick<LabOptions, 'wanDelayMs' | 'log'>;
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
    mkdirSync(STATE_DIR, { recursive: true });
    // A prefix no live run uses (bounded: 65536 prefixes, a handful of runs at most).
    const taken = new Set(listNamespaces().map((ns) => NS_PATTERN.exec(ns)?.[1]).filter(Boolean));
    let prefix = '';
    for (let i = 0; i < 50 && !prefix; i++) {
      const hex = randomBytes(2).toString('hex');
      try {
        // wx: fails when another run holds this prefix's pid file.
        if (!taken.has(hex)) writeFileSync(join(STATE_DIR, `p2l${hex}.pid`), String(process.pid), { flag: 'wx' });
        if (!taken.has(hex)) prefix = `p2l${hex}`;
      } catch {
        /* taken: try another */
      }
    }
    if (!prefix) throw new Error('lab: no free namespace prefix');
    const lab = new Lab(opts, prefix);
    // The pid file was written before any namespace: a parallel run never takes ours for leftovers.
    process.on('SIGINT', lab.onSignal);
    process.on('SIGTERM', lab.onSignal);
    process.on('exit', lab.onExit);
    try {
      await lab.build();
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
   * the program's own). Tracked by the lab and by test/helpers' cleanup().
   */
  spawn(ns: string, name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
    this.assertOwn(ns);
    const p = new Proc(name, ['netns', 'exec', ns, command, ...args], env, { command: 'ip' });
    this.procs.add(p);
    void p.exited.then(() => this.procs.delete(p));
    return p;
  }

  /** `node SCRIPT ARGS` inside `ns`. */
  spawnNode(ns: string, name: string, script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Proc {
    return this.spawn(ns, name, process.execPath, [script, ...args], env);
  }

  /** Flush conntrack in the given namespaces (default: every router). */
  async flushConntrack(namespaces: string[] = this.routers.map((r) => r.ns)): Promise<void> {
    for (const ns of namespaces) {
      const r = await this.exec(ns, ['conntrack', '-F']);
      // conntrack -F on an empty table exits 0 (or 1 on some versions with "0 flow entries"): accept both.
      if (r.code !== 0 && !/flow entries have been deleted|0 flow entries/.test(r.stdout + r.stderr)) {
        throw new Error(`lab ${ns}: conntrack -F exited ${r.code}: ${r.stderr.trim()}`);
      }
    }
  }

  /** Current conntrack table of a namespace (for failure messages). */
  async conntrack(ns: string): Promise<string> {
    const r = await this.exec(ns, ['conntrack', '-L']);
    return (r.stdout + r.stderr).trim();
  }

  /** Replace a router's iptables rules with those of `mode`, then flush its conntrack table. */
  async setMode(router: LabRouter | string, mode: RouterMode): Promise<void> {
    const r = typeof router === 'string' ? this.router(router) : router;
    if (r.kind === 'nat' && mode !== 'eim' && mode !== 'symmetric') throw new Error(`lab: NAT router ${r.role} supports eim|symmetric, not ${mode}`);
    if (r.kind === 'firewall' && mode !== 'firewall' && mode !== 'open') throw new Error(`lab: firewall router ${r.role} supports firewall|open, not ${mode}`);
    const filter = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      // Nothing unsolicited reaches the router itself from the internet.
      '-A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      '-A INPUT -i wan -j DROP',
      ...(mode === 'open'
        ? []
        : [
            // Stateful: from the internet only replies (and ICMP errors about our flows) are forwarded.
            '-A FORWARD -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
            // With a public address (miniupnpd): also what a port mapping's DNAT redirected.
            ...(r.publicIp ? ['-A FORWARD -i wan -m conntrack --ctstate DNAT -j ACCEPT'] : []),
            '-A FORWARD -i wan -j DROP',
          ]),
      'COMMIT',
    ];
    const nat = [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':INPUT ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      // eim: Linux keeps the source port when it can, and one mapping serves every
      // destination (endpoint-independent mapping). symmetric: a random port per
      // (source, destination) tuple (address-and-port-dependent mapping).
      // With a public address the router translates to it instead (same port behaviour).
      ...(mode === 'eim' || mode === 'symmetric'
        ? [`-A POSTROUTING -o wan -j ${r.publicIp ? `SNAT --to-source ${r.publicIp}` : 'MASQUERADE'}${mode === 'symmetric' ? ' --random-fully' : ''}`]
        : []),
      'COMMIT',
    ];
    const rules = [...filter, ...nat, ''].join('\n');
    const res = await this.exec(r.ns, ['iptables-restore'], { input: rules });
    if (res.code !== 0) throw new Error(`lab ${r.ns}: iptables-restore for mode ${mode} exited ${res.code}: ${res.stderr.trim()}\n${rules}`);
    r.mode = mode;
    await this.flushConntrack([r.ns]);
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

  /**
   * UDP bytes in and out of a namespace since the last reset (iptables counters
   * in that namespace; the rules count and accept nothing extra). On the server
   * host this tells relayed tunnel traffic from a direct path, whatever the
   * peers report.
   */
  async udpBytes(ns: string): Promise<{ in: number; out: number }> {
    await this.ensureCounters(ns);
    const text = await this.execOk(ns, ['iptables', '-w', '-nvxL', 'P2L_COUNT']);
    const res = { in: 0, out: 0 };
    for (const line of text.split('\n')) {
      // pkts bytes target prot opt in out source destination [comment]
      const m = /^\s*\d+\s+(\d+)\s+.*\/\* (in|out) \*\//.exec(line);
      if (m) res[m[2] as 'in' | 'out'] += Number(m[1]);
    }
    return res;
  }

  async resetUdpBytes(ns: string): Promise<void> {
    await this.ensureCounters(ns);
    await this.execOk(ns, ['iptables', '-w', '-Z', 'P2L_COUNT']);
  }

  private readonly counting = new Set<string>();
  private async ensureCounters(ns: string): Promise<void> {
    if (this.counting.has(ns)) return;
    if (this.routers.some((r) => r.ns === ns)) throw new Error(`lab: counters on router ${ns} would be replaced by setMode; count on hosts`);
    const rules = [
      '*filter',
      ':P2L_COUNT - [0:0]',
      '-A INPUT -p udp -j P2L_COUNT',
      '-A OUTPUT -p udp -j P2L_COUNT',
      '-A P2L_COUNT -m addrtype --dst-type LOCAL -m comment --comment in',
      '-A P2L_COUNT -m addrtype ! --dst-type LOCAL -m comment --comment out',
      '-A P2L_COUNT -j RETURN',
      'COMMIT',
      '',
    ].join('\n');
    await this.execOk(ns, ['iptables-restore', '--noflush'], { input: rules });
    this.counting.add(ns);
  }

  // ------------------------------------------------------------ port mapping

  /**
   * Give NAT router `router` a second, non-reserved WAN address (100.128.0.N, see
   * UPNP_PUBLIC_NET), routed to it by the internet core, and re-apply its mode so
   * that its NAT translates to that address (SNAT instead of MASQUERADE, same
   * port behaviour) and its filter forwards what a DNAT rule (a miniupnpd port
   * mapping) redirected. Idempotent; routers never given one behave as before.
   */
  async enablePublicAddress(router: LabRouter | string): Promise<string> {
    const r = typeof router === 'string' ? this.router(router) : router;
    if (r.kind !== 'nat') throw new Error(`lab: ${r.role} is not a NAT router`);
    if (r.publicIp) return r.publicIp;
    const ip = upnpPublicIp(r.wanIp);
    await this.ip(r.ns, 'addr', 'add', `${ip}/32`, 'dev', 'wan');
    await this.ip(this.inetNs, 'route', 'add', `${ip}/32`, 'via', r.wanIp, 'dev', 'br0');
    r.publicIp = ip;
    await this.setMode(r, r.mode);
    return ip;
  }

  /**
   * Run Debian's miniupnpd (nftables backend) in NAT router `router`, in the
   * foreground, with its config, pid and lease files in a temp dir: WAN `wan` with
   * the router's public address (enablePublicAddress), LAN bridge `lan`, secure
   * mode, mappings of ports >= 1024 for 192.168.0.0/16 only. Its nftables table
   * (`inet miniupnpd`: DNAT in prerouting, accept in forward) is created fresh
   * first, as Debian's nft_init.sh would (needs `nft`). Tracked like spawn():
   * killed by destroy(), also on failure.
   */
  async startMiniupnpd(router: LabRouter | string, opts: MiniupnpdOptions = {}): Promise<Miniupnpd> {
    const r = typeof router === 'string' ? this.router(router) : router;
    // /usr/sbin may be missing from PATH: resolve both binaries once.
    const bin = (b: string): string => tryExecSync('sh', ['-c', `command -v ${b} || command -v /usr/sbin/${b}`]).trim().split('\n')[0] ?? '';
    const [miniupnpd, nft] = [bin('miniupnpd'), bin('nft')];
    const missing = [miniupnpd ? '' : 'miniupnpd', nft ? '' : 'nft'].filter(Boolean);
    if (missing.length) throw new Error(`lab: missing ${missing.join(', ')}: apt-get install -y miniupnpd nftables (the nftables backend needs its table set up with nft)`);
    const externalIp = await this.enablePublicAddress(r);
    const T = MINIUPNPD_TABLE;
    // Declaring then deleting makes the load idempotent (a restart starts from no rules).
    const ruleset = [
      `table inet ${T} {}`,
      `delete table inet ${T}`,
      `table inet ${T} {`,
      '  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }',
      '  chain miniupnpd { }',
      '  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }',
      '  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }',
      '  chain prerouting_miniupnpd { }',
      '  chain postrouting_miniupnpd { }',
      '}',
      '',
    ].join('\n');
    await this.execOk(r.ns, [nft, '-f', '-'], { input: ruleset });
    const dir = mkdtempSync(join(tmpdir(), `${this.prefix}-miniupnpd-`));
    this.tempDirs.add(dir);
    const configFile = join(dir, 'miniupnpd.conf');
    const leaseFile = join(dir, 'leases');
    writeFileSync(configFile, [
      'ext_ifname=wan',
      `ext_ip=${externalIp}`,
      'listening_ip=lan',
      'http_port=0',
      `enable_natpmp=${opts.natpmp === false ? 'no' : 'yes'}`,
      `enable_upnp=${opts.upnp === false ? 'no' : 'yes'}`,
      'secure_mode=yes',
      'ipv6_disable=yes',
      'system_uptime=yes',
      `uuid=${randomUUID()}`,
      `lease_file=${leaseFile}`,
      `upnp_table_name=${T}`,
      `upnp_nat_table_name=${T}`,
      ...(opts.extraConfig ?? []),
      'allow 1024-65535 192.168.0.0/16 1024-65535',
      'deny 0-65535 0.0.0.0/0 0-65535',
      '',
    ].join('\n'));
    const proc = this.spawn(r.ns, `miniupnpd@${r.role}`, miniupnpd, ['-f', configFile, '-d', '-P', join(dir, 'miniupnpd.pid')]);
    try {
      await proc.waitFor(/version [\d.]+ starting/, 'any', 10_000);
      const http = opts.upnp === false ? undefined : await proc.waitFor(/HTTP listening on port (\d+)/, 'any', 10_000);
      if (opts.natpmp !== false) await proc.waitFor(/Listening for NAT-PMP/, 'any', 10_000);
      const lab = this;
      return {
        router: r,
        proc,
        dir,
        configFile,
        leaseFile,
        externalIp,
        httpPort: http ? Number(http[1]) : 0,
        leases: () => (existsSync(leaseFile) ? parseLeases(readFileSync(leaseFile, 'utf8')) : []),
        nftRules: () => lab.execOk(r.ns, [nft, 'list', 'table', 'inet', T]),
        breakForwarding: async () => {
          await lab.execOk(r.ns, [nft, 'flush', 'chain', 'inet', T, 'prerouting_miniupnpd']);
          // Flows already redirected go too (UDP only: the peers' signalling stays up).
          await lab.exec(r.ns, ['conntrack', '-D', '-p', 'udp']);
        },
        stop: async () => {
          await proc.stop('SIGTERM', 3000);
        },
      };
    } catch (err) {
      await proc.stop('SIGKILL', 1000);
      throw err;
    }
  }

  // ------------------------------------------------------------------ build

  private assertOwn(ns: string): void {
    if (!ns.startsWith(`${this.prefix}-`)) throw new Error(`lab ${this.prefix}: refusing to touch namespace ${ns} (not ours)`);
  }

  private async addNs(role: string): Promise<string> {
    const ns = this.nsName(role);
    const r = await this.sh('ip', ['netns', 'add', ns]);
    if (r.code !== 0) throw new Error(`lab: ip netns add ${ns} failed: ${r.stderr.trim()}`);
    this.namespaces.push(ns);
    await this.ip(ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  private async sysctl(ns: string, kv: string): Promise<void> {
    await this.execOk(ns, ['sysctl', '-q', '-w', kv]);
  }

  /** A veth from `aNs` (named `aIf`) to `bNs` (named `bIf`), both ends up. */
  private async veth(aNs: string, aIf: string, bNs: string, bIf: string): Promise<void> {
    await this.ip(aNs, 'link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf, 'netns', bNs);
    await this.ip(aNs, 'link', 'set', aIf, 'up');
    await this.ip(bNs, 'link', 'set', bIf, 'up');
  }

  /** A host namespace on `bridgeNs`'s bridge `bridge`, with address and default route. */
  private async attachHost(role: string, bridgeNs: string, bridge: string, ip: string, prefix: number, gw: string): Promise<string> {
    const ns = await this.addNs(role);
    const port = `v-${role}`;
    await this.veth(bridgeNs, port, ns, 'eth0');
    await this.ip(bridgeNs, 'link', 'set', port, 'master', bridge);
    await this.ip(ns, 'addr', 'add', `${ip}/${prefix}`, 'dev', 'eth0');
    await this.ip(ns, 'route', 'add', 'default', 'via', gw, 'dev', 'eth0');
    return ns;
  }

  private async build(): Promise<void> {
    const t0 = performance.now();
    const log = this.opts.log;
    // The internet: bridge br0, core router 203.0.113.254, default route into a silent sink.
    const inet = await this.addNs('inet');
    await this.ip(inet, 'link', 'add', 'br0', 'type', 'bridge');
    await this.ip(inet, 'link', 'set', 'br0', 'up');
    await this.ip(inet, 'addr', 'add', `${CORE_IP}/24`, 'dev', 'br0');
    await this.ip(inet, 'link', 'add', 'sink0', 'type', 'veth', 'peer', 'name', 'sink1');
    await this.ip(inet, 'link', 'set', 'sink0', 'up');
    await this.ip(inet, 'link', 'set', 'sink1', 'up');
    // Frames to a MAC nobody has: the far end of the veth drops them silently.
    await this.ip(inet, 'neigh', 'replace', SINK_GW, 'lladdr', SINK_MAC, 'dev', 'sink0', 'nud', 'permanent');
    await this.ip(inet, 'route', 'add', 'default', 'via', SINK_GW, 'dev', 'sink0', 'onlink');
    await this.sysctl(inet, 'net.ipv4.ip_forward=1');
    await this.sysctl(inet, 'net.ipv4.conf.all.send_redirects=0');
    await this.sysctl(inet, 'net.ipv4.conf.br0.send_redirects=0');

    // The signal server host, two addresses.
    const srv = await this.attachHost('srv', inet, 'br0', SERVER_IPS[0], 24, CORE_IP);
    await this.ip(srv, 'addr', 'add', `${SERVER_IPS[1]}/24`, 'dev', 'eth0');

    for (let i = 0; i < this.opts.publicHosts; i++) {
      const role = `p${i + 1}`;
      const ip = `203.0.113.${50 + i}`;
      this.publicHosts.push({ role, ns: await this.attachHost(role, inet, 'br0', ip, 24, CORE_IP), ip });
    }

    let wanIdx = 0;
    const addRouter = async (role: string, kind: RouterKind, lanIp: string, lanPrefix: number, hostIps: string[]): Promise<LabRouter> => {
      const ns = await this.addNs(role);
      const wanIp = `203.0.113.${10 + wanIdx++}`;
      await this.veth(inet, `v-${role}`, ns, 'wan');
      await this.ip(inet, 'link', 'set', `v-${role}`, 'master', 'br0');
      await this.ip(ns, 'addr', 'add', `${wanIp}/24`, 'dev', 'wan');
      await this.ip(ns, 'route', 'add', 'default', 'via', CORE_IP, 'dev', 'wan');
      await this.ip(ns, 'link', 'add', 'lan', 'type', 'bridge');
      await this.ip(ns, 'link', 'set', 'lan', 'up');
      await this.ip(ns, 'addr', 'add', `${lanIp}/${lanPrefix}`, 'dev', 'lan');
      await this.sysctl(ns, 'net.ipv4.ip_forward=1');
      if (this.opts.wanDelayMs) {
        const r = await this.exec(ns, ['tc', 'qdisc', 'add', 'dev', 'wan', 'root', 'netem', 'delay', `${this.opts.wanDelayMs}ms`]);
        if (r.code !== 0) throw new Error(`lab: wanDelayMs needs tc netem (kernel sch_netem): ${r.stderr.trim()}`);
      }
      const router: LabRouter = { role, ns, kind, wanIp, lanIp, lanPrefix, mode: kind === 'nat' ? this.opts.natMode : 'firewall', hosts: [] };
      for (const [j, ip] of hostIps.entries()) {
        const hrole = `${role.replace(/^r/, 'h')}${String.fromCharCode(97 + j)}`;
        router.hosts.push({ role: hrole, ns: await this.attachHost(hrole, ns, 'lan', ip, lanPrefix, lanIp), ip, router });
      }
      await this.setMode(router, router.mode);
      return router;
    };

    for (const [i, n] of this.opts.natHosts.entries()) {
      const net = `192.168.${i + 1}`;
      this.natRouters.push(await addRouter(`r${i + 1}`, 'nat', `${net}.1`, 24, Array.from({ length: n }, (_, j) => `${net}.${j + 2}`)));
    }
    for (const [k, n] of this.opts.firewallHosts.entries()) {
      if (k > 2) throw new Error('lab: at most 3 firewall routers (198.51.100.0/26 blocks; .192/26 holds the sink)');
      const base = 64 * k;
      const r = await addRouter(`f${k + 1}`, 'firewall', `198.51.100.${base + 1}`, 26, Array.from({ length: n }, (_, j) => `198.51.100.${base + 2 + j}`));
      // The internet routes the firewall's public LAN to it.
      await this.ip(inet, 'route', 'add', `198.51.100.${base}/26`, 'via', r.wanIp, 'dev', 'br0');
      this.firewallRouters.push(r);
    }
    log?.(`lab ${this.prefix}: ${this.namespaces.length} namespaces in ${Math.round(performance.now() - t0)} ms`);
    await this.checkReachability();
  }

  /** Fail fast, and clearly, when the lab cannot route: every host must reach the server. */
  private async checkReachability(): Promise<void> {
    const failures: string[] = [];
    await Promise.all(
      this.hosts.map(async (h) => {
        let last = '';
        for (let attempt = 0; attempt < 3; attempt++) {
          last = await this.probe(h.ns, SERVER_IPS[0]);
          if (last === 'refused') return;
        }
        failures.push(`${h.role} (${h.ip}${h.router ? ` behind ${h.router.role} ${h.router.mode}` : ''}): ${last}`);
      }),
    );
    // And the second server address (behaviour discovery needs both).
    const alt = await this.probe(this.publicHosts[0]?.ns ?? this.hosts[0]!.ns, SERVER_IPS[1]);
    if (alt !== 'refused') failures.push(`${SERVER_IPS[1]} from ${this.publicHosts[0]?.role ?? this.hosts[0]!.role}: ${alt}`);
    if (failures.length) {
      const routes = await this.exec(this.inetNs, ['ip', 'route']);
      throw new Error(`lab ${this.prefix}: hosts cannot reach the server ${SERVER_IPS[0]}:\n  ${failures.join('\n  ')}\ninet routes:\n${routes.stdout}`);
    }
  }

  /** A summary of the topology for logs. */
  describe(): string {
    const lines = [`lab ${this.prefix}: internet ${INTERNET} (ns ${this.inetNs}), server ${SERVER_IPS.join(' + ')} (ns ${this.server.ns})`];
    for (const h of this.publicHosts) lines.push(`  public ${h.role} ${h.ip}`);
    for (const r of this.routers) lines.push(`  ${r.kind} router ${r.role} WAN ${r.wanIp} LAN ${r.lanIp}/${r.lanPrefix} mode ${r.mode}: ${r.hosts.map((h) => `${h.role} ${h.ip}`).join(', ')}`);
    return lines.join('\n');
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
    for (const d of this.tempDirs) rmSync(d, { recursive: true, force: true });
    this.tempDirs.clear();
    // Hosts first, the internet last.
    for (const ns of [...this.namespaces].reverse()) removeNamespaceSync(ns);
    // Anything of ours that escaped the list (a failure between add and push).
    for (const ns of listNamespaces()) if (ns.startsWith(`${this.prefix}-`)) removeNamespaceSync(ns);
    rmSync(join(STATE_DIR, `${this.prefix}.pid`), { force: true });
    // Only now: a SIGTERM arriving while we clean up (node --test's runner sends one
    // after the SIGINT) must find our handler, not the default action that kills us
    // half-way through.
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}
