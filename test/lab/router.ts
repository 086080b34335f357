/**
 * Router behaviours, as Tailscale's natlab keeps its NAT and firewall types
 * apart from the topology: each mode is an `iptables-restore` rule set applied
 * inside the router's namespace, then its conntrack table is flushed.
 *
 *   eim        NAT, endpoint-independent mapping (MASQUERADE keeps the port)
 *   symmetric  NAT, a random port per destination (MASQUERADE --random-fully)
 *   firewall   no translation, stateful: only replies get in (routed public LAN)
 *   open       no translation, no filter
 *   udp-blocked   NAT as eim, and no UDP leaves the LAN (hotel, corporate and some mobile networks)
 *   tcp443-only   NAT as eim, and only TCP to port 443 leaves the LAN (firewalls that pass only HTTPS)
 *
 * In every mode a router drops unsolicited packets to its own WAN address
 * (INPUT: ESTABLISHED,RELATED accepted, the rest dropped): otherwise an early
 * hole-punching packet from a peer creates a conntrack entry that collides with
 * the port-preserving mapping and the NAT looks symmetric.
 *
 * For UPnP a NAT router can get a second, lab-only public address
 * (enablePublicAddress) that its NAT translates to.
 */
import type { Lab } from './lab.js';
import type { LabRouter } from './topology.js';

export type RouterMode = 'eim' | 'symmetric' | 'firewall' | 'open' | 'udp-blocked' | 'tcp443-only';
/** The modes of a NAT router (the others are a firewall router's). */
export const NAT_MODES: readonly RouterMode[] = ['eim', 'symmetric', 'udp-blocked', 'tcp443-only'];
export type RouterKind = 'nat' | 'firewall';

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

/** The `iptables-restore` input (filter and nat tables) that gives router `r` mode `mode`. */
export function routerRules(r: LabRouter, mode: RouterMode): string {
  const filter = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    // Nothing unsolicited reaches the router itself from the internet.
    '-A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '-A INPUT -i wan -j DROP',
    // Outbound restrictions first: from the LAN, UDP dropped, or everything but TCP to 443.
    ...(mode === 'udp-blocked' ? ['-A FORWARD -o wan -p udp -j DROP'] : []),
    ...(mode === 'tcp443-only' ? ['-A FORWARD -o wan -p tcp --dport 443 -j ACCEPT', '-A FORWARD -o wan -j DROP'] : []),
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
    ...(mode !== 'open' && mode !== 'firewall'
      ? [`-A POSTROUTING -o wan -j ${r.publicIp ? `SNAT --to-source ${r.publicIp}` : 'MASQUERADE'}${mode === 'symmetric' ? ' --random-fully' : ''}`]
      : []),
    'COMMIT',
  ];
  return [...filter, ...nat, ''].join('\n');
}

/** Replace a router's iptables rules with those of `mode`, then flush its conntrack table. */
export async function setMode(lab: Lab, router: LabRouter | string, mode: RouterMode): Promise<void> {
  const r = typeof router === 'string' ? lab.router(router) : router;
  if (r.kind === 'nat' && !NAT_MODES.includes(mode)) throw new Error(`lab: NAT router ${r.role} supports ${NAT_MODES.join('|')}, not ${mode}`);
  if (r.kind === 'firewall' && mode !== 'firewall' && mode !== 'open') throw new Error(`lab: firewall router ${r.role} supports firewall|open, not ${mode}`);
  const rules = routerRules(r, mode);
  const res = await lab.exec(r.ns, ['iptables-restore'], { input: rules });
  if (res.code !== 0) throw new Error(`lab ${r.ns}: iptables-restore for mode ${mode} exited ${res.code}: ${res.stderr.trim()}\n${rules}`);
  r.mode = mode;
  await flushConntrack(lab, [r.ns]);
}

/** Flush conntrack in the given namespaces (default: every router). */
export async function flushConntrack(lab: Lab, namespaces: string[] = lab.routers.map((r) => r.ns)): Promise<void> {
  for (const ns of namespaces) {
    const r = await lab.exec(ns, ['conntrack', '-F']);
    // conntrack -F on an empty table exits 0 (or 1 on some versions with "0 flow entries"): accept both.
    if (r.code !== 0 && !/flow entries have been deleted|0 flow entries/.test(r.stdout + r.stderr)) {
      throw new Error(`lab ${ns}: conntrack -F exited ${r.code}: ${r.stderr.trim()}`);
    }
  }
}

/** Current conntrack table of a namespace (for failure messages). */
export async function conntrack(lab: Lab, ns: string): Promise<string> {
  const r = await lab.exec(ns, ['conntrack', '-L']);
  return (r.stdout + r.stderr).trim();
}

/**
 * Give NAT router `router` a second, non-reserved WAN address (100.128.0.N, see
 * UPNP_PUBLIC_NET), routed to it by the internet core, and re-apply its mode so
 * that its NAT translates to that address (SNAT instead of MASQUERADE, same
 * port behaviour) and its filter forwards what a DNAT rule (a miniupnpd port
 * mapping) redirected. Idempotent; routers never given one behave as before.
 */
export async function enablePublicAddress(lab: Lab, router: LabRouter | string): Promise<string> {
  const r = typeof router === 'string' ? lab.router(router) : router;
  if (r.kind !== 'nat') throw new Error(`lab: ${r.role} is not a NAT router`);
  if (r.publicIp) return r.publicIp;
  const ip = upnpPublicIp(r.wanIp);
  await lab.ip(r.ns, 'addr', 'add', `${ip}/32`, 'dev', 'wan');
  await lab.ip(lab.inetNs, 'route', 'add', `${ip}/32`, 'via', r.wanIp, 'dev', 'br0');
  r.publicIp = ip;
  await setMode(lab, r, r.mode);
  return ip;
}
