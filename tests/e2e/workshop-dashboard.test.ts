import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CreateWorkshopResponse } from '@parley/shared/protocol/workshop';
import type { Template } from '@parley/shared/template/schema';
import { http } from '../helpers/api';
import { connectControl, type ControlClient } from '../helpers/clients';
import { joinWorkshop, workshopPair } from '../helpers/workshop';
import { dismissPrimer, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * Issue 14 in real Chromium: a facilitator builds their own worksheet from the default one and
 * runs a workshop of three pairs on it from the dashboard (1280×800 and a phone, light and
 * dark). Ann and Cleo are in the rooms of pairs one and two on phones; their partners, pair three, a stray pair left by a
 * retried join and a person waiting alone are real socket.io clients. The facilitator re-locks a
 * section, messages one pair (only that pair sees it), uses the projector view (no names on it),
 * removes the stray pair (at once) and the lone person (after the warning), and ends the
 * workshop: the rooms say it ended and stay theirs.
 */
let server: RunningServer;
let browser: Browser;
let facilitator: Partner;
let ann: Partner;
let cleo: Partner;
let workshop: CreateWorkshopResponse;
const pairs: Awaited<ReturnType<typeof workshopPair>>[] = [];
const clients: ControlClient[] = [];
let hal: ControlClient;
const names = ['Ann', 'Ben', 'Cleo', 'Dan', 'Eve', 'Fay'];
const OWN_WHY = 'In this workshop: say what you are building before anything else.';

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Light and dark screenshots of the same screen. */
async function shots(page: Page, name: string, fullPage = true) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page, `${name} ${colorScheme}`);
    await shot(page, `${name}-${colorScheme}`, fullPage);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openRoom(who: Partner, resumeUrl: string) {
  await who.page.goto(resumeUrl);
  await dismissPrimer(who.page);
  await who.page.locator('.workshop-bar').waitFor();
}

const row = (name: string) => facilitator.page.locator('.pairs__row', { hasText: name });

