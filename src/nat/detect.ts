/**
 * NAT behaviour discovery (RFC 5780 §4.3-§4.6) against a STUN server with an
 * alternate address (`p2prc server --alt-ip`): the public address, mapping and
 * filtering behaviour, hairpinning, and what they mean for connectivity.
 */
import { networkInterfaces } from 'node:os';
import { Attr, decodeAddress, getAttribute } from '../stun/index.js';
import { bindUdp, bindingRequest, mappedAddressOf } from '../stun-client/binding.js';
import type { NatInfo } from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/** RFC 5780 behaviour names, as the signalling protocol carries them (BehaviourSchema). */
export type Behaviour = NatInfo['mapping'];

export interface NatReport {
  server: string;
  local: { address: string; port: number };
  publicAddress?: { address: string; port: number };
  /** The local address is the public one: no NAT on the path (maybe a firewall). */
  natted?: boolean;
  mapping: Behaviour;
  filtering: Behaviour;
  hairpin?: boolean;
  /** The server has no alternate address: only the public address could be learned. */
  behaviourDiscovery: boolean;
  /** One-line RFC 3489-style name, e.g. "port-restricted cone". */
  classic: string;
  /** What this means for peer-to-peer connections, in words. */
  meaning: string[];
}

export interface DetectOptions {
  /** Bind to this local address (default all). */
  bind?: string;
  /** First retransmission timeout; tests that expect no answer wait rto * (2^attempts - 1). */
  rtoMs?: number;
  attempts?: number;
  /** Test hairpinning too (default true); a peer checking itself at start skips it. */
  hairpin?: boolean;
  /** Called as soon as the mapping behaviour is known (filtering takes longer: it waits out unanswered requests). */
  onMapping?: (r: { natted: boolean; mapping: Behaviour; publicAddress?: { address: string; port: number } }) => void;
}

const same = (a?: { address: string; port: number }, b?: { address: string; port: number }): boolean => !!a && !!b && a.address === b.address && a.port === b.port;

function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) out.add(i.address);
  return out;
}

export async function detectNat(server: { address: string; port: number }, opts: DetectOptions = {}): Promise<NatReport> {
  const sock = await bindUdp(opts.bind);
  try {
    const local = sock.address();
    const serverName = `${server.address}:${server.port}`;
    // Test I: public address and the server's OTHER-ADDRESS.
    const r1 = await bindingRequest(sock, server, undefined, opts);
    if (!r1) throw new P2prcError(ErrorCode.StunUnreachable, `no STUN answer from ${serverName}: UDP may be blocked`);
    const m1 = mappedAddressOf(r1);
    const otherRaw = getAttribute(r1, Attr.OtherAddress);
    const other = otherRaw ? decodeAddress(otherRaw) : undefined;
    const natted = !(m1 && localAddresses().has(m1.address) && (opts.bind === undefined || m1.port === local.port));
    const base: Omit<NatReport, 'mapping' | 'filtering' | 'classic' | 'meaning' | 'behaviourDiscovery'> = {
      server: serverName,
      local: { address: local.address, port: local.port },
      ...(m1 ? { publicAddress: { address: m1.address, port: m1.port } } : {}),
      natted,
    };
    if (!other || other.address === server.address) {
      const r: NatReport = { ...base, mapping: 'unknown', filtering: 'unknown', behaviourDiscovery: false, classic: 'unknown', meaning: [] };
      r.meaning = explain(r);
      return r;
    }
    // Filtering (§4.4), in parallel with the mapping tests but from a socket of its
    // own, whose only mapping is toward the primary address (so the mapping tests'
    // packets to the alternate address cannot open its filter): answers from another
    // IP and port, and from another port only.
    const fsock = await bindUdp(opts.bind);
    const filteringP = Promise.all([bindingRequest(fsock, server, { changeIp: true, changePort: true }, opts), bindingRequest(fsock, server, { changeIp: false, changePort: true }, opts)])
      .then(([f2, f3]): Behaviour => (f2 ? 'endpoint-independent' : f3 ? 'address-dependent' : 'address-and-port-dependent'))
      .finally(() => fsock.close());
    // Mapping (§4.3): to the alternate IP (primary port), then the alternate IP and port.
    let mapping: Behaviour = 'endpoint-independent';
    if (natted) {
      const r2 = await bindingRequest(sock, { address: other.address, port: server.port }, undefined, opts);
      const m2 = r2 ? mappedAddressOf(r2) : undefined;
      if (!m2) mapping = 'unknown';
      else if (same(m1, m2)) mapping = 'endpoint-independent';
      else {
        const r3 = await bindingRequest(sock, { address: other.address, port: other.port }, undefined, opts);
        const m3 = r3 ? mappedAddressOf(r3) : undefined;
        mapping = !m3 ? 'unknown' : same(m2, m3) ? 'address-dependent' : 'address-and-port-dependent';
      }
    }
    opts.onMapping?.({ natted, mapping, ...(base.publicAddress ? { publicAddress: base.publicAddress } : {}) });
    const filtering = await filteringP;
    // Hairpinning (§4.5): from a second socket to our own public address.
    let hairpin: boolean | undefined;
    if (natted && opts.hairpin !== false) hairpin = await testHairpin(server, opts);
    const r: NatReport = { ...base, mapping, filtering, ...(hairpin !== undefined ? { hairpin } : {}), behaviourDiscovery: true, classic: classicName(natted, mapping, filtering), meaning: [] };
    r.meaning = explain(r);
    return r;
  } finally {
    sock.close();
  }
}

