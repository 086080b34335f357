/**
 * Port mapping on the home router, UPnP IGD first, NAT-PMP second: map one
 * UDP port, keep it renewed while running, remove it on stop.
 */
import { defaultGateway, localAddressFor } from './gateway.js';
import { pmpExternalAddress, pmpMap } from './natpmp.js';
import { discoverIgd, upnpExternalAddress, upnpMap, upnpUnmap, type IgdService } from './upnp.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/** Lease asked for; renewed at half of it. Routers may shorten it (NAT-PMP answers the granted one). */
export const LEASE_S = 3600;

export interface Mapping {
  method: 'upnp' | 'natpmp';
  protocol: 'udp' | 'tcp';
  internal: { address: string; port: number };
  external: { address: string; port: number };
  lifetime: number;
}

export interface MapperOptions {
  /** Gateway for NAT-PMP (default: the default route's gateway). */
  gateway?: string;
  methods?: ('upnp' | 'natpmp')[];
  description?: string;
  log?: (msg: string) => void;
}

export class PortMapper {
  private readonly opts: MapperOptions;
  private mapping?: Mapping;
  private igd?: IgdService;
  private renewTimer?: NodeJS.Timeout;

  constructor(opts: MapperOptions = {}) {
    this.opts = opts;
  }

  get current(): Mapping | undefined {
    return this.mapping;
  }

  /** Map `port` (same port outside when the router allows). Tries each method in turn. */
  async map(protocol: 'udp' | 'tcp', port: number): Promise<Mapping> {
    const errors: string[] = [];
    for (const method of this.opts.methods ?? ['upnp', 'natpmp']) {
      try {
        const m = method === 'upnp' ? await this.mapUpnp(protocol, port) : await this.mapPmp(protocol, port);
        this.mapping = m;
        this.scheduleRenew();
        return m;
      } catch (err) {
        errors.push(`${method}: ${(err as Error).message}`);
      }
    }
    throw new P2prcError(ErrorCode.PortMapFailed, `no port mapping: ${errors.join('; ')}`);
  }

  async unmap(): Promise<void> {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const m = this.mapping;
    this.mapping = undefined;
    if (!m) return;
    if (m.method === 'upnp' && this.igd) await upnpUnmap(this.igd, m.protocol, m.external.port).catch(() => undefined);
    if (m.method === 'natpmp') await pmpMap(this.gateway(), m.protocol, m.internal.port, 0, 0).catch(() => undefined);
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

  private scheduleRenew(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const m = this.mapping;
    if (!m) return;
    this.renewTimer = setTimeout(() => {
      const again = m.method === 'upnp' ? this.mapUpnp(m.protocol, m.internal.port) : this.mapPmp(m.protocol, m.internal.port);
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
}

type Availability = { available: boolean; externalAddress?: string; error?: string };

/** Whether the router offers UPnP IGD and/or NAT-PMP (no mapping is made). */
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
  const [u, p] = await Promise.all([upnp, natpmp]);
  return { upnp: u, natpmp: p };
}
