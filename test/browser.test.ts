/**
 * Browser peers and the dashboard in real headless Chromium (Debian's, driven by
 * playwright-core): the page the signal server serves registers as a peer with
 * its own Ed25519 key, and through a Node exposer (node-datachannel) echoes
 * bytes and fetches an HTTP page over the tunnel stream protocol, direct and
 * relay-only through our TURN relay. The dashboard shows a Node peer that
 * registers after it opened, the routes and allocations live, and asks for the
 * secret when the server has one. A signal server that swaps the DTLS
 * fingerprint is refused by the browser itself. Screenshots of both pages go
 * under test-output/browser/ and are checked.
 *
 * Everything is on loopback here (the Node peers bind 127.0.0.1, so Chromium is
 * told it may use loopback addresses); test/lab/browser.test.ts runs the page
 * behind a NAT in the lab, without that switch.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cleanup, echoService, sha256, startExpose, startSignal, withDumps, type SignalProc } from './helpers.js';
import { launchChromium, outputDir, pageLog, screenshot } from './harness/browser.js';
import { tamperingProxy } from './harness/tampering-proxy.js';
import { choosePeerService, openPeerPage, runEcho, runFetch } from './harness/peer-page.js';

const WEB_BODY = `<!doctype html><html><body><h1>served behind the peer</h1><p>${'p2prc '.repeat(2000)}</p></body></html>`;
const MIB = 1024 * 1024;

function webService(): Promise<Server> {
  const s = createServer((req, res) => {
    if (req.url === '/hello.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(WEB_BODY);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such page\n');
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

describe('browser peers and the dashboard (headless Chromium)', () => {
  let browser: Browser;
  let signal: SignalProc;
  let web: Server;
  let alice: Awaited<ReturnType<typeof startExpose>>;
  const out = outputDir('browser');

  before(async () => {
    browser = await launchChromium({ loopback: true });
    web = await webService();
    signal = await startSignal();
    const echo = await echoService();
    alice = await startExpose('alice', [`echo=${echo}`, `web=${(web.address() as AddressInfo).port}`], signal.url);
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    web?.close();
    await cleanup();
  });

  /** A page whose console goes into a failing test's report. */
  async function page(): Promise<Page> {
    const p = await browser.newPage();
    pageLog(p, join(out, 'console.log'));
    return p;
  }

  it('the dashboard lists a Node peer that registers after the page opened', async () => {
    const dash = await page();
    await dash.goto(`http://127.0.0.1:${signal.port}/dashboard`);
    await dash.locator('#peers tbody tr', { hasText: 'alice' }).waitFor();
    assert.equal(await dash.locator('#peers tbody tr', { hasText: 'late-node' }).count(), 0);
    const late = await withDumps('the late exposer', () => startExpose('late-node', ['svc=9'], signal.url));
    // Pushed by the feed: no reload.
    const row = dash.locator('#peers tbody tr', { hasText: 'late-node' });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`late-node\\s+SHA256:[A-Za-z0-9+/]{43}\\s+${late.peerId}`));
    // Its services follow in their own message (after it registered): the next update shows them.
    await row.filter({ has: dash.locator('td:nth-child(5)', { hasText: /^svc$/ }) }).waitFor();
    await late.proc.stop();
    await row.waitFor({ state: 'detached' });
    await dash.close();
  });

  it('a browser peer echoes 1 MiB through a Node peer, direct and then relay-only, bytes verified', async () => {
    const p = await page();
    const me = await openPeerPage(p, `http://127.0.0.1:${signal.port}/`, 'browser-one');
    await choosePeerService(p, alice.peerId, 'echo');
    const direct = await runEcho(p, MIB);
    assert.equal(direct.bytes, MIB);
    assert.match(direct.text, /^echoed 1\.00 MiB through alice\/echo, verified/);
    assert.equal(direct.routeKind, 'direct');
    // The Node side saw the browser as a peer and connected to it directly.
    await alice.proc.waitForEvent({ event: 'route', peer: 'browser-one', peerId: me.peerId, kind: 'direct' });

    await p.check('#relay-only');
    const relayed = await runEcho(p, MIB);
    assert.equal(relayed.bytes, MIB);
    assert.equal(relayed.routeKind, 'relay');
    assert.match(relayed.route, /^relay relay \S+ <-> relay \S+$/, 'relay-only: both ends are relay candidates');
    await alice.proc.waitForEvent({ event: 'route', peer: 'browser-one', kind: 'relay' });
    await screenshot(p, join(out, 'browser-peer.png'), { '#route': /^relay relay 127\.0\.0\.1:\d+ <-> relay 127\.0\.0\.1:\d+$/, '#echo-result': /verified/, '#key-provider': /WebCrypto Ed25519/ });
    await p.close();
  });

  it('fetches an HTTP page from a web service behind the peer through the tunnel', async () => {
    const p = await page();
    await openPeerPage(p, `http://127.0.0.1:${signal.port}/`, 'browser-web');
    await choosePeerService(p, alice.peerId, 'web');
    const r = await runFetch(p, '/hello.html');
    assert.match(r.text, /^HTTP 200 OK · text\/html; charset=utf-8 · 11\.8 KiB from alice\/web\/hello\.html$/);
    assert.equal(r.sha256, sha256(Buffer.from(WEB_BODY)));
    assert.equal(r.body, WEB_BODY);
    assert.equal(await p.frameLocator('#fetch-frame').locator('h1').innerText(), 'served behind the peer');
    const missing = await runFetch(p, '/nope');
    assert.match(missing.text, /^HTTP 404 Not Found/);
    // A service the peer does not expose: the exposer's refusal, with its code, in the page.
    await p.fill('#service-name', 'nope');
    const refused = await runEcho(p, 1024, false);
    assert.match(refused.text, /^unknown-service: alice does not expose "nope" \(exposed: echo, web\)$/);
    await p.close();
  });

  it('the dashboard shows the live routes, their bytes and the relay allocations', async () => {
    const p = await page();
    await openPeerPage(p, `http://127.0.0.1:${signal.port}/`, 'browser-dash');
    await choosePeerService(p, alice.peerId, 'echo');
    await p.check('#relay-only');
    await runEcho(p, 4 * MIB);
    const dash = await page();
    await dash.goto(`http://127.0.0.1:${signal.port}/dashboard`);
    // The browser's own report (alice reports the same route from her side).
    const route = dash
      .locator('#routes tbody tr')
      .filter({ has: dash.locator('td:nth-child(1)', { hasText: /^browser-dash$/ }) })
      .filter({ has: dash.locator('td:nth-child(3)', { hasText: /^relay$/ }) });
    await route.waitFor();
    // The relayed route's bytes are the allocation's: at least the 4 MiB echoed each way.
    const cells = await route.locator('td').allInnerTexts();
    assert.equal(cells[0], 'browser-dash');
    assert.equal(cells[1], 'alice');
    assert.equal(cells[2], 'relay');
    assert.match(cells[6]!, /^\d+\.\d\d MiB$/);
    assert.ok(parseFloat(cells[6]!) >= 4, `route bytes ${cells[6]}`);
    assert.ok((await dash.locator('#allocations tbody tr', { hasText: 'browser-dash' }).count()) >= 1, 'the browser holds allocations');
    assert.ok((await dash.locator('#mapping tbody tr', { hasText: 'browser-dash' }).count()) >= 1, 'the mapping log has its rows');
    // A second snapshot gives rates; the feed keeps the page live.
    await dash.locator('#feed-status', { hasText: /^live, last update/ }).waitFor();
    await screenshot(dash, join(out, 'dashboard.png'), { '#routes': /browser-dash\s+alice\s+relay/, '#peers': /alice/, '#feed-status': /^live/ });
    await dash.close();
    await p.close();
  });

  it('refuses a signal server that swaps the DTLS fingerprint: the browser checks the signed answer', async () => {
    const proxy = await tamperingProxy(signal.url, ['answer']);
    try {
      const p = await page();
      await openPeerPage(p, `http://127.0.0.1:${proxy.port}/`, 'browser-tampered');
      await choosePeerService(p, alice.peerId, 'echo');
      const r = await runEcho(p, 1024, false);
      assert.match(r.text, /^tampered: refusing connection with alice: answer signature does not verify against [0-9a-f]{40}'s key/);
      assert.ok(proxy.rewrites() >= 1);
      assert.equal(alice.proc.eventsMatching('route').filter((e) => e.peer === 'browser-tampered').length, 0, 'no route was ever set up');
      await p.close();
    } finally {
      proxy.close();
    }
  });

  it('the pure-JS Ed25519 fallback registers and signs offers the Node peer accepts', async () => {
    const p = await page();
    await openPeerPage(p, `http://127.0.0.1:${signal.port}/?key=noble&slot=fallback`, 'browser-noble');
    assert.equal(await p.locator('#key-provider').innerText(), 'noble-ed25519 (fallback)');
    await choosePeerService(p, alice.peerId, 'echo');
    const r = await runEcho(p, 64 * 1024);
    assert.equal(r.bytes, 64 * 1024);
    await p.close();
  });

  it('keeps the identity in IndexedDB across reloads', async () => {
    const p = await page();
    const first = await openPeerPage(p, `http://127.0.0.1:${signal.port}/`, 'browser-keep');
    await p.reload();
    await p.locator('#signal-status[data-state="ok"]').waitFor();
    assert.equal(await p.locator('#peer-id').innerText(), first.peerId);
    await p.close();
  });
});

