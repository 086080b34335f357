/**
 * The NAT lab's topology: network namespaces, veths and bridges that model "the
 * internet", NAT and firewall routers and the hosts behind them, their addresses
 * and routes, built in one go and checked for reachability.
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
 * Router behaviours are in router.ts, teardown in lab.ts and namespaces.ts.
 */
import type { Lab } from './lab.js';
import { setMode, type RouterKind, type RouterMode } from './router.js';

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
  /**
   * Links to the internet bridge built through the userspace link emulator
   * (link-emulator.ts) instead of a veth pair: `true` for every one (server,
   * public hosts, routers), or a list of roles (`srv`, `p1`, `r1`, `f1`, ...).
   * Shape them with lab.link(role).set(...) or shapePath(). Default none.
   */
  emulate?: boolean | string[];
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

export const INTERNET = '203.0.113.0/24';
export const SERVER_IPS = ['203.0.113.1', '203.0.113.2'] as const;
/** The internet's core router on br0. */
const CORE_IP = '203.0.113.254';
/** The core's default gateway: a neighbour entry to a MAC nobody has, behind a veth whose far end drops everything. */
const SINK_GW = '198.51.100.254';
const SINK_MAC = '02:00:00:00:00:fe';

async function sysctl(lab: Lab, ns: string, kv: string): Promise<void> {
  await lab.execOk(ns, ['sysctl', '-q', '-w', kv]);
}

