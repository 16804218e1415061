import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createPair } from '../helpers/api';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { fieldsOf, makeCanaries, scanDir, scanHeapSnapshot, scanProcessMemory, scanText, type Hit } from '../helpers/canary';
import { spawnNode, type NodeProcess } from '../helpers/processes';
import { recordPageTraffic, type PageTraffic } from '../helpers/sent-frames';
import { dismissPrimer, goToSection, launchChromium, newPartner, shot } from './support';
import type { Partner } from './support';

/**
 * Issue 16's proof, in the web client: two partners in real Chromium go through a whole sealed
 * negotiation with canaries in answers, private notes, shared notes, an item note, agreement
 * text, names and title: fill in both sides, ready and reveal in full mode, change an answer
 * after the reveal, confirm the agreement, reopen a round, and a second room in discreet mode.
 * Each partner sees the other's revealed canaries. Then no canary, in UTF-8, UTF-16 or base64,
 * is in the server process's V8 heap snapshot or its memory, its SQLite files, its logs, or in
 * any frame or request body the two browsers sent. The server runs in its own process
 * (`server/src/server.ts`, SEALED_ROOMS on by default) so its heap holds only what it received.
 * The scanners themselves are proven on a standard room, where they do find canaries
 * (`security/sealed-proof › CY1`); the two-node run on Postgres and Redis is `CY3`.
 */

const C = makeCanaries([
  'title',
  'alexName',
  'blakeName',
  'alexAnswer',
  'blakeAnswer',
  'alexPrivate',
  'blakePrivate',
  'alexShared',
  'blakeShared',
  'alexChanged',
  'agreementText',
  'discreetNote',
  'discreetTitle',
]);
/**
 * The control: a standard room's answer on the same server, its partner connected till the end,
 * which the scans must find (so they cannot pass by seeing nothing).
 */
const CONTROL = makeCanaries(['control']);
const ALL = { ...C, ...CONTROL };
const NAMES = { alex: C.alexName.slice(0, 30), blake: C.blakeName.slice(0, 30) };

let node: NodeProcess;
let control: PartnerSession;
let browser: Browser;
const partners: { p: Partner; traffic: PageTraffic }[] = [];

const question = (page: Page, itemId: string) => page.locator(`.question[data-item="${itemId}"]`).first();
const row = (page: Page, itemId: string) => page.locator(`.reveal-row[data-item="${itemId}"]`);
const show = (hits: readonly Hit[]): string => hits.map((h) => `${h.field} ${h.form} in ${h.where} @${h.offset}: …${h.around}…`).join('\n');

async function partner(phone: boolean): Promise<Page> {
  const p = await newPartner(browser, node.url, { phone });
  const traffic = await recordPageTraffic(p.page);
  partners.push({ p, traffic });
  return p.page;
}

