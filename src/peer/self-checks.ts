/**
 * The start-up self-checks of a peer, run once around registering: the router
 * port mapping for --upnp (UPnP IGD, else NAT-PMP), the NAT behaviour check
 * (RFC 5780) that punch planning reads, and the relay probe (our TURN
 * credentials tried on each TURN server we were given). PeerNode starts them;
 * the punch coordinator and the sessions read their results.
 */
import { lookup } from 'node:dns/promises';
import type { NatInfo } from '../protocol/messages.js';
import { detectNat, type NatReport } from '../nat/detect.js';
import type { Endpoint } from '../nat/punch.js';
import { PortMapper, type Mapping } from '../portmap/mapper.js';
import { probeTurn, type ProbeResult } from '../stun-client/turn-probe.js';
import { parseIceUrl } from './ice.js';
import { relayEntries } from '../relay-bridge/relay-path.js';
import type { SignalClient } from './signal-client.js';
import type { Logger } from '../util/log.js';

/**
 * With --upnp and no --ice-port, ICE uses a random local UDP port in
 * [ICE_PORT_BASE, ICE_PORT_BASE + ICE_PORT_SPAN): random so that two peers
 * behind one router rarely ask it for the same port.
 */
export const ICE_PORT_BASE = 40000;
export const ICE_PORT_SPAN = 10000;
/**
 * The NAT check's STUN retransmissions: first after 100 ms, 3 attempts, so an
 * unanswered filtering test counts as "no" after 100 + 200 + 400 = 700 ms, well
 * inside the punch coordinator's NAT_WAIT_MS (a session's offerer may be waiting
 * for this check). `p2prc nat` keeps the slower defaults (200 ms, 4 attempts).
 */
export const NAT_CHECK_RTO_MS = 100;
export const NAT_CHECK_ATTEMPTS = 3;

export interface SelfCheckOptions {
  /** Our peer name (the port mapping's description). */
  name: string;
  /** The ICE server list we were given, and where our NAT behaviour is published. */
  signal: SignalClient;
  bindAddress?: string;
  icePort?: number;
  log: Logger;
  /** Our NAT behaviour, measured. */
  onNat: (r: NatReport) => void;
  /** A TURN server checked with our credentials. */
  onRelay: (url: string, r: ProbeResult) => void;
}

export class SelfChecks {
  /** The router port mapping in use (with --upnp). */
  portMapping?: Mapping;
  /** Our NAT behaviour, once measured (see startNatCheck). */
  natReport?: NatReport;
  /** Our public IP as the STUN server saw it. */
  publicIp?: string;
  /** The NAT check ended (or failed); set once startNatCheck ran. */
  natReady?: Promise<void>;
  /** Our mapping behaviour is known (or the check failed); set once startNatCheck ran. */
  mappingReady?: Promise<void>;
  /** TURN servers (`host:port`) that did not allocate for us when probed (checkRelays). */
  private readonly turnFailed = new Set<string>();
  /** Our mapping behaviour, known before the filtering tests end. */
  private natMapping?: NatInfo;
  private mapper?: PortMapper;
  private readonly opts: SelfCheckOptions;

  constructor(opts: SelfCheckOptions) {
    this.opts = opts;
  }

  private get log(): Logger {
    return this.opts.log;
  }

  async mapIcePort(): Promise<void> {
    const port = this.opts.icePort ?? ICE_PORT_BASE + Math.floor(Math.random() * ICE_PORT_SPAN);
    this.mapper = new PortMapper({ description: `p2prc ${this.opts.name}`, log: (m) => this.log.info(m) });
    try {
      this.portMapping = await this.mapper.map('udp', port);
      const m = this.portMapping;
      this.log.info('router port mapping', { method: m.method, internal: `${m.internal.address}:${m.internal.port}`, external: `${m.external.address}:${m.external.port}`, lifetime: m.lifetime });
    } catch (err) {
      this.log.warn('no router port mapping; continuing with hole punching and the relay', { reason: (err as Error).message });
    }
  }

