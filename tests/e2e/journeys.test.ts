import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dismissPrimer, goToSection, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';
import { until } from '../helpers/clients';

/**
 * Two isolated browsers play Alex (desktop) and Sam (a 360×740 phone) through the journeys of
 * the web client: create & invite, join, negotiate live, reveal, pause, offline, resume,
 * agreement, guidance and delete. The steps share one room and run in order.
 */

const CANARY_TEXT = 'CANARY-ALEX-ANSWER-7781';
const CANARY_PRIVATE = 'CANARY-ALEX-PRIVATE-5523';
const CANARY_NOTE = 'CANARY-ALEX-ITEMNOTE-9090';

let server: RunningServer;
let browser: Browser;
let alex: Partner;
let sam: Partner;
let inviteUrl = '';
let samResumeUrl = '';
let roomPath = '';

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** The header's room menu (before you begin, links, delete), opened if it is not. */
async function openRoomMenu(page: Page) {
  const menu = page.getByRole('button', { name: 'Room', exact: true });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
}

const question = (page: Page, itemId: string) => page.locator(`.question[data-item="${itemId}"]`).first();

async function rate(page: Page, itemId: string, direction: 'Giving' | 'Receiving' | null, rating: string) {
  const q = question(page, itemId);
  const scope = direction ? q.getByRole('group', { name: direction }) : q;
  await scope.getByRole('radio', { name: rating, exact: true }).check();
}

async function markReady(page: Page) {
  await page.getByRole('button', { name: 'Mark this section ready' }).click();
  await page.getByRole('button', { name: 'I’m not ready after all' }).waitFor();
}

function samSawCanary(): string[] {
  const hits: string[] = [];
  for (const c of [CANARY_TEXT, CANARY_PRIVATE, CANARY_NOTE]) {
    if (sam.frames.some((f) => f.includes(c))) hits.push(`frame:${c}`);
  }
  return hits;
}

