import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createPair } from '../helpers/api';
import { dismissPrimer, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * The reveal by direction, as three kinds of pair see it in Chromium: a Dominant / submissive
 * pair (full room; the submissive on a 360 px phone), a switch pair (discreet room, dark), and
 * a same-direction pair (both want to give). Each partner answers through the web client.
 */

let server: RunningServer;
let browser: Browser;
const opened: Partner[] = [];

beforeAll(async () => {
  server = await startParley();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(url: string, opts: { phone?: boolean; colorScheme?: 'light' | 'dark' }): Promise<Page> {
  const partner = await newPartner(browser, server.url, opts);
  opened.push(partner);
  const page = partner.page;
  await page.goto(url);
  await dismissPrimer(page);
  const toggle = page.locator('.nav-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('.section-nav__item', { hasText: 'Activities' }).first().click();
  await page.locator('.section-header__title', { hasText: 'Activities' }).waitFor();
  return page;
}

type Answers = [itemId: string, direction: 'Giving' | 'Receiving', rating: string][];

async function answer(page: Page, answers: Answers) {
  for (const [itemId, direction, rating] of answers) {
    const q = page.locator(`.question[data-item="${itemId}"]`).first();
    await q.getByRole('group', { name: direction }).getByRole('radio', { name: rating, exact: true }).check();
  }
}

async function pairReveal(
  mode: 'full' | 'discreet',
  a: { answers: Answers; phone?: boolean; colorScheme?: 'light' | 'dark' },
  b: { answers: Answers; phone?: boolean; colorScheme?: 'light' | 'dark' },
): Promise<{ pa: Page; pb: Page }> {
  const pair = await createPair(server.url, { revealMode: mode });
  const link = (token: string) => `${server.url}/r/${pair.roomId}#t=${token}`;
  const pa = await open(link(pair.a.token), { phone: !!a.phone, colorScheme: a.colorScheme ?? 'light' });
  const pb = await open(link(pair.b.token), { phone: !!b.phone, colorScheme: b.colorScheme ?? 'light' });
  await answer(pa, a.answers);
  await answer(pb, b.answers);
  for (const page of [pa, pb]) {
    await page.getByRole('button', { name: 'Mark this section ready' }).click();
  }
  await pa.getByTestId('reveal-heading').waitFor();
  await pb.getByTestId('reveal-heading').waitFor();
  return { pa, pb };
}

const line = (page: Page, itemId: string, cls: string) => page.locator(`.reveal-row[data-item="${itemId}"] .reveal-line[data-class="${cls}"]`);

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe('the reveal by direction (real Chromium)', { timeout: 120_000 }, () => {
  it('ED1 D/s pair on a phone: the complementary item is a match, each hard limit is its owner’s', async () => {
    // Alex (Dominant, desktop) gives Yes, receives Hard limit; Blake (submissive, phone) the mirror.
    const { pa, pb } = await pairReveal(
      'full',
      { answers: [['impact_hand', 'Giving', 'Yes'], ['impact_hand', 'Receiving', 'Hard limit'], ['restraint_rope', 'Giving', 'Favourite'], ['verbal_praise', 'Giving', 'Yes, for you']] },
      { phone: true, answers: [['impact_hand', 'Giving', 'Hard limit'], ['impact_hand', 'Receiving', 'Yes'], ['restraint_rope', 'Receiving', 'Not now'], ['verbal_praise', 'Receiving', 'Yes, for you']] },
    );
    await line(pb, 'impact_hand', 'match').filter({ hasText: 'Alex → you: Alex would give Yes, you’d receive Yes — a match' }).waitFor();
    await line(pb, 'impact_hand', 'neither').filter({ hasText: 'You → Alex: neither of you wants this' }).waitFor();
    await line(pb, 'restraint_rope', 'difference').locator('.reveal-line__prompt').waitFor();
    await line(pb, 'verbal_praise', 'pleasing').waitFor();
    await pb.getByTestId('hard-limits').locator('[data-who="me"] li', { hasText: 'Spanking with a hand (giving)' }).waitFor();
    await pb.getByTestId('hard-limits').locator('[data-who="partner"] li', { hasText: 'Spanking with a hand (receiving)' }).waitFor();
    await pb.getByRole('radio', { name: 'Matches' }).check();
    await expect(pb.locator('.reveal__list').first().locator('.reveal-row').count()).resolves.toBe(1);
    await pb.getByRole('radio', { name: 'Everything' }).check();
    await expectAccessible(pb, 'D/s reveal phone');
    await shot(pb, 'directions-ds-phone');
    await line(pa, 'impact_hand', 'match').filter({ hasText: 'You → Blake: you’d give Yes, Blake would receive Yes — a match' }).waitFor();
    await expectAccessible(pa, 'D/s reveal desktop');
    await shot(pa, 'directions-ds-desktop', false);
  });

  it('ED2 switch pair in a discreet room, dark: shared directions only, the rest counted, the honest limit said', async () => {
    const { pa, pb } = await pairReveal(
      'discreet',
      { colorScheme: 'dark', answers: [['impact_hand', 'Giving', 'Yes'], ['impact_hand', 'Receiving', 'Favourite'], ['restraint_rope', 'Giving', 'Yes']] },
      { phone: true, colorScheme: 'dark', answers: [['impact_hand', 'Giving', 'Favourite'], ['impact_hand', 'Receiving', 'Yes'], ['restraint_rope', 'Receiving', 'Curious']] },
    );
    for (const page of [pa, pb]) {
      await expect(page.locator('.reveal-row[data-item="impact_hand"] .reveal-line[data-class="match"]').count()).resolves.toBe(2);
      await expect(page.locator('.reveal-row[data-item="restraint_rope"]').count()).resolves.toBe(0);
      await page.getByTestId('not-shared').filter({ hasText: '60 items not shared' }).waitFor();
      await page.getByTestId('discreet-note').filter({ hasText: 'if you said yes and it is not shown as shared, your partner did not say yes' }).waitFor();
    }
    await expectAccessible(pb, 'discreet reveal phone dark');
    await shot(pb, 'directions-switch-discreet-phone-dark');
    await expectAccessible(pa, 'discreet reveal desktop dark');
    await shot(pa, 'directions-switch-discreet-desktop-dark', false);
  });

  it('ED3 same-direction pair: both want to give, so neither direction matches and both are differences', async () => {
    const both: Answers = [['impact_hand', 'Giving', 'Yes'], ['impact_hand', 'Receiving', 'Not now']];
    const { pa, pb } = await pairReveal('full', { answers: both }, { phone: true, colorScheme: 'dark', answers: both });
    await expect(pa.locator('.reveal-row[data-item="impact_hand"]').getAttribute('data-classes')).resolves.toBe('difference difference');
    await pa.getByRole('radio', { name: 'Matches' }).check();
    await pa.getByText('Nothing to show with this filter.').waitFor();
    await pa.getByRole('radio', { name: 'To talk about' }).check();
    await expectAccessible(pa, 'same-direction desktop');
    await shot(pa, 'directions-same-desktop', false);
    await expectAccessible(pb, 'same-direction phone dark');
    await shot(pb, 'directions-same-phone-dark');
  });
});
