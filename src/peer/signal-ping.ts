/**
 * The app-level ping to the signal server: measures latency (for
 * reverse_proxy_server.json and `p2prc peers`), keeps NAT bindings to the
 * server warm, and notices a server that went silent. Remembers the last few
 * pings sent so a late pong still counts.
 *
 * Silence: a server whose host vanished (crashed, cut off) sends no FIN or
 * RST, so the WebSocket stays open until TCP gives up, many minutes later, and
 * nothing else would say the server is gone (a reverse proxy's peers would
 * never fail over). When nothing at all arrives from the server (no pong, no
 * message, no WebSocket ping: the client reports each with `alive()`) within
 * `timeoutMs` of a ping, `onSilent` is called once for that ping.
 */

/** App-level ping for latency measurement and to keep NAT bindings to the server warm. */
export const PING_INTERVAL_MS = 20_000;
/** Nothing from the server this long after a ping: the connection is taken for dead. */
export const PING_TIMEOUT_MS = 10_000;
/** Pings remembered while their pong is awaited. */
const MAX_PENDING_PINGS = 16;

export interface SignalPingOptions {
  intervalMs?: number;
  timeoutMs?: number;
  /** Nothing arrived within timeoutMs of a ping. */
  onSilent?: () => void;
}

export class SignalPing {
  private timer?: NodeJS.Timeout;
  private readonly deadlines = new Set<NodeJS.Timeout>();
  private readonly sent = new Map<number, number>();
  private seq = 0;
  /** Bumped by everything that arrives from the server. */
  private heard = 0;

  constructor(
    private readonly sendPing: (id: number) => void,
    private readonly onLatency: (ms: number) => void,
    private readonly opts: SignalPingOptions = {},
  ) {}

  /** Ping now and every intervalMs (restarts the timer). */
  start(): void {
    this.stop();
    const ping = (): void => {
      const id = ++this.seq;
      this.sent.set(id, performance.now());
      if (this.sent.size > MAX_PENDING_PINGS) this.sent.delete(this.sent.keys().next().value as number);
      this.sendPing(id);
      this.watch();
    };
    ping();
    this.timer = setInterval(ping, this.opts.intervalMs ?? PING_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.deadlines) clearTimeout(t);
    this.deadlines.clear();
  }

  /** Something arrived from the server (a message, a WebSocket ping). */
  alive(): void {
    this.heard++;
  }

  /** A pong: reports the latency when it answers a ping of ours. */
  pong(id: number | undefined): void {
    this.alive();
    const sent = id !== undefined ? this.sent.get(id) : undefined;
    if (sent === undefined || id === undefined) return;
    this.sent.delete(id);
    this.onLatency(performance.now() - sent);
  }

  private watch(): void {
    const onSilent = this.opts.onSilent;
    if (!onSilent) return;
    const heard = this.heard;
    const t = setTimeout(() => {
      this.deadlines.delete(t);
      if (this.heard === heard) onSilent();
    }, this.opts.timeoutMs ?? PING_TIMEOUT_MS);
    t.unref();
    this.deadlines.add(t);
  }
}