describe('the dashboard and the page with a server secret', () => {
  let browser: Browser;
  let signal: SignalProc;
  before(async () => {
    browser = await launchChromium({ loopback: true });
    signal = await startSignal(['--secret', 'dash-secret']);
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await cleanup();
  });

  it('asks for the secret, refuses a wrong one, and opens with the right one', async () => {
    const dash = await browser.newPage();
    await dash.goto(`http://127.0.0.1:${signal.port}/dashboard`);
    await dash.locator('#login').waitFor();
    assert.equal(await dash.locator('#board').isVisible(), false);
    const state = await dash.evaluate(async () => (await fetch('/dashboard/state')).status);
    assert.equal(state, 401);
    await dash.fill('#login-secret', 'wrong');
    await dash.click('#login-form button');
    await dash.locator('#login-status', { hasText: 'bad-secret: wrong secret' }).waitFor();
    await dash.fill('#login-secret', 'dash-secret');
    await dash.click('#login-form button');
    await dash.locator('#feed-status', { hasText: /^live/ }).waitFor();
    assert.equal(await dash.locator('#login').isVisible(), false);
    await dash.close();
  });

  it('the peer page registers only with the secret', async () => {
    const p = await browser.newPage();
    await p.goto(`http://127.0.0.1:${signal.port}/?name=browser-s`);
    await p.locator('#signal-status[data-state="error"]').waitFor();
    assert.match(await p.locator('#signal-status').innerText(), /^bad-secret: /);
    await p.fill('#secret', 'dash-secret');
    await p.click('#register');
    await p.locator('#signal-status[data-state="ok"]').waitFor();
    assert.match(await p.locator('#signal-status').innerText(), /^registered as browser-s/);
    await p.close();
  });
});
