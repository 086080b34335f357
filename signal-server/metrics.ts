/**
 * `GET /metrics` in Prometheus' text format (prom-client): what the signal
 * server and its relay already know, read when scraped. Counters that the
 * server drives (messages by type, errors by code, route reports by kind) are
 * incremented where those happen; the rest is read from the registry, the
 * relay's stats and the process (prom-client's default process metrics).
 *
 *   p2prc_peers_online                          peers registered now
 *   p2prc_signal_messages_total{type}           client messages received, by type
 *   p2prc_signal_errors_total{code}             errors sent to clients, by code
 *   p2prc_routes_reported_total{kind}           routes peers reported (direct, relay, upnp, public-port)
 *   p2prc_routes{kind}                          sessions live now, by the kind of their route (each
 *                                               side's latest report while both are online)
 *   p2prc_relay_allocations{transport}          relay allocations now, by client transport (udp, tcp, tls)
 *   p2prc_relay_allocation_failures_total{code} Allocate requests refused, by STUN error code
 *   p2prc_relay_bytes_total, p2prc_relay_packets_total  relayed payload
 *   p2prc_relay_dropped_total{reason}           datagrams the relay dropped, by reason
 *   p2prc_* process metrics                     CPU, memory, event loop lag, handles
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { TurnServer } from './turn/server.js';
import { clientTransport } from './turn/allocation.js';

export interface MetricsSources {
  peersOnline(): number;
  /** Live routes (sessions) by kind. */
  routesByKind(): Record<string, number>;
  relay(): TurnServer | undefined;
}

export class SignalMetrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'type'>;
  private readonly errors: Counter<'code'>;
  private readonly routes: Counter<'kind'>;

  constructor(src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'p2prc_' });
    this.messages = new Counter({ name: 'p2prc_signal_messages_total', help: 'Client messages received, by type', labelNames: ['type'], registers });
    this.errors = new Counter({ name: 'p2prc_signal_errors_total', help: 'Errors sent to clients, by code', labelNames: ['code'], registers });
    this.routes = new Counter({ name: 'p2prc_routes_reported_total', help: 'Routes reported by peers, by kind', labelNames: ['kind'], registers });
    new Gauge({
      name: 'p2prc_peers_online',
      help: 'Peers registered now',
      registers,
      collect() {
        this.set(src.peersOnline());
      },
    });
    new Gauge({
      name: 'p2prc_routes',
      help: 'Sessions live now, by the kind of their route',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(src.routesByKind())) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'p2prc_relay_allocations',
      help: 'Relay allocations now, by client transport',
      labelNames: ['transport'],
      registers,
      collect() {
        const counts: Record<string, number> = { udp: 0, tcp: 0, tls: 0 };
        for (const a of src.relay()?.allocations() ?? []) counts[clientTransport(a.client)]!++;
        for (const [transport, n] of Object.entries(counts)) this.set({ transport }, n);
      },
    });
    // Totals the relay keeps itself: set from its stats at each scrape (they only grow).
    const total = (name: string, help: string, read: (s: ReturnType<TurnServer['getStats']>) => Record<string, number>, label?: string): void => {
      new Counter({
        name,
        help,
        labelNames: label ? [label] : [],
        registers,
        collect() {
          const stats = src.relay()?.getStats();
          if (!stats) return;
          this.reset();
          for (const [k, v] of Object.entries(read(stats))) {
            if (label) this.inc({ [label]: k }, v);
            else this.inc(v);
          }
        },
      });
    };
    total('p2prc_relay_bytes_total', 'Payload bytes relayed', (s) => ({ all: s.bytesRelayed }));
    total('p2prc_relay_packets_total', 'Datagrams relayed', (s) => ({ all: s.packetsRelayed }));
    total('p2prc_relay_dropped_total', 'Datagrams the relay dropped, by reason', (s) => ({ ...s.dropped, noAllocation: s.noAllocation, malformed: s.malformed }), 'reason');
    total('p2prc_relay_allocation_failures_total', 'Allocate requests refused, by STUN error code', (s) => s.allocateFailures, 'code');
  }

  message(type: string): void {
    this.messages.inc({ type });
  }

  error(code: string): void {
    this.errors.inc({ code });
  }

  route(kind: string): void {
    this.routes.inc({ kind });
  }

  /** GET /metrics: true when it answered. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || (req.url !== '/metrics' && req.url !== '/metrics/')) return false;
    this.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`),
    );
    return true;
  }
}