/** A veth from `aNs` (named `aIf`) to `bNs` (named `bIf`), both ends up. */
async function veth(lab: Lab, aNs: string, aIf: string, bNs: string, bIf: string): Promise<void> {
  await lab.ip(aNs, 'link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf, 'netns', bNs);
  await lab.ip(aNs, 'link', 'set', aIf, 'up');
  await lab.ip(bNs, 'link', 'set', bIf, 'up');
}

/**
 * The link of `role` to the internet: a veth pair, or, when the lab emulates this
 * role's link, two TAP devices bridged by the link emulator (txqueuelen raised so
 * the kernel does not drop a burst before the emulator reads it).
 */
async function internetLink(lab: Lab, role: string, inetNs: string, outerIf: string, innerNs: string, innerIf: string): Promise<void> {
  if (!lab.emulates(role)) return veth(lab, inetNs, outerIf, innerNs, innerIf);
  await lab.addLinkEmulator(role, inetNs, outerIf, innerNs, innerIf);
  for (const [ns, dev] of [[inetNs, outerIf], [innerNs, innerIf]] as const) {
    await lab.ip(ns, 'link', 'set', dev, 'txqueuelen', '10000');
    await lab.ip(ns, 'link', 'set', dev, 'up');
  }
}

/** A host namespace on `bridgeNs`'s bridge `bridge`, with address and default route. */
async function attachHost(lab: Lab, role: string, bridgeNs: string, bridge: string, ip: string, prefix: number, gw: string): Promise<string> {
  const ns = await lab.addNamespace(role);
  const port = `v-${role}`;
  if (bridge === 'br0') await internetLink(lab, role, bridgeNs, port, ns, 'eth0');
  else await veth(lab, bridgeNs, port, ns, 'eth0');
  await lab.ip(bridgeNs, 'link', 'set', port, 'master', bridge);
  await lab.ip(ns, 'addr', 'add', `${ip}/${prefix}`, 'dev', 'eth0');
  await lab.ip(ns, 'route', 'add', 'default', 'via', gw, 'dev', 'eth0');
  return ns;
}

/** Build the whole topology into `lab` (its host and router lists), then check that every host reaches the server. */
export async function buildTopology(lab: Lab): Promise<void> {
  const t0 = performance.now();
  const log = lab.opts.log;
  // The internet: bridge br0, core router 203.0.113.254, default route into a silent sink.
  const inet = await lab.addNamespace('inet');
  await lab.ip(inet, 'link', 'add', 'br0', 'type', 'bridge');
  await lab.ip(inet, 'link', 'set', 'br0', 'up');
  await lab.ip(inet, 'addr', 'add', `${CORE_IP}/24`, 'dev', 'br0');
  await lab.ip(inet, 'link', 'add', 'sink0', 'type', 'veth', 'peer', 'name', 'sink1');
  await lab.ip(inet, 'link', 'set', 'sink0', 'up');
  await lab.ip(inet, 'link', 'set', 'sink1', 'up');
  // Frames to a MAC nobody has: the far end of the veth drops them silently.
  await lab.ip(inet, 'neigh', 'replace', SINK_GW, 'lladdr', SINK_MAC, 'dev', 'sink0', 'nud', 'permanent');
  await lab.ip(inet, 'route', 'add', 'default', 'via', SINK_GW, 'dev', 'sink0', 'onlink');
  await sysctl(lab, inet, 'net.ipv4.ip_forward=1');
  await sysctl(lab, inet, 'net.ipv4.conf.all.send_redirects=0');
  await sysctl(lab, inet, 'net.ipv4.conf.br0.send_redirects=0');

  // The signal server host, two addresses.
  const srv = await attachHost(lab, 'srv', inet, 'br0', SERVER_IPS[0], 24, CORE_IP);
  await lab.ip(srv, 'addr', 'add', `${SERVER_IPS[1]}/24`, 'dev', 'eth0');

  for (let i = 0; i < lab.opts.publicHosts; i++) {
    const role = `p${i + 1}`;
    const ip = `203.0.113.${50 + i}`;
    lab.publicHosts.push({ role, ns: await attachHost(lab, role, inet, 'br0', ip, 24, CORE_IP), ip });
  }

  let wanIdx = 0;
  const addRouter = async (role: string, kind: RouterKind, lanIp: string, lanPrefix: number, hostIps: string[]): Promise<LabRouter> => {
    const ns = await lab.addNamespace(role);
    const wanIp = `203.0.113.${10 + wanIdx++}`;
    await internetLink(lab, role, inet, `v-${role}`, ns, 'wan');
    await lab.ip(inet, 'link', 'set', `v-${role}`, 'master', 'br0');
    await lab.ip(ns, 'addr', 'add', `${wanIp}/24`, 'dev', 'wan');
    await lab.ip(ns, 'route', 'add', 'default', 'via', CORE_IP, 'dev', 'wan');
    await lab.ip(ns, 'link', 'add', 'lan', 'type', 'bridge');
    await lab.ip(ns, 'link', 'set', 'lan', 'up');
    await lab.ip(ns, 'addr', 'add', `${lanIp}/${lanPrefix}`, 'dev', 'lan');
    await sysctl(lab, ns, 'net.ipv4.ip_forward=1');
    if (lab.opts.wanDelayMs) {
      const r = await lab.exec(ns, ['tc', 'qdisc', 'add', 'dev', 'wan', 'root', 'netem', 'delay', `${lab.opts.wanDelayMs}ms`]);
      if (r.code !== 0) throw new Error(`lab: wanDelayMs needs tc netem (kernel sch_netem): ${r.stderr.trim()}`);
    }
    const router: LabRouter = { role, ns, kind, wanIp, lanIp, lanPrefix, mode: kind === 'nat' ? lab.opts.natMode : 'firewall', hosts: [] };
    for (const [j, ip] of hostIps.entries()) {
      const hrole = `${role.replace(/^r/, 'h')}${String.fromCharCode(97 + j)}`;
      router.hosts.push({ role: hrole, ns: await attachHost(lab, hrole, ns, 'lan', ip, lanPrefix, lanIp), ip, router });
    }
    await setMode(lab, router, router.mode);
    return router;
  };

  for (const [i, n] of lab.opts.natHosts.entries()) {
    const net = `192.168.${i + 1}`;
    lab.natRouters.push(await addRouter(`r${i + 1}`, 'nat', `${net}.1`, 24, Array.from({ length: n }, (_, j) => `${net}.${j + 2}`)));
  }
  for (const [k, n] of lab.opts.firewallHosts.entries()) {
    if (k > 2) throw new Error('lab: at most 3 firewall routers (198.51.100.0/26 blocks; .192/26 holds the sink)');
    const base = 64 * k;
    const r = await addRouter(`f${k + 1}`, 'firewall', `198.51.100.${base + 1}`, 26, Array.from({ length: n }, (_, j) => `198.51.100.${base + 2 + j}`));
    // The internet routes the firewall's public LAN to it.
    await lab.ip(inet, 'route', 'add', `198.51.100.${base}/26`, 'via', r.wanIp, 'dev', 'br0');
    lab.firewallRouters.push(r);
  }
  log?.(`lab ${lab.prefix}: ${lab.namespaceCount} namespaces in ${Math.round(performance.now() - t0)} ms`);
  await checkReachability(lab);
}

/** Fail fast, and clearly, when the lab cannot route: every host must reach the server. */
async function checkReachability(lab: Lab): Promise<void> {
  const failures: string[] = [];
  await Promise.all(
    lab.hosts.map(async (h) => {
      let last = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        last = await lab.probe(h.ns, SERVER_IPS[0]);
        if (last === 'refused') return;
      }
      failures.push(`${h.role} (${h.ip}${h.router ? ` behind ${h.router.role} ${h.router.mode}` : ''}): ${last}`);
    }),
  );
  // And the second server address (behaviour discovery needs both).
  const alt = await lab.probe(lab.publicHosts[0]?.ns ?? lab.hosts[0]!.ns, SERVER_IPS[1]);
  if (alt !== 'refused') failures.push(`${SERVER_IPS[1]} from ${lab.publicHosts[0]?.role ?? lab.hosts[0]!.role}: ${alt}`);
  if (failures.length) {
    const routes = await lab.exec(lab.inetNs, ['ip', 'route']);
    throw new Error(`lab ${lab.prefix}: hosts cannot reach the server ${SERVER_IPS[0]}:\n  ${failures.join('\n  ')}\ninet routes:\n${routes.stdout}`);
  }
}

/** A summary of the topology for logs. */
export function describeLab(lab: Lab): string {
  const lines = [`lab ${lab.prefix}: internet ${INTERNET} (ns ${lab.inetNs}), server ${SERVER_IPS.join(' + ')} (ns ${lab.server.ns})`];
  for (const h of lab.publicHosts) lines.push(`  public ${h.role} ${h.ip}`);
  for (const r of lab.routers) lines.push(`  ${r.kind} router ${r.role} WAN ${r.wanIp} LAN ${r.lanIp}/${r.lanPrefix} mode ${r.mode}: ${r.hosts.map((h) => `${h.role} ${h.ip}`).join(', ')}`);
  return lines.join('\n');
}
