/**
 * The signal server's web side: the browser peer page (GET /), the dashboard
 * (GET /dashboard) with its live feed (Server-Sent Events, GET
 * /dashboard/events, and one snapshot at GET /dashboard/state), and their
 * static files: the pages and stylesheet from the package, the page scripts
 * compiled from ./app, and the Ed25519 fallback's two packages (vendor/).
 * Nothing is fetched from anywhere else (the pages' CSP says 'self' only).
 *
 * Access: the peer page is open (registering as a peer needs the server's
 * secret anyway, typed in the page). The dashboard is read-only and open when
 * the server has no --secret; with one, the page asks for it and POSTs it to
 * /dashboard/login, which sets an HttpOnly cookie holding an HMAC of the
 * secret (never the secret); the feed answers 401 `bad-secret` without it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/util/log.js';
import { TokenBucket } from '../rate-limit.js';
import { buildSnapshot, type SnapshotSources } from './snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
/** This file runs from dist/signal-server/web/: the package root is three levels up. */
const STATIC_DIR = join(here, '..', '..', '..', 'signal-server', 'web', 'static');
const APP_DIR = join(here, 'app');
const require = createRequire(import.meta.url);

/** The files served, by URL path: nothing outside this table is ever read. */
function assetTable(): Map<string, { file: string; type: string }> {
  const t = new Map<string, { file: string; type: string }>();
  const html = 'text/html; charset=utf-8';
  const js = 'text/javascript; charset=utf-8';
  t.set('/', { file: join(STATIC_DIR, 'index.html'), type: html });
  t.set('/index.html', { file: join(STATIC_DIR, 'index.html'), type: html });
  t.set('/dashboard', { file: join(STATIC_DIR, 'dashboard.html'), type: html });
  t.set('/static/style.css', { file: join(STATIC_DIR, 'style.css'), type: 'text/css; charset=utf-8' });
  for (const m of ['bytes', 'identity', 'protocol', 'signal', 'session', 'stream', 'http', 'peer-page', 'dashboard']) {
    t.set(`/app/${m}.js`, { file: join(APP_DIR, `${m}.js`), type: js });
  }
  // The fallback's packages (identity.ts): single ES modules, served as they are installed.
  t.set('/vendor/noble-ed25519.js', { file: require.resolve('@noble/ed25519'), type: js });
  const hashes = dirname(require.resolve('@noble/hashes/sha2.js'));
  for (const f of ['sha2', '_md', '_u64', 'utils']) t.set(`/vendor/noble-hashes/${f}.js`, { file: join(hashes, `${f}.js`), type: js });
  return t;
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
const COOKIE = 'p2prc_dashboard';
/** Feed clients at once; more are refused (503). */
export const MAX_FEED_CLIENTS = 64;
/** A feed client this far behind is dropped (it is not reading). */
const MAX_FEED_BACKLOG = 1024 * 1024;
/** How often the feed sends a snapshot; changes (a peer joins, a route is reported) send one sooner. */
export const FEED_INTERVAL_MS = 1000;
const POKE_DELAY_MS = 100;

export interface WebUiOptions {
  secret?: string;
  /** The cookie gets `Secure` when the server speaks TLS. */
  tls: boolean;
  sources: () => SnapshotSources;
  log: Logger;
}

export class WebUi {
  private readonly assets = assetTable();
  private readonly cache = new Map<string, Buffer>();
  private readonly token?: Buffer;
  private readonly logins = new TokenBucket(5, 10);
  private readonly feed = new Set<ServerResponse>();
  private timer?: NodeJS.Timeout;
  private pokeTimer?: NodeJS.Timeout;

  constructor(private readonly opts: WebUiOptions) {
    if (opts.secret !== undefined) this.token = createHmac('sha256', opts.secret).update('p2prc-dashboard/v1').digest();
  }

  /** True when the request was one of ours (answered). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/dashboard/login') {
      this.login(req, res);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/dashboard/state' || path === '/dashboard/events') {
      if (!this.authorized(req)) {
        json(res, 401, { code: 'bad-secret', message: 'this dashboard needs the server secret: POST it to /dashboard/login' });
        return true;
      }
      if (path === '/dashboard/state') json(res, 200, buildSnapshot(this.opts.sources()));
      else this.subscribe(req, res);
      return true;
    }
    // The page scripts' source maps sit beside them (/app/x.js.map); nothing else has one.
    const map = path.startsWith('/app/') && path.endsWith('.js.map');
    const asset = this.assets.get(map ? path.slice(0, -4) : path);
    if (!asset) return false;
    const file = map ? asset.file + '.map' : asset.file;
    let body = this.cache.get(file);
    if (!body) {
      try {
        body = readFileSync(file);
      } catch (err) {
        this.opts.log.warn('web asset missing (is the package built?)', { path, file, err: (err as NodeJS.ErrnoException).code });
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${path} is missing from this install\n`);
        return true;
      }
      this.cache.set(file, body);
    }
    res.writeHead(200, {
      'content-type': file.endsWith('.map') ? 'application/json' : asset.type,
      'content-length': body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CSP,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  /** Something the dashboard shows changed: send a snapshot soon. */
  poke(): void {
    if (this.feed.size === 0 || this.pokeTimer) return;
    this.pokeTimer = setTimeout(() => {
      this.pokeTimer = undefined;
      this.broadcast();
    }, POKE_DELAY_MS);
    this.pokeTimer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    clearTimeout(this.pokeTimer);
    for (const res of this.feed) res.end();
    this.feed.clear();
  }

  private authorized(req: IncomingMessage): boolean {
    if (!this.token) return true;
    const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([A-Za-z0-9_-]{43})`).exec(req.headers.cookie ?? '');
    if (!m) return false;
    const got = Buffer.from(m[1]!, 'base64url');
    return got.length === this.token.length && timingSafeEqual(got, this.token);
  }

  private login(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    let over = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (over) return;
      body += chunk;
      if (body.length > 4096) {
        over = true;
        body = '';
        // Answered at once; the connection closes after it (the rest of the body is not read).
        res.setHeader('connection', 'close');
        json(res, 413, { code: 'too-large', message: 'login body over 4096 bytes' });
      }
    });
    req.on('end', () => {
      if (over) return;
      if (!this.token) return json(res, 200, { ok: true, open: true });
      if (!this.logins.take()) return json(res, 429, { code: 'rate-limited', message: 'too many dashboard logins; wait a moment' });
      let secret: unknown;
      try {
        secret = (JSON.parse(body) as { secret?: unknown }).secret;
      } catch {
        return json(res, 400, { code: 'bad-json', message: 'expected {"secret": "..."}' });
      }
      const mac = createHmac('sha256', typeof secret === 'string' ? secret : '').update('p2prc-dashboard/v1').digest();
      if (typeof secret !== 'string' || !timingSafeEqual(mac, this.token)) {
        this.opts.log.warn('dashboard login refused: wrong secret', { remote: req.socket.remoteAddress });
        return json(res, 401, { code: 'bad-secret', message: 'wrong secret' });
      }
      const cookie = `${COOKIE}=${this.token.toString('base64url')}; Path=/dashboard; HttpOnly; SameSite=Strict${this.opts.tls ? '; Secure' : ''}`;
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': cookie }).end(JSON.stringify({ ok: true }));
    });
  }

  private subscribe(req: IncomingMessage, res: ServerResponse): void {
    if (this.feed.size >= MAX_FEED_CLIENTS) {
      json(res, 503, { code: 'rate-limited', message: `${MAX_FEED_CLIENTS} dashboards are open already` });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.write(`retry: 2000\n\n`);
    this.feed.add(res);
    req.on('close', () => {
      this.feed.delete(res);
      if (this.feed.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    });
    res.write(this.event());
    if (!this.timer) {
      this.timer = setInterval(() => this.broadcast(), FEED_INTERVAL_MS);
      this.timer.unref();
    }
  }

  private event(): string {
    return `event: snapshot\ndata: ${JSON.stringify(buildSnapshot(this.opts.sources()))}\n\n`;
  }

  private broadcast(): void {
    if (this.feed.size === 0) return;
    let text: string;
    try {
      text = this.event();
    } catch (err) {
      this.opts.log.error('dashboard snapshot failed', { err });
      return;
    }
    for (const res of this.feed) {
      if (res.writableLength > MAX_FEED_BACKLOG) {
        this.opts.log.warn('dashboard feed client is not reading, dropping it', { remote: res.req?.socket.remoteAddress });
        res.destroy();
        this.feed.delete(res);
        continue;
      }
      res.write(text);
    }
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-cache' }).end(JSON.stringify(body));
}
