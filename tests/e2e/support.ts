import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page, WebSocket } from 'playwright-core';
import type { BuildOptions } from '@parley/server/app';
import { startServer } from '../helpers/server';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const screenshotDir = path.join(here, 'screenshots');
const axePath = path.join(repoRoot, 'node_modules/axe-core/axe.min.js');

export interface RunningServer {
  url: string;
  dataDir: string;
  /** every log line the server wrote */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real server (tests/helpers/server.ts) on a free port, serving the built client from
 * client/dist. Run `npm run build -w client` first; the root `npm test` does.
 */
export async function startParley(env: Record<string, string> = {}, build?: BuildOptions): Promise<RunningServer> {
  if (!fs.existsSync(path.join(repoRoot, 'client/dist/index.html'))) {
    throw new Error('client/dist is missing: run `npm run build -w client` first');
  }
  const server = await startServer({ env, ...(build ? { build } : {}) });
  return {
    url: server.url,
    dataDir: server.dataDir,
    logs: server.logs,
    close: async () => {
      await server.close();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Partner {
  context: BrowserContext;
  page: Page;
  /** every text or binary websocket frame this browser received, decoded as UTF-8 */
  frames: string[];
  /** request URLs that left for another origin (must stay empty) */
  foreignRequests: string[];
  /** console errors: CSP violations, uncaught exceptions (must stay empty) */
  consoleErrors: string[];
}

export async function newPartner(
  browser: Browser,
  origin: string,
  opts: { phone?: boolean; colorScheme?: 'light' | 'dark' } = {},
): Promise<Partner> {
  const context = await browser.newContext({
    viewport: opts.phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    isMobile: !!opts.phone,
    hasTouch: !!opts.phone,
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const frames: string[] = [];
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Uncaught/i.test(msg.text())) consoleErrors.push(msg.text());
    });
    p.on('pageerror', (err) => consoleErrors.push(err.message));
  };
  watch(page);
  const record = (ws: WebSocket) => {
    ws.on('framereceived', (frame) => {
      frames.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8'));
    });
  };
  page.on('websocket', record);
  context.on('page', (p) => p.on('websocket', record));
  context.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u);
  });
  return { context, page, frames, foreignRequests, consoleErrors };
}

let shotCounter = 0;
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  shotCounter++;
  const file = path.join(screenshotDir, `${String(shotCounter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string }>;
}

/** Runs axe-core in the page; returns serious and critical violations only. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // evaluated through the DevTools protocol, so the page's strict CSP does not block it
  if (!hasAxe) await page.evaluate(fs.readFileSync(axePath, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Opens a section of the room from its navigation (the phone's menu opened first). */
export async function goToSection(page: Page, title: string) {
  const toggle = page.locator('.nav-toggle');
  if (await toggle.isVisible()) {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
  await page.locator('.section-nav__item', { hasText: title }).first().click();
  await page.locator('.section-header__title', { hasText: title }).waitFor();
}

/** Closes the “Before you begin” dialog a first visit shows. */
export async function dismissPrimer(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Before you begin' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'I’m ready to begin' }).click();
  await dialog.waitFor({ state: 'hidden' });
}
