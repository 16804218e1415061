import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dismissPrimer, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * Workshop mode in real Chromium: a facilitator creates a workshop and runs the dashboard on a
 * desktop; two participants join by code on phones (one starts a pair, the other brings its
 * pair code, and both confirm each other by comparing three words) and land in the normal room UI, where locked sections, the facilitator's message,
 * the timer and the raise-hand button show. The facilitator's browser never receives a canary.
 */
const CANARY = 'CANARY-WORKSHOP-E2E-4471';

let server: RunningServer;
let browser: Browser;
let facilitator: Partner;
let ann: Partner;
let ben: Partner;
let joinCode = '';
let pairCode = '';

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const pairRow = (page: Page) => page.locator('.pairs__row').first();

describe('workshop mode (real Chromium: facilitator + two participants)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    facilitator = await newPartner(browser, server.url);
    ann = await newPartner(browser, server.url, { phone: true });
    ben = await newPartner(browser, server.url, { phone: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('WE1 the facilitator creates a workshop and gets a dashboard with a large join code and QR code', async () => {
    const { page } = facilitator;
    await page.goto(server.url);
    await page.getByRole('link', { name: /Running a workshop/ }).click();
    await page.getByRole('heading', { name: 'Create a workshop' }).waitFor();
    await expectAccessible(page, 'create workshop');
    await shot(page, 'workshop-create');
    await page.getByLabel('Workshop title').fill('Negotiation basics');
    await page.getByLabel('Your name (facilitator)').fill('Robin');
    await expect(page.getByLabel('Keep sections locked until I open them').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Create the workshop' }).click();
    await page.waitForURL(/\/w\/[A-Za-z0-9_-]+$/);
    expect(page.url()).not.toContain('#');
    joinCode = (await page.locator('.join-panel .join-code').textContent()) ?? '';
    expect(joinCode).toMatch(/^[A-Z2-9]{6}$/);
    await page.getByRole('img', { name: 'QR code of the join link' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Your dashboard link' }).inputValue()).resolves.toMatch(/\/w\/[A-Za-z0-9_-]+#f=/);
    await page.getByText('No one has joined yet').waitFor();
    await expectAccessible(page, 'dashboard empty');
    await shot(page, 'workshop-dashboard-empty');

    // The projector view opens in its own tab (for the second screen), on its own connection.
    const [projector] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open the projector view' }).click()]);
    await projector.locator('.projector__code', { hasText: joinCode }).waitFor();
    await expectAccessible(projector, 'projector');
    await shot(projector, 'workshop-projector', false);
    await projector.close();
  });

  it('WE2 two participants join by code on phones: one starts a pair, the other brings the pair code', async () => {
    await ann.page.goto(`${server.url}/j/${joinCode}`);
    await ann.page.getByRole('heading', { name: 'Join a workshop' }).waitFor();
    await expect(ann.page.getByLabel('Workshop code').inputValue()).resolves.toBe(joinCode);
    await ann.page.getByLabel('Your name').fill('Ann');
    await expectAccessible(ann.page, 'join workshop');
    await shot(ann.page, 'workshop-join-phone');
    await ann.page.getByRole('button', { name: 'Join', exact: true }).click();
    await ann.page.getByRole('heading', { name: 'Your pair is ready' }).waitFor();
    pairCode = (await ann.page.locator('.join-code').textContent()) ?? '';
    expect(pairCode).toMatch(/^[A-Z2-9]{4}$/);
    await expectAccessible(ann.page, 'pair started');
    await shot(ann.page, 'workshop-pair-code-phone');
    await ann.page.getByRole('button', { name: 'Enter the room' }).click();
    await ann.page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await dismissPrimer(ann.page);

    await facilitator.page.locator('.pairs__row', { hasText: 'Ann' }).filter({ hasText: 'waiting for a partner' }).waitFor();

    await ben.page.goto(`${server.url}/j`);
    await ben.page.getByLabel('Workshop code').fill(joinCode.toLowerCase());
    await ben.page.getByLabel('Your name').fill('Ben');
    await ben.page.getByRole('radio', { name: /Join my partner’s pair/ }).check();
    await ben.page.getByLabel('Pair code', { exact: true }).fill('ZZZZ');
    await ben.page.getByRole('button', { name: 'Join', exact: true }).click();
    await ben.page.getByRole('alert').filter({ hasText: 'No pair in this workshop' }).waitFor();
    await ben.page.getByLabel('Pair code', { exact: true }).fill(pairCode);
    await ben.page.getByRole('button', { name: 'Join', exact: true }).click();
    await ben.page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    const benOwnRoom = ben.page.url();
    expect(benOwnRoom).not.toBe(ann.page.url());
    await dismissPrimer(ben.page);

    // A code alone seats nobody: both screens ask, show the same three words, and each confirms.
    const card = (page: Page) => page.getByRole('region', { name: 'Confirm your partner' });
    await card(ben.page).getByText('Ann wants to pair with you.').waitFor();
    await card(ann.page).getByText('Ben wants to pair with you.').waitFor({ timeout: 3000 });
    const words = await ann.page.locator('.pairing__word').allTextContents();
    expect(words).toHaveLength(3);
    await expect(ben.page.locator('.pairing__word').allTextContents()).resolves.toEqual(words);
    await expect(ann.page.getByRole('button', { name: 'Mark this section ready' }).count()).resolves.toBe(0);
    await ann.page.getByRole('heading', { name: 'Waiting for your partner' }).first().waitFor();
    await expectAccessible(ben.page, 'confirm partner');
    await shot(ben.page, 'workshop-confirm-partner-phone');
    await pairRow(facilitator.page).getByText('confirming a partner').waitFor();
    await ann.page.getByRole('button', { name: 'This is my partner' }).click();
    await card(ann.page).getByText('Waiting for Ben to confirm').waitFor();
    await card(ben.page).getByText('Ann has confirmed.').waitFor({ timeout: 3000 });
    await shot(ann.page, 'workshop-confirm-waiting-phone');
    await ben.page.getByRole('button', { name: 'This is my partner' }).click();
    await ben.page.waitForURL((url) => url.toString() !== benOwnRoom);
    expect(ben.page.url()).toBe(ann.page.url());
    await ben.page.locator('.workshop-bar', { hasText: 'Workshop: Negotiation basics' }).waitFor();
    await ben.page.getByRole('heading', { name: 'Arrival & pace' }).waitFor();
    // the primer Ben read in his own room does not come back in the pair's room
    await expect(ben.page.getByRole('dialog', { name: 'Before you begin' }).count()).resolves.toBe(0);
    await card(ann.page).waitFor({ state: 'detached', timeout: 3000 });

    await pairRow(facilitator.page).filter({ hasText: 'Ben' }).waitFor();
    await pairRow(facilitator.page).locator('.dot--on').nth(1).waitFor();
  });

  it('WE3 locked sections show as locked until the facilitator unlocks them; progress reaches the dashboard', async () => {
    const a = ann.page;
    await a.locator('.question[data-item="arrival_feeling"] textarea').first().fill(`${CANARY} nervous`);
    await a.getByRole('heading', { name: 'Not open yet' }).waitFor();
    await expect(a.getByRole('button', { name: 'Mark this section ready' }).count()).resolves.toBe(0);
    await expectAccessible(a, 'room locked');
    await shot(a, 'workshop-room-locked-phone');

    await facilitator.page.getByRole('button', { name: 'Unlock Arrival & pace' }).click();
    await a.getByRole('button', { name: 'Mark this section ready' }).click();
    await a.getByRole('button', { name: 'I’m not ready after all' }).waitFor();
    // the dashboard shows pace, never who: "partly ready", not "Ann ready"
    await pairRow(facilitator.page).locator('.cell--ready', { hasText: 'partly ready' }).waitFor({ timeout: 2000 });
    await expect(facilitator.page.getByText('Ann ready').count()).resolves.toBe(0);
  });

  it('WE4 message, timer and raised hand travel between dashboard and room', async () => {
    const f = facilitator.page;
    await f.getByLabel('Or choose the minutes').fill('10');
    await f.getByRole('button', { name: 'Start timer' }).click();
    await f.getByLabel('Message', { exact: true }).fill('Take your time with Arrival. Talk after the reveal.');
    await f.getByRole('button', { name: 'Send to all pairs' }).click();
    for (const p of [ann.page, ben.page]) {
      await p.locator('.workshop-bar__message', { hasText: 'Take your time with Arrival.' }).waitFor();
      await p.locator('.workshop-bar__timer', { hasText: /Time left: (10:00|9:5\d)/ }).waitFor();
    }
    await ben.page.getByRole('button', { name: 'Raise hand' }).click();
    await ben.page.getByRole('button', { name: 'Lower hand' }).waitFor();
    await expectAccessible(ben.page, 'room with workshop bar');
    await shot(ben.page, 'workshop-room-bar-phone');

    // Ann's bar follows her partner's hand.
    await ann.page.getByRole('button', { name: 'Lower hand' }).waitFor({ timeout: 2000 });

    await pairRow(f).locator('.hand', { hasText: 'Hand raised' }).waitFor({ timeout: 2000 });
    await f.getByLabel('Sort pairs by').selectOption('hands');
    await expectAccessible(f, 'dashboard live');
    await shot(f, 'workshop-dashboard-live');

    // The facilitator came over: they lower the hand, and both partners see it down.
    await f.getByRole('button', { name: 'Lower the hand of Ann & Ben' }).click();
    await pairRow(f).locator('.hand').waitFor({ state: 'detached', timeout: 2000 });
    for (const p of [ann.page, ben.page]) await p.getByRole('button', { name: 'Raise hand' }).waitFor({ timeout: 2000 });

    // Privacy: nothing Ann typed ever reached the facilitator's browser.
    expect(facilitator.frames.length).toBeGreaterThan(3);
    expect(facilitator.frames.some((fr) => fr.includes(CANARY))).toBe(false);
    expect(ben.frames.some((fr) => fr.includes(CANARY))).toBe(false);
    for (const p of [facilitator, ann, ben]) {
      expect(p.foreignRequests).toEqual([]);
      expect(p.consoleErrors).toEqual([]);
    }
  });
});
