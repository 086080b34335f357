/**
 * The app-level ping to the signal server: measures latency (for
 * reverse_proxy_server.json and `p2prc peers`) and keeps NAT bindings to the
 * server warm. Remembers the last few pings sent so a late pong still counts.
 */

/** App-level ping for latency measurement and to keep NAT bindings to the server warm. */
export const PING_INTERVAL_MS = 20_000;
/** Pings remembered while their pong is awaited. */
const MAX_PENDING_PINGS = 16;

export class SignalPing {
  private timer?: NodeJS.Timeout;
  private readonly sent = new Map<number, number>();
  private seq = 0;

  constructor(
    private readonly sendPing: (id: number) => void,
    private readonly onLatency: (ms: number) => void,
  ) {}

  /** Ping now and every PING_INTERVAL_MS (restarts the timer). */
  start(): void {
    this.stop();
    const ping = (): void => {
      const id = ++this.seq;
      this.sent.set(id, performance.now());
      if (this.sent.size > MAX_PENDING_PINGS) this.sent.delete(this.sent.keys().next().value as number);
      this.sendPing(id);
    };
    ping();
    this.timer = setInterval(ping, PING_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A pong: reports the latency when it answers a ping of ours. */
  pong(id: number | undefined): void {
    const sent = id !== undefined ? this.sent.get(id) : undefined;
    if (sent === undefined || id === undefined) return;
    this.sent.delete(id);
    this.onLatency(performance.now() - sent);
  }
}
