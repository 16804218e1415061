// Screenshot tour (not a test) for looking at a style change before and after: the start page, a
// room, a reveal and the workshop dashboard at 360×740 and 1280×800, light and dark.
// Usage: npm run build -w client && npx tsx tests/e2e/shots.mts <outdir>   (SHOTS=header: only the room header)
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dismissPrimer, goToSection, launchChromium, startParley } from './support';

const out = path.resolve(process.argv[2] ?? 'shots');
fs.mkdirSync(out, { recursive: true });

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function context(browser: Browser, phone: boolean, scheme: 'light' | 'dark') {
  return browser.newContext({
    viewport: phone ? { width: 360, height: 740 } : { width: 1280, height: 800 },
    isMobile: phone,
    hasTouch: phone,
    colorScheme: scheme,
    reducedMotion: 'reduce',
  });
}

async function enter(page: Page, url: string) {
  await page.goto(url);
  await dismissPrimer(page);
}

async function rate(page: Page, itemId: string, direction: 'Giving' | 'Receiving', rating: string) {
  await page.locator(`.question[data-item="${itemId}"]`).first().getByRole('group', { name: direction }).getByRole('radio', { name: rating, exact: true }).check();
}

async function fillTour(page: Page, url: string, tag: string) {
  const shoot = (name: string) => page.screenshot({ path: path.join(out, `fill-${name}-${tag}.png`) });
  await enter(page, url);
  await goToSection(page, 'Activities');
  await shoot('top');
  for (const [item, direction, rating] of fillAnswers) await rate(page, item, direction, rating);
  await page.locator('.question-group[data-category="sensation"]').getByRole('button', { name: /^Skip this category/ }).click();
  await page.locator('.question[data-item="restraint_cuffs"]').scrollIntoViewIfNeeded();
  await shoot('items');
  await page.locator('.question[data-item="impact_hand"] details > summary').click();
  await page.locator('.question[data-item="impact_hand"]').scrollIntoViewIfNeeded();
  await shoot('more');
  await page.getByRole('checkbox', { name: 'Show only unanswered' }).check();
  await page.locator('.question-group[data-category="sensation"]').scrollIntoViewIfNeeded();
  await shoot('only-unanswered');
  await page.locator('.jump > summary').click();
  await shoot('jump');
}

/** The room header: the bar, the Signals panel, the room menu and the delete confirmation. */
async function headerTour(page: Page, url: string, tag: string) {
  const shoot = (name: string) => page.screenshot({ path: path.join(out, `header-${name}-${tag}.png`) });
  await enter(page, url);
  await shoot('bar');
  await page.getByRole('button', { name: 'Signals', exact: true }).click();
  await shoot('signals');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Room', exact: true }).click();
  await shoot('menu');
  await page.getByRole('button', { name: 'Delete room' }).click();
  await page.getByRole('alertdialog').waitFor();
  await shoot('delete');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
}

const fillAnswers: [string, 'Giving' | 'Receiving', string][] = [
  ['impact_hand', 'Giving', 'Yes'],
  ['impact_hand', 'Receiving', 'Curious'],
  ['impact_paddle', 'Giving', 'Hard limit'],
  ['restraint_hold', 'Receiving', 'Favourite'],
  ['restraint_cuffs', 'Giving', 'Yes, for you'],
];