describe('workshop dashboard for many pairs (real Chromium)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    facilitator = await newPartner(browser, server.url);
    await facilitator.page.setViewportSize({ width: 1280, height: 800 });
    ann = await newPartner(browser, server.url, { phone: true });
    cleo = await newPartner(browser, server.url, { phone: true, colorScheme: 'dark' });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    hal?.close();
    await browser?.close();
    await server?.close();
  });

  it('WD1 three pairs on the facilitator’s own worksheet: the overview per section, a pair table that fits 1280 px, numbered as the rooms are', async () => {
    const f = facilitator.page;
    await f.goto(`${server.url}/workshop`);
    await f.getByLabel('Workshop title').fill('Negotiation basics');
    await f.getByLabel('Your name (facilitator)').fill('Robin');
    // The workshop runs on the facilitator's own worksheet: the default one, with Frame's
    // "why this matters" in their words and one activity fewer.
    await f.getByLabel('Make it our own').check();
    await f.getByRole('heading', { name: 'Your worksheet' }).waitFor();
    await f.getByRole('button', { name: 'Edit Frame' }).click();
    const frame = f.locator('.ws-section', { has: f.locator('.ws-section__title', { hasText: /^2\. Frame/ }) });
    await frame.getByLabel(/Why this matters/).fill(OWN_WHY);
    await f.getByRole('button', { name: 'Edit Activities' }).click();
    const activities = f.locator('.ws-section', { has: f.locator('.ws-section__title', { hasText: /^4\. Activities/ }) });
    const before = await activities.locator('.ws-question').count();
    await activities.getByRole('button', { name: 'Remove “Spanking with a hand”' }).click();
    await expect(activities.locator('.ws-question').count()).resolves.toBe(before - 1);
    await f.getByRole('button', { name: 'Create the workshop' }).click();
    await f.waitForURL(/\/w\/[A-Za-z0-9_-]+$/);
    const workshopId = new URL(f.url()).pathname.split('/')[2]!;
    const joinCode = ((await f.locator('.join-panel .join-code').textContent()) ?? '').trim();
    const token = await f.evaluate((id) => localStorage.getItem(`parley:workshop:${id}`), workshopId);
    workshop = { workshopId, joinCode, facilitator: { token: token! }, joinUrl: '', dashboardUrl: '' };

    for (let i = 0; i < 3; i++) pairs.push(await workshopPair(server.url, joinCode, [names[2 * i]!, names[2 * i + 1]!]));
    // Ben, Dan, Eve and Fay are connected clients; Ann and Cleo open their rooms on phones.
    for (const [i, p] of pairs.entries()) {
      if (i > 0) clients.push(await connectControl(server.url, p.roomId, p.a.token));
      clients.push(await connectControl(server.url, p.roomId, p.b.token));
    }
    // Every pair's room is on that worksheet.
    for (const p of pairs) {
      const template = (await http(server.url, 'GET', `/api/rooms/${p.roomId}/template`, { token: p.a.token })).body as Template;
      expect(template.id.startsWith('w-')).toBe(true);
      expect(template.sections.find((sec) => sec.id === 'frame')?.why).toBe(OWN_WHY);
      expect(JSON.stringify(template)).not.toContain('Spanking with a hand');
    }
    await openRoom(ann, `${server.url}/r/${pairs[0]!.roomId}#t=${pairs[0]!.a.token}`);
    await openRoom(cleo, `${server.url}/r/${pairs[1]!.roomId}#t=${pairs[1]!.a.token}`);
    // A retried join leaves a stray pair nobody opens; Hal waits alone, connected.
    await joinWorkshop(server.url, joinCode, 'Gus');
    const lone = await joinWorkshop(server.url, joinCode, 'Hal');
    hal = await connectControl(server.url, lone.roomId, lone.participant.token);

    await row('Ann').filter({ hasText: 'Ben' }).locator('.dot--on').nth(1).waitFor();
    await row('Hal').locator('.dot--on').waitFor();
    await f.getByText('Arrival & pace: 0 of 3 pairs revealed').waitFor();
    // Five rows (three pairs, the stray, Hal) and not one pixel of sideways scrolling at 1280 px.
    await expect(f.locator('.pairs__row').count()).resolves.toBe(5);
    const widths = await f.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth, table: document.querySelector('.pairs__table')!.getBoundingClientRect().right }));
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    expect(widths.table).toBeLessThanOrEqual(widths.view);
    // Sections are numbered as the rooms number them: Debrief is 11 in both.
    await expect(f.locator('.pairs__section-col').last().textContent()).resolves.toContain('11');
    await expect(f.locator('.overview__item[data-section="debrief"] .overview__num').textContent()).resolves.toBe('11');
    await expect(f.locator('.overview__item[data-section="agreement"] .overview__num').textContent()).resolves.toBe('10');
    await ann.page.locator('.section-nav__item', { hasText: 'Debrief' }).locator('.section-nav__num').filter({ hasText: '11' }).waitFor({ state: 'attached' });
    await shots(f, 'dashboard-3-pairs-1280');
  });

  it('WD2 raised hands come first and can be filtered; a re-locked section cannot be marked ready where it was not revealed, while the pair that revealed it keeps it', async () => {
    const f = facilitator.page;
    const [benControl, , , eve, fay] = clients;
    expect(await benControl!.send('workshop:hand', { raised: true })).toEqual({ ok: true });
    await f.locator('.pairs__row').first().locator('.hand', { hasText: 'Hand raised' }).waitFor();
    await f.getByRole('button', { name: 'Raised hands (1)' }).click();
    await expect(f.locator('.pairs__row').count()).resolves.toBe(1);
    await f.getByText('Showing 1 of 5').waitFor();
    await f.getByRole('button', { name: 'Raised hands (1)' }).click();
    await f.getByRole('button', { name: 'Waiting for a partner (2)' }).click();
    await expect(f.locator('.pairs__row').count()).resolves.toBe(2);
    await f.getByRole('button', { name: 'Waiting for a partner (2)' }).click();

    await f.getByRole('button', { name: 'Unlock Arrival & pace' }).click();
    await ann.page.getByRole('button', { name: 'Mark this section ready' }).waitFor();
    // pair three reveals Arrival while it is open
    for (const c of [eve!, fay!]) expect(await c.send('section:ready', { sectionId: 'arrival', ready: true })).toEqual({ ok: true });
    await f.getByText('Arrival & pace: 1 of 3 pairs revealed').waitFor();

    await f.getByRole('button', { name: 'Lock again: Arrival & pace' }).click();
    await f.getByRole('button', { name: 'Unlock Arrival & pace' }).waitFor();
    // Ann's room shows it locked again; the server refuses Ben's mark
    await ann.page.getByRole('heading', { name: 'Not open yet' }).waitFor();
    await expect(ann.page.getByRole('button', { name: 'Mark this section ready' }).count()).resolves.toBe(0);
    expect(await benControl!.send('section:ready', { sectionId: 'arrival', ready: true })).toMatchObject({ ok: false, error: { reason: 'section_locked' } });
    // pair three keeps its reveal
    await row('Eve').locator('.cell--revealed').first().waitFor();
    await f.getByText('Arrival & pace: 1 of 3 pairs revealed').waitFor();
    await shots(ann.page, 'room-relocked-phone');
  });

  it('WD3 a message to one pair shows in that pair’s room only, and is still there after a reload', async () => {
    const f = facilitator.page;
    await f.getByRole('button', { name: 'Message to Ann & Ben' }).click();
    const dialog = f.getByRole('dialog', { name: 'Message to Ann & Ben only' });
    await dialog.getByLabel('Message').fill('Ann and Ben: take a five-minute break.');
    await shots(f, 'dashboard-message-pair', false);
    await dialog.getByRole('button', { name: 'Send to this pair' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const personal = () => ann.page.locator('.workshop-bar__message', { hasText: 'From the facilitator, to you two' }).filter({ hasText: 'take a five-minute break' });
    await personal().waitFor();
    // It is kept: after a reload Ann still reads it.
    await ann.page.reload();
    await personal().waitFor();
    // Barrier: a message to all, sent after it, reaches Cleo; the personal one never did.
    await f.getByLabel('Message', { exact: true }).fill('All pairs: read Frame next.');
    await f.getByRole('button', { name: 'Send to all pairs' }).click();
    await cleo.page.locator('.workshop-bar__message', { hasText: 'All pairs: read Frame next.' }).waitFor();
    await expect(cleo.page.getByText('take a five-minute break').count()).resolves.toBe(0);
    expect(cleo.frames.some((fr) => fr.includes('five-minute break'))).toBe(false);
    // the newer message to all replaces the personal one in Ann's bar
    await ann.page.locator('.workshop-bar__message', { hasText: 'All pairs: read Frame next.' }).waitFor();
  });

  it('WD4 the projector view shows the join code, the timer, the prompt and the section in play — and no names', async () => {
    const f = facilitator.page;
    await f.getByRole('button', { name: 'Unlock Frame' }).click();
    await f.getByRole('group', { name: 'Start a timer' }).getByRole('button', { name: '5 min', exact: true }).click();
    await f.locator('.timer-big', { hasText: /Time left: (5:00|4:5\d)/ }).waitFor();
    const [projector] = await Promise.all([f.context().waitForEvent('page'), f.getByRole('link', { name: 'Open the projector view' }).click()]);
    await projector.setViewportSize({ width: 1280, height: 800 });
    await projector.locator('.projector__code', { hasText: workshop.joinCode }).waitFor();
    await projector.getByText('Section 2: Frame').waitFor();
    await projector.locator('.projector__timer', { hasText: /Time left: (5:00|4:5\d)/ }).waitFor();
    await projector.locator('.projector__message', { hasText: 'All pairs: read Frame next.' }).waitFor();
    // the timer runs in the rooms as well
    for (const p of [ann.page, cleo.page]) await p.locator('.workshop-bar__timer', { hasText: /Time left: (5:00|4:5\d)/ }).waitFor();
    const text = (await projector.locator('body').textContent()) ?? '';
    for (const name of [...names, 'Gus', 'Hal', 'Robin']) expect(text).not.toContain(name);
    expect(text).not.toContain('five-minute break');
    // nothing with a name even reached the projector tab: it has its own connection
    const projectorFrames: string[] = [];
    projector.on('websocket', (ws) => ws.on('framereceived', (fr) => projectorFrames.push(String(fr.payload))));
    await projector.reload();
    await projector.getByText('Section 2: Frame').waitFor();
    expect(projectorFrames.some((fr) => fr.includes('workshop:projector'))).toBe(true);
    for (const name of [...names, 'Gus', 'Hal']) expect(projectorFrames.some((fr) => fr.includes(name)), name).toBe(false);
    await shots(projector, 'projector-1280', false);
    await projector.setViewportSize({ width: 360, height: 740 });
    await shots(projector, 'projector-phone');
    await projector.close();
  });

  it('WD5 the stray pair is removed at once; the lone person only after the warning, and their room stays theirs', async () => {
    const f = facilitator.page;
    await f.getByText('Suggest partners for people who arrived alone').waitFor();
    await expect(f.getByText('Nobody is waiting alone.').count()).resolves.toBe(0);
    await f.getByRole('button', { name: 'Remove the pair Gus' }).click();
    await row('Gus').waitFor({ state: 'detached' });
    // one person is still listed alone, and the panel says so (it used to say "Nobody is waiting alone")
    await f.getByText('Only Hal is waiting alone.').waitFor();
    await expect(f.getByText('Nobody is waiting alone.').count()).resolves.toBe(0);

    await f.getByRole('button', { name: 'Remove the pair Hal' }).click();
    const warning = f.getByRole('alertdialog', { name: 'Remove Hal from the workshop?' });
    await warning.getByText('Hal is in this room right now.').waitFor();
    await shots(f, 'dashboard-remove-warning', false);
    await warning.getByRole('button', { name: 'Cancel' }).click();
    await expect(row('Hal').count()).resolves.toBe(1);
    await f.getByRole('button', { name: 'Remove the pair Hal' }).click();
    const removed = hal.next('workshop:removed', () => true, 3000);
    await warning.getByRole('button', { name: 'Remove the pair' }).click();
    await removed;
    await row('Hal').waitFor({ state: 'detached' });
    await f.getByText('Nobody is waiting alone.').waitFor();

    await f.setViewportSize({ width: 360, height: 740 });
    await shots(f, 'dashboard-phone');
    await f.setViewportSize({ width: 1280, height: 800 });
  });

  it('WD6 ending the workshop: the pairs’ rooms say it ended and stay theirs', async () => {
    const f = facilitator.page;
    await f.getByRole('button', { name: 'End workshop' }).click();
    await f.getByRole('button', { name: 'End workshop' }).last().click();
    await f.getByText('This workshop has ended. Every pair kept their room.').waitFor();
    for (const p of [ann.page, cleo.page]) {
      await p.getByText('The workshop has ended; your room is still yours.').waitFor();
      await expect(p.getByRole('button', { name: 'Raise hand' }).count()).resolves.toBe(0);
    }
    await shots(ann.page, 'room-workshop-ended-phone');
    // the room is ordinary now: Ann can mark Arrival ready (no lock any more)
    await ann.page.getByRole('button', { name: 'Mark this section ready' }).waitFor();
    await ann.page.getByRole('button', { name: 'Dismiss' }).click();
    await expect(ann.page.getByText('The workshop has ended').count()).resolves.toBe(0);
    expect((await http(server.url, 'GET', `/api/rooms/${pairs[0]!.roomId}`, { token: pairs[0]!.a.token })).status).toBe(200);
    for (const p of [facilitator, ann, cleo]) {
      expect(p.foreignRequests).toEqual([]);
      expect(p.consoleErrors).toEqual([]);
    }
  });
});
