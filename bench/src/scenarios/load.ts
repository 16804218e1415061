import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '@parley/server/app';
import { loadConfig } from '@parley/server/config';

/**
 * Page load of the built client in headless Chromium, throttled like the phone on a
 * slow network: 150 ms latency, 1.6 Mbps down, 750 kbps up, CPU ×4, a 390×844 viewport.
 * Every run is a fresh browser context (cold cache, no service worker).
 */
export interface LoadConfig {
  /** paths to open, e.g. `/` */
  path: string;
  latencyMs: number;
  downKbps: number;
  upKbps: number;
  cpuSlowdown: number;
  repeats: number;
}

export const LOAD_DEFAULT: LoadConfig = { path: '/', latencyMs: 150, downKbps: 1600, upKbps: 750, cpuSlowdown: 4, repeats: 3 };

export interface LoadSample {
  fcp_ms: number;
  first_heading_ms: number;
  /** the page's form rendered by React (the start page is usable) */
  app_ready_ms: number;
  js_wire_bytes: number;
  js_raw_bytes: number;
  total_wire_bytes: number;
  requests: number;
  foreign_requests: number;
  /** content-encoding of the entry script ('' = none) */
  entry_encoding: string;
}

export function launchBenchChromium(): Promise<Browser> {
  // The flags tests/e2e/support.ts uses.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * One cold load of `base + path`: times to first contentful paint, to the first heading and to
 * `readySelector` (the start page's form, i.e. the app has rendered), polled from Node, so
 * the last two are a few ms late. `throttle: false` skips network and CPU throttling (the fast
 * test). `identity: true` asks for no content-encoding (the uncompressed baseline).
 */
export async function measureLoad(
  browser: Browser,
  base: string,
  opts: { path?: string; throttle?: LoadConfig | false; identity?: boolean; readySelector?: string } = {},
): Promise<LoadSample> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (opts.identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    const t = opts.throttle;
    if (t) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: t.latencyMs,
        downloadThroughput: (t.downKbps * 1000) / 8,
        uploadThroughput: (t.upKbps * 1000) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: t.cpuSlowdown });
    }
    const origin = new URL(base).origin;
    const byId = new Map<string, { url: string; type: string; encoding: string }>();
    let jsWire = 0;
    let jsRaw = 0;
    let totalWire = 0;
    let requests = 0;
    let foreign = 0;
    let entryEncoding = '';
    cdp.on('Network.requestWillBeSent', (e) => {
      requests++;
      if (!e.request.url.startsWith(origin) && !e.request.url.startsWith('data:')) foreign++;
    });
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      byId.set(e.requestId, { url: e.response.url, type: e.type, encoding: headers['content-encoding'] ?? '' });
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = byId.get(e.requestId);
      if (r?.type === 'Script') jsRaw += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      totalWire += e.encodedDataLength;
      const r = byId.get(e.requestId);
      if (r?.type === 'Script') {
        jsWire += e.encodedDataLength;
        if (/\/assets\/index-[^/]*\.js$/.test(r.url)) entryEncoding = r.encoding;
      }
    });
    await page.goto(new URL(opts.path ?? '/', base).toString(), { waitUntil: 'commit', timeout: 120_000 });
    await page.locator('h1').first().waitFor({ timeout: 120_000 });
    const firstHeading = await page.evaluate(() => performance.now());
    await page.locator(opts.readySelector ?? 'main form').first().waitFor({ timeout: 120_000 });
    const appReady = await page.evaluate(() => performance.now());
    // Let late chunk requests (none are expected on the landing page) show up.
    await page.waitForLoadState('networkidle', { timeout: 120_000 }).catch(() => undefined);
    const fcp = await page.evaluate(
      () => performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime ?? NaN,
    );
    return {
      fcp_ms: Math.round(fcp),
      first_heading_ms: Math.round(firstHeading),
      app_ready_ms: Math.round(appReady),
      js_wire_bytes: jsWire,
      js_raw_bytes: jsRaw,
      total_wire_bytes: totalWire,
      requests,
      foreign_requests: foreign,
      entry_encoding: entryEncoding,
    };
  } finally {
    await context.close();
  }
}

/** What one row of the load table serves. */
export interface LoadVariant {
  /** row label */
  label: string;
  /** built client directory to serve */
  dir: string;
  /** ask for `Accept-Encoding: identity` */
  identity: boolean;
}

/**
 * Builds the client from the working tree twice into temporary directories: the build as
 * shipped (split, precompressed, service worker) and a baseline of the same sources as it was
 * before issue 13 (one bundle, no .br/.gz files, so the server sends it uncompressed).
 */
export function buildVariants(repoRoot: string, tmp: string, previous?: string): LoadVariant[] {
  const current = path.join(tmp, 'current');
  const unsplit = path.join(tmp, 'unsplit');
  const vite = (outDir: string, baseline: boolean) =>
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      cwd: path.join(repoRoot, 'client'),
      env: { ...process.env, PARLEY_BUILD_OUTDIR: outDir, ...(baseline ? { PARLEY_BUILD_BASELINE: '1' } : {}) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  vite(current, false);
  vite(unsplit, true);
  return [
    ...(previous ? [{ label: `previous build (${path.basename(previous)})`, dir: previous, identity: false }] : []),
    { label: 'baseline: one bundle, uncompressed', dir: unsplit, identity: false },
    { label: 'split, uncompressed', dir: current, identity: true },
    { label: 'split + brotli (shipped)', dir: current, identity: false },
  ];
}

/** A Parley server in this process serving `dir` (the throttled browser is the bottleneck). */
export async function serveBuild(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-load-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', STATIC_DIR: dir });
  const app = await buildApp(config, {});
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
