/**
 * A browser behind a NAT, in the lab: headless Chromium runs inside a host
 * namespace behind r2 (endpoint-independent NAT), loads the browser peer page
 * from the lab's signal server on the "internet" (plain http:// to
 * 203.0.113.1, not a secure context: no WebCrypto there, so the page signs with
 * its noble-ed25519 fallback), and fetches a web page served behind r1, a
 * symmetric NAT, through a Node exposer, direct where ICE finds a path and
 * relay-only through the lab server's TURN. Chromium runs as a user's does:
 * host addresses hidden behind mDNS names, no loopback switch.
 * Needs root (skipped otherwise).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { CLI, cleanup, tmpDir, type Proc } from '../helpers.js';
import { chromiumPath, launchChromium, outputDir, pageLog, screenshot } from '../harness/browser.js';
import { choosePeerService, openPeerPage, runEcho, runFetch } from '../harness/peer-page.js';
import { Lab, SERVER_IPS } from './lab.js';
import { PEER_START_MS, SIGNAL_PORT, labSkipReason, startLabServer } from './suite.js';
import { ECHO_PORT, EchoServers } from './tunnel-check.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB_SERVER = join(HERE, 'web-server.js');
const WEB_PORT = 8080;
const PAGE = `http://${SERVER_IPS[0]}:${SIGNAL_PORT}/`;

describe('NAT lab: a browser behind a NAT reaches a web page behind another NAT', { skip: labSkipReason }, () => {
  let lab: Lab | undefined;
  let browser: Browser | undefined;
  let exposer: Proc;
  let exposerId = '';
  let page: Page;
  let exposerDir = '';
  const out = outputDir('browser-lab');

  /** The exposer behind r1 (again: a NAT's mode change flushes its connection tracking, and with it the signalling connection). */
  async function startExposer(): Promise<void> {
    const h1 = lab!.host('h1a');
    exposer = lab!.spawnNode(h1.ns, `expose:site@${h1.role}`, CLI, ['--json', 'expose', `web=${WEB_PORT}`, `echo=${ECHO_PORT}`, '--name', 'site', '--server', `ws://${SERVER_IPS[0]}:${SIGNAL_PORT}`, '--data-dir', exposerDir]);
    exposerId = String((await exposer.waitForEvent({ event: 'registered' }, PEER_START_MS)).peerId);
  }

  before(async () => {
    lab = await Lab.create({ publicHosts: 0, natHosts: [1, 1], firewallHosts: [0, 0], log: (l) => console.log(l) });
    const L = lab;
    await L.setMode('r1', 'symmetric');
    await L.setMode('r2', 'eim');
    await startLabServer(L, ['--data-dir', tmpDir('p2prc-lab-srv-')]);
    const h1 = L.host('h1a');
    const web = L.spawnNode(h1.ns, `web@${h1.role}`, WEB_SERVER, [String(WEB_PORT), h1.role]);
    await web.waitFor(/web listening/, 'out', 10_000);
    await new EchoServers(() => L).on(h1);
    exposerDir = tmpDir('p2prc-lab-a-');
    await startExposer();
    // Chromium inside h2a's namespace: playwright starts this wrapper, which keeps its pipe.
    const wrapper = join(tmpDir('p2prc-lab-chromium-'), 'chromium-in-ns');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${L.host('h2a').ns} ${chromiumPath()} "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await launchChromium({ executablePath: wrapper });
    page = await browser.newPage();
    pageLog(page, join(out, 'console.log'));
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await lab?.destroy();
    await cleanup();
  });

  it('registers from an insecure page with the Ed25519 fallback', async () => {
    await openPeerPage(page, PAGE, 'lab-browser');
    assert.equal(await page.locator('#key-provider').innerText(), 'noble-ed25519 (fallback)');
    await choosePeerService(page, exposerId, 'web');
  });

  it('fetches the page behind the symmetric NAT through the tunnel, then echoes 1 MiB', async () => {
    const r = await runFetch(page, '/from-the-browser');
    assert.match(r.text, /^HTTP 200 OK · text\/plain · \d+ B from site\/web\/from-the-browser$/);
    assert.equal(r.body, 'hello from h1a behind NAT: /from-the-browser');
    const route = await page.locator('#route').innerText();
    console.log(`# browser behind eim -> site behind symmetric: ${route}`);
    await exposer.waitForEvent({ event: 'route', peer: 'lab-browser' }, 30_000);
    await choosePeerService(page, exposerId, 'echo');
    const e = await runEcho(page, 1024 * 1024);
    assert.equal(e.bytes, 1024 * 1024);
  });

  it('with both NATs endpoint-independent, the browser reaches the exposer directly', async () => {
    await exposer.stop();
    await lab!.setMode('r1', 'eim');
    await lab!.flushConntrack();
    await startExposer();
    await page.reload(); // a new session, and a new signalling connection
    await page.locator('#signal-status[data-state="ok"]').waitFor();
    await choosePeerService(page, exposerId, 'web');
    const r = await runFetch(page, '/direct');
    assert.equal(r.body, 'hello from h1a behind NAT: /direct');
    const route = await page.locator('#route').innerText();
    console.log(`# browser behind eim -> site behind eim: ${route}`);
    assert.equal(await page.locator('#route').getAttribute('data-kind'), 'direct', route);
  });

  it('relay only: the same fetch through the lab server\'s TURN relay', async () => {
    await page.check('#relay-only');
    await choosePeerService(page, exposerId, 'web');
    const r = await runFetch(page, '/relayed');
    assert.equal(r.body, 'hello from h1a behind NAT: /relayed');
    const route = await page.locator('#route').innerText();
    console.log(`# relay only: ${route}`);
    assert.match(route, new RegExp(`^relay relay ${SERVER_IPS[0].replace(/\./g, '\\.')}:\\d+ <-> relay ${SERVER_IPS[0].replace(/\./g, '\\.')}:\\d+$`));
    await exposer.waitForEvent({ event: 'route', peer: 'lab-browser', kind: 'relay' }, 30_000);
    await screenshot(page, join(out, 'browser-peer-lab.png'), { '#route': /^relay relay 203\.0\.113\.1:\d+ <-> relay 203\.0\.113\.1:\d+$/, '#fetch-body': /hello from h1a behind NAT: \/relayed/, '#key-provider': /noble/ });
  });
});
