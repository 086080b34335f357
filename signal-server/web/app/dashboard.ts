/**
 * The dashboard page (GET /dashboard): online peers, live routes, relay
 * allocations and the mapping log, updated live from the server's feed
 * (Server-Sent Events). Rates are the byte counts' change between two
 * snapshots. With a server secret the page asks for it first.
 */
import { formatBytes } from './bytes.js';

interface Endpoint {
  type: string;
  address: string;
  port: number;
}
interface Snapshot {
  at: number;
  server: { name: string; uptimeSec: number; relay: boolean; reverseProxy: boolean };
  counts: { peers: number; routes: number; allocations: number; mapping: number };
  peers: { name: string; peerId: string; fingerprint: string; nat?: string; services: string[] }[];
  routes: { from: string; fromId: string; to: string; toId: string; kind: string; local: Endpoint; remote: Endpoint; setupMs?: number; since: number; bytes?: number }[];
  allocations: { user: string; userName?: string; client: string; transport: string; relayed: string; bytesToPeer: number; bytesFromPeer: number; ageSec: number }[];
  mapping: { id: string; role: string; route: string; peer_name?: string; service?: string; Address: string; Type: string; blind_port: number; bytes_sent: number; bytes_received: number; started_at: string; ended_at?: string }[];
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
let last: Snapshot | undefined;
let source: EventSource | undefined;

function ep(e: Endpoint): string {
  return `${e.type} ${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}

function rate(bytes: number | undefined, before: number | undefined, secs: number): string {
  if (bytes === undefined || before === undefined || secs <= 0) return '';
  return `${formatBytes(Math.round(Math.max(0, (bytes - before) / secs)))}/s`;
}

function rows(tableId: string, data: (string | { text: string; cls?: string })[][]): void {
  const body = $(tableId).querySelector('tbody')!;
  body.replaceChildren(
    ...data.map((cells) => {
      const tr = document.createElement('tr');
      for (const c of cells) {
        const td = document.createElement('td');
        const cell = typeof c === 'string' ? { text: c } : c;
        td.textContent = cell.text;
        if (cell.cls) td.className = cell.cls;
        tr.append(td);
      }
      return tr;
    }),
  );
}

function render(s: Snapshot): void {
  const prev = last;
  last = s;
  const secs = prev ? (s.at - prev.at) / 1000 : 0;
  $('server-name').textContent = s.server.name;
  $('summary').textContent = `${s.counts.peers} online · ${s.counts.routes} routes · ${s.counts.allocations} allocations · up ${s.server.uptimeSec} s${s.server.relay ? ' · relay' : ''}${s.server.reverseProxy ? ' · reverse proxy' : ''}`;
  $('peers-count').textContent = String(s.counts.peers);
  $('routes-count').textContent = String(s.counts.routes);
  $('allocations-count').textContent = String(s.counts.allocations);
  $('mapping-count').textContent = String(s.counts.mapping);
  $('mapping-shown').textContent = String(s.mapping.length);
  rows(
    'peers',
    s.peers.map((p) => [p.name, { text: p.fingerprint, cls: 'mono' }, { text: p.peerId, cls: 'mono' }, p.nat ?? 'not reported', p.services.join(', ')]),
  );
  const prevRoute = new Map((prev?.routes ?? []).map((r) => [`${r.fromId}>${r.toId}>${r.local.port}`, r.bytes]));
  rows(
    'routes',
    s.routes.map((r) => [
      r.from,
      r.to,
      { text: r.kind, cls: `kind-${r.kind}` },
      { text: ep(r.local), cls: 'mono' },
      { text: ep(r.remote), cls: 'mono' },
      r.setupMs !== undefined ? `${r.setupMs} ms` : '',
      { text: r.bytes !== undefined ? formatBytes(r.bytes) : 'peer to peer', cls: 'num' },
      { text: rate(r.bytes, prevRoute.get(`${r.fromId}>${r.toId}>${r.local.port}`), secs), cls: 'num' },
    ]),
  );
  const prevAlloc = new Map((prev?.allocations ?? []).map((a) => [a.relayed, a.bytesToPeer + a.bytesFromPeer]));
  rows(
    'allocations',
    s.allocations.map((a) => [
      a.userName ?? a.user.slice(0, 12),
      { text: a.client, cls: 'mono' },
      a.transport.toUpperCase(),
      { text: a.relayed, cls: 'mono' },
      { text: formatBytes(a.bytesToPeer), cls: 'num' },
      { text: formatBytes(a.bytesFromPeer), cls: 'num' },
      { text: rate(a.bytesToPeer + a.bytesFromPeer, prevAlloc.get(a.relayed), secs), cls: 'num' },
      `${a.ageSec} s`,
    ]),
  );
  rows(
    'mapping',
    s.mapping.map((m) => [
      m.started_at.slice(0, 19).replace('T', ' '),
      m.role,
      { text: m.route, cls: `kind-${m.route}` },
      m.peer_name ?? '',
      m.service ?? '',
      { text: `${m.Type} ${m.Address}:${m.blind_port}`, cls: 'mono' },
      { text: formatBytes(m.bytes_sent), cls: 'num' },
      { text: formatBytes(m.bytes_received), cls: 'num' },
      m.ended_at ? m.ended_at.slice(11, 19) : 'open',
    ]),
  );
}

function setFeed(text: string, state: 'ok' | 'error' | 'busy'): void {
  const el = $('feed-status');
  el.textContent = text;
  el.dataset.state = state;
}

function follow(): void {
  $('login').hidden = true;
  $('board').hidden = false;
  source?.close();
  source = new EventSource('/dashboard/events');
  source.addEventListener('snapshot', (ev) => {
    render(JSON.parse((ev as MessageEvent<string>).data) as Snapshot);
    setFeed(`live, last update ${new Date().toISOString().slice(11, 19)}`, 'ok');
  });
  source.onerror = () => setFeed('feed interrupted, reconnecting…', 'error');
}

async function start(): Promise<void> {
  const r = await fetch('/dashboard/state');
  if (r.status === 401) {
    $('login').hidden = false;
    $('board').hidden = true;
    return;
  }
  render((await r.json()) as Snapshot);
  follow();
}

$('login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void (async () => {
    const r = await fetch('/dashboard/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: $<HTMLInputElement>('login-secret').value }) });
    const body = (await r.json()) as { code?: string; message?: string };
    if (!r.ok) {
      $('login-status').textContent = `${body.code}: ${body.message}`;
      $('login-status').dataset.state = 'error';
      return;
    }
    await start();
  })();
});

void start();
