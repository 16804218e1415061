import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { http } from '../helpers/api';
import { dismissPrimer, goToSection, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * Issue 14 "Their own worksheet" in real Chromium: a facilitator builds a worksheet from "First
 * conversation" (reorders sections, removes an item, adds an activity, edits guidance), creates
 * the workshop with it, and a pair joining on phones sees exactly that worksheet. The
 * facilitator's text is hostile on purpose — markup, a long line — and renders as text
 * everywhere (room, reveal, agreement, Markdown export); a control character is refused.
 */
const HOSTILE = '<img src=x onerror="window.__pwned=1">Rope <b>basics</b> together';
/** A section title with markup: it shows in the room's navigation and the facilitator's dashboard. */
const HOSTILE_TITLE = 'Arriving <i>slowly</i>';
const LONG_WHY = `Our workshop’s own words: ${'broad strokes first, and then the details, '.repeat(13)}end.`;

let server: RunningServer;
let browser: Browser;
let facilitator: Partner;
let ann: Partner;
let ben: Partner;
let workshopId = '';
let joinCode = '';

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** The hostile label is on the page as text, and nothing of it became an element or ran. */
async function expectPlainText(page: Page, where: string) {
  await page.getByText(HOSTILE).filter({ visible: true }).first().waitFor();
  await expect(page.locator('img[src="x"], b:text("basics")').count(), where).resolves.toBe(0);
  await expect(page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), where).resolves.toBeUndefined();
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe('a facilitator’s own worksheet (real Chromium)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    facilitator = await newPartner(browser, server.url);
    ann = await newPartner(browser, server.url, { phone: true, colorScheme: 'dark' });
    ben = await newPartner(browser, server.url, { phone: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('WK1 builds a worksheet from a built-in: reorders, removes an item, adds an activity, edits guidance; a control character is refused', async () => {
    const { page } = facilitator;
    await page.goto(`${server.url}/workshop`);
    await page.getByLabel('Workshop title').fill('Rope night');
    await page.getByLabel('Your name (facilitator)').fill('Robin');
    await page.getByLabel('Keep sections locked until I open them').uncheck();
    await page.getByLabel('Start from').selectOption('first-conversation');
    await page.getByLabel('Make it our own').check();
    await page.getByRole('heading', { name: 'Your worksheet' }).waitFor();

    await page.getByRole('button', { name: 'Move “What draws you” up' }).click();
    await expect(page.locator('.ws-section__title').first().textContent()).resolves.toMatch(/^1\. What draws you/);

    const primer = page.getByLabel('“Before you begin” (one line each)');
    await primer.fill('Our primer: go gently.\nring\u0007bell');
    await page.getByText(/Not ready to save yet: .*guidance\.primer\[1\]: must not contain control characters/).waitFor();
    await expect(page.getByRole('button', { name: 'Create the workshop' }).isDisabled()).resolves.toBe(true);
    await primer.fill('Our primer: go gently.\nYour answers stay hidden until both of you are ready.');
    await page.getByLabel('Reminder on the reveal screen').fill('Our reminder: listen before answering.');

    await page.getByRole('button', { name: 'Edit What draws you' }).click();
    const card = page.locator('.ws-section', { hasText: '1. What draws you' });
    await card.getByLabel(/Why this matters/).fill(LONG_WHY);
    await card.getByRole('button', { name: 'Remove “Words (praise, teasing, commands)”' }).click();
    await card.getByLabel('Kind of question').selectOption('dual_rating');
    await card.getByLabel('The question').fill(HOSTILE);
    await card.getByLabel('The question').press('Enter');
    await expect(card.getByLabel('Question', { exact: true }).last().inputValue()).resolves.toBe(HOSTILE);
    await expect(card.locator('.ws-question').count()).resolves.toBe(8);
    await page.getByRole('button', { name: 'Edit Arriving' }).click();
    await page.locator('.ws-section', { hasText: '2. Arriving' }).getByLabel('Section title').fill(HOSTILE_TITLE);
    await expect(page.getByText('Not ready to save yet').count()).resolves.toBe(0);
    await expect(noSidewaysScroll(page)).resolves.toBe(true);
    await expectAccessible(page, 'worksheet editor');
    await shot(page, 'worksheet-editor-desktop');

    await page.getByRole('button', { name: 'Create the workshop' }).click();
    await page.waitForURL(/\/w\/[A-Za-z0-9_-]+$/);
    workshopId = new URL(page.url()).pathname.split('/')[2] ?? '';
    joinCode = (await page.locator('.join-panel .join-code').textContent()) ?? '';
    expect(joinCode).toMatch(/^[A-Z2-9]{6}$/);
  });

  it('WK2 a pair joins and sees the custom worksheet, markup and long lines shown as plain text in room, reveal, agreement and export', async () => {
    await ann.page.goto(`${server.url}/j/${joinCode}`);
    await ann.page.getByLabel('Your name').fill('Ann');
    await ann.page.getByRole('button', { name: 'Join', exact: true }).click();
    await ann.page.getByRole('heading', { name: 'Your pair is ready' }).waitFor();
    const pairCode = (await ann.page.locator('.join-code').textContent()) ?? '';
    await ann.page.getByRole('button', { name: 'Enter the room' }).click();
    await ann.page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    const primer = ann.page.getByRole('dialog', { name: 'Before you begin' });
    await primer.getByText('Our primer: go gently.').waitFor();
    await dismissPrimer(ann.page);

    await ben.page.goto(`${server.url}/j/${joinCode}`);
    await ben.page.getByLabel('Your name').fill('Ben');
    await ben.page.getByRole('radio', { name: /Join my partner’s pair/ }).check();
    await ben.page.getByLabel('Pair code', { exact: true }).fill(pairCode);
    await ben.page.getByRole('button', { name: 'Join', exact: true }).click();
    await ben.page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    const benOwnRoom = ben.page.url();
    await dismissPrimer(ben.page);
    await ann.page.getByRole('button', { name: 'This is my partner' }).click();
    await ben.page.getByRole('button', { name: 'This is my partner' }).click();
    await ben.page.waitForURL((url) => url.toString() !== benOwnRoom);

    for (const p of [ann.page, ben.page]) {
      await p.locator('.section-header__title', { hasText: 'What draws you' }).waitFor();
      await expect(p.content()).resolves.toContain('Arriving &lt;i&gt;slowly&lt;/i&gt;');
      await expect(p.locator('i:text("slowly")').count()).resolves.toBe(0);
      await p.getByText(LONG_WHY).waitFor();
      await expect(p.locator('.question[data-item="draws_verbal"]').count()).resolves.toBe(0);
      await expectPlainText(p, 'room');
      await expect(noSidewaysScroll(p)).resolves.toBe(true);
    }
    await expectAccessible(ann.page, 'custom worksheet in the room (phone, dark)');
    await shot(ann.page, 'worksheet-room-phone-dark');
    await shot(ben.page, 'worksheet-room-phone-light');

    for (const p of [ann.page, ben.page]) {
      const activity = p.locator('.question', { hasText: HOSTILE }).first();
      await activity.getByRole('group', { name: 'Giving' }).getByRole('radio', { name: 'Yes', exact: true }).check();
      await p.getByRole('button', { name: 'Mark this section ready' }).click();
    }
    for (const p of [ann.page, ben.page]) {
      await p.getByText('Our reminder: listen before answering.').waitFor();
      await expectPlainText(p, 'reveal');
    }
    await expectAccessible(ann.page, 'reveal of the custom worksheet');
    await shot(ann.page, 'worksheet-reveal-phone-dark');

    await goToSection(ann.page, 'Agreement');
    await expect(ann.page.locator('img[src="x"]').count()).resolves.toBe(0);
    const [md] = await Promise.all([ann.page.waitForEvent('download'), ann.page.getByRole('button', { name: 'Download as Markdown' }).click()]);
    const markdown = fs.readFileSync(await md.path(), 'utf8');
    expect(markdown).toContain('Rope \\<b\\>basics\\</b\\> together');
    expect(markdown).not.toMatch(/(?<!\\)<(img|b)\b/);
    await expect(ann.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).resolves.toBeUndefined();
    for (const p of [facilitator, ann, ben]) {
      expect(p.foreignRequests).toEqual([]);
      expect(p.consoleErrors).toEqual([]);
    }
  });

  it('WK3 the facilitator saves a new version from the dashboard, exports it and imports a file (a broken one is refused naming where); the pair’s room keeps its version', async () => {
    const { page } = facilitator;
    // The dashboard shows the worksheet's section titles as text too.
    await page.locator('.pairs__row', { hasText: 'Ann' }).waitFor();
    await expect(page.content()).resolves.toContain('Arriving &lt;i&gt;slowly&lt;/i&gt;');
    await expect(page.locator('i:text("slowly"), img[src="x"]').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Edit the worksheet' }).click();
    await page.getByRole('heading', { name: 'The workshop’s worksheet' }).waitFor();
    await page.getByLabel('Reminder on the reveal screen').fill('Version two: take turns.');
    await page.getByRole('button', { name: 'Save a new version' }).click();
    await page.getByText('Saved as version 2.').waitFor();

    // Export, then import: a broken file is refused naming where, a good one replaces the draft.
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()]);
    const json = JSON.parse(fs.readFileSync(await exported.path(), 'utf8')) as { title: string; version: number; sections: { items: { type: string }[] }[] };
    expect(json).toMatchObject({ title: 'First conversation', version: 2 });
    const file = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) });
    const broken = structuredClone(json);
    broken.sections[0]!.items[1]!.type = 'bogus';
    const picker = page.locator('.ws-import input[type="file"]');
    await picker.setInputFiles(file('broken.json', broken));
    await page.getByRole('alert').filter({ hasText: 'sections[0].items[1].type' }).waitFor();
    await picker.setInputFiles(file('next-month.json', { ...json, title: 'Rope night, next month' }));
    // The file is read asynchronously: wait for the draft it brings, then check what shows.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('input'), (i) => i.value).includes('Rope night, next month'));
    await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Rope night, next month');
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await expectAccessible(page, 'worksheet page');
    await shot(page, 'worksheet-page-desktop');

    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Edit What draws you' }).click();
    await expect(noSidewaysScroll(page)).resolves.toBe(true);
    await expectAccessible(page, 'worksheet page (phone, dark)');
    await shot(page, 'worksheet-editor-phone-dark');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });

    await ann.page.reload();
    await ann.page.locator('.section-header__title').waitFor();
    await goToSection(ann.page, 'What draws you');
    await ann.page.getByText('Our reminder: listen before answering.').waitFor();
    await expect(ann.page.getByText('Version two: take turns.').count()).resolves.toBe(0);
    const token = await page.evaluate((id) => localStorage.getItem(`parley:workshop:${id}`), workshopId);
    const current = await http<{ version: number; guidance: { revealReminder: string } }>(server.url, 'GET', `/api/workshops/${workshopId}/template`, { token: token ?? '' });
    expect(current.body).toMatchObject({ version: 2, guidance: { revealReminder: 'Version two: take turns.' } });
  });

  it('WK4 partners creating a room pick a built-in worksheet: "After a scene" opens on its debrief', async () => {
    const page = await ann.context.newPage();
    await page.goto(server.url);
    const picker = page.getByRole('group', { name: 'Which worksheet?' });
    for (const title of ['Negotiation worksheet', 'First conversation', 'Remote play', 'After a scene']) await picker.getByRole('radio', { name: title }).waitFor();
    await expect(picker.getByRole('radio', { name: 'Negotiation worksheet' }).isChecked()).resolves.toBe(true);
    await picker.getByRole('radio', { name: 'After a scene' }).check();
    await expectAccessible(page, 'landing with the worksheet picker (phone, dark)');
    await shot(page, 'worksheet-picker-phone-dark');
    await page.getByLabel('Your name').fill('Ann');
    await page.getByRole('button', { name: 'Create the room' }).click();
    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await page.getByRole('dialog', { name: 'Before you begin' }).getByText('A debrief is care continuing', { exact: false }).waitFor();
    await dismissPrimer(page);
    await page.locator('.section-header__title', { hasText: 'How you are now' }).waitFor();
    await page.close();
  });
});
