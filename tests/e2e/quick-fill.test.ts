import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { docName } from '@parley/shared/protocol/ids';
import { dismissPrimer, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';
import { createPair, type Pair } from '../helpers/api';
import { openDoc, until, type DocClient } from '../helpers/clients';

/**
 * Issue 13, "quick to fill" and "change from the reveal": Alex on a 360×740 phone, Blake on a
 * desktop. The Activities section fits in twelve screens with every item shown; skip, only
 * unanswered and jump work as a person sees them and never answer for anyone; a revealed
 * answer is changed from its own row and the partner sees it marked as changed.
 */

const SCREEN = 740;
let server: RunningServer;
let browser: Browser;
let pair: Pair;
let alex: Partner;
let blake: Partner;
/** a second client of Alex's own private doc: what the page really wrote */
let alexDoc: DocClient;

const question = (page: Page, itemId: string) => page.locator(`.question[data-item="${itemId}"]`).first();
const category = (page: Page, id: string) => page.locator(`.question-group[data-category="${id}"]`);
const row = (page: Page, id: string) => page.locator(`.reveal-row[data-item="${id}"]`);
const writtenIds = () => [...alexDoc.doc.getMap('answers').keys()].sort();

async function rate(page: Page, itemId: string, direction: 'Giving' | 'Receiving', rating: string) {
  await question(page, itemId).getByRole('group', { name: direction }).getByRole('radio', { name: rating, exact: true }).check();
}

async function enterActivities(page: Page, token: string) {
  await page.goto(`${server.url}/r/${pair.roomId}#t=${token}`);
  await dismissPrimer(page);
  const toggle = page.locator('.nav-toggle');
  if (await toggle.isVisible()) await toggle.click();
  await page.locator('.section-nav__item', { hasText: 'Activities' }).first().click();
  await page.locator('.section-header__title', { hasText: 'Activities' }).waitFor();
}

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** The element's box lies inside the viewport. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
  });
}

