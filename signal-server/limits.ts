/**
 * What one client may cost the signal server, and the per-IP bookkeeping that
 * enforces it. The server runs on a public host that anyone can reach, and
 * identities are free without `--secret`, so every resource a connection can
 * hold is bounded: connections and registrations per IP, time to register,
 * bytes queued for a client that does not read, route reports per peer.
 */
import { TokenBucket } from './rate-limit.js';

export interface SignalLimits {
  /** Open WebSocket connections per client IP (0: no limit). A NAT with many peers shares an IP, so it is generous. */
  maxConnsPerIp: number;
  /** Sustained registrations per client IP per minute, and the burst (0: no limit). */
  registrationsPerIpPerMin: number;
  registrationBurstPerIp: number;
  /** A connection that has not registered this long after `hello` is closed. */
  registerDeadlineMs: number;
  /** A TCP connection that has not completed its HTTP/WebSocket handshake this long after connecting is closed. */
  handshakeTimeoutMs: number;
  /** Bytes queued for one client beyond which it is dropped as not reading. */
  maxSendBuffered: number;
  /** Route reports per peer per second, and the burst (a session reports a handful: at connect, ICE completed, 1/3/6 s). */
  routeReportsPerSec: number;
  routeReportBurst: number;
}

export const DEFAULT_LIMITS: SignalLimits = {
  maxConnsPerIp: 256,
  registrationsPerIpPerMin: 120,
  registrationBurstPerIp: 60,
  registerDeadlineMs: 10_000,
  handshakeTimeoutMs: 10_000,
  maxSendBuffered: 4 * 1024 * 1024,
  routeReportsPerSec: 2,
  routeReportBurst: 40,
};

interface IpEntry {
  conns: number;
  registrations: TokenBucket | undefined;
  lastRegistration: number;
}

/**
 * Connections and registrations per client IP. An IP's entry is dropped once
 * it has no connection and its registration bucket has had time to refill, so
 * closing and reopening connections does not reset the registration rate.
 */
export class IpLimiter {
  private readonly byIp = new Map<string, IpEntry>();

  constructor(
    private readonly limits: Pick<SignalLimits, 'maxConnsPerIp' | 'registrationsPerIpPerMin' | 'registrationBurstPerIp'>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A new connection from `ip`: false when the IP is at its connection limit (nothing is counted then). */
  openConn(ip: string): boolean {
    const e = this.entry(ip);
    if (this.limits.maxConnsPerIp > 0 && e.conns >= this.limits.maxConnsPerIp) return false;
    e.conns++;
    return true;
  }

  closeConn(ip: string): void {
    const e = this.byIp.get(ip);
    if (!e) return;
    e.conns = Math.max(0, e.conns - 1);
    if (this.idle(e)) this.byIp.delete(ip);
  }

  /** Drop the entries of IPs with no connection whose registration bucket is full again (call now and then). */
  sweep(): void {
    for (const [ip, e] of this.byIp) if (this.idle(e)) this.byIp.delete(ip);
  }

  /** A registration attempt from `ip` (an open connection): false when over the rate. */
  register(ip: string): boolean {
    if (this.limits.registrationsPerIpPerMin <= 0) return true;
    const e = this.entry(ip);
    e.registrations ??= new TokenBucket(this.limits.registrationsPerIpPerMin / 60, this.limits.registrationBurstPerIp, this.now);
    e.lastRegistration = this.now();
    return e.registrations.take();
  }

  /** IPs tracked: those with a connection, or a registration within the bucket's refill time. */
  get size(): number {
    return this.byIp.size;
  }

  connsOf(ip: string): number {
    return this.byIp.get(ip)?.conns ?? 0;
  }

  private idle(e: IpEntry): boolean {
    if (e.conns > 0) return false;
    if (!e.registrations || this.limits.registrationsPerIpPerMin <= 0) return true;
    const refillMs = (this.limits.registrationBurstPerIp / this.limits.registrationsPerIpPerMin) * 60_000;
    return this.now() - e.lastRegistration >= refillMs;
  }

  private entry(ip: string): IpEntry {
    let e = this.byIp.get(ip);
    if (!e) {
      e = { conns: 0, registrations: undefined, lastRegistration: 0 };
      this.byIp.set(ip, e);
    }
    return e;
  }
}
