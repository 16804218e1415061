import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureLoad } from '../../bench/src/scenarios/load';
import { launchChromium, startParley, type RunningServer } from './support';

// "Fast to load" (issue 13): compressed, split assets; HEAD / answers; SPA routes still load.
// The throttled figures (FCP) are `npm run bench -- --only load`; this is the fast check.
const LANDING_JS_BUDGET = 120 * 1024;

describe('fast to load', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const entryScript = async (): Promise<string> => {
    const html = await (await fetch(server.url)).text();
    const src = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
    if (!src) throw new Error('no entry script in index.html');
    return src;
  };

  it('LD1 HEAD / and HEAD of SPA routes answer 200 with the HTML type, and no body', async () => {
    for (const p of ['/', '/r/abcdefghijklmnop', '/j', '/w/abcdefghijklmnop']) {
      const res = await fetch(`${server.url}${p}`, { method: 'HEAD' });
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type'), p).toMatch(/text\/html/);
      expect((await res.arrayBuffer()).byteLength, p).toBe(0);
    }
    // API paths keep their 404.
    expect((await fetch(`${server.url}/api/nothing`, { method: 'HEAD' })).status).toBe(404);
  });

  it('LD2 assets come precompressed (br, else gzip, else identity), cached for a year, with Vary', async () => {
    const src = await entryScript();
    const plain = await fetch(`${server.url}${src}`, { headers: { 'accept-encoding': 'identity' } });
    const plainBytes = (await plain.arrayBuffer()).byteLength;
    expect(plain.headers.get('content-encoding')).toBeNull();
    for (const [accept, expected] of [['br, gzip', 'br'], ['gzip', 'gzip']] as const) {
      // fetch decodes the body; content-length is the size on the wire.
      const res = await fetch(`${server.url}${src}`, { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(expected);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')?.toLowerCase()).toContain('accept-encoding');
      expect(Number(res.headers.get('content-length'))).toBeLessThan(plainBytes / 2);
    }
    // index.html for SPA routes: compressed too, never cached.
    for (const p of ['/', '/r/abcdefghijklmnop', '/j', '/w/abcdefghijklmnop']) {
      const res = await fetch(`${server.url}${p}`, { headers: { 'accept-encoding': 'br' } });
      expect(res.headers.get('content-encoding'), p).toBe('br');
      expect(res.headers.get('cache-control'), p).toBe('no-store');
      expect(await res.text(), p).toContain(src);
    }
    // The compressed files are not addressable themselves.
    expect((await fetch(`${server.url}${src}.br`)).headers.get('content-type') ?? '').toMatch(/text\/html|json/);
  });

  it('LD3 the landing page loads at most 120 KB of JS on the wire, brotli-compressed, no foreign requests', async () => {
    const s = await measureLoad(browser, server.url);
    expect(s.entry_encoding).toBe('br');
    expect(s.js_wire_bytes).toBeGreaterThan(10_000);
    expect(s.js_wire_bytes).toBeLessThanOrEqual(LANDING_JS_BUDGET);
    expect(s.foreign_requests).toBe(0);
  });

  it('LD4 SPA routes still load in the browser (their code is fetched on demand)', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      for (const [p, heading] of [
        ['/workshop', /workshop/i],
        ['/j', /.+/],
        ['/w/abcdefghijklmnop', /.+/],
        ['/r/abcdefghijklmnop', /.+/],
      ] as const) {
        await page.goto(`${server.url}${p}`);
        await expect.poll(async () => (await page.locator('h1').first().textContent({ timeout: 10_000 })) ?? '', { timeout: 10_000 }).toMatch(heading);
      }
    } finally {
      await context.close();
    }
  });

  it('LD5 / is the start page with its introduction in the HTML; other routes get the plain shell', async () => {
    const landing = await (await fetch(`${server.url}/`)).text();
    expect(landing).toMatch(/<h1 class="hero__title">[^<]+<\/h1>/);
    const shell = await (await fetch(`${server.url}/r/abcdefghijklmnop`)).text();
    expect(shell).toContain('<div id="root"></div>');
  });

  it('LD6 installable: manifest and generated icons are served from the origin', async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { start_url: string; display: string; icons: { src: string; sizes: string }[] };
    expect(manifest.start_url).toBe('/');
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      expect(icon.src.startsWith('/'), icon.src).toBe(true);
      expect((await fetch(`${server.url}${icon.src}`)).status, icon.src).toBe(200);
    }
  });

  it('LD7 the app shell loads offline after one visit, and the service worker caches no API response', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.locator('main form').waitFor();
      // An API call while the worker is in charge: it must pass through, uncached.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
        }
        await fetch('/api/templates').catch(() => undefined);
      });
      await context.setOffline(true);
      await page.reload();
      await page.locator('main form').waitFor({ timeout: 10_000 });
      await page.goto(`${server.url}/j`);
      await expect.poll(async () => page.locator('h1').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const cached = await page.evaluate(async () => {
        const urls: string[] = [];
        for (const key of await caches.keys()) {
          const cache = await caches.open(key);
          for (const req of await cache.keys()) urls.push(new URL(req.url).pathname + new URL(req.url).search);
        }
        return urls;
      });
      expect(cached).toContain('/');
      expect(cached.some((u) => u.startsWith('/assets/'))).toBe(true);
      expect(cached.filter((u) => /^\/(api|yjs|socket\.io|metrics|healthz|readyz)/.test(u) || u.includes('?') || /token/i.test(u))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
