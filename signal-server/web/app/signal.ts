/**
 * The browser peer's signal-server connection: the same WebSocket protocol as
 * the Node peers (src/peer/signal-client.ts): hello, a signed register, list
 * and lookup, signals relayed to and from peers, route reports.
 */
import { registerChallenge, type PeerInfo } from './protocol.js';
import type { BrowserIdentity } from './identity.js';

export interface IceServerEntry {
  urls: string | string[];
  username?: string;
  credential?: string;
  certFingerprint?: string;
}

export interface ServerError {
  code: string;
  message: string;
  ref?: string;
}

type Msg = Record<string, unknown> & { type: string };

/** Pages of 100 peers the page lists (1,000 peers; a busy server's others are reached by name). */
export const MAX_LIST_PAGES = 10;

export class SignalConnection extends EventTarget {
  readonly url: string;
  private ws?: WebSocket;
  peerId = '';
  name = '';
  iceServers: IceServerEntry[] = [];
  private readonly waiters = new Map<string, ((m: Msg) => void)[]>();
  private pingTimer?: ReturnType<typeof setInterval>;

  constructor(url: string) {
    super();
    this.url = url;
  }

  /** Connect and register as `name`; rejects with the server's error (code and message). */
  async register(identity: BrowserIdentity, name: string, secret?: string): Promise<void> {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    const hello = this.next('hello');
    ws.onmessage = (ev) => this.onMessage(String(ev.data));
    ws.onclose = (ev) => this.dispatchEvent(new CustomEvent('close', { detail: { code: ev.code, reason: ev.reason } }));
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`cannot reach the signal server at ${this.url}`));
    });
    const h = await hello;
    if (h.secretRequired && !secret) throw Object.assign(new Error('this server requires its secret to register'), { code: 'bad-secret' });
    const registered = this.next('registered');
    const failed = this.next('error');
    this.send({
      type: 'register',
      v: 1,
      name,
      publicKey: identity.publicKey,
      signature: await identity.sign(registerChallenge(String(h.nonce), name)),
      ...(secret ? { secret } : {}),
    });
    // A close before the reply (the server's register deadline, a proxy) ends the wait too.
    const closed = new Promise<Msg>((resolve) => ws.addEventListener('close', (ev) => resolve({ type: 'error', code: 'closed', message: `the signal server closed the connection (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})` })));
    const m = await Promise.race([registered, failed, closed]);
    this.waiters.delete('error');
    this.waiters.delete('registered');
    if (m.type === 'error') throw Object.assign(new Error(String(m.message)), { code: String(m.code) });
    this.peerId = String(m.peerId);
    this.name = String(m.name);
    this.iceServers = (m.iceServers as IceServerEntry[]) ?? [];
    this.pingTimer = setInterval(() => this.send({ type: 'ping' }), 20_000);
  }

  /** Who is online, page by page: at most MAX_LIST_PAGES pages (a page is a message, and the server rate-limits them). */
  async list(): Promise<PeerInfo[]> {
    const all: PeerInfo[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < MAX_LIST_PAGES; i++) {
      const page = this.next('peers');
      this.send({ type: 'list', ...(cursor ? { cursor } : {}), limit: 100 });
      const m = await page;
      all.push(...(m.peers as PeerInfo[]));
      const next = m.next as string | undefined;
      if (!next || (cursor !== undefined && next <= cursor)) break;
      cursor = next;
    }
    return all;
  }

  /** One peer by name or id (and presence updates about it from then on). */
  async lookup(target: string): Promise<PeerInfo | undefined> {
    const r = this.next('lookup');
    this.send({ type: 'lookup', targets: [target] });
    const m = await r;
    return (m.results as { peer?: PeerInfo }[])[0]?.peer;
  }

  signal(to: string, payload: Record<string, unknown>): boolean {
    return this.send({ type: 'signal', to, payload });
  }

  send(msg: Msg): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  close(): void {
    clearInterval(this.pingTimer);
    this.ws?.close();
  }

  /** The next message of `type`. */
  private next(type: string): Promise<Msg> {
    return new Promise((resolve) => {
      const list = this.waiters.get(type) ?? [];
      list.push(resolve);
      this.waiters.set(type, list);
    });
  }

  private onMessage(text: string): void {
    let m: Msg;
    try {
      m = JSON.parse(text) as Msg;
    } catch {
      return;
    }
    if (typeof m !== 'object' || m === null || typeof m.type !== 'string') return;
    const w = this.waiters.get(m.type);
    if (w?.length) {
      w.shift()!(m);
      return;
    }
    if (m.type === 'signal') this.dispatchEvent(new CustomEvent('signal', { detail: m }));
    else if (m.type === 'presence') this.dispatchEvent(new CustomEvent('presence', { detail: m }));
    else if (m.type === 'error') this.dispatchEvent(new CustomEvent('server-error', { detail: m as unknown as ServerError }));
  }
}
