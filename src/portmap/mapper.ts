/**
 * Port mapping on the home router: PCP first, then NAT-PMP, then UPnP IGD (the
 * order of Tailscale's portmapper: the cheapest exchange first, UPnP's SSDP
 * search and SOAP last), remembering the method that worked so renewals and
 * the next mapping go straight to it. Maps one port, keeps it renewed while
 * running, removes it on stop.
 */
import { defaultGateway, localAddressFor } from './gateway.js';
import { pmpExternalAddress, pmpMap } from './natpmp.js';
import { PcpUnsupported, pcpAnnounce, pcpMap } from './pcp.js';
import { discoverIgd, upnpExternalAddress, upnpMap, upnpUnmap, type IgdService } from './upnp.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/** Lease asked for; renewed at half of it. Routers may shorten it (NAT-PMP answers the granted one). */
export const LEASE_S = 3600;

export type MapMethod = 'pcp' | 'natpmp' | 'upnp';
/** The order methods are tried in. */
export const METHODS: readonly MapMethod[] = ['pcp', 'natpmp', 'upnp'];

export interface Mapping {
  method: MapMethod;
  protocol: 'udp' | 'tcp';
  internal: { address: string; port: number };
  external: { address: string; port: number };
  lifetime: number;
  /** PCP: the mapping's nonce (renewal and deletion need it). */
  nonce?: Buffer;
}

export interface MapperOptions {
  /** Gateway for NAT-PMP (default: the default route's gateway). */
  gateway?: string;
  methods?: MapMethod[];
  description?: string;
  log?: (msg: string) => void;
}

export class PortMapper {
  private readonly opts: MapperOptions;
  private mapping?: Mapping;
  private igd?: IgdService;
  private renewTimer?: NodeJS.Timeout;
  /** The method that last made a mapping: tried first next time. */
  private worked?: MapMethod;

  constructor(opts: MapperOptions = {}) {
    this.opts = opts;
  }

  get current(): Mapping | undefined {
    return this.mapping;
  }

  /** Map `port` (same port outside when the router allows). Tries each method in turn. */
  async map(protocol: 'udp' | 'tcp', port: number): Promise<Mapping> {
    const errors: string[] = [];
    const allowed = this.opts.methods ?? METHODS;
    const order = this.worked && allowed.includes(this.worked) ? [this.worked, ...allowed.filter((m) => m !== this.worked)] : allowed;
    for (const method of order) {
      try {
        const m = await this.mapWith(method, protocol, port);
        this.mapping = m;
        this.worked = method;
        this.scheduleRenew();
        return m;
      } catch (err) {
        errors.push(`${method}: ${(err as Error).message}`);
        // A NAT-PMP answer to PCP (version negotiation, RFC 6887 §9): NAT-PMP is next anyway.
        if (err instanceof PcpUnsupported) this.opts.log?.(`${(err as Error).message}; trying NAT-PMP`);
      }
    }
    throw new P2prcError(ErrorCode.PortMapFailed, `no port mapping: ${errors.join('; ')}`);
  }

  /** The method that made the current (or last) mapping. */
  get method(): MapMethod | undefined {
    return this.worked;
  }

  private mapWith(method: MapMethod, protocol: 'udp' | 'tcp', port: number, nonce?: Buffer): Promise<Mapping> {
    return method === 'upnp' ? this.mapUpnp(protocol, port) : method === 'natpmp' ? this.mapPmp(protocol, port) : this.mapPcp(protocol, port, nonce);
  }

  async unmap(): Promise<void> {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const m = this.mapping;
    this.mapping = undefined;
    if (!m) return;
    if (m.method === 'upnp' && this.igd) await upnpUnmap(this.igd, m.protocol, m.external.port).catch(() => undefined);
    if (m.method === 'natpmp') await pmpMap(this.gateway(), m.protocol, m.internal.port, 0, 0).catch(() => undefined);
    if (m.method === 'pcp') await pcpMap(this.gateway(), { protocol: m.protocol, internalPort: m.internal.port, externalPort: m.external.port, lifetime: 0, clientAddress: m.internal.address, ...(m.nonce ? { nonce: m.nonce } : {}) }).catch(() => undefined);
  }

