import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createPair, type Pair } from '../helpers/api';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { until } from '../helpers/clients';
import { dismissPrimer, goToSection, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * Issue 15, scene mode in two real browsers: a phone (Alex) sends red during a scene, the
 * desktop partner's (Blake's) screen fills with it until acknowledged, and Alex reads that
 * Blake saw it. Before Safety & signals is revealed the words are generic (Alex's unrevealed
 * safeword is a canary that must never reach Blake); after it, the agreed ones.
 */

let server: RunningServer;
let browser: Browser;
let alex: Partner;
let blake: Partner;
let pair: Pair;
const helpers: PartnerSession[] = [];

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Light and dark shots of the page as it is (its own viewport), axe in both. */
async function shootBoth(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectAccessible(page, `${name} ${scheme}`);
    await shot(page, `${name}-${scheme}`, false);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openRoom(page: Page, who: { token: string }) {
  await page.goto(`${server.url}/r/${pair.roomId}#t=${who.token}`);
  await dismissPrimer(page);
}

describe('scene mode (real Chromium, phone and desktop)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
    pair = await createPair(server.url);
    // Alex's own answers, written as Alex's other device would: not revealed, so never Blake's to see.
    const wsUrl = server.url.replace(/^http/, 'ws');
    const alexDevice = await joinAs({ url: server.url, wsUrl }, pair.roomId, pair.a);
    helpers.push(alexDevice);
    alexDevice.answer('safety_safeword', { text: 'CANARY-SE-SAFEWORD' });
    alexDevice.answer('safety_backup', { text: 'CANARY-SE-BACKUP' });
    await alexDevice.private.stored();
    alex = await newPartner(browser, server.url, { phone: true });
    blake = await newPartner(browser, server.url);
    await blake.page.setViewportSize({ width: 1280, height: 800 });
    await openRoom(alex.page, pair.a);
    await openRoom(blake.page, pair.b);
  }, 60_000);

  afterAll(async () => {
    for (const h of helpers) h.close();
    await browser?.close();
    await server?.close();
  });

  it('SE1 the phone sends red during a scene, the desktop partner\'s screen shows it until acknowledged, the phone reads that it was seen', async () => {
    const a = alex.page;
    const b = blake.page;
    await a.getByRole('button', { name: 'Start scene mode' }).click();
    await a.getByRole('dialog', { name: 'Start scene mode?' }).getByRole('button', { name: 'Start scene mode' }).click();
    // The other sees it at once.
    await b.getByRole('heading', { name: 'Scene mode' }).waitFor();
    await a.getByRole('heading', { name: 'Scene mode' }).waitFor();
    await expect(a.getByText('These are the standard traffic-light words.').isVisible()).resolves.toBe(true);
    await shootBoth(a, 'scene-phone');
    await shootBoth(b, 'scene-desktop');

    await a.getByRole('button', { name: /^Red/ }).click();
    const red = b.getByRole('alertdialog', { name: 'Alex signalled RED — stop now' });
    await red.waitFor();
    await expect(red.textContent()).resolves.toContain('Stop what you are doing.');
    await expect(a.getByTestId('scene-status').textContent()).resolves.toMatch(/Red sent — waiting for Blake|Sending/);
    await shootBoth(b, 'scene-red-desktop');
    await b.setViewportSize({ width: 360, height: 740 });
    await shootBoth(b, 'scene-red-phone');
    await b.setViewportSize({ width: 1280, height: 800 });

    await red.getByRole('button', { name: 'I see it — stopping' }).click();
    await red.waitFor({ state: 'hidden' });
    await a.getByTestId('scene-status').filter({ hasText: 'Blake saw your red.' }).waitFor();
    await shootBoth(a, 'scene-seen-phone');
    // Nothing of Alex's unrevealed Safety & signals answers reached Blake's browser.
    expect((await b.content()).includes('CANARY-SE')).toBe(false);
    expect(blake.frames.some((f) => f.includes('CANARY-SE'))).toBe(false);
  });

  it('SE2 once Safety & signals is revealed the agreed words show; a signal nobody acknowledges tells the sender to use their backup', async () => {
    const wsUrl = server.url.replace(/^http/, 'ws');
    const [alexDevice] = helpers;
    const blakeDevice = await joinAs({ url: server.url, wsUrl }, pair.roomId, pair.b);
    helpers.push(blakeDevice);
    alexDevice!.answer('safety_safeword', { text: 'Pineapple' });
    alexDevice!.answer('safety_backup', { text: 'call me on the phone' });
    blakeDevice.answer('safety_after_safeword', { text: 'untie, blanket, sit together' });
    await Promise.all([alexDevice!.private.stored(), blakeDevice.private.stored()]);
    await alexDevice!.control.send('section:ready', { sectionId: 'safety', ready: true });
    await blakeDevice.control.send('section:ready', { sectionId: 'safety', ready: true });
    await until(() => blakeDevice.revealed('safety') !== undefined, 3000, 'safety revealed');

    const a = alex.page;
    const b = blake.page;
    await a.getByText('Your safeword: Pineapple').waitFor();
    await a.getByRole('button', { name: /^Red/ }).click();
    const red = b.getByRole('alertdialog', { name: 'Alex signalled RED — stop now' });
    await red.waitFor();
    await expect(red.textContent()).resolves.toContain('Alex’s safeword: Pineapple');
    await expect(red.textContent()).resolves.toContain('Blake: untie, blanket, sit together');
    await red.getByRole('button', { name: 'I see it — stopping' }).click();
    await a.getByTestId('scene-status').filter({ hasText: 'Blake saw your red.' }).waitFor();

    // Blake's screen is busy elsewhere: a yellow goes unacknowledged for 10 s.
    await a.getByRole('button', { name: /^Yellow/ }).click();
    await b.getByTestId('scene-banner').waitFor();
    await a.getByRole('alert').filter({ hasText: 'Not seen — use your backup. Your backup: call me on the phone' }).waitFor({ timeout: 15_000 });
    await b.getByTestId('scene-banner').getByRole('button', { name: 'Seen' }).click();
    await a.getByTestId('scene-status').filter({ hasText: 'Blake saw your yellow.' }).waitFor();
  });

  it('SE3 ending the scene shows the aftercare and a calendar file with a title and a time only; the next visit asks how they are now; the Debrief log can be deleted', async () => {
    const a = alex.page;
    const b = blake.page;
    expect(await helpers[0]!.control.send('agreement:review-date', { date: '2027-01-15' })).toEqual({ ok: true });
    await b.getByRole('button', { name: 'End scene' }).click();
    await a.getByRole('heading', { name: 'The scene has ended' }).waitFor();
    await b.getByRole('heading', { name: 'The scene has ended' }).waitFor();
    await shootBoth(a, 'scene-ended-phone');

    const download = a.waitForEvent('download');
    await a.getByRole('button', { name: /Next-day check-in/ }).click();
    const file = await (await download).path();
    const ics = fs.readFileSync(file, 'utf8');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('SUMMARY:Check in with each other after the scene');
    expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    for (const secret of [pair.a.token, pair.b.token, pair.roomId, 'http', 'Pineapple', 'CANARY', 'Alex', 'Blake']) expect(ics).not.toContain(secret);
    expect(ics.split('\r\n').filter(Boolean).map((l) => l.split(/[:;]/)[0])).toEqual(['BEGIN', 'VERSION', 'PRODID', 'BEGIN', 'UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'END', 'END']);
    const reviewDownload = a.waitForEvent('download');
    await a.getByRole('button', { name: /Review date/ }).click();
    const review = fs.readFileSync(await (await reviewDownload).path(), 'utf8');
    expect(review).toContain('DTSTART;VALUE=DATE:20270115');
    expect(review).toContain('SUMMARY:Look at our agreement again');
    for (const secret of [pair.a.token, pair.b.token, pair.roomId, 'http', 'Pineapple', 'Alex', 'Blake']) expect(review).not.toContain(secret);

    await a.getByRole('button', { name: 'Back to the room' }).click();
    await a.reload();
    const now = a.getByRole('region', { name: 'How are you now?' }).or(a.locator('section.scene-now'));
    await now.waitFor();
    await now.getByRole('button', { name: 'Green' }).click();
    await a.getByText('Thank you. It is in the Debrief’s log.').waitFor();

    await b.getByRole('button', { name: 'Back to the room' }).click();
    await goToSection(b, 'Debrief');
    const log = b.getByTestId('scene-log');
    await until(async () => (await log.locator('li').count()) === 4, 5000, 'four entries in Blake\'s log');
    await expect(log.textContent()).resolves.toContain('how are you now');
    await shootBoth(b, 'scene-log-desktop');
    await b.getByRole('button', { name: 'Delete the log' }).click();
    await b.getByRole('alertdialog', { name: 'Delete the log' }).getByRole('button', { name: 'Delete it' }).click();
    await b.getByText('The scene log was deleted.').waitFor();
    // Gone for Alex too: no log, no scene to ask about.
    await goToSection(a, 'Debrief');
    await a.getByTestId('scene-log').waitFor({ state: 'detached' });
    await a.reload();
    await a.getByRole('heading', { name: 'Debrief' }).waitFor();
    await expect(a.getByText('How are you now?').count()).resolves.toBe(0);
  });

  it('SE4 at the check-in cadence a gentle "how are you?" takes one tap; when the partner\'s connection drops past the agreed wait both the plan and how long it has been show', async () => {
    const a = alex.page;
    const b = blake.page;
    await b.getByRole('button', { name: 'Start scene mode' }).click();
    await b.getByRole('dialog', { name: 'Start scene mode?' }).getByRole('button', { name: 'Start scene mode' }).click();
    await a.getByRole('heading', { name: 'Scene mode' }).waitFor();
    // Mocked time on Alex's page only (timers keep running): 21 minutes in, the 20-minute check-in is due.
    await a.clock.setFixedTime(Date.now() + 21 * 60_000);
    const prompt = a.getByRole('region', { name: 'How are you?' });
    await prompt.waitFor();
    await shootBoth(a, 'scene-checkin-phone');
    await prompt.getByRole('button', { name: 'Yellow' }).click();
    await prompt.waitFor({ state: 'detached' });
    const banner = b.getByTestId('scene-banner');
    await banner.filter({ hasText: 'Alex checked in: Yellow' }).waitFor();
    await banner.getByRole('button', { name: 'Seen' }).click();

    await a.clock.setFixedTime(Date.now());
    // the screen's clock has ticked back to now (its line says so)
    await a.getByText('Started by Blake, just now.').waitFor();
    // Blake's browser goes away (the tab closes: the server sees the socket go at once), and
    // the other device Blake had open too.
    helpers[1]?.close();
    await b.close();
    await a.getByText(/Blake: away/).waitFor();
    await expect(a.getByText('The connection dropped').count()).resolves.toBe(0);
    await a.clock.setFixedTime(Date.now() + 3 * 60_000);
    const drop = a.getByRole('region', { name: 'The connection dropped' }).or(a.locator('section.scene__drop'));
    await drop.waitFor();
    await expect(drop.textContent()).resolves.toMatch(/Blake has been offline for 3 min \d+ s\./);
    await expect(drop.textContent()).resolves.toContain('Stop, and reconnect to check in.');
    await shootBoth(a, 'scene-drop-phone');
    // Blake is back: the plan goes.
    const back = await blake.context.newPage();
    await back.goto(`${server.url}/r/${pair.roomId}`);
    await back.getByRole('heading', { name: 'Scene mode' }).waitFor();
    await drop.waitFor({ state: 'detached', timeout: 15_000 });
  });
});