/** Creates a sealed room in the create form and answers with its invite link; the creator is in the room. */
async function createSealed(page: Page, opts: { name: string; title: string; discreet?: boolean }): Promise<string> {
  await page.goto(node.url);
  await page.getByLabel('Your name').fill(opts.name);
  await page.getByLabel('A title for this room (optional)').fill(opts.title);
  if (opts.discreet) await page.getByRole('radio', { name: /^Discreet/ }).check();
  await page.getByRole('radio', { name: /^Sealed/ }).check();
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('heading', { name: 'Your room is ready' }).waitFor();
  const invite = await page.getByLabel('Invite link').inputValue();
  expect(invite).toMatch(/#s=/);
  await page.getByRole('button', { name: 'Enter the room' }).click();
  await dismissPrimer(page);
  return invite;
}

async function join(page: Page, invite: string, name: string): Promise<void> {
  await page.goto(invite);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the room' }).click();
  await dismissPrimer(page);
  await page.locator('.section-header__title').first().waitFor();
}

async function rate(page: Page, itemId: string, direction: 'Giving' | 'Receiving', rating: string) {
  await question(page, itemId).getByRole('group', { name: direction }).getByRole('radio', { name: rating, exact: true }).check();
}

describe('a whole sealed negotiation in the web client leaves no canary with the server (issue 16 proof)', { timeout: 240_000 }, () => {
  let alex: Page;
  let blake: Page;

  beforeAll(async () => {
    node = await spawnNode({}, undefined, { heapSnapshots: true });
    const pair = await createPair(node.url);
    control = await joinAs({ url: node.url, wsUrl: node.wsUrl }, pair.roomId, pair.a);
    control.answer('arrival_feeling', { text: CONTROL.control });
    await control.private.stored();
    browser = await launchChromium();
    alex = await partner(true);
    blake = await partner(false);
  }, 90_000);

  afterAll(async () => {
    control?.close();
    for (const { traffic } of partners) await traffic.stop().catch(() => undefined);
    await browser?.close();
    await node?.kill('SIGTERM');
  });

  it('ZP1: full mode: both fill in, ready and reveal; each sees the other’s answer, nothing of the other’s private note', async () => {
    const invite = await createSealed(alex, { name: NAMES.alex, title: C.title });
    await join(blake, invite, NAMES.blake);
    await alex.locator('#shared-notes').waitFor();
    await expect(alex.locator('.room-header__title').textContent()).resolves.toBe(C.title);

    await question(alex, 'arrival_feeling').locator('textarea').fill(C.alexAnswer);
    await question(blake, 'arrival_feeling').locator('textarea').fill(C.blakeAnswer);
    await alex.getByLabel('Private notes for Arrival & pace').fill(C.alexPrivate);
    await blake.getByLabel('Private notes for Arrival & pace').fill(C.blakePrivate);
    await alex.locator('#shared-notes').fill(C.alexShared);
    await expect.poll(() => blake.locator('#shared-notes').inputValue(), { timeout: 10_000 }).toContain(C.alexShared);
    await blake.locator('#shared-notes').fill(`${C.alexShared} ${C.blakeShared}`);
    await expect.poll(() => alex.locator('#shared-notes').inputValue(), { timeout: 10_000 }).toContain(C.blakeShared);
    await alex.locator('body').click();

    await alex.getByRole('button', { name: 'Mark this section ready' }).click();
    await alex.getByRole('button', { name: 'I’m not ready after all' }).waitFor();
    // ready, but not revealed: nothing of Alex's answer is on Blake's screen
    await expect(blake.content()).resolves.not.toContain(C.alexAnswer);
    await blake.getByRole('button', { name: 'Mark this section ready' }).click();
    await row(blake, 'arrival_feeling').filter({ hasText: C.alexAnswer }).waitFor();
    await row(alex, 'arrival_feeling').filter({ hasText: C.blakeAnswer }).waitFor();
    for (const [page, other] of [[alex, C.blakePrivate], [blake, C.alexPrivate]] as const) await expect(page.content()).resolves.not.toContain(other);
    await expect(alex.getByTestId('sealed-unreadable').count()).resolves.toBe(0);
    await shot(blake, 'sealed-journey-reveal-desktop', false);
  });

  it('ZP2: a change after the reveal reaches the partner; both confirm the agreement with its shared text; a new round starts', async () => {
    await alex.locator('.edit-after > summary').click();
    await question(alex, 'arrival_feeling').locator('textarea').fill(C.alexChanged);
    await question(alex, 'arrival_feeling').locator('textarea').blur();
    await row(blake, 'arrival_feeling').filter({ hasText: C.alexChanged }).waitFor({ timeout: 10_000 });

    await goToSection(alex, 'Agreement');
    await goToSection(blake, 'Agreement');
    await alex.locator('#agreement-text').fill(C.agreementText);
    await expect.poll(() => blake.locator('#agreement-text').inputValue(), { timeout: 10_000 }).toBe(C.agreementText);
    await alex.getByRole('button', { name: 'I confirm this agreement' }).click();
    await blake.locator('.confirmation[data-seat="partner"][data-state="current"]').waitFor();
    await blake.getByRole('button', { name: 'I confirm this agreement' }).click();
    await alex.locator('.confirmation[data-seat="partner"][data-state="current"]').waitFor();
    await blake.locator('.confirmation[data-seat="me"][data-state="current"]').waitFor();
    await shot(alex, 'sealed-journey-agreement-phone', false);

    await goToSection(alex, 'Arrival & pace');
    await goToSection(blake, 'Arrival & pace');
    await blake.getByRole('button', { name: 'Start a new round' }).click();
    const ask = blake.getByRole('dialog', { name: 'Start a new round of Arrival & pace?' });
    await ask.getByRole('button', { name: 'Start the new round' }).click();
    await alex.locator('.section-header__kicker', { hasText: 'Round 2' }).waitFor();
    await blake.getByRole('button', { name: 'Mark this section ready' }).waitFor();
    await expect(question(alex, 'arrival_feeling').locator('textarea').inputValue()).resolves.toBe(C.alexChanged);
  });

  it('ZP3: discreet mode: a Dominant/submissive pair sees the matching direction; the item note stays with its writer', async () => {
    const dom = await partner(false);
    const sub = await partner(true);
    const invite = await createSealed(dom, { name: 'Dana', title: C.discreetTitle, discreet: true });
    await join(sub, invite, 'Sid');
    await dom.locator('#shared-notes').waitFor();
    for (const page of [dom, sub]) await goToSection(page, 'Activities');
    // Dana gives, Sid receives: a match in that direction, a hard limit the other way
    await rate(dom, 'impact_hand', 'Giving', 'Yes');
    await rate(dom, 'impact_hand', 'Receiving', 'Hard limit');
    await rate(sub, 'impact_hand', 'Giving', 'Hard limit');
    await rate(sub, 'impact_hand', 'Receiving', 'Yes');
    const details = question(dom, 'impact_hand').locator('details');
    await details.locator('summary').click();
    await details.getByLabel('A short note').fill(C.discreetNote);
    await details.getByLabel('A short note').blur();
    await dom.getByRole('button', { name: 'Mark this section ready' }).click();
    await dom.getByRole('button', { name: 'I’m not ready after all' }).waitFor();
    await sub.getByRole('button', { name: 'Mark this section ready' }).click();
    for (const page of [dom, sub]) await row(page, 'impact_hand').first().waitFor({ timeout: 15_000 });
    await expect(row(sub, 'impact_hand').first().textContent()).resolves.toMatch(/match/i);
    await expect(sub.content()).resolves.not.toContain(C.discreetNote);
    await shot(sub, 'sealed-journey-discreet-phone', false);
  });

  it('ZP4: none of the canaries is in the server’s heap snapshot or memory, its SQLite files, its logs, or anything the browsers sent; the standard room’s control is', async () => {
    const snapshot = await node.heapSnapshot();
    const heap = scanHeapSnapshot(snapshot, ALL);
    expect(fieldsOf(heap), show(heap)).toEqual(['control']);
    const memory = scanProcessMemory(node.child.pid ?? 0, ALL);
    expect(fieldsOf(memory.hits), show(memory.hits)).toEqual(['control']);
    const files = scanDir(node.dataDir, ALL);
    expect(fieldsOf(files), show(files)).toEqual(['control']);
    const logs = scanText(node.output.join(''), C);
    expect(node.output.join('').length).toBeGreaterThan(0);
    expect(logs, show(logs)).toEqual([]);
    for (const { p, traffic } of partners) {
      await traffic.settled();
      expect(traffic.recorder.items.length).toBeGreaterThan(0);
      const sent = traffic.recorder.scan(C);
      expect(sent, show(sent)).toEqual([]);
      expect(p.consoleErrors).toEqual([]);
      expect(p.foreignRequests).toEqual([]);
    }
  });
});
