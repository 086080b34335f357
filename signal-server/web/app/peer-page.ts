/**
 * The browser peer page (GET / on the signal server): registers as a peer,
 * lists who is online and what they expose, and through a chosen peer's
 * service echoes bytes or fetches an HTTP resource over a data-channel tunnel,
 * direct or relay-only, showing the route and the live throughput.
 *
 * URL parameters: `name` (the peer name; default browser-<id>), `secret` is
 * never read from the URL (typed in the page), `key=noble` forces the pure-JS
 * Ed25519 fallback (tests), `slot` picks another stored identity.
 */
import { formatBytes, toHex } from './bytes.js';
import { ed25519, keyFingerprint, loadOrCreateIdentity, type BrowserIdentity, type Ed25519 } from './identity.js';
import type { PeerInfo } from './protocol.js';
import { BrowserSession, describeRoute, SessionError } from './session.js';
import { SignalConnection } from './signal.js';
import { httpGet } from './http.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

let ed: Ed25519;
let identity: BrowserIdentity;
let signal: SignalConnection | undefined;
const peers = new Map<string, PeerInfo>();
/** One session per peer and mode (relay-only or not), reused by every stream. */
const sessions = new Map<string, BrowserSession>();
/** Bytes moved by the running transfer, read by the rate meter. */
let live = { read: (): number => 0, since: 0, running: false };

function log(text: string, cls = ''): void {
  const line = document.createElement('div');
  line.textContent = `${new Date().toISOString().slice(11, 23)} ${text}`;
  if (cls) line.className = cls;
  $('log').prepend(line);
}

function setStatus(id: string, text: string, state: 'ok' | 'error' | 'busy'): void {
  const el = $(id);
  el.textContent = text;
  el.dataset.state = state;
}

async function start(): Promise<void> {
  ed = await ed25519(params.get('key') === 'noble' ? 'noble' : undefined);
  identity = await loadOrCreateIdentity(ed, params.get('slot') ?? 'default');
  $('peer-id').textContent = identity.peerId;
  $('key-fp').textContent = await keyFingerprint(ed, identity.publicKeyRaw);
  $('key-provider').textContent = ed.provider === 'webcrypto' ? 'WebCrypto Ed25519' : 'noble-ed25519 (fallback)';
  const name = $<HTMLInputElement>('name');
  name.value = params.get('name') ?? `browser-${identity.peerId.slice(0, 8)}`;
  $('register-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void register();
  });
  $('refresh').addEventListener('click', () => void refreshPeers());
  $('peer').addEventListener('change', () => showServices());
  $('echo').addEventListener('click', () => void echo());
  $('fetch').addEventListener('click', () => void fetchResource());
  setInterval(showRate, 250);
  await register();
}

async function register(): Promise<void> {
  signal?.close();
  for (const s of sessions.values()) s.close();
  sessions.clear();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
  const s = new SignalConnection(url);
  signal = s;
  setStatus('signal-status', `connecting to ${url}`, 'busy');
  try {
    await s.register(identity, $<HTMLInputElement>('name').value.trim(), $<HTMLInputElement>('secret').value || undefined);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    setStatus('signal-status', `${code}: ${(err as Error).message}`, 'error');
    log(`register failed: ${code}: ${(err as Error).message}`, 'error');
    return;
  }
  setStatus('signal-status', `registered as ${s.name} (${s.peerId.slice(0, 12)}…)`, 'ok');
  s.addEventListener('presence', (ev) => {
    const m = (ev as CustomEvent).detail as { event: string; peer: PeerInfo };
    if (m.event === 'leave') peers.delete(m.peer.peerId);
    else peers.set(m.peer.peerId, m.peer);
    renderPeers();
  });
  s.addEventListener('server-error', (ev) => {
    const e = (ev as CustomEvent).detail as { code: string; message: string };
    log(`server: ${e.code}: ${e.message}`, 'error');
  });
  // Only the current connection's close counts (registering again closes the previous one).
  s.addEventListener('close', () => {
    if (signal === s) setStatus('signal-status', 'signal server connection closed', 'error');
  });
  await refreshPeers();
}

async function refreshPeers(): Promise<void> {
  if (!signal) return;
  const list = await signal.list();
  peers.clear();
  for (const p of list) peers.set(p.peerId, p);
  // Subscribe to their presence, so joins of services and leaves show up.
  for (let i = 0; i < list.length; i += 64) {
    const ids = list.slice(i, i + 64).map((p) => p.peerId);
    if (ids.length) signal.send({ type: 'lookup', targets: ids });
  }
  renderPeers();
}