const server = await startParley();
const browser = await launchChromium();
try {
  const created = await post<{ roomId: string; resumeUrl: string; invite: { url: string } }>(`${server.url}/api/rooms`, { displayName: 'Alex', revealMode: 'full', title: 'Saturday' });
  const inviteToken = new URL(created.invite.url).hash.replace('#i=', '');
  const joined = await post<{ resumeUrl: string }>(`${server.url}/api/rooms/${created.roomId}/join`, { inviteToken, displayName: 'Sam' });
  const alexUrl = created.resumeUrl;

  // fill and reveal Activities with one item per match class, and leave Frame open with answers
  const setupA = await browser.newContext();
  const setupB = await browser.newContext();
  const a = await setupA.newPage();
  const b = await setupB.newPage();
  await enter(a, alexUrl);
  await enter(b, joined.resumeUrl);
  await goToSection(a, 'Frame');
  await a.locator('.question[data-item="frame_roles"]').getByRole('checkbox').first().check();
  await goToSection(a, 'Activities');
  await goToSection(b, 'Activities');
  const answers: [Page, string, 'Giving' | 'Receiving', string][] = [
    [a, 'impact_hand', 'Giving', 'Yes'],
    [a, 'impact_paddle', 'Giving', 'Yes'],
    [a, 'impact_flogger', 'Giving', 'Favourite'],
    [a, 'impact_crop_cane', 'Giving', 'Hard limit'],
    [a, 'impact_hand', 'Receiving', 'Yes, for you'],
    [b, 'impact_hand', 'Receiving', 'Yes'],
    [b, 'impact_hand', 'Giving', 'Yes, for you'],
    [b, 'impact_paddle', 'Receiving', 'Curious'],
    [b, 'impact_flogger', 'Receiving', 'Not now'],
    [b, 'impact_crop_cane', 'Receiving', 'Yes'],
  ];
  for (const [page, item, direction, rating] of answers) await rate(page, item, direction, rating);
  for (const p of [a, b]) await p.getByRole('button', { name: 'Mark this section ready' }).click();
  await a.getByTestId('reveal-heading').waitFor();
  await setupA.close();
  await setupB.close();

  // a second room whose Activities stay open: the form itself, skip, only unanswered, jump
  const fill = await post<{ roomId: string; resumeUrl: string; invite: { url: string } }>(`${server.url}/api/rooms`, { displayName: 'Alex', revealMode: 'full' });
  await post(`${server.url}/api/rooms/${fill.roomId}/join`, { inviteToken: new URL(fill.invite.url).hash.replace('#i=', ''), displayName: 'Sam' });

  const workshop = await post<{ dashboardUrl: string; joinCode: string }>(`${server.url}/api/workshops`, { title: 'Negotiation basics', facilitatorName: 'Robin', lockSections: true });
  await post(`${server.url}/api/workshops/join`, { joinCode: workshop.joinCode, displayName: 'Ann' });
  await post(`${server.url}/api/workshops/join`, { joinCode: workshop.joinCode, displayName: 'Ben' });

  for (const phone of [true, false]) {
    for (const scheme of ['light', 'dark'] as const) {
      const tag = `${phone ? 'phone' : 'desktop'}-${scheme}`;
      const ctx = await context(browser, phone, scheme);
      const page = await ctx.newPage();
      await headerTour(page, alexUrl, tag);
      if (process.env.SHOTS === 'header') {
        await ctx.close();
        continue;
      }
      await page.goto(server.url);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.screenshot({ path: path.join(out, `start-${tag}.png`), fullPage: true });
      await enter(page, alexUrl);
      await goToSection(page, 'Frame');
      await page.screenshot({ path: path.join(out, `room-${tag}.png`) });
      await goToSection(page, 'Activities');
      await page.getByTestId('reveal-heading').waitFor();
      await page.locator('.reveal-row').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(out, `reveal-${tag}.png`) });
      await page.locator('.reveal__list').first().screenshot({ path: path.join(out, `reveal-list-${tag}.png`) });
      await page.locator('.reveal-row[data-item="impact_hand"] .reveal-row__change').click();
      await page.locator('.reveal-row[data-item="impact_hand"]').screenshot({ path: path.join(out, `reveal-change-${tag}.png`) });
      await fillTour(page, fill.resumeUrl, tag);
      await page.goto(workshop.dashboardUrl);
      await page.locator('.pairs__row').first().waitFor();
      await page.screenshot({ path: path.join(out, `dashboard-${tag}.png`), fullPage: true });
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
