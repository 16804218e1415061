import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { docName } from '@parley/shared/protocol/ids';
import { EnvelopeKind, newSender, sealEnvelope } from '@parley/shared/sealed/envelope';
import { encodeClientFrame } from '@parley/shared/sealed/frames';
import { decodeLinkSecret, deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import { dismissPrimer, launchChromium, newPartner, seriousA11yViolations, shot, startParley } from './support';
import type { Partner, RunningServer } from './support';

/**
 * Issue 16, phase 6 (core): a sealed room made and used in the web client. Alex (a phone)
 * creates it, Blake (desktop) joins through the invite link; both answer and write shared notes
 * with canaries and see each other's shared notes; Blake's resume link opens Blake's answer in
 * a third browser. The server's SQLite files and logs hold none of the canaries, nor the names
 * or the title, in UTF-8 or UTF-16.
 */

const CANARY = {
  title: 'ZCTITLE-4471',
  alexName: 'Alexzc',
  blakeName: 'Blakezc',
  alexAnswer: 'ZCANSWER-ALEX-3307',
  blakeAnswer: 'ZCANSWER-BLAKE-8812',
  alexShared: 'ZCSHARED-ALEX-5590',
  blakeShared: 'ZCSHARED-BLAKE-2264',
};

let server: RunningServer;
let browser: Browser;
let alex: Partner;
let blake: Partner;
let inviteUrl = '';
let blakeResume = '';

async function expectAccessible(page: Page, label: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const question = (page: Page, itemId: string) => page.locator(`.question[data-item="${itemId}"]`).first();

async function openRoomMenu(page: Page) {
  const menu = page.getByRole('button', { name: 'Room', exact: true });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
}

/** Every byte of the server's data directory (the SQLite file, its WAL and journal). */
function storedBytes(): Buffer {
  const files = fs.readdirSync(server.dataDir).map((name) => path.join(server.dataDir, name));
  return Buffer.concat(files.filter((file) => fs.statSync(file).isFile()).map((file) => fs.readFileSync(file)));
}

describe('sealed room in the web client (real Chromium, two partners)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startParley({}, { sealedRooms: true });
    browser = await launchChromium();
    alex = await newPartner(browser, server.url, { phone: true });
    blake = await newPartner(browser, server.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('ZC1: Alex creates a sealed room; the links carry #s= secrets; the room says it is sealed and keeps shared notes closed until the partner joins', async () => {
    const { page } = alex;
    await page.goto(server.url);
    await page.getByLabel('Your name').fill(CANARY.alexName);
    await page.getByLabel('A title for this room (optional)').fill(CANARY.title);
    // the choice says what the sealed room does not have yet; standard is the default for now
    await expect(page.getByRole('radio', { name: /^Standard/ }).isChecked()).resolves.toBe(true);
    await page.getByText('Not there yet in a sealed room', { exact: false }).waitFor();
    await page.getByRole('radio', { name: /^Sealed/ }).check();
    await page.getByRole('radio', { name: /^Sealed/ }).scrollIntoViewIfNeeded();
    await shot(page, 'sealed-create-form-phone', false);
    await expectAccessible(page, 'create form, sealed chosen');
    await page.getByRole('button', { name: 'Create the room' }).click();
    await page.getByRole('heading', { name: 'Your room is ready' }).waitFor();

    inviteUrl = await page.getByLabel('Invite link').inputValue();
    expect(inviteUrl).toMatch(/\/join\/[A-Za-z0-9_-]+#s=[A-Za-z0-9_-]{43}$/);
    const resume = await page.getByLabel('Your resume link').inputValue();
    expect(resume).toMatch(/\/r\/[A-Za-z0-9_-]+#s=[A-Za-z0-9_-]{43}$/);
    expect(new URL(resume).hash).not.toBe(new URL(inviteUrl).hash);
    // the title was sealed by this browser and opened again from what the server returned
    await expect(page.locator('.page__subtitle').textContent()).resolves.toBe(CANARY.title);

    await page.getByRole('button', { name: 'Enter the room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    const primer = page.getByRole('dialog', { name: 'Before you begin' });
    await primer.getByText('Sealed room: the server cannot read your answers', { exact: false }).waitFor();
    await dismissPrimer(page);
    await expect(page.locator('.room-header__title').textContent()).resolves.toBe(CANARY.title);
    await page.getByTestId('shared-notes-waiting').getByText('Shared notes open once your partner has joined.').waitFor();
    await expectAccessible(page, 'sealed room before the partner joined');
  });

  it('ZC2: Blake joins through the invite (names opened in the browser); both answer and write shared notes, and each sees the other’s', async () => {
    const b = blake.page;
    await b.goto(inviteUrl);
    await b.getByTestId('invited-by').getByText(`${CANARY.alexName} invites you to “${CANARY.title}”`).waitFor();
    expect(b.url()).not.toContain('#');
    await b.getByLabel('Your name').fill(CANARY.blakeName);
    await b.getByRole('button', { name: 'Join the room' }).click();
    await b.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await dismissPrimer(b);
    await b.locator('.section-header__title', { hasText: 'Arrival & pace' }).waitFor();

    const a = alex.page;
    // Alex's room learns of Blake, checks Blake's key and opens the shared notes
    await a.locator('#shared-notes').waitFor();
    await a.getByTestId('partner-presence').filter({ hasText: CANARY.blakeName }).waitFor();
    await b.getByTestId('partner-presence').filter({ hasText: CANARY.alexName }).waitFor();
    // where the partner is comes through sealed awareness: the server's presence names no section
    await a.getByTestId('partner-presence').filter({ hasText: `${CANARY.blakeName}: online · on Arrival & pace` }).waitFor();
    for (const p of [alex, blake]) expect(p.frames.filter((f) => f.includes('"focus":"'))).toEqual([]);

    await question(a, 'arrival_feeling').locator('textarea').fill(CANARY.alexAnswer);
    await question(a, 'arrival_feeling').locator('textarea').blur();
    await question(b, 'arrival_feeling').locator('textarea').fill(CANARY.blakeAnswer);
    await question(b, 'arrival_feeling').locator('textarea').blur();

    await a.locator('#shared-notes').click();
    await a.locator('#shared-notes').pressSequentially(`${CANARY.alexShared} `);
    await expect.poll(() => b.locator('#shared-notes').inputValue(), { timeout: 10_000 }).toContain(CANARY.alexShared);
    await b.locator('#shared-notes').click();
    await b.locator('#shared-notes').press('End');
    await b.locator('#shared-notes').pressSequentially(CANARY.blakeShared);
    await expect.poll(() => a.locator('#shared-notes').inputValue(), { timeout: 10_000 }).toContain(CANARY.blakeShared);
    await expect(a.getByTestId('unreadable').count()).resolves.toBe(0);
    await a.locator('#shared-notes').scrollIntoViewIfNeeded();
    await shot(a, 'sealed-room-phone', false);
    await expectAccessible(a, 'sealed room');

    // nothing of Blake's answer reached Alex's browser, sealed or not
    expect(alex.frames.some((f) => f.includes(CANARY.blakeAnswer))).toBe(false);
  });

  it('ZC3: Blake’s resume link (#s=…&i=…) opens Blake’s own answer in a third browser', async () => {
    const b = blake.page;
    await openRoomMenu(b);
    await b.getByRole('button', { name: 'My resume link' }).click();
    blakeResume = await b.getByRole('dialog').getByRole('textbox', { name: 'Your resume link' }).inputValue();
    expect(blakeResume).toMatch(/\/r\/[A-Za-z0-9_-]+#s=[A-Za-z0-9_-]{43}&i=[A-Za-z0-9_-]{43}$/);
    expect(blakeResume).toContain(new URL(inviteUrl).hash.replace('#s=', '&i='));
    await b.keyboard.press('Escape');
    await b.getByRole('dialog').waitFor({ state: 'hidden' });

    const other = await newPartner(browser, server.url);
    try {
      await other.page.goto(blakeResume);
      await other.page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
      await dismissPrimer(other.page);
      await expect.poll(() => question(other.page, 'arrival_feeling').locator('textarea').inputValue(), { timeout: 10_000 }).toBe(CANARY.blakeAnswer);
      await expect.poll(() => other.page.locator('#shared-notes').inputValue(), { timeout: 10_000 }).toContain(CANARY.alexShared);
      await other.page.getByTestId('partner-presence').filter({ hasText: CANARY.alexName }).waitFor();
    } finally {
      await other.context.close();
    }
  });

  it('ZC4: the server’s SQLite files and logs hold none of the canaries, names or title (UTF-8 and UTF-16LE)', async () => {
    const bytes = storedBytes();
    const logs = server.logs.join('\n');
    expect(bytes.length).toBeGreaterThan(0);
    expect(logs.length).toBeGreaterThan(0);
    for (const [what, canary] of Object.entries(CANARY)) {
      expect(bytes.includes(Buffer.from(canary, 'utf8')), `${what} in the SQLite files (UTF-8)`).toBe(false);
      expect(bytes.includes(Buffer.from(canary, 'utf16le')), `${what} in the SQLite files (UTF-16LE)`).toBe(false);
      expect(logs.includes(canary), `${what} in the logs`).toBe(false);
    }
    // and the browsers ran clean: no CSP violation or uncaught error, nothing sent elsewhere
    for (const p of [alex, blake]) {
      expect(p.consoleErrors).toEqual([]);
      expect(p.foreignRequests).toEqual([]);
    }
    // the link secrets never left the browsers either
    for (const secret of [new URL(inviteUrl).hash.slice(3), ...new URL(blakeResume).hash.slice(1).split('&').map((p) => p.slice(2))]) {
      expect(bytes.includes(Buffer.from(secret)), 'a link secret in the SQLite files').toBe(false);
      expect(logs.includes(secret), 'a link secret in the logs').toBe(false);
    }
  });

  it('ZC5: an entry Alex cannot open shows “A message from your partner could not be read.” once, and the next good one clears it; the room keeps working', async () => {
    // Blake's seat, as a raw client: the token is what Blake's resume link derives
    const roomId = new URL(blakeResume).pathname.split('/').pop() ?? '';
    const secret = decodeLinkSecret(new URLSearchParams(new URL(blakeResume).hash.slice(1)).get('s'));
    if (!secret.ok) throw new Error(secret.reason);
    const { authToken } = await deriveSeatKeys(secret.secret);
    const context = docName.shared(roomId);
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sealed/${context}?token=${authToken}`, { origin: server.url });
    try {
      await new Promise<void>((resolve, reject) => ws.on('open', () => resolve()).on('error', reject));
      ws.send(encodeClientFrame({ type: 'hello', position: 0 }));
      const sender = newSender();
      const otherKey = (await deriveSeatKeys(generateLinkSecret())).privateDoc;
      for (const seq of [1, 2]) {
        const sealed = await sealEnvelope(otherKey, { kind: EnvelopeKind.update, sender, seq, context }, new Uint8Array([0, 0]));
        if (!sealed.ok) throw new Error(sealed.reason);
        ws.send(encodeClientFrame({ type: 'append', envelope: sealed.envelope }));
      }
      const a = alex.page;
      await a.getByTestId('unreadable').getByText('A message from your partner could not be read.').waitFor();
      await expectAccessible(a, 'could not be read');
      // two unreadable entries, one sentence
      await expect(a.getByTestId('unreadable').count()).resolves.toBe(1);
      // Blake's next edit opens: the sentence goes, and the text Alex had is intact
      await blake.page.locator('#shared-notes').click();
      await blake.page.locator('#shared-notes').press('End');
      await blake.page.locator('#shared-notes').pressSequentially(' ok');
      await expect.poll(() => a.locator('#shared-notes').inputValue(), { timeout: 10_000 }).toMatch(/ ok$/);
      await a.getByTestId('unreadable').waitFor({ state: 'detached' });
      await expect(a.locator('#shared-notes').inputValue()).resolves.toContain(CANARY.alexShared);
    } finally {
      ws.terminate();
    }
  });
});
