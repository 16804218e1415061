import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dismissPrimer, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';
import { fullRoom, type FullRoom } from './full-room';

/**
 * Issue 13, "an agreement people would sign", in Chromium: Alex on a desktop, Blake on a
 * 360×740 phone in dark mode, after a whole negotiation (every section up to Aftercare revealed).
 * The plan comes first and the detail folds; after a confirmation both see what changed as a
 * diff; items leave the agreement only by both partners' choice; the review date warns before
 * it unconfirms; print and downloads say who confirmed and when.
 */

const SCREEN = 740;
let server: RunningServer;
let browser: Browser;
let room: FullRoom;
let alex: Partner;
let blake: Partner;

async function openAgreement(partner: Partner, token: string) {
  const page = partner.page;
  await page.goto(`${server.url}/r/${room.pair.roomId}#t=${token}`);
  await dismissPrimer(page);
  const toggle = page.locator('.nav-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('.section-nav__item', { hasText: 'Agreement' }).first().click();
  await page.locator('.section-header__title', { hasText: 'Agreement' }).waitFor();
  await page.getByTestId('agreement-plan').filter({ hasText: 'Pineapple' }).waitFor();
}

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const confirmation = (page: Page, who: 'me' | 'partner', state: 'current' | 'stale' | 'none') =>
  page.locator(`.confirmation[data-seat="${who}"][data-state="${state}"]`);

async function confirmBoth() {
  for (const [page, other] of [[alex.page, blake.page], [blake.page, alex.page]] as const) {
    if ((await confirmation(page, 'me', 'current').count()) === 0) {
      await page.getByRole('button', { name: /^(I confirm this agreement|Confirm the current version)$/ }).click();
    }
    await confirmation(other, 'partner', 'current').waitFor();
  }
  await confirmation(alex.page, 'me', 'current').waitFor();
}

const changes = (page: Page) => page.getByTestId('agreement-changes');
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

describe('an agreement people would sign (real Chromium)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    room = await fullRoom(server.url);
    alex = await newPartner(browser, server.url);
    blake = await newPartner(browser, server.url, { phone: true, colorScheme: 'dark' });
    await openAgreement(alex, room.pair.a.token);
    await openAgreement(blake, room.pair.b.token);
  }, 90_000);

  afterAll(async () => {
    room?.close();
    await browser?.close();
    await server?.close();
  });

  it('AD1 the plan comes first and the detail folds: a phone page of a few screens, a short printout', async () => {
    const b = blake.page;
    const plan = b.getByTestId('agreement-plan');
    // matches by direction, naming who gives and who receives; each person's limits as theirs
    await plan.locator('[data-way="aToB"] dt', { hasText: 'Alex → Blake' }).waitFor();
    await plan.locator('[data-way="bToA"] dt', { hasText: 'Blake → Alex' }).waitFor();
    await plan.getByRole('region', { name: 'Alex’s limits' }).waitFor();
    await plan.getByRole('region', { name: 'Blake’s limits' }).waitFor();
    await plan.getByRole('region', { name: 'Safety & signals' }).getByText('Alex: Pineapple · Blake: Red').waitFor();
    await expect(b.getByTestId('agreement-doc').textContent()).resolves.not.toMatch(/Worksheet|version 1/);
    await expect(b.getByTestId('agreement-detail').count()).resolves.toBe(0);

    const height = await b.evaluate(() => document.documentElement.scrollHeight);
    console.log(`AD1 agreement page at 360×740: ${height} px (${(height / SCREEN).toFixed(1)} screens)`);
    expect(height).toBeLessThanOrEqual(9 * SCREEN);
    await expectAccessible(b, 'agreement phone dark');
    await shot(b, 'agreement-plan-phone-dark');

    const a = alex.page;
    const folded = pdfPages(await a.pdf({ format: 'A4' }));
    await a.getByRole('button', { name: /^The full detail/ }).click();
    await a.getByTestId('agreement-detail').locator('.detail-item').first().waitFor();
    await expectAccessible(a, 'agreement desktop, detail open');
    const open = pdfPages(await a.pdf({ format: 'A4' }));
    console.log(`AD1 printed pages (A4): ${folded} with the detail folded, ${open} with it open`);
    expect(folded).toBeLessThanOrEqual(4);
    expect(open).toBeGreaterThan(folded);
    await a.getByRole('button', { name: /^The full detail/ }).click();
  });

  it('AD2 after both confirmed, a change shows both partners what changed since, line by line', async () => {
    await confirmBoth();
    await expect(changes(alex.page).count()).resolves.toBe(0);
    // Blake writes a line together; Alex changes the safeword on another device of theirs
    await blake.page.locator('#agreement-text').click();
    await blake.page.locator('#agreement-text').pressSequentially('We start slow.');
    room.a.answer('safety_safeword', { text: 'Mango' });
    for (const page of [alex.page, blake.page]) {
      const diff = changes(page).filter({ hasText: 'What changed since you both confirmed' });
      await diff.locator('[data-kind="added"]', { hasText: 'In our own words: We start slow.' }).waitFor();
      await diff.locator('[data-kind="removed"]', { hasText: 'Your safeword: Alex: Pineapple · Blake: Red' }).waitFor();
      await diff.locator('[data-kind="added"]', { hasText: 'Your safeword: Alex: Mango · Blake: Red' }).waitFor();
      await expect(diff.locator('.change').count()).resolves.toBe(3);
      await confirmation(page, 'partner', 'stale').waitFor();
    }
    await expect(blake.page.getByTestId('confirmations').textContent()).resolves.toMatch(/Changed since Alex confirmed on \d{1,2} \w+ \d{4}, \d\d:\d\d/);
    await expectAccessible(blake.page, 'agreement diff phone dark');
    await changes(blake.page).scrollIntoViewIfNeeded();
    await shot(blake.page, 'agreement-diff-phone-dark', false);
    await expectAccessible(alex.page, 'agreement diff desktop');
    await changes(alex.page).scrollIntoViewIfNeeded();
    await shot(alex.page, 'agreement-diff-desktop', false);

    // Alex confirms the new version: Alex's screen now lists only what changed since Blake confirmed
    await alex.page.getByRole('button', { name: 'Confirm the current version' }).click();
    await changes(alex.page).filter({ hasText: 'What changed since Blake confirmed' }).waitFor();
    await changes(blake.page).filter({ hasText: 'What changed since you confirmed' }).waitFor();
    await expect(changes(alex.page).count()).resolves.toBe(1);
  });

  it('AD3 an item leaves the agreement only when both choose it; either can put it back; the choice is part of what they confirm', async () => {
    await confirmBoth();
    const a = alex.page;
    const b = blake.page;
    await a.getByRole('button', { name: /^The full detail/ }).click();
    const item = a.locator('.detail-item').filter({ has: a.locator('.detail-item__classes', { hasText: 'Match (Alex → Blake)' }) }).first();
    const itemId = (await item.getAttribute('data-item')) ?? '';
    const label = (await item.locator('.detail-item__label strong').textContent()) ?? '';
    expect(label).not.toBe('');
    const aToB = (page: Page) => page.getByTestId('agreement-plan').locator('[data-way="aToB"] dd');
    await expect(aToB(b).textContent()).resolves.toContain(label);

    // Alex proposes; Blake sees it and the agreement stays as both confirmed it
    await item.getByRole('button', { name: `Leave out — ${label}` }).click();
    await a.locator(`.detail-item[data-item="${itemId}"] .leave-out[data-state="mine"]`).waitFor();
    const proposals = b.getByTestId('left-out').locator('[data-kind="theirs"]');
    await proposals.getByText(label, { exact: true }).waitFor();
    await expect(aToB(b).textContent()).resolves.toContain(label);
    await confirmation(b, 'me', 'current').waitFor();
    await confirmation(b, 'partner', 'current').waitFor();
    await expectAccessible(b, 'a proposal to leave out, phone dark');
    await b.getByTestId('left-out').scrollIntoViewIfNeeded();
    await shot(b, 'agreement-leave-out-proposed-phone-dark', false);

    // Blake agrees: it is gone from the plan, both must confirm again, and the diff says why
    await proposals.getByRole('button', { name: `Leave it out too — ${label}` }).click();
    await b.getByTestId('left-out').locator('[data-kind="both"]').getByText(label, { exact: true }).waitFor();
    for (const page of [a, b]) {
      await expect.poll(() => aToB(page).textContent()).not.toContain(label);
      await confirmation(page, 'me', 'stale').waitFor();
      await changes(page).locator('[data-kind="added"]', { hasText: `Left out by shared choice: ${label}` }).waitFor();
      await changes(page).locator('[data-kind="removed"]', { hasText: `What you both want · Alex → Blake: ${label}` }).waitFor();
    }
    await expect(a.locator(`.detail-item[data-item="${itemId}"]`).count()).resolves.toBe(0);
    const [md] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: 'Download as Markdown' }).click()]);
    const markdown = fs.readFileSync(await md.path(), 'utf8');
    expect(markdown).toContain('_1 item left out by shared choice._');
    expect(markdown).not.toContain(`Alex → Blake:** ${label}`);
    await expectAccessible(a, 'left out by both, desktop');
    await a.getByTestId('left-out').scrollIntoViewIfNeeded();
    await shot(a, 'agreement-left-out-desktop', false);

    // Alex puts it back: it is in the plan again, and the earlier confirmations hold again
    await a.getByTestId('left-out').locator('[data-kind="both"]').getByRole('button', { name: `Put it back — ${label}` }).click();
    for (const page of [a, b]) {
      await expect.poll(() => aToB(page).textContent()).toContain(label);
      await confirmation(page, 'me', 'current').waitFor();
    }
    // Blake's choice stays as a proposal Blake can take back
    await b.getByTestId('left-out').locator('[data-kind="mine"]').getByRole('button', { name: `Take back — ${label}` }).click();
    // the list goes once the server wrote the change back (a round trip after the click)
    await expect.poll(() => b.getByTestId('left-out').count()).toBe(0);
    await a.getByRole('button', { name: /^The full detail/ }).click();
  });

  it('AD4 setting the review date says it unconfirms the agreement before it does; exports say who confirmed and when', async () => {
    const a = alex.page;
    const b = blake.page;
    await confirmation(a, 'me', 'current').waitFor();
    await confirmation(a, 'partner', 'current').waitFor();
    await a.getByLabel('Review on').fill('2031-05-04');
    const warning = a.getByTestId('review-unconfirms');
    await expect(warning.textContent()).resolves.toBe(
      'Blake and you confirmed this version. Saving or clearing the date changes the agreement, so it would need confirming again.',
    );
    await expect(a.getByRole('button', { name: 'Save date' }).getAttribute('aria-describedby')).resolves.toBe('review-unconfirms');
    // nothing happened yet
    await confirmation(b, 'me', 'current').waitFor();
    await expectAccessible(a, 'review date warning');
    await shot(a, 'agreement-review-warning-desktop', false);

    // print names who confirmed and when, as a date
    await a.emulateMedia({ media: 'print' });
    const printed = (await a.getByTestId('confirmations').innerText()).split('\n').filter((l) => l.trim() !== '' && l.trim() !== '✓');
    expect(printed.join(' | ')).toMatch(/^Confirmed by Alex on \d{1,2} \w+ \d{4}, \d\d:\d\d \| Confirmed by Blake on \d{1,2} \w+ \d{4}, \d\d:\d\d$/);
    await a.emulateMedia({ media: 'screen' });

    await a.getByRole('button', { name: 'Save date' }).click();
    await b.getByTestId('review-date').filter({ hasText: '4 May 2031' }).waitFor();
    await confirmation(b, 'me', 'stale').waitFor();
    await changes(b).locator('[data-kind="added"]', { hasText: 'Review on 4 May 2031' }).waitFor();
    await expect.poll(() => a.getByTestId('review-unconfirms').count()).toBe(0);

    await confirmBoth();
    const [md] = await Promise.all([b.waitForEvent('download'), b.getByRole('button', { name: 'Download as Markdown' }).click()]);
    const markdown = fs.readFileSync(await md.path(), 'utf8');
    expect(markdown).toMatch(/^# Our weekend\n\nAlex and Blake · Review on 4 May 2031\n\n- Confirmed by Alex on \d{1,2} \w+ \d{4}, \d\d:\d\d\n- Confirmed by Blake on /);
    expect(markdown).not.toMatch(/just now|Worksheet|version 1/);
    expect(markdown.indexOf('## The plan')).toBeLessThan(markdown.indexOf('## The full detail'));
    await shot(b, 'agreement-confirmed-phone-dark');
  });
});
