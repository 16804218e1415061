import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * Issue 13: the "room is ready" page is an address of its own (`/r/<id>/invite`) that says live
 * when the partner joined and survives a reload; an unknown path is a real page with a way
 * home; a room reloaded offline still opens with one's own answers, presence unknown.
 */

let server: RunningServer;
let browser: Browser;
let alex: Partner;
let sam: Partner;
let invitePath = '';

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Screenshots at 360×740 and 1280×800, light and dark, of the page as it is now. */
async function shootAll(page: Page, name: string) {
  const size = page.viewportSize();
  for (const [w, h, label] of [[360, 740, 'phone'], [1280, 800, 'desktop']] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      if (scheme === 'dark') await expectAccessible(page, `${name} dark ${label}`);
      await shot(page, `${name}-${label}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (size) await page.setViewportSize(size);
}

/** Resolves once the service worker controls the page (it claims it on activation). */
async function controlledByWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

describe('room created, dead links, offline reload (real Chromium)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    alex = await newPartner(browser, server.url);
    sam = await newPartner(browser, server.url, { phone: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('RC1 the room-is-ready page has its own address, survives a reload and shows live when the partner joined', async () => {
    const { page } = alex;
    await page.goto(server.url);
    await page.getByLabel('Your name').fill('Alex');
    await page.getByLabel('A title for this room (optional)').fill('Sunday');
    await page.getByRole('button', { name: 'Create the room' }).click();
    await page.getByRole('heading', { name: 'Your room is ready' }).waitFor();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+\/invite$/);
    invitePath = new URL(page.url()).pathname;
    // no secret in the address: the invite and the resume token are only on the page
    expect(page.url()).not.toContain('#');
    const inviteUrl = await page.getByLabel('Invite link').inputValue();
    const resume = await page.getByLabel('Your resume link').inputValue();
    const token = new URL(resume).hash.replace('#t=', '');
    expect(token.length).toBeGreaterThan(10);
    expect(invitePath).not.toContain(token);
    await page.getByRole('status').filter({ hasText: 'Your partner has not joined yet' }).waitFor();
    await expect(page.locator('.page__subtitle').textContent()).resolves.toBe('Sunday');

    await page.reload();
    await page.getByRole('heading', { name: 'Your room is ready' }).waitFor();
    await expect(page.getByLabel('Invite link').inputValue()).resolves.toBe(inviteUrl);
    await expect(page.getByLabel('Your resume link').inputValue()).resolves.toBe(resume);
    await page.locator('.page__subtitle', { hasText: 'Sunday' }).waitFor();
    await expectAccessible(page, 'room created');
    await shootAll(page, 'room-created-waiting');

    // Sam joins in another browser: Alex's page says so without a reload.
    await sam.page.goto(inviteUrl);
    await sam.page.getByLabel('Your name').fill('Sam');
    await sam.page.getByRole('button', { name: 'Join the room' }).click();
    await sam.page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await page.getByRole('status').filter({ hasText: 'Sam has joined' }).waitFor();
    await expect(page.getByLabel('Invite link').count()).resolves.toBe(0);
    await expectAccessible(page, 'room created, partner joined');
    await shootAll(page, 'room-created-joined');

    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Sam has joined' }).waitFor();
    await expect(page.getByLabel('Your resume link').inputValue()).resolves.toBe(resume);
    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    expect(invitePath).toBe(`${new URL(page.url()).pathname}/invite`);
  });

  it('RC2 an unknown path gets a page that says so, with a way home', async () => {
    // The server says 404 for a path that is no page, with the shell that shows this page;
    // pages (the new invite page too) keep their 200.
    const dead = await fetch(`${server.url}/no/such/page`);
    expect(dead.status).toBe(404);
    expect(dead.headers.get('content-type')).toMatch(/text\/html/);
    expect(await dead.text()).toContain('<div id="root"></div>');
    expect((await fetch(`${server.url}/no/such/page`, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(`${server.url}${invitePath}`)).status).toBe(200);
    const other = await newPartner(browser, server.url);
    try {
      const p = other.page;
      await p.goto(`${server.url}/no/such/page`);
      await p.getByRole('heading', { level: 1, name: 'There is no page at this address' }).waitFor();
      await expectAccessible(p, 'not found');
      await shootAll(p, 'not-found');
      await p.getByRole('link', { name: 'Go to the start page' }).click();
      await p.getByRole('button', { name: 'Create the room' }).waitFor();
      // a room's invite page in a browser that does not hold the room names no one
      await p.goto(`${server.url}/r/NoSuchRoom0000000000/invite`);
      await p.getByRole('heading', { level: 1, name: 'This browser does not hold this room' }).waitFor();
      await p.getByRole('link', { name: 'Go to the start page' }).waitFor();
    } finally {
      await other.context.close();
    }
  });

  it('RC3 offline reload: the room still opens with my own answers, and partner presence is unknown', async () => {
    const { page, context } = alex;
    const primer = page.getByRole('dialog', { name: 'Before you begin' });
    await primer.waitFor();
    await primer.getByRole('button', { name: 'I’m ready to begin' }).click();
    await page.getByTestId('partner-presence').filter({ hasText: 'Sam: online' }).waitFor();
    const nav = page.locator('.section-nav__item', { hasText: 'Frame' }).first();
    await nav.click();
    await page.locator('.section-header__title', { hasText: 'Frame' }).waitFor();
    const scope = page.locator('.question[data-item="frame_scope"]').first().locator('textarea');
    await scope.fill('Mine, kept on this device');
    await scope.blur();
    await controlledByWorker(page);
    // y-indexeddb stores updates asynchronously; give it a moment after the last keystroke
    await page.waitForTimeout(500);

    await context.setOffline(true);
    await page.reload();
    await page.locator('.section-header__title').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="connection"][data-state="offline"]').waitFor();
    await page.getByTestId('partner-presence').getByText('Sam: not known while you are offline').waitFor();
    await page.locator('.section-nav__item', { hasText: 'Frame' }).first().click();
    await expect.poll(() => scope.inputValue(), { timeout: 10_000 }).toBe('Mine, kept on this device');
    await expectAccessible(page, 'offline reload');
    await shot(page, 'offline-reload', false);
    await context.setOffline(false);
    await page.locator('[data-testid="connection"][data-state="online"]').waitFor({ timeout: 15_000 });
  });
});