  private gateway(): string {
    const gw = this.opts.gateway ?? defaultGateway();
    if (!gw) throw new P2prcError(ErrorCode.PortMapFailed, 'no default gateway');
    return gw;
  }

  private async mapUpnp(protocol: 'udp' | 'tcp', port: number): Promise<Mapping> {
    this.igd ??= await discoverIgd();
    const internalClient = await localAddressFor(new URL(this.igd.controlUrl).hostname);
    await upnpMap(this.igd, { protocol, internalClient, internalPort: port, externalPort: port, lifetime: LEASE_S, description: this.opts.description ?? 'p2prc' });
    const address = await upnpExternalAddress(this.igd);
    return { method: 'upnp', protocol, internal: { address: internalClient, port }, external: { address, port }, lifetime: LEASE_S };
  }

  private async mapPmp(protocol: 'udp' | 'tcp', port: number): Promise<Mapping> {
    const gw = this.gateway();
    const address = await pmpExternalAddress(gw);
    const m = await pmpMap(gw, protocol, port, port, LEASE_S);
    const internal = await localAddressFor(gw);
    return { method: 'natpmp', protocol, internal: { address: internal, port }, external: { address, port: m.externalPort }, lifetime: m.lifetime };
  }

  private async mapPcp(protocol: 'udp' | 'tcp', port: number, nonce?: Buffer): Promise<Mapping> {
    const gw = this.gateway();
    const internal = await localAddressFor(gw);
    const m = await pcpMap(gw, { protocol, internalPort: port, lifetime: LEASE_S, clientAddress: internal, ...(nonce ? { nonce } : {}) });
    return { method: 'pcp', protocol, internal: { address: internal, port }, external: { address: m.externalAddress, port: m.externalPort }, lifetime: m.lifetime, nonce: m.nonce };
  }

  private scheduleRenew(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const m = this.mapping;
    if (!m) return;
    this.renewTimer = setTimeout(() => {
      // PCP renews with the nonce that made the mapping (RFC 6887 §11.2.1).
      const again = this.mapWith(m.method, m.protocol, m.internal.port, m.nonce);
      again.then(
        (n) => {
          this.mapping = n;
          this.opts.log?.(`renewed ${n.method} mapping ${n.external.address}:${n.external.port}`);
          this.scheduleRenew();
        },
        (err: Error) => {
          this.opts.log?.(`renewing the ${m.method} mapping failed: ${err.message}; retrying`);
          this.scheduleRenew();
        },
      );
    }, Math.max(30, m.lifetime / 2) * 1000);
    this.renewTimer.unref();
  }
}

export interface PortMappingAvailability {
  upnp: { available: boolean; externalAddress?: string; error?: string };
  natpmp: { available: boolean; externalAddress?: string; error?: string };
  pcp: { available: boolean; externalAddress?: string; error?: string };
}

type Availability = { available: boolean; externalAddress?: string; error?: string };

/** Whether the router offers UPnP IGD, NAT-PMP and PCP (no mapping is made; PCP is asked with ANNOUNCE). */
export async function probePortMapping(gateway = defaultGateway()): Promise<PortMappingAvailability> {
  const upnp = (async (): Promise<Availability> => {
    try {
      const svc = await discoverIgd(1500);
      const ext = await upnpExternalAddress(svc).catch(() => undefined);
      return ext ? { available: true, externalAddress: ext } : { available: true };
    } catch (err) {
      return { available: false, error: (err as Error).message };
    }
  })();
  const natpmp = (async (): Promise<Availability> => {
    if (!gateway) return { available: false, error: 'no default gateway' };
    try {
      return { available: true, externalAddress: await pmpExternalAddress(gateway, 3) };
    } catch (err) {
      return { available: false, error: (err as Error).message };
    }
  })();
  const pcp = (async (): Promise<Availability> => {
    if (!gateway) return { available: false, error: 'no default gateway' };
    try {
      await pcpAnnounce(gateway, await localAddressFor(gateway));
      return { available: true };
    } catch (err) {
      return { available: false, error: (err as Error).message };
    }
  })();
  const [u, p, c] = await Promise.all([upnp, natpmp, pcp]);
  return { upnp: u, natpmp: p, pcp: c };
}