describe('web client journeys (real Chromium, two partners)', { timeout: 90_000 }, () => {
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

  it('J1 create & invite: landing, create, invite link with QR, resume link with warning', async () => {
    const { page } = alex;
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText('No account.', { exact: false }).waitFor();
    await expectAccessible(page, 'landing');
    await shot(page, 'landing-desktop');
    // before anyone chooses discreet, it says plainly what no matching can hide
    await page.locator('#mode-discreet-help', { hasText: 'if you said yes and it is not shown as shared, your partner did not say yes' }).waitFor();

    await page.getByLabel('Your name').fill('Alex');
    await page.getByLabel('A title for this room (optional)').fill('Saturday <b>night</b>');
    await page.getByRole('button', { name: 'Create the room' }).click();
    await page.getByRole('heading', { name: 'Your room is ready' }).waitFor();

    inviteUrl = await page.getByLabel('Invite link').inputValue();
    expect(inviteUrl).toMatch(/\/join\/[A-Za-z0-9_-]+#i=/);
    const resume = await page.getByLabel('Your resume link').inputValue();
    expect(resume).toMatch(/\/r\/[A-Za-z0-9_-]+#t=/);
    await page.getByRole('img', { name: 'QR code of the invite link' }).waitFor();
    await page.getByText('no recovery', { exact: false }).waitFor();
    // the title is text, never markup
    await expect(page.locator('.page__subtitle').textContent()).resolves.toBe('Saturday <b>night</b>');

    await page.locator('.invite').getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).first().waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(inviteUrl);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as a file' }).click(),
    ]);
    const file = await download.path();
    expect(fs.readFileSync(file, 'utf8')).toContain(resume);

    await expectAccessible(page, 'room created');
    await shot(page, 'room-created');

    // Every WebSocket of the room names it, so a proxy can keep a room on one node (ops/Caddyfile).
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    roomPath = new URL(page.url()).pathname;
    const roomId = roomPath.split('/').pop() ?? '';
    await until(() => sockets.filter((u) => u.includes('/yjs/')).length === 3 && sockets.some((u) => u.includes('/socket.io/')), 5000, 'room sockets');
    for (const url of sockets) expect(new URL(url).searchParams.get('room'), url.replace(/token=[^&]+/, 'token=…')).toBe(roomId);
    expect(page.url()).not.toContain('#');
    // J9: the primer for first-timers comes from the template
    const primer = page.getByRole('dialog', { name: 'Before you begin' });
    await primer.waitFor();
    await expect(primer.textContent()).resolves.toContain('Honesty over pleasing');
    await expectAccessible(page, 'primer');
    await shot(page, 'primer');
    await dismissPrimer(page);
    await page.locator('.section-header__title', { hasText: 'Arrival & pace' }).waitFor();
    // closing the primer puts focus on the section heading, where reading goes on
    await until(async () => (await page.evaluate(() => document.activeElement?.className ?? '')).includes('section-header__title'), 2000, 'focus on the heading');
    await expect(page.locator('.room-header__title').textContent()).resolves.toBe('Saturday <b>night</b>');
  });

  it('J2 join: the partner joins on a phone; a used or wrong invite gets a kind message', async () => {
    const { page } = sam;
    await page.goto(inviteUrl);
    await page.getByRole('heading', { name: 'You have been invited to a Parley room' }).waitFor();
    // who invites, and to what, before anyone types a name
    await page.getByTestId('invited-by').getByText('Alex invites you to “Saturday <b>night</b>”').waitFor();
    expect(page.url()).not.toContain('#'); // the invite token left the address bar
    await expectAccessible(page, 'join');
    await shot(page, 'join-phone');
    await page.getByLabel('Your name').fill('Sam');
    await page.getByRole('button', { name: 'Join the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await dismissPrimer(page);
    await page.locator('.section-header__title', { hasText: 'Arrival & pace' }).waitFor();

    // Alex now sees Sam, online, and where Sam is.
    await alex.page.getByTestId('partner-presence').filter({ hasText: 'Sam: online · on Arrival & pace' }).waitFor();

    const stranger = await newPartner(browser, server.url);
    try {
      // a used invite says so before anyone types a name, and names nobody
      await stranger.page.goto(inviteUrl);
      await stranger.page.getByRole('heading', { name: 'This invite has already been used' }).waitFor();
      await stranger.page.getByRole('alert').filter({ hasText: 'already been used' }).waitFor();
      await expect(stranger.page.getByLabel('Your name').count()).resolves.toBe(0);
      await expect(stranger.page.getByText('Alex').count()).resolves.toBe(0);
      await expectAccessible(stranger.page, 'invite used');
      await shot(stranger.page, 'join-invite-used');

      await stranger.page.goto(`${server.url}/join/NoSuchRoom0000000000#i=not-the-right-token`);
      await stranger.page.getByRole('heading', { name: 'This invite does not open a room' }).waitFor();
      await stranger.page.getByRole('alert').filter({ hasText: 'could not find a room' }).waitFor();
      await stranger.page.getByRole('link', { name: 'Go to the start page' }).waitFor();
    } finally {
      await stranger.context.close();
    }
  });

  it('J3 negotiate live: answers of every type, private notes, shared notes with cursors, presence', async () => {
    const a = alex.page;
    const b = sam.page;
    // J9: each section says why it matters
    await expect(a.locator('.why').textContent()).resolves.toMatch(/Why this matters/);

    // Arrival: text, scale, choice
    await question(a, 'arrival_feeling').locator('textarea').fill(`${CANARY_TEXT} a bit nervous`);
    await question(a, 'arrival_energy').getByRole('radio', { name: /^4 of 5/ }).check();
    const timeChoice = question(a, 'arrival_time').getByRole('radio').first();
    await timeChoice.check();
    await a.getByLabel('Private notes for Arrival & pace').fill(CANARY_PRIVATE);
    await a.getByLabel('Private notes for Arrival & pace').blur();

    await question(b, 'arrival_feeling').locator('textarea').fill('Calm and curious');
    await question(b, 'arrival_energy').getByRole('radio', { name: /^3 of 5/ }).check();

    // Frame: multi
    await goToSection(a, 'Frame');
    await question(a, 'frame_roles').getByRole('checkbox').first().check();
    await question(a, 'frame_roles').getByRole('checkbox').nth(2).check();
    await b.getByTestId('partner-presence').filter({ hasText: 'Alex: online · on Frame' }).waitFor();

    // Activities: dual ratings with experience, conditions and note
    await goToSection(a, 'Activities');
    await goToSection(b, 'Activities');
    await rate(a, 'impact_hand', 'Giving', 'Yes');
    await rate(a, 'impact_hand', 'Receiving', 'Favourite');
    await rate(a, 'impact_paddle', 'Giving', 'Yes');
    await rate(a, 'impact_flogger', 'Giving', 'Favourite');
    await rate(a, 'impact_crop_cane', 'Giving', 'Hard limit');
    const details = question(a, 'impact_hand').locator('details');
    await details.locator('summary').click();
    await details.getByRole('radio', { name: 'Some' }).check();
    await details.getByRole('checkbox', { name: 'Check in first' }).check();
    await details.getByLabel('A short note').fill(CANARY_NOTE);
    await details.getByLabel('A short note').blur();

    await rate(b, 'impact_hand', 'Receiving', 'Yes');
    await rate(b, 'impact_hand', 'Giving', 'Yes');
    await rate(b, 'impact_paddle', 'Receiving', 'Curious');
    await rate(b, 'impact_flogger', 'Receiving', 'Not now');
    await rate(b, 'impact_crop_cane', 'Receiving', 'Yes');
    await expect(question(a, 'impact_hand').getAttribute('class')).resolves.toContain('question--answered');
    await expect(a.locator('.section-nav__item--current').textContent()).resolves.toMatch(/4 of 61 answered|[0-9]+ of 61 answered/);
    await expectAccessible(a, 'activities desktop');
    await expectAccessible(b, 'activities phone');
    await shot(a, 'activities-desktop', false);
    await shot(b, 'activities-phone', false);

    // Shared notes: both type, each sees the other's text and caret.
    await a.locator('#shared-notes').click();
    await a.locator('#shared-notes').pressSequentially('Bring water. ');
    await b.locator('#shared-notes').waitFor();
    await expect.poll(() => b.locator('#shared-notes').inputValue(), { timeout: 5_000 }).toBe('Bring water. ');
    await b.locator('#shared-notes').click();
    await b.locator('#shared-notes').press('End');
    await b.locator('#shared-notes').pressSequentially('And snacks.');
    await expect.poll(() => a.locator('#shared-notes').inputValue(), { timeout: 5_000 }).toBe('Bring water. And snacks.');
    await a.locator('.collab__caret', { hasText: 'Sam' }).waitFor();
    // Alex keeps typing in the middle while Sam's text arrives: the caret stays put.
    await a.locator('#shared-notes').click();
    await a.locator('#shared-notes').evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 0));
    await a.locator('#shared-notes').pressSequentially('Note: ');
    await expect.poll(() => b.locator('#shared-notes').inputValue(), { timeout: 5_000 }).toBe('Note: Bring water. And snacks.');
    await shot(a, 'shared-notes-cursor', false);

    // Nothing of Alex's hidden answers has reached Sam.
    const content = await b.content();
    for (const c of [CANARY_TEXT, CANARY_PRIVATE, CANARY_NOTE]) expect(content).not.toContain(c);
    expect(samSawCanary()).toEqual([]);
  });

  it('J4 reveal: hidden until both are ready, then side by side on both within a second', async () => {
    const a = alex.page;
    const b = sam.page;
    await goToSection(a, 'Arrival & pace');
    await goToSection(b, 'Arrival & pace');
    await markReady(a);
    await b.getByTestId('ready-partner').filter({ hasText: 'ready' }).filter({ hasNotText: 'not yet' }).waitFor();
    // no nagging: nothing says anyone is waiting
    await expect(b.locator('.ready').textContent()).resolves.not.toMatch(/waiting/i);
    expect(await b.content()).not.toContain(CANARY_TEXT);
    expect(samSawCanary()).toEqual([]);
    await shot(b, 'ready-partner-phone', false);

    const start = Date.now();
    await b.getByRole('button', { name: 'Mark this section ready' }).click();
    await Promise.all([
      a.getByTestId('reveal-heading').waitFor({ timeout: 3_000 }),
      b.getByTestId('reveal-heading').waitFor({ timeout: 3_000 }),
    ]);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeLessThan(1_000);

    // focus moves to the reveal heading for whoever was looking at the section
    await expect(b.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('reveal-heading');
    await b.locator('.reveal-row[data-item="arrival_feeling"]').filter({ hasText: CANARY_TEXT }).waitFor();
    // J9: the reveal reminder from the template
    await expect(b.locator('.reminder').textContent()).resolves.toContain('talk it through');
    // private notes are never revealed
    expect(await b.content()).not.toContain(CANARY_PRIVATE);
    expect(sam.frames.some((f) => f.includes(CANARY_PRIVATE))).toBe(false);
    await expectAccessible(b, 'reveal phone');
    await shot(b, 'reveal-arrival-phone');

    // Activities: one item per match class
    await goToSection(a, 'Activities');
    await goToSection(b, 'Activities');
    expect(await b.content()).not.toContain(CANARY_NOTE);
    await markReady(a);
    await b.getByRole('button', { name: 'Mark this section ready' }).click();
    await a.getByTestId('reveal-heading').waitFor();
    const row = (p: Page, id: string) => p.locator(`.reveal-row[data-item="${id}"]`);
    // one line per direction, each classed on its own
    await expect(row(a, 'impact_hand').getAttribute('data-classes')).resolves.toBe('match match');
    await expect(row(a, 'impact_paddle').getAttribute('data-classes')).resolves.toBe('maybe');
    await expect(row(a, 'impact_flogger').getAttribute('data-classes')).resolves.toBe('difference');
    await expect(row(a, 'impact_crop_cane').getAttribute('data-classes')).resolves.toBe('limit');
    // plain words naming people; text labels, not colour alone
    await row(a, 'impact_hand').filter({ hasText: 'You → Sam: you’d give Yes, Sam would receive Yes — a match' }).waitFor();
    await row(b, 'impact_hand').filter({ hasText: 'Alex → you: Alex would give Yes, you’d receive Yes — a match' }).waitFor();
    await expect(row(a, 'impact_crop_cane').locator('.match').first().textContent()).resolves.toContain('Hard limit');
    // Alex's hard limit is listed first, as Alex's
    await b.getByTestId('hard-limits').locator('[data-who="partner"] li[data-item="impact_crop_cane"]').waitFor();
    await row(b, 'impact_hand').filter({ hasText: CANARY_NOTE }).waitFor();

    await a.getByRole('radio', { name: 'Matches' }).check();
    await expect(a.locator('.reveal__list').first().locator('.reveal-row').count()).resolves.toBe(1);
    await a.getByRole('radio', { name: 'To talk about' }).check();
    await expect(a.locator('.reveal__list').first().locator('.reveal-row').count()).resolves.toBe(3);
    await a.getByRole('radio', { name: 'Everything' }).check();
    await expectAccessible(a, 'reveal desktop');
    await shot(a, 'reveal-activities-desktop', false);

    // consent stays active: Alex moves toward no after the reveal; Sam sees it, marked as changed
    await a.locator('.edit-after > summary').click();
    await rate(a, 'impact_hand', 'Giving', 'Not now');
    await row(b, 'impact_hand').locator('.reveal-row__changed', { hasText: 'changed after reveal by Alex' }).waitFor();
    await expect(row(b, 'impact_hand').getAttribute('data-classes')).resolves.toBe('difference match');
    await shot(b, 'changed-after-reveal-phone', false);

    // reopen for a new round: Sam is asked first and can say why; Alex is told who and why;
    // history keeps round 1 with its dates
    await goToSection(a, 'Arrival & pace');
    await goToSection(b, 'Arrival & pace');
    await b.getByRole('button', { name: 'Start a new round' }).click();
    const ask = b.getByRole('dialog', { name: 'Start a new round of Arrival & pace?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    await expect(a.locator('.section-header__kicker', { hasText: 'Round 2' }).count()).resolves.toBe(0);
    await b.getByRole('button', { name: 'Start a new round' }).click();
    await ask.getByLabel('Why, in a few words for Alex (optional)').fill('I rushed my first answer <b>x</b>');
    await expectAccessible(b, 'reopen dialog phone');
    await shot(b, 'reopen-ask-phone', false);
    await ask.getByRole('button', { name: 'Start the new round' }).click();
    await a.locator('.section-header__kicker', { hasText: 'Round 2' }).waitFor();
    const notice = a.getByTestId('reopen-notice');
    await notice.getByText('Sam started a new round of this section (round 2)', { exact: false }).waitFor();
    await expect(notice.locator('blockquote').textContent()).resolves.toBe('I rushed my first answer <b>x</b>');
    await expect(b.getByTestId('reopen-notice').count()).resolves.toBe(0);
    await b.getByRole('button', { name: 'Mark this section ready' }).waitFor();
    await a.locator('.history__round summary', { hasText: /Round 1 — revealed .*, reopened / }).waitFor();
    await expect(question(a, 'arrival_feeling').locator('textarea').inputValue()).resolves.toContain(CANARY_TEXT);
    await shot(a, 'reopened-round-2', false);
  });

  it('J5 pause: either pauses with a note, both see a calm screen; only the one who paused resumes, the other can ask', async () => {
    const a = alex.page;
    const b = sam.page;
    await a.getByRole('button', { name: 'Pause', exact: true }).click();
    const dialog = a.getByRole('dialog', { name: 'Pause the room' });
    await dialog.getByLabel('A note for your partner (optional)').fill('Need some water <i>x</i>');
    await dialog.getByRole('button', { name: 'Pause now' }).click();
    await a.getByRole('heading', { name: 'The room is paused' }).waitFor();
    await b.getByRole('heading', { name: 'The room is paused' }).waitFor();
    await expect(b.getByTestId('pause-note').textContent()).resolves.toBe('Need some water <i>x</i>');
    await b.getByText('Alex paused the room.').waitFor();
    await expectAccessible(b, 'pause phone');
    await shot(b, 'paused-phone');
    // Sam cannot lift Alex's pause: there is no resume button for Sam, only a way to ask.
    await b.getByText('Only Alex can resume the room.', { exact: false }).waitFor();
    await expect(b.getByRole('button', { name: 'Resume the room' }).count()).resolves.toBe(0);
    await b.getByRole('button', { name: 'Ask Alex to resume' }).click();
    await b.getByText('You asked Alex to resume.', { exact: false }).waitFor();
    await a.getByText('Sam asked to resume', { exact: false }).waitFor();
    await expectAccessible(a, 'pause asked desktop');
    await shot(a, 'paused-desktop', false);
    await shot(b, 'paused-asked-phone', false);
    await a.getByRole('button', { name: 'Resume the room' }).click();
    await a.locator('.section-header__title').waitFor();
    await b.locator('.section-header__title').waitFor();
  });

  it('J7 offline: an answer made offline syncs after reconnecting; the state is visible', async () => {
    const b = sam.page;
    await goToSection(b, 'Frame');
    await b.getByTestId('connection').and(b.locator('[data-state="online"]')).waitFor();
    await sam.context.setOffline(true);
    await b.locator('[data-testid="connection"][data-state="offline"]').waitFor();
    // offline, Sam cannot know where Alex is: presence says so rather than "online"
    await b.getByTestId('partner-presence').getByText('Alex: not known while you are offline').waitFor();
    await shot(b, 'offline-phone', false);
    await question(b, 'frame_span').getByRole('radio').nth(1).check();
    await question(b, 'frame_scope').locator('textarea').fill('Written while offline');
    await question(b, 'frame_scope').locator('textarea').blur();
    await sam.context.setOffline(false);
    await b.locator('[data-testid="connection"][data-state="online"]').waitFor({ timeout: 15_000 });

    // J7 resume: Sam's own link, in a third browser context, restores everything
    await openRoomMenu(b);
    await b.getByRole('button', { name: 'My resume link' }).click();
    samResumeUrl = await b.getByRole('dialog').getByRole('textbox', { name: 'Your resume link' }).inputValue();
    expect(samResumeUrl).toContain('#t=');
    await expectAccessible(b, 'links dialog');
    await b.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();

    const elsewhere = await newPartner(browser, server.url);
    try {
      const p = elsewhere.page;
      await p.goto(samResumeUrl);
      await dismissPrimer(p);
      expect(p.url()).not.toContain('#');
      await goToSection(p, 'Frame');
      await expect
        .poll(() => question(p, 'frame_scope').locator('textarea').inputValue(), { timeout: 10_000 })
        .toBe('Written while offline');
      await expect(question(p, 'frame_span').getByRole('radio').nth(1).isChecked()).resolves.toBe(true);
      await expect.poll(() => p.locator('#shared-notes').inputValue()).toBe('Note: Bring water. And snacks.');
      await goToSection(p, 'Activities');
      await p.getByTestId('reveal-heading').waitFor();
      await shot(p, 'resumed-elsewhere', false);
    } finally {
      await elsewhere.context.close();
    }
  });

  it('J6 agreement: summary + shared text, confirm by both, stale on change, review date, export, print', async () => {
    const a = alex.page;
    const b = sam.page;
    // reveal Safety so the summary has signals
    await goToSection(a, 'Safety & signals');
    await goToSection(b, 'Safety & signals');
    await question(a, 'safety_safeword').locator('textarea, input').first().fill('Pineapple');
    await question(b, 'safety_safeword').locator('textarea, input').first().fill('Red');
    await question(b, 'safety_safeword').locator('textarea, input').first().blur();
    await question(a, 'safety_safeword').locator('textarea, input').first().blur();
    // Signals in the header: before the reveal, only one's own (nothing of the partner's reaches it)
    await b.getByRole('button', { name: 'Signals', exact: true }).click();
    await b.getByTestId('signals').getByText('Red', { exact: true }).waitFor();
    await expect(b.getByTestId('signals').textContent()).resolves.not.toContain('Pineapple');
    await b.keyboard.press('Escape');
    await expect(b.getByRole('button', { name: 'Signals', exact: true }).getAttribute('aria-expanded')).resolves.toBe('false');
    await markReady(a);
    await b.getByRole('button', { name: 'Mark this section ready' }).click();
    await a.getByTestId('reveal-heading').waitFor();
    // after it, both partners' safewords, one tap away from any section
    await b.getByRole('button', { name: 'Signals', exact: true }).click();
    await b.getByTestId('signals').getByRole('region', { name: 'Alex' }).getByText('Pineapple', { exact: true }).waitFor();
    await b.getByTestId('signals').getByRole('region', { name: 'You' }).getByText('Red', { exact: true }).waitFor();
    await expectAccessible(b, 'signals');
    await shot(b, 'signals-phone', false);
    await b.keyboard.press('Escape');

    await goToSection(a, 'Agreement');
    await goToSection(b, 'Agreement');
    await a.getByTestId('agreement-doc').filter({ hasText: 'Pineapple' }).waitFor();
    await a.locator('#agreement-text').click();
    await a.locator('#agreement-text').pressSequentially('We start slow.');
    await expect.poll(() => b.locator('#agreement-text').inputValue()).toBe('We start slow.');
    await b.getByTestId('agreement-doc').filter({ hasText: 'We start slow.' }).waitFor();

    await a.getByRole('button', { name: 'I confirm this agreement' }).click();
    await b.locator('.confirmation[data-seat="partner"][data-state="current"]').waitFor();
    await b.getByRole('button', { name: 'I confirm this agreement' }).click();
    await a.locator('.confirmation[data-seat="partner"][data-state="current"]').waitFor();
    await expect(a.getByTestId('confirmations').textContent()).resolves.toContain('Confirmed by Sam');
    await expectAccessible(a, 'agreement confirmed');
    await shot(a, 'agreement-confirmed');

    // any change makes both confirmations stale
    await b.locator('#agreement-text').click();
    await b.locator('#agreement-text').press('End');
    await b.locator('#agreement-text').pressSequentially(' Check in often.');
    await a.locator('.confirmation[data-seat="partner"][data-state="stale"]').waitFor();
    await a.locator('.confirmation[data-seat="me"][data-state="stale"]').waitFor();
    await expect(a.getByTestId('confirmations').textContent()).resolves.toContain('Changed since Sam confirmed');
    await a.getByRole('button', { name: 'Confirm the current version' }).waitFor();

    await a.getByLabel('Review on').fill('2031-05-04');
    await a.getByRole('button', { name: 'Save date' }).click();
    await b.getByTestId('review-date').filter({ hasText: '4 May 2031' }).waitFor();

    const [md] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: 'Download as Markdown' }).click()]);
    expect(md.suggestedFilename()).toBe('parley-agreement.md');
    const markdown = fs.readFileSync(await md.path(), 'utf8');
    expect(markdown).toContain('Pineapple');
    expect(markdown).toContain('Check in often');
    const [json] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: 'Download as JSON' }).click()]);
    expect(JSON.parse(fs.readFileSync(await json.path(), 'utf8'))).toBeTruthy();

    await a.emulateMedia({ media: 'print' });
    await shot(a, 'agreement-print');
    await expect(a.locator('.room-header').isVisible()).resolves.toBe(false);
    await a.getByTestId('agreement-doc').waitFor();
    await a.emulateMedia({ media: 'screen' });
    await shot(b, 'agreement-phone');
  });

  it('J9 guidance: debrief prompts from the template; dark theme is accessible too', async () => {
    const b = sam.page;
    await goToSection(b, 'Debrief');
    await b.locator('.prompts').filter({ hasText: 'What felt good' }).waitFor();
    await shot(b, 'debrief-phone', false);

    const dark = await newPartner(browser, server.url, { colorScheme: 'dark' });
    try {
      await dark.page.goto(samResumeUrl);
      await dismissPrimer(dark.page);
      await goToSection(dark.page, 'Activities');
      await dark.page.getByTestId('reveal-heading').waitFor();
      await expectAccessible(dark.page, 'reveal dark');
      await shot(dark.page, 'reveal-dark', false);
      await dark.page.goto(server.url);
      await expectAccessible(dark.page, 'landing dark');
      await shot(dark.page, 'landing-dark');
    } finally {
      await dark.context.close();
    }
  });

  it('J8 delete: from the room menu on a phone, a copy offered first; both partners, after a reload too, see that the room was deleted', async () => {
    const a = alex.page;
    const b = sam.page;
    // the menu is a keyboard-operable disclosure: Enter opens it, Escape closes it back onto its button
    const menu = b.getByRole('button', { name: 'Room', exact: true });
    await menu.focus();
    await b.keyboard.press('Enter');
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
    await b.getByRole('button', { name: 'Delete room' }).waitFor();
    await expectAccessible(b, 'room menu');
    await shot(b, 'room-menu-phone', false);
    await b.keyboard.press('Escape');
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(b.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Room');
    await expect(b.getByRole('button', { name: 'Delete room' }).count()).resolves.toBe(0);

    await openRoomMenu(b);
    await b.getByRole('button', { name: 'Delete room' }).click();
    const dialog = b.getByRole('alertdialog', { name: 'Delete this room for both of you?' });
    await dialog.waitFor();
    await expectAccessible(b, 'delete dialog');
    await shot(b, 'delete-dialog-phone', false);
    // a copy first: the agreement export, before anything is gone
    const [copy] = await Promise.all([b.waitForEvent('download'), dialog.getByRole('button', { name: 'Download a copy' }).click()]);
    expect(copy.suggestedFilename()).toBe('parley-agreement.md');
    expect(fs.readFileSync(await copy.path(), 'utf8')).toContain('Pineapple');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(b.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Room');
    await openRoomMenu(b);
    await b.getByRole('button', { name: 'Delete room' }).click();
    await b.getByRole('alertdialog').getByRole('button', { name: 'Delete everything' }).click();
    await b.getByRole('heading', { name: 'This room was deleted' }).waitFor();
    await a.getByRole('heading', { name: 'This room was deleted' }).waitFor();
    await expectAccessible(a, 'deleted');
    await shot(b, 'deleted-phone');

    // after a reload, both still read that the room was deleted (no "no key here")
    for (const p of [a, b]) {
      await p.goto(`${server.url}${roomPath}`);
      await p.getByRole('heading', { name: 'This room was deleted' }).waitFor();
      await expect(p.getByText('does not hold the key', { exact: false }).count()).resolves.toBe(0);
    }
    // a browser that was away during the delete learns it from the server (401 with reason room_deleted)
    const away = await newPartner(browser, server.url, { phone: true });
    try {
      await away.page.goto(samResumeUrl);
      await away.page.getByRole('heading', { name: 'This room was deleted' }).waitFor();
      await expectAccessible(away.page, 'deleted after a reload');
      expect(away.consoleErrors).toEqual([]);
    } finally {
      await away.context.close();
    }
    expect(alex.foreignRequests).toEqual([]);
    expect(sam.foreignRequests).toEqual([]);
    expect(alex.consoleErrors).toEqual([]);
    expect(sam.consoleErrors).toEqual([]);
  });
});
