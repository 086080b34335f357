/**
 * Headless Chromium for the browser suites: Debian's `chromium` (installed by
 * test/install-deps.sh), driven by playwright-core over its pipe; nothing is
 * downloaded. `chromiumPath()` finds it ($CHROMIUM_PATH first). The browser
 * is closed at cleanup() even when a test fails. Screenshots go under
 * test-output/<suite>/ in the repository (kept for a look after a run).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { atCleanup, ROOT } from './process.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? CANDIDATES.find((c) => existsSync(c));
  if (!p) throw new Error(`no Chromium: install Debian's chromium (test/install-deps.sh) or set CHROMIUM_PATH`);
  return p;
}

export interface BrowserOptions {
  /**
   * Let WebRTC use loopback addresses (Chromium skips them by default): the
   * loopback suite's Node peers listen on 127.0.0.1 only. The lab suite runs
   * without it, as a user's browser does.
   */
  loopback?: boolean;
  /** Run it through this command (e.g. `ip netns exec NS`): a wrapper script's path. */
  executablePath?: string;
}

export async function launchChromium(o: BrowserOptions = {}): Promise<Browser> {
  const args = ['--no-sandbox', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  // On the host's own network (loopback suites): no mDNS names for host candidates, whose
  // announcements would leave by the host's interfaces; the lab keeps Chromium's default.
  if (o.loopback) args.push('--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns');
  const browser = await chromium.launch({ executablePath: o.executablePath ?? chromiumPath(), args, headless: true });
  // playwright also kills the browsers it launched when this process exits.
  atCleanup(() => void browser.close().catch(() => undefined));
  return browser;
}

/** Every console message and page error of `page`, appended to `file` (read it when a test fails). */
export function pageLog(page: Page, file: string): void {
  const write = (line: string): void => appendFileSync(file, `${new Date().toISOString()} ${page.url()} ${line}\n`);
  page.on('console', (m) => write(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => write(`pageerror: ${e.message}`));
}

export function outputDir(suite: string): string {
  const d = join(ROOT, 'test-output', suite);
  mkdirSync(d, { recursive: true });
  return d;
}

/**
 * A screenshot of `page` at `path`, checked to be a PNG of the page's size (not an
 * empty capture), taken once each of `shown` (CSS selector -> text it must show) is
 * visible with its text.
 */
export async function screenshot(page: Page, path: string, shown: Record<string, RegExp> = {}): Promise<Buffer> {
  for (const [sel, text] of Object.entries(shown)) {
    const el = page.locator(sel);
    if (!(await el.isVisible())) throw new Error(`${path}: ${sel} is not visible`);
    const t = await el.innerText();
    if (!text.test(t)) throw new Error(`${path}: ${sel} shows ${JSON.stringify(t)}, not ${text}`);
  }
  await page.screenshot({ path, fullPage: true });
  const png = readFileSync(path);
  const sig = png.subarray(0, 8).toString('hex');
  if (sig !== '89504e470d0a1a0a') throw new Error(`${path} is not a PNG`);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width < 600 || height < 300 || png.length < 10_000) throw new Error(`${path}: ${width}x${height}, ${png.length} bytes: not a page capture`);
  return png;
}
