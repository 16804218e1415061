// Measures the agreement screen of a whole negotiation (tests/e2e/full-room.ts): its page height
// at 360×740 and how many A4 pages Chromium prints, and takes phone/desktop, light/dark shots.
// Not a test. Usage: npm run build -w client && npx tsx tests/e2e/agreement-measure.mts <outdir>
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dismissPrimer, launchChromium, seriousA11yViolations, startParley } from './support';
import { fullRoom } from './full-room';

const out = path.resolve(process.argv[2] ?? 'agreement-shots');
fs.mkdirSync(out, { recursive: true });

async function openAgreement(browser: Browser, url: string, phone: boolean, scheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({
    viewport: phone ? { width: 360, height: 740 } : { width: 1280, height: 800 },
    isMobile: phone,
    hasTouch: phone,
    colorScheme: scheme,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.goto(url);
  await dismissPrimer(page);
  const toggle = page.locator('.nav-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('.section-nav__item', { hasText: 'Agreement' }).first().click();
  await page.locator('.section-header__title', { hasText: 'Agreement' }).waitFor();
  await page.getByTestId('agreement-doc').filter({ hasText: 'Pineapple' }).waitFor();
  return page;
}

/** PDF pages: each page object of the file is one `/Type /Page`. */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

const server = await startParley();
const browser = await launchChromium();
try {
  const room = await fullRoom(server.url);
  const link = `${server.url}/r/${room.pair.roomId}#t=${room.pair.b.token}`;
  const results: Record<string, number> = {};
  for (const [phone, scheme] of [[true, 'light'], [true, 'dark'], [false, 'light'], [false, 'dark']] as const) {
    const tag = `${phone ? 'phone' : 'desktop'}-${scheme}`;
    const page = await openAgreement(browser, link, phone, scheme);
    results[`height-${tag}`] = await page.evaluate(() => document.documentElement.scrollHeight);
    results[`axe-serious-${tag}`] = (await seriousA11yViolations(page)).length;
    await page.screenshot({ path: path.join(out, `agreement-${tag}.png`), fullPage: true });
    await page.screenshot({ path: path.join(out, `agreement-${tag}-first-screen.png`) });
    if (!phone && scheme === 'light') {
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      fs.writeFileSync(path.join(out, 'agreement.pdf'), pdf);
      results['printed-pages'] = pdfPages(pdf);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: path.join(out, 'agreement-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
    }
    await page.context().close();
  }
  console.log(JSON.stringify(results, null, 2));
  room.close();
} finally {
  await browser.close();
  await server.close();
}