/**
 * Hairpinning (RFC 5780 §4.5): learn a mapping for socket `a` through the
 * server, then send from socket `b` (same host) to that public address; the
 * NAT supports hairpinning if it loops the packet back to `a`.
 */
async function testHairpin(server: { address: string; port: number }, opts: DetectOptions): Promise<boolean> {
  const a = await bindUdp(opts.bind);
  const b = await bindUdp(opts.bind).catch((err: unknown) => {
    a.close();
    throw err;
  });
  try {
    const r = await bindingRequest(a, server, undefined, opts);
    const target = r ? mappedAddressOf(r) : undefined;
    if (!target) return false;
    const token = Buffer.from(`p2prc-hairpin-${Math.random().toString(36).slice(2)}`);
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), (opts.rtoMs ?? 200) * 4);
      a.on('message', (m) => {
        if (!m.equals(token)) return;
        clearTimeout(timer);
        resolve(true);
      });
      for (let i = 0; i < 3; i++) b.send(token, target.port, target.address);
    });
  } finally {
    a.close();
    b.close();
  }
}

export function classicName(natted: boolean, mapping: Behaviour, filtering: Behaviour): string {
  if (!natted) return filtering === 'endpoint-independent' ? 'open internet (no NAT)' : 'no NAT, stateful firewall';
  if (mapping === 'unknown' || filtering === 'unknown') return 'unknown';
  if (mapping !== 'endpoint-independent') return 'symmetric NAT';
  if (filtering === 'endpoint-independent') return 'full cone NAT';
  if (filtering === 'address-dependent') return 'restricted cone NAT';
  return 'port-restricted cone NAT';
}

export function explain(r: Pick<NatReport, 'natted' | 'mapping' | 'filtering' | 'hairpin' | 'behaviourDiscovery' | 'publicAddress'>): string[] {
  const out: string[] = [];
  if (!r.behaviourDiscovery) {
    out.push('The server has no alternate address (start it with --alt-ip), so only the public address was learned.');
    return out;
  }
  if (!r.natted) {
    out.push(r.filtering === 'endpoint-independent' ? 'No NAT and no filtering: any peer can reach you directly.' : 'No NAT, but a stateful firewall: peers reach you directly once you have sent to them (hole punching works).');
    return out;
  }
  if (r.mapping === 'endpoint-independent') {
    out.push('Your NAT keeps one public port per local socket: hole punching works with public hosts and with peers behind cone NATs (direct routes).');
    out.push(r.filtering === 'endpoint-independent' ? 'Peers behind symmetric NATs reach you directly too (your filter is open).' : 'With a peer behind a symmetric NAT, p2prc punches by port prediction (your spray meets its many sockets); the relay remains the fallback.');
  } else if (r.mapping !== 'unknown') {
    out.push('Your NAT is symmetric: it picks a new public port for each destination. Public hosts are reached directly, peers behind endpoint-independent NATs or firewalls by port prediction (many sockets here, a spray there), and peers behind another symmetric NAT through the relay.');
    out.push('A UPnP/NAT-PMP port mapping on your router (p2prc expose --upnp) would make you directly reachable.');
  }
  if (r.filtering === 'endpoint-independent') out.push('Inbound filtering is open once a mapping exists (full cone).');
  if (r.hairpin === false) out.push('No hairpinning: two peers behind this same NAT use their LAN addresses (host candidates) to reach each other.');
  return out;
}