  /** Remove the router port mapping, if any. */
  async unmap(): Promise<void> {
    await this.mapper?.unmap();
  }

  /** Start the NAT check; natReady and mappingReady settle as it goes. */
  startNatCheck(): void {
    let mapped!: () => void;
    this.mappingReady = new Promise<void>((r) => (mapped = r));
    this.natReady = this.checkNat(mapped).finally(mapped);
  }

  /** The first UDP STUN/TURN server we were given (our signal server's relay, usually). */
  async stunServer(): Promise<Endpoint | undefined> {
    for (const s of this.opts.signal.iceServers) {
      for (const url of Array.isArray(s.urls) ? s.urls : [s.urls]) {
        if (/transport=tcp/i.test(url) || /^(stuns|turns):/i.test(url)) continue;
        try {
          const { hostname, port } = parseIceUrl(url);
          const { address } = await lookup(hostname, { family: 4 });
          return { address, port };
        } catch {
          /* next */
        }
      }
    }
    return undefined;
  }

  /**
   * Measure our NAT's mapping and filtering behaviour (RFC 5780; needs a server
   * started with --alt-ip) and publish it, so that peers can plan a punch with us.
   */
  private async checkNat(onMapping: () => void): Promise<void> {
    const stun = await this.stunServer();
    if (!stun) return;
    try {
      const r = await detectNat(stun, {
        bind: this.opts.bindAddress,
        hairpin: false,
        rtoMs: NAT_CHECK_RTO_MS,
        attempts: NAT_CHECK_ATTEMPTS,
        onMapping: (m) => {
          this.publicIp = m.publicAddress?.address;
          if (m.mapping !== 'unknown') this.natMapping = { natted: m.natted, mapping: m.mapping, filtering: 'unknown' };
          onMapping();
        },
      });
      this.natReport = r;
      this.log.info('nat behaviour', { public: r.publicAddress ? `${r.publicAddress.address}:${r.publicAddress.port}` : undefined, natted: r.natted, mapping: r.mapping, filtering: r.filtering, classic: r.classic });
      if (r.behaviourDiscovery) this.opts.signal.publishNat({ natted: r.natted ?? true, mapping: r.mapping, filtering: r.filtering });
      this.opts.onNat(r);
    } catch (err) {
      this.log.debug('nat check failed', { reason: (err as Error).message });
    }
  }

  /** Our NAT behaviour: complete once measured, mapping only while the filtering tests run. */
  get natInfo(): NatInfo | undefined {
    const r = this.natReport;
    return r?.behaviourDiscovery ? { natted: r.natted ?? true, mapping: r.mapping, filtering: r.filtering } : this.natMapping;
  }

  /**
   * Whether the TURN server at `hostname`:`port` is not known to refuse us: its
   * probe allocated, or has not answered yet (it runs from registering, and a
   * connector's first session starts about then).
   */
  turnUsable(server: { hostname: string; port: number }): boolean {
    return !this.turnFailed.has(`${server.hostname}:${server.port}`);
  }

  /**
   * Try each TURN server we were given with our credentials, so a relay that
   * refuses them (wrong secret, expired, 401) is a clear error now rather than an
   * ICE failure behind a NAT later. Results go to the log and to onRelay.
   */
  async checkRelays(): Promise<Map<string, ProbeResult>> {
    const results = new Map<string, ProbeResult>();
    await Promise.all(
      relayEntries(this.opts.signal.iceServers)
        .filter((e) => e.transport === 'udp')
        .map(async ({ url, host, port, username, credential }) => {
          const r = await probeTurn({ host, port, username, credential });
          results.set(url, r);
          const key = `${host}:${port}`;
          if (r.ok) this.turnFailed.delete(key);
          else this.turnFailed.add(key);
          if (r.ok) this.log.info('relay ready', { server: url, relayed: `${r.relayed.address}:${r.relayed.port}`, rttMs: r.rttMs });
          else this.log.error('relay unusable: relayed fallback will not work through it', { server: url, reason: r.reason });
          this.opts.onRelay(url, r);
        }),
    );
    return results;
  }
}