describe('quick to fill and change from the reveal (real Chromium)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    pair = await createPair(server.url);
    alex = await newPartner(browser, server.url, { phone: true });
    blake = await newPartner(browser, server.url);
    alexDoc = openDoc(server.url.replace(/^http/, 'ws'), docName.private(pair.roomId, pair.a.id), pair.a.token);
    await alexDoc.synced;
  }, 60_000);

  afterAll(async () => {
    alexDoc?.destroy();
    await browser?.close();
    await server?.close();
  });

  it('QF1 Activities on a 360×740 phone: every item shown in at most twelve screens', async () => {
    const a = alex.page;
    await enterActivities(a, pair.a.token);
    await expect(a.locator('.question').count()).resolves.toBe(61);
    await expect(a.locator('.question-group--skipped').count()).resolves.toBe(0);
    await expect(a.getByRole('checkbox', { name: 'Show only unanswered' }).isChecked()).resolves.toBe(false);
    const { section, page } = await a.evaluate(() => ({
      section: document.querySelector('#main')?.getBoundingClientRect().height ?? Infinity,
      page: document.documentElement.scrollHeight,
    }));
    console.log(`Activities at 360×740: section ${Math.round(section)} px (${(section / 740).toFixed(1)} screens), page ${page} px`);
    expect(section).toBeLessThanOrEqual(12 * SCREEN);
    // the ready button and the count stay in reach half-way down
    await question(a, 'verbal_praise').scrollIntoViewIfNeeded();
    expect(await inViewport(a, '.ready--sticky')).toBe(true);
    await a.getByTestId('answered-count').getByText('0 of 61 answered').waitFor();
    // each direction is a labelled radio group of the eight ratings
    const giving = question(a, 'impact_hand').getByRole('group', { name: 'Giving' });
    await expect(giving.getByRole('radio').count()).resolves.toBe(8);
    await giving.getByRole('radio', { name: 'Yes, for you', exact: true }).waitFor({ state: 'attached' });
    await expectAccessible(a, 'activities phone');
    await a.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(a, 'activities phone, dark');
    await a.emulateMedia({ colorScheme: 'light' });
    await shot(a, 'quick-fill-phone', false);
  });

  it('QF2 skipping a category leaves its items unanswered, visibly, and writes nothing', async () => {
    const a = alex.page;
    await category(a, 'impact').getByRole('button', { name: /^Skip this category/ }).click();
    await category(a, 'impact').getByTestId('skipped-note').getByText('Skipped: 6 items left unanswered.').waitFor();
    await expect(category(a, 'impact').locator('.question').count()).resolves.toBe(0);
    await a.getByTestId('answered-count').getByText('0 of 61 answered', { exact: true }).waitFor();

    // A positive barrier: a rating Alex taps does arrive in the private doc …
    await rate(a, 'restraint_hold', 'Giving', 'Yes');
    await until(() => alexDoc.doc.getMap('answers').has('restraint_hold'), 5000, 'the tapped rating written');
    // … and the skip wrote nothing: that rating is the only answer there is.
    expect(writtenIds()).toEqual(['restraint_hold']);

    await category(a, 'impact').getByRole('button', { name: /^Show it again/ }).click();
    await expect(category(a, 'impact').locator('.question').count()).resolves.toBe(6);
    await expect(category(a, 'impact').getByRole('radio', { checked: true }).count()).resolves.toBe(0);
    await a.getByTestId('answered-count').getByText('1 of 61 answered', { exact: true }).waitFor();
    expect(writtenIds()).toEqual(['restraint_hold']);
  });

  it('QF3 only unanswered: answered items leave the view, one answered meanwhile stays until asked again', async () => {
    const a = alex.page;
    const only = a.getByRole('checkbox', { name: 'Show only unanswered' });
    await only.check();
    await a.getByRole('status').getByText('Showing 60 unanswered of 61', { exact: false }).waitFor();
    await expect(question(a, 'restraint_hold').count()).resolves.toBe(0);
    await expect(a.locator('.question').count()).resolves.toBe(60);
    await rate(a, 'restraint_cuffs', 'Giving', 'Yes');
    // no vanishing between the giving and the receiving tap
    await rate(a, 'restraint_cuffs', 'Receiving', 'Curious');
    await expect(a.locator('.question').count()).resolves.toBe(60);
    await only.uncheck();
    await expect(a.locator('.question').count()).resolves.toBe(61);
    await only.check();
    await expect(a.locator('.question').count()).resolves.toBe(59);
    await only.uncheck();
    await until(() => writtenIds().length === 2, 5000, 'two answers written');
    expect(writtenIds()).toEqual(['restraint_cuffs', 'restraint_hold']);
  });

  it('QF4 jump to a category from the bar at the bottom: the heading scrolls into view and takes the focus', async () => {
    const a = alex.page;
    await a.getByRole('group', { name: 'Giving' }).first().scrollIntoViewIfNeeded();
    await a.locator('.jump > summary').click();
    await a.locator('.jump__list').getByRole('button', { name: 'Remote play' }).click();
    await until(async () => (await a.evaluate(() => document.activeElement?.textContent ?? '')) === 'Remote play', 2000, 'focus on the heading');
    expect(await inViewport(a, '.question-group[data-category="remote"] .question-group__heading')).toBe(true);
    expect(await inViewport(a, '.ready--sticky')).toBe(true);
    await expect(a.locator('.jump').getAttribute('open')).resolves.toBeNull();
    await expect(a.locator('.jump > summary').textContent()).resolves.toBe('Jump to a category');

    // by keyboard, the ready button is one step from the top of the form, not 180 Tab presses
    await a.getByRole('checkbox', { name: 'Show only unanswered' }).focus();
    await a.keyboard.press('Shift+Tab');
    await a.keyboard.press('Enter');
    await expect(a.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Mark this section ready');
  });

  it('QF5 change from the reveal: Alex changes one answer on its row; Blake sees it, marked as changed', async () => {
    const a = alex.page;
    const b = blake.page;
    await enterActivities(b, pair.b.token);
    await rate(b, 'restraint_hold', 'Receiving', 'Yes');
    await rate(b, 'restraint_cuffs', 'Receiving', 'Yes');
    await a.getByRole('button', { name: 'Mark this section ready' }).click();
    await b.getByRole('button', { name: 'Mark this section ready' }).click();
    await a.getByTestId('reveal-heading').waitFor();
    await b.getByTestId('reveal-heading').waitFor();
    await expect(row(b, 'restraint_hold').getAttribute('data-classes')).resolves.toBe('match');

    await row(a, 'restraint_hold').getByRole('button', { name: 'Change my answer to Being held down by hands' }).click();
    const change = row(a, 'restraint_hold').locator('.reveal-row__change');
    await expect(change.getAttribute('aria-expanded')).resolves.toBe('true');
    const editor = row(a, 'restraint_hold').locator('.reveal-row__edit');
    // the one item in place, not the whole form
    await expect(editor.locator('.question').count()).resolves.toBe(1);
    await expect(a.locator('.edit-after').getAttribute('open')).resolves.toBeNull();
    await expect(editor.getByRole('group', { name: 'Giving' }).getByRole('radio', { name: 'Yes', exact: true }).isChecked()).resolves.toBe(true);
    await editor.getByRole('group', { name: 'Giving' }).getByRole('radio', { name: 'Not now', exact: true }).check();

    await row(b, 'restraint_hold').locator('.reveal-row__changed', { hasText: 'changed after reveal by Alex' }).waitFor();
    await expect(row(b, 'restraint_hold').getAttribute('data-classes')).resolves.toBe('difference');
    await row(b, 'restraint_hold').filter({ hasText: 'Alex would give Not now' }).waitFor();
    await row(a, 'restraint_hold').locator('.reveal-row__changed', { hasText: 'changed after reveal by you' }).waitFor();
    await expectAccessible(a, 'change from the reveal, phone');
    await shot(a, 'change-from-reveal-phone', false);
    await shot(b, 'changed-seen-desktop', false);

    await row(a, 'restraint_hold').getByRole('button', { name: 'Done with my answer to Being held down by hands' }).click();
    await expect(row(a, 'restraint_hold').locator('.reveal-row__edit').count()).resolves.toBe(0);
    expect(alex.consoleErrors).toEqual([]);
    expect(blake.consoleErrors).toEqual([]);
  });
});