function renderPeers(): void {
  const sel = $<HTMLSelectElement>('peer');
  const was = sel.value;
  sel.replaceChildren();
  for (const p of [...peers.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const o = document.createElement('option');
    o.value = p.peerId;
    o.textContent = `${p.name} (${p.peerId.slice(0, 8)}…)${p.services?.length ? ` · ${p.services.length} service(s)` : ''}`;
    sel.append(o);
  }
  if (was && peers.has(was)) sel.value = was;
  $('peer-count').textContent = String(peers.size);
  showServices();
}

function showServices(): void {
  const p = peers.get($<HTMLSelectElement>('peer').value);
  const sel = $<HTMLSelectElement>('service');
  const was = sel.value;
  sel.replaceChildren();
  for (const s of p?.services ?? []) {
    if (s.type !== 'tcp') continue;
    const o = document.createElement('option');
    o.value = s.name;
    o.textContent = s.name;
    sel.append(o);
  }
  if (was && [...sel.options].some((o) => o.value === was)) sel.value = was;
}

async function sessionFor(peer: PeerInfo): Promise<BrowserSession> {
  const relayOnly = $<HTMLInputElement>('relay-only').checked;
  const key = `${peer.peerId}:${relayOnly}`;
  let s = sessions.get(key);
  if (s && !s.closedWith) return s.whenConnected().then(() => s!);
  if (!signal) throw new SessionError('not-registered', 'not registered with the signal server');
  s = new BrowserSession({ signal, identity, ed, remote: peer, relayOnly });
  sessions.set(key, s);
  setStatus('route', `connecting to ${peer.name}${relayOnly ? ' (relay only)' : ''}…`, 'busy');
  const route = await s.connect();
  setStatus('route', describeRoute(route), 'ok');
  $('route').dataset.kind = route.kind;
  log(`connected to ${peer.name} in ${Math.round(route.setupMs)} ms: ${describeRoute(route)}`);
  return s;
}

function chosen(): { peer: PeerInfo; service: string } {
  const peer = peers.get($<HTMLSelectElement>('peer').value);
  // A name typed in wins over the list (a service the peer did not publish).
  const service = $<HTMLInputElement>('service-name').value.trim() || $<HTMLSelectElement>('service').value;
  if (!peer) throw new SessionError('bad-argument', 'pick a peer');
  if (!service) throw new SessionError('bad-argument', 'pick a service');
  return { peer, service };
}

async function guarded(statusId: string, job: () => Promise<string>): Promise<void> {
  setStatus(statusId, 'running…', 'busy');
  try {
    setStatus(statusId, await job(), 'ok');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    const text = `${code}: ${(err as Error).message}`;
    setStatus(statusId, text, 'error');
    if (statusId !== 'route' && $('route').dataset.state === 'busy') setStatus('route', text, 'error');
    log(text, 'error');
  } finally {
    showRate();
    live.running = false;
  }
}

/** Send N random bytes to an echo service and check that the same N come back. */
async function echo(): Promise<void> {
  await guarded('echo-result', async () => {
    const { peer, service } = chosen();
    const size = Math.max(1, Math.min(1 << 30, Number($<HTMLInputElement>('echo-size').value) || 1 << 20));
    const session = await sessionFor(peer);
    const stream = session.openStream(service);
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(size, i + 65536)));
    let got = 0;
    let mismatch = -1;
    stream.onData = (chunk) => {
      for (let i = 0; i < chunk.length && mismatch < 0; i++) if (chunk[i] !== data[got + i]) mismatch = got + i;
      got += chunk.length;
    };
    live = { read: () => stream.bytesIn + stream.bytesOut, since: performance.now(), running: true };
    const t0 = performance.now();
    await stream.write(data);
    await stream.end();
    await stream.whenEnded();
    const secs = (performance.now() - t0) / 1000;
    if (got !== size || mismatch >= 0) throw new SessionError('mismatch', `echo of ${size} bytes came back as ${got} bytes${mismatch >= 0 ? `, first difference at byte ${mismatch}` : ''}`);
    const text = `echoed ${formatBytes(size)} through ${peer.name}/${service}, verified: ${(size / 1048576 / secs).toFixed(2)} MiB/s each way (${(secs * 1000).toFixed(0)} ms)`;
    $('echo-result').dataset.bytes = String(got);
    log(text);
    return text;
  });
}

/** GET a path from a web service behind the peer, and show it. */
async function fetchResource(): Promise<void> {
  await guarded('fetch-result', async () => {
    const { peer, service } = chosen();
    const path = $<HTMLInputElement>('fetch-path').value || '/';
    const session = await sessionFor(peer);
    const stream = session.openStream(service);
    live = { read: () => stream.bytesIn + stream.bytesOut, since: performance.now(), running: true };
    const res = await httpGet(stream, path, `${service}.${peer.name}`);
    const type = res.headers.get('content-type') ?? '';
    const body = new TextDecoder().decode(res.body);
    $('fetch-body').textContent = body;
    const frame = $<HTMLIFrameElement>('fetch-frame');
    frame.hidden = !/text\/html/i.test(type);
    if (!frame.hidden) frame.srcdoc = body;
    const digest = toHex(await ed.sha256(res.body));
    $('fetch-result').dataset.sha256 = digest;
    return `HTTP ${res.status} ${res.statusText} · ${type || 'no content-type'} · ${formatBytes(res.body.length)} from ${peer.name}/${service}${path}`;
  });
}

function showRate(): void {
  if (!live.running) return;
  const secs = (performance.now() - live.since) / 1000;
  const bytes = live.read();
  $('rate').textContent = `${formatBytes(bytes)} moved in ${secs.toFixed(1)} s · ${(bytes / 1048576 / Math.max(secs, 0.001)).toFixed(2)} MiB/s (both ways)`;
}

start().catch((err: unknown) => {
  setStatus('signal-status', `cannot start: ${(err as Error).message}`, 'error');
  log(String((err as Error).stack ?? err), 'error');
});
