import { describe, expect, it } from 'vitest';
import { defaultTemplate } from '@parley/shared/template/default';
import { http, type Pair } from '../helpers/api';
import { until } from '../helpers/clients';
import { usePartners, useServer } from '../helpers/fixtures';
import type { PartnerSession } from '../helpers/partner';

const server = useServer();
const issuedTokens: string[] = [];
const pairOf = usePartners(server, { onPair: (pair) => issuedTokens.push(pair.a.token, pair.b.token, pair.inviteToken) });

/**
 * A canary answer for every item of the template, unique per item and field. Returns, per
 * section, every canary written and the ones a reveal may show (fields the question asks for).
 */
function fillEverything(a: PartnerSession, tag: string): Map<string, { written: string[]; travels: string[] }> {
  const bySection = new Map<string, { written: string[]; travels: string[] }>();
  for (const section of defaultTemplate.sections) {
    const canaries: string[] = [];
    const written: string[] = [];
    for (const item of section.items) {
      const text = `CANARY-${tag}-${item.id}-TEXT`;
      const note = `CANARY-${tag}-${item.id}-NOTE`;
      // Only fields the question asks for survive a reveal; those are the canaries that could travel.
      if (item.type === 'text') canaries.push(text);
      if (item.note) canaries.push(note);
      written.push(text, note);
      a.answer(item.id, item.type === 'dual_rating' ? { giving: 'yes', receiving: 'favourite', note } : item.type === 'rating' ? { rating: 'yes', note } : { text, note });
    }
    const privateNote = `CANARY-${tag}-${section.id}-PRIVATE`;
    a.note(section.id, privateNote);
    written.push(privateNote);
    bySection.set(section.id, { written, travels: canaries });
  }
  return bySection;
}

async function observeAsB(pair: Pair, b: PartnerSession): Promise<void> {
  for (const path of [`/api/rooms/${pair.roomId}`, `/api/rooms/${pair.roomId}/agreement?format=json`, `/api/rooms/${pair.roomId}/agreement?format=md`]) {
    b.recorder.add((await http(server.url, 'GET', path, { token: pair.b.token })).text);
  }
}

describe('privacy: nothing of an unrevealed section reaches the partner (canaries)', () => {
  it('P1 B receives none of A\'s canaries on any channel until both are ready; then only the revealed section\'s answers, never private notes', async () => {
    const { pair, a, b } = await pairOf();
    const canaries = fillEverything(a, 'P1');
    a.private.provider.awareness.setLocalStateField('typing', 'CANARY-P1-AWARENESS');
    await a.private.stored();
    await a.private.caughtUp(); // the awareness frame went before it on the same connection
    // A marks every section ready, B only looks around: still nothing.
    for (const section of defaultTemplate.sections) expect(await a.control.send('section:ready', { sectionId: section.id, ready: true })).toEqual({ ok: true });
    await b.control.send('presence:update', { focus: 'activities' });
    await observeAsB(pair, b);
    await b.caughtUp();
    const all = [...canaries.values()].flatMap((c) => c.written);
    expect(all.length).toBeGreaterThan(150);
    for (const canary of [...all, 'CANARY-P1-AWARENESS']) expect(b.recorder.contains(canary), canary).toBe(false);

    // B readies one section: exactly that section's answers arrive; every other canary stays away.
    await b.control.send('section:ready', { sectionId: 'safety', ready: true });
    await until(() => b.revealed('safety') !== undefined, 1000);
    await observeAsB(pair, b);
    await b.caughtUp();
    for (const [sectionId, { written, travels }] of canaries) {
      for (const canary of written) {
        const visible = sectionId === 'safety' && travels.includes(canary);
        expect(b.recorder.contains(canary), canary).toBe(visible);
      }
    }
    expect(canaries.get('safety')?.travels.length).toBeGreaterThan(3);
    expect(b.recorder.contains('CANARY-P1-AWARENESS')).toBe(false);
  });

  it('P2 A\'s ready mark costs B the same room-doc bytes whatever A has written (no size side channel)', async () => {
    const sizes: number[] = [];
    for (const heavy of [true, false]) {
      const { a, b } = await pairOf();
      if (heavy) {
        fillEverything(a, 'P2');
        a.answer('arrival_feeling', { text: 'x'.repeat(8000) });
      }
      await a.private.stored();
      await b.room.caughtUp();
      const before = b.room.recorder.bytes;
      await a.control.send('section:ready', { sectionId: 'arrival', ready: true });
      await until(() => b.section('arrival')?.ready.a === true, 1000);
      // Barrier: whatever the ready mark sent B's room doc came before this answer (not counted).
      const barrier = await b.room.caughtUp();
      sizes.push(b.room.recorder.bytes - before - barrier);
    }
    expect(sizes[0]).toBeLessThan(1024);
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThanOrEqual(16);
  });

  it('P3 never writes a token, answer or note into the server log', async () => {
    const { pair, a, b } = await pairOf();
    fillEverything(a, 'P3');
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token });
    await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=md`, { token: pair.b.token });
    const refusals = () => server.logs.filter((line) => line.includes('"statusCode":401')).length;
    const refusedBefore = refusals();
    await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: 'WRONG'.repeat(9) });
    // Barrier: the last request's own log line is written, after everything logged before it.
    await until(() => refusals() > refusedBefore, 2000, 'the refused request logged');
    const log = server.logs.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).toContain(pair.roomId);
    for (const token of issuedTokens) expect(log.includes(token), 'token in log').toBe(false);
    expect(log).not.toContain('CANARY-');
    expect(log).not.toContain('WRONGWRONG');
  });
});
