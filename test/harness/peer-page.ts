/**
 * Drives the browser peer page (signal-server/web/static/index.html) the way a
 * user does: name, register, pick a peer and a service, press a button; and
 * waits on the state the page sets on its elements (data-state ok/error), not
 * on time.
 */
import type { Page } from 'playwright-core';

const WAIT_MS = 60_000;

/** Open the page at `url` as `name` and wait until it registered; its peer id. */
export async function openPeerPage(page: Page, url: string, name: string): Promise<{ peerId: string }> {
  const u = new URL(url);
  u.searchParams.set('name', name);
  await page.goto(u.toString());
  await page.locator('#signal-status[data-state="ok"], #signal-status[data-state="error"]').waitFor({ timeout: WAIT_MS });
  const status = await page.locator('#signal-status').innerText();
  if (!status.startsWith('registered as')) throw new Error(`the page did not register: ${status}`);
  return { peerId: await page.locator('#peer-id').innerText() };
}

/** Pick the peer (by id) and one of the services it published. */
export async function choosePeerService(page: Page, peerId: string, service: string): Promise<void> {
  await page.locator(`#peer option[value="${peerId}"]`).waitFor({ state: 'attached', timeout: WAIT_MS });
  await page.selectOption('#peer', peerId);
  await page.locator(`#service option[value="${service}"]`).waitFor({ state: 'attached', timeout: WAIT_MS });
  await page.selectOption('#service', service);
}

async function finished(page: Page, id: string): Promise<{ state: string; text: string }> {
  await page.locator(`#${id}[data-state="ok"], #${id}[data-state="error"]`).waitFor({ timeout: WAIT_MS });
  return { state: (await page.locator(`#${id}`).getAttribute('data-state')) ?? '', text: await page.locator(`#${id}`).innerText() };
}

export interface EchoResult {
  text: string;
  bytes: number;
  route: string;
  routeKind?: string;
}

/** Echo `size` bytes; `expectOk` false returns a failure instead of throwing. */
export async function runEcho(page: Page, size: number, expectOk = true): Promise<EchoResult> {
  await page.fill('#echo-size', String(size));
  // A new run: the result element goes back to busy first.
  await page.locator('#echo-result').evaluate((el) => el.removeAttribute('data-bytes'));
  await page.click('#echo');
  await page.locator('#echo-result[data-state="busy"]').waitFor({ state: 'detached', timeout: WAIT_MS }).catch(() => undefined);
  const r = await finished(page, 'echo-result');
  if (expectOk && r.state !== 'ok') throw new Error(`echo failed: ${r.text}`);
  return {
    text: r.text,
    bytes: Number((await page.locator('#echo-result').getAttribute('data-bytes')) ?? 0),
    route: await page.locator('#route').innerText(),
    routeKind: (await page.locator('#route').getAttribute('data-kind')) ?? undefined,
  };
}

export interface FetchResult {
  text: string;
  body: string;
  sha256: string;
}

export async function runFetch(page: Page, path: string): Promise<FetchResult> {
  await page.fill('#fetch-path', path);
  await page.click('#fetch');
  await page.locator('#fetch-result[data-state="busy"]').waitFor({ state: 'detached', timeout: WAIT_MS }).catch(() => undefined);
  const r = await finished(page, 'fetch-result');
  if (r.state !== 'ok') throw new Error(`fetch failed: ${r.text}`);
  return { text: r.text, body: await page.locator('#fetch-body').innerText(), sha256: (await page.locator('#fetch-result').getAttribute('data-sha256')) ?? '' };
}
