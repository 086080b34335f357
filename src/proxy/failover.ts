/**
 * `expose --public --server auto`: use the nearest reverse proxy that accepts
 * us, and move when it goes away. The proxies are found and ranked by
 * choose.ts; `attach(url)` starts a peer on that proxy's signal server and asks
 * for the public ports (it throws when the proxy refuses: a wrong secret, a
 * port it cannot give). A proxy whose signalling connection stays down for
 * `failoverMs` is left (and avoided for `avoidMs`) for the next nearest.
 * Latencies are measured again every `refreshMs` and kept in
 * reverse_proxy_server.json; a nearer proxy appearing does not move a peer
 * whose proxy works (moving changes its public address).
 */
import { EventEmitter } from 'node:events';
import type { PeerNode } from '../peer/node.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { Logger } from '../util/log.js';
import { discover, knownProxies, rankProxies, type RankedProxy } from './choose.js';

export const DEFAULT_FAILOVER_MS = 10_000;
export const PROXY_REFRESH_MS = 60_000;
const AVOID_MS = 60_000;
const RETRY_MAX_MS = 30_000;

export interface Attached {
  node: PeerNode;
  stop: () => Promise<void>;
}

export interface FailoverOptions {
  dataDir: string;
  /** Proxies given on the command line (--proxy), beside the file's. */
  given: string[];
  attach: (url: string) => Promise<Attached>;
  failoverMs?: number;
  refreshMs?: number;
  log: Logger;
}

export interface FailoverEvents {
  /** Now on this proxy (the nearest that accepted), with the ranking it was chosen from. */
  chosen: [RankedProxy, RankedProxy[]];
  /** Leaving `url`, and why. */
  leaving: [string, string];
  /** A proxy refused us or could not be reached. */
  skipped: [string, string];
}

export class ProxyFailover extends EventEmitter<FailoverEvents> {
  private readonly opts: FailoverOptions;
  private readonly avoidUntil = new Map<string, number>();
  private current?: { url: string; attached: Attached };
  private stopped = false;
  private refreshTimer?: NodeJS.Timeout;
  private awayTimer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(opts: FailoverOptions) {
    super();
    this.opts = opts;
  }

  get url(): string | undefined {
    return this.current?.url;
  }

  /** Attach to the nearest proxy that accepts; rejects when none does (the command ends with why). */
  async start(): Promise<RankedProxy> {
    const chosen = await this.choose(true);
    this.refreshTimer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? PROXY_REFRESH_MS);
    this.refreshTimer.unref();
    return chosen!;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    clearTimeout(this.awayTimer);
    this.wake?.();
    await this.current?.attached.stop();
  }

  /** One pass over the ranking (first: a failure is thrown; later: retried with backoff until one accepts). */
  private async choose(first: boolean): Promise<RankedProxy | undefined> {
    for (let round = 0; !this.stopped; round++) {
      const known = knownProxies(this.opts.dataDir, this.opts.given);
      if (known.length === 0) throw new P2prcError(ErrorCode.BadArgument, 'no proxy known for --server auto: give one with --proxy ws://host:port, or use one once so it is in reverse_proxy_server.json');
      const ranked = await rankProxies(this.opts.dataDir, await discover(known));
      const why: string[] = [];
      for (const p of ranked) {
        if (this.stopped) return undefined;
        if (p.rtt === undefined) {
          why.push(`${p.url}: no answer`);
          continue;
        }
        if ((this.avoidUntil.get(p.url) ?? 0) > Date.now()) {
          why.push(`${p.url}: left recently`);
          continue;
        }
        try {
          const attached = await this.opts.attach(p.url);
          this.current = { url: p.url, attached };
          this.watch(attached.node);
          this.emit('chosen', p, ranked);
          return p;
        } catch (err) {
          const msg = (err as Error).message;
          why.push(`${p.url}: ${msg}`);
          this.avoidUntil.set(p.url, Date.now() + AVOID_MS);
          this.emit('skipped', p.url, msg);
        }
      }
      if (first) throw new P2prcError(ErrorCode.PeerOffline, `no reverse proxy accepted us: ${why.join('; ')}`);
      this.opts.log.warn('no reverse proxy accepts us yet; trying again', { tried: why.join('; ') });
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, Math.min(RETRY_MAX_MS, 1000 * 2 ** round)).unref();
      });
    }
    return undefined;
  }

  /** Leave a proxy whose signalling connection stays down for failoverMs. */
  private watch(node: PeerNode): void {
    const ms = this.opts.failoverMs ?? DEFAULT_FAILOVER_MS;
    node.signal.on('disconnected', () => {
      if (this.current?.attached.node !== node || this.awayTimer) return;
      this.awayTimer = setTimeout(() => {
        this.awayTimer = undefined;
        void this.move(`its signalling connection has been down for ${ms / 1000} s`);
      }, ms);
    });
    node.signal.on('registered', () => {
      clearTimeout(this.awayTimer);
      this.awayTimer = undefined;
    });
  }

  private async move(why: string): Promise<void> {
    const cur = this.current;
    if (!cur || this.stopped) return;
    this.emit('leaving', cur.url, why);
    this.avoidUntil.set(cur.url, Date.now() + AVOID_MS);
    this.current = undefined;
    await cur.attached.stop();
    try {
      await this.choose(false);
    } catch (err) {
      this.opts.log.error('cannot choose another reverse proxy', { err });
    }
  }

  private async refresh(): Promise<void> {
    try {
      await rankProxies(this.opts.dataDir, await discover(knownProxies(this.opts.dataDir, this.opts.given)));
    } catch (err) {
      this.opts.log.debug('proxy latency refresh failed', { err });
    }
  }
}
