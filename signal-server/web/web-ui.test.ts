/**
 * The signal server's web side over real HTTP: the page and its scripts with
 * their CSP, nothing outside the asset table, the dashboard's secret gate
 * (login, cookie, refusals) and its SSE feed.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { SignalServer } from '../server.js';
import { createLogger } from '../../src/util/log.js';

function get(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; firstChunk?: boolean } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        // An SSE stream does not end: take what came with the first snapshot.
        if (opts.firstChunk && body.indexOf('event: snapshot') >= 0 && body.includes('\n\n', body.indexOf('event: snapshot'))) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          res.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

for (const secret of [undefined, 'web-secret']) {
  describe(`web UI, ${secret ? 'with' : 'without'} a server secret`, () => {
    let server: SignalServer;
    let port: number;
    before(async () => {
      server = new SignalServer({ port: 0, ...(secret ? { secret } : {}), host: '127.0.0.1', logger: createLogger('web-test', () => undefined) });
      port = (await server.listen()).port;
    });
    after(() => server.close());

    it('serves the page, its scripts and the fallback packages with a same-origin CSP, and nothing else', async () => {
      for (const [path, type] of [['/', 'text/html'], ['/dashboard', 'text/html'], ['/app/peer-page.js', 'text/javascript'], ['/app/session.js', 'text/javascript'], ['/static/style.css', 'text/css'], ['/vendor/noble-ed25519.js', 'text/javascript'], ['/vendor/noble-hashes/sha2.js', 'text/javascript']] as const) {
        const r = await get(port, path);
        assert.equal(r.status, 200, path);
        assert.ok(String(r.headers['content-type']).startsWith(type), `${path}: ${r.headers['content-type']}`);
        assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
        assert.equal(r.headers['x-content-type-options'], 'nosniff');
      }
      for (const path of ['/app/../package.json', '/app/nope.js', '/static/../../package.json', '/vendor/noble-hashes/argon2.js', '/%2e%2e/package.json']) {
        assert.equal((await get(port, path)).status, 404, path);
      }
      assert.equal((await get(port, '/healthz')).status, 200, 'the other routes still answer');
    });

    it(secret ? 'gates the dashboard feed behind the secret, with a cookie' : 'opens the dashboard feed to anyone (read-only)', async () => {
      const open = await get(port, '/dashboard/state');
      if (!secret) {
        assert.equal(open.status, 200);
        assert.equal((JSON.parse(open.body) as { server: { name: string } }).server.name, 'p2prc-signal');
        const sse = await get(port, '/dashboard/events', { firstChunk: true });
        assert.equal(sse.headers['content-type'], 'text/event-stream');
        assert.match(sse.body, /event: snapshot\ndata: \{"at":\d+/);
        return;
      }
      assert.equal(open.status, 401);
      assert.equal((JSON.parse(open.body) as { code: string }).code, 'bad-secret');
      assert.equal((await get(port, '/dashboard/events')).status, 401);
      const wrong = await get(port, '/dashboard/login', { method: 'POST', body: JSON.stringify({ secret: 'nope' }) });
      assert.equal(wrong.status, 401);
      assert.equal((await get(port, '/dashboard/login', { method: 'POST', body: '{not json' })).status, 400);
      assert.equal((await get(port, '/dashboard/login', { method: 'POST', body: 'x'.repeat(10_000) })).status, 413);
      const ok = await get(port, '/dashboard/login', { method: 'POST', body: JSON.stringify({ secret }) });
      assert.equal(ok.status, 200);
      const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
      assert.match(String(ok.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
      assert.ok(!cookie.includes(secret), 'the cookie is not the secret');
      assert.equal((await get(port, '/dashboard/state', { headers: { cookie } })).status, 200);
      assert.equal((await get(port, '/dashboard/state', { headers: { cookie: cookie.slice(0, -2) + 'AA' } })).status, 401);
      const sse = await get(port, '/dashboard/events', { headers: { cookie }, firstChunk: true });
      assert.match(sse.body, /event: snapshot/);
    });
  });
}
