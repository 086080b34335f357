/**
 * GET /metrics against a real SignalServer with its relay on loopback: a
 * registered peer, a refused message, a TURN allocation (after its 401
 * challenge) and a route report show up in the Prometheus text, beside the
 * process metrics.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { WebSocket } from 'ws';
import { SignalServer } from './server.js';
import { SignalClient } from '../src/peer/signal-client.js';
import { Identity } from '../src/identity/keys.js';
import { TurnClient } from '../src/stun-client/turn-client.js';
import { createLogger } from '../src/util/log.js';

const quiet = createLogger('test', () => undefined);

function scrape(port: number): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

describe('GET /metrics', () => {
  let server: SignalServer;
  let port = 0;
  let client: SignalClient;
  let turn: TurnClient | undefined;
  before(async () => {
    server = new SignalServer({ host: '127.0.0.1', port: 0, logger: quiet, turn: { host: '127.0.0.1', port: 0, relayPorts: { min: 55000, max: 55999 }, realm: 'p2prc', quotas: { perUser: 5, total: 50 }, allowPrivatePeers: true } });
    port = (await server.listen()).port;
    client = new SignalClient({ url: `ws://127.0.0.1:${port}`, name: 'metered', identity: Identity.generate(), logger: quiet });
    await client.connect();
  });
  after(async () => {
    turn?.close();
    client?.close();
    await server?.close();
  });

  it('counts peers, messages, errors, route reports and relay allocations, with the process metrics', async () => {
    // A refused message: a frame that is not JSON, from a second connection.
    const raw = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise<void>((resolve, reject) => {
      raw.once('error', reject);
      raw.once('message', () => resolve()); // the server's hello
    });
    const refused = new Promise<void>((resolve) => raw.on('message', (m: Buffer) => (String(m).includes('"error"') ? resolve() : undefined)));
    raw.send('not json');
    await refused;
    raw.close();
    // A route report and a relay allocation (the first Allocate is challenged with 401).
    client.send({ type: 'route', peer: 'f'.repeat(40), kind: 'relay', local: { type: 'relay', address: '127.0.0.1', port: 55001 }, remote: { type: 'relay', address: '127.0.0.1', port: 55002 }, setupMs: 12 });
    const ice = client.iceServers.find((s) => [s.urls].flat().some((u) => u.startsWith('turn:')));
    assert.ok(ice?.username && ice.credential, JSON.stringify(client.iceServers));
    turn = new TurnClient({ server: { address: '127.0.0.1', port: server.relay!.port }, username: ice.username, password: ice.credential, transaction: { rtoMs: 100, attempts: 4 } });
    await turn.bind();
    await turn.allocate();
    // The route report is handled when its frame arrives: scrape until it is counted (bounded).
    let m = await scrape(port);
    for (let i = 0; i < 50 && sample(m.body, 'p2prc_routes_reported_total{kind="relay"}') === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      m = await scrape(port);
    }
    assert.equal(m.status, 200);
    assert.match(m.type, /^text\/plain; version=0\.0\.4/);
    const b = m.body;
    assert.equal(sample(b, 'p2prc_peers_online'), 1, b);
    assert.equal(sample(b, 'p2prc_signal_messages_total{type="register"}'), 1);
    assert.equal(sample(b, 'p2prc_routes_reported_total{kind="relay"}'), 1);
    assert.equal(sample(b, 'p2prc_routes{kind="relay"}'), 1, 'the live route');
    assert.equal(sample(b, 'p2prc_signal_errors_total{code="bad-json"}'), 1, b.split('\n').filter((l) => l.includes('errors')).join('\n'));
    assert.equal(sample(b, 'p2prc_relay_allocations{transport="udp"}'), 1);
    assert.equal(sample(b, 'p2prc_relay_allocations{transport="tcp"}'), 0);
    assert.equal(sample(b, 'p2prc_relay_allocation_failures_total{code="401"}'), 1, 'the challenge before the credentials');
    assert.ok((sample(b, 'p2prc_process_cpu_user_seconds_total') ?? -1) >= 0, 'process metrics');
    assert.ok(sample(b, 'p2prc_nodejs_eventloop_lag_seconds') !== undefined, 'event loop lag');
  });
});
