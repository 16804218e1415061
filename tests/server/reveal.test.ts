import { describe, expect, it } from 'vitest';
import type { RevealedSection } from '@parley/shared/protocol/room-doc';
import { getRoom, http } from '../helpers/api';
import { until } from '../helpers/clients';
import { usePartners, useServer } from '../helpers/fixtures';

const server = useServer();
const both = usePartners(server);

describe('reveal (contract: reveal rules)', () => {
  it('R1 keeps A\'s answers and notes from B until both are ready, then reveals the section on both within a second', async () => {
    const { pair, a, b } = await both();
    a.answer('impact_hand', { giving: 'yes', receiving: 'hard_limit', note: 'CANARY-A-ACT-NOTE' });
    a.answer('impact_paddle', { giving: 'curious', receiving: 'favourite', conditions: ['check_in_first'] });
    a.answer('arrival_feeling', { text: 'CANARY-A-ARRIVAL' });
    a.note('activities', 'CANARY-A-PRIVATE-NOTE');
    await a.private.stored();

    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: true })).toEqual({ ok: true });
    await until(() => b.section('activities')?.ready.a === true, 2000, 'B sees A is ready');
    b.answer('impact_hand', { giving: 'yes', receiving: 'not_now' });
    await b.private.stored();
    await b.caughtUp();
    const view = await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.b.token });
    b.recorder.add(view.text);
    for (const canary of ['CANARY-A-ACT-NOTE', 'CANARY-A-ARRIVAL', 'CANARY-A-PRIVATE-NOTE', 'check_in_first', 'hard_limit', 'favourite']) {
      expect(b.recorder.contains(canary), canary).toBe(false);
    }
    expect(b.revealed('activities')).toBeUndefined();

    const revealedOnA = a.control.next('section:revealed');
    const revealedOnB = b.control.next('section:revealed');
    const started = Date.now();
    expect(await b.control.send('section:ready', { sectionId: 'activities', ready: true })).toEqual({ ok: true });
    expect(await revealedOnA).toEqual({ sectionId: 'activities', round: 1 });
    expect(await revealedOnB).toEqual({ sectionId: 'activities', round: 1 });
    await until(() => a.revealed('activities') !== undefined && b.revealed('activities') !== undefined, 1000, 'revealed docs');
    expect(Date.now() - started).toBeLessThan(1000);

    const shown = b.revealed('activities') as RevealedSection;
    expect(shown.round).toBe(1);
    expect(shown.a.impact_hand).toMatchObject({ giving: 'yes', receiving: 'hard_limit', note: 'CANARY-A-ACT-NOTE' });
    expect(shown.b.impact_hand).toMatchObject({ giving: 'yes', receiving: 'not_now' });
    expect(b.section('activities')).toMatchObject({ state: 'revealed', round: 1, ready: { a: true, b: true } });
    // Only that section: other sections' answers and private notes never travel.
    await b.caughtUp();
    expect(b.recorder.contains('CANARY-A-ARRIVAL')).toBe(false);
    expect(b.recorder.contains('CANARY-A-PRIVATE-NOTE')).toBe(false);
    const history = b.room.doc.getArray('history').toArray() as { type: string }[];
    expect(history.map((h) => h.type)).toEqual(['ready', 'ready', 'revealed']);
  });

  it('R2 allows un-marking before the reveal: nothing is revealed', async () => {
    const { a, b } = await both();
    a.answer('arrival_feeling', { text: 'CANARY-UNREADY' });
    await a.control.send('section:ready', { sectionId: 'arrival', ready: true });
    await a.control.send('section:ready', { sectionId: 'arrival', ready: false });
    await b.control.send('section:ready', { sectionId: 'arrival', ready: true });
    await a.private.stored();
    await b.caughtUp();
    expect(b.section('arrival')).toMatchObject({ state: 'open', ready: { a: false, b: true } });
    expect(b.revealed('arrival')).toBeUndefined();
    expect(b.recorder.contains('CANARY-UNREADY')).toBe(false);
  });

  it('R3 mirrors a change after the reveal within 250 ms and marks it changed (consent stays active)', async () => {
    const { a, b } = await both();
    a.answer('impact_hand', { giving: 'yes' });
    b.answer('impact_hand', { receiving: 'yes' });
    await Promise.all([a.private.stored(), b.private.stored()]);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await until(() => b.revealed('activities')?.a.impact_hand !== undefined, 1000);
    const changedAt = Date.now();
    a.answer('impact_hand', { giving: 'not_now', note: 'not this week' });
    await until(() => (b.revealed('activities')?.a.impact_hand as { giving?: string }).giving === 'not_now', 1000, 'mirrored');
    expect(Date.now() - changedAt).toBeLessThan(250 + 100);
    expect(b.revealed('activities')?.changed.impact_hand).toMatchObject({ seat: 'a' });
    // An item of an unrevealed section still never travels.
    a.answer('arrival_feeling', { text: 'CANARY-STILL-HIDDEN' });
    // Barrier: a change of a revealed item after the canary, whose mirror pass would carry the canary too.
    a.answer('impact_hand', { giving: 'not_now', note: 'mirrored after the canary' });
    await until(() => (b.revealed('activities')?.a.impact_hand as { note?: string }).note === 'mirrored after the canary', 1000, 'the later mirror');
    await b.caughtUp();
    expect(b.recorder.contains('CANARY-STILL-HIDDEN')).toBe(false);
  });

  it('R4 reopens a revealed section for a new round and keeps the old round in history', async () => {
    const { pair, a, b } = await both();
    a.answer('safety_safeword', { text: 'red' });
    b.answer('safety_safeword', { text: 'pineapple' });
    await Promise.all([a.private.stored(), b.private.stored()]);
    await a.control.send('section:ready', { sectionId: 'safety', ready: true });
    await b.control.send('section:ready', { sectionId: 'safety', ready: true });
    await until(() => b.revealed('safety') !== undefined, 1000);
    expect(await a.control.send('section:reopen', { sectionId: 'safety' })).toEqual({ ok: true });
    await until(() => b.section('safety')?.round === 2, 1000);
    expect(b.section('safety')).toMatchObject({ state: 'open', round: 2, ready: { a: false, b: false } });
    expect(b.revealed('safety')).toBeUndefined();
    const reopened = (b.room.doc.getArray('history').toArray() as { type: string; round?: number; revealed?: RevealedSection }[]).find((h) => h.type === 'reopened');
    expect(reopened?.round).toBe(2);
    expect(reopened?.revealed?.b.safety_safeword).toMatchObject({ text: 'pineapple' });
    // Answers stay in each private doc for editing.
    expect((a.private.doc.getMap('answers').get('safety_safeword') as { text: string }).text).toBe('red');
    expect((await getRoom(server.url, pair.roomId, pair.a.token)).sections.find((s) => s.id === 'safety')).toMatchObject({ state: 'open', round: 2 });
    expect(await a.control.send('section:reopen', { sectionId: 'safety' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('R5 reveals exactly once when both mark ready at the same moment (50 races)', async () => {
    const { pair, a, b } = await both();
    const sections = ['arrival', 'frame', 'experience', 'activities', 'curious', 'limits', 'safety', 'emotional', 'aftercare', 'debrief'];
    let revealEvents = 0;
    a.control.socket.on('section:revealed', () => revealEvents++);
    for (let round = 0; round < 5; round++) {
      for (const sectionId of sections) {
        const [x, y] = await Promise.all([
          a.control.send('section:ready', { sectionId, ready: true }),
          b.control.send('section:ready', { sectionId, ready: true }),
        ]);
        expect(x.ok && y.ok).toBe(true);
      }
      const view = await getRoom(server.url, pair.roomId, pair.a.token);
      expect(view.sections.filter((s) => sections.includes(s.id)).every((s) => s.state === 'revealed' && s.round === round + 1)).toBe(true);
      for (const sectionId of sections) await a.control.send('section:reopen', { sectionId });
    }
    await a.caughtUp();
    expect(revealEvents).toBe(50);
  });
});

describe('discreet reveal', () => {
  it('R6 shows shared directions in full, each person’s hard limits as theirs, and counts the rest', async () => {
    const { a, b } = await both({ revealMode: 'discreet' });
    a.answer('impact_hand', { giving: 'yes', receiving: 'yes', note: 'mutual note' });
    b.answer('impact_hand', { giving: 'favourite', receiving: 'yes' });
    a.answer('impact_paddle', { giving: 'yes', note: 'CANARY-ONE-SIDED' });
    b.answer('impact_paddle', { receiving: 'not_now' });
    a.answer('impact_flogger', { giving: 'hard_limit' });
    b.answer('impact_flogger', { receiving: 'yes', note: 'CANARY-LIMIT-PARTNER' });
    await Promise.all([a.private.stored(), b.private.stored()]);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await until(() => b.revealed('activities') !== undefined, 1000);
    const shown = b.revealed('activities') as RevealedSection;
    expect(shown.a.impact_hand).toEqual({ giving: 'yes', receiving: 'yes', note: 'mutual note' });
    expect(shown.a.impact_paddle).toBeUndefined();
    expect(shown.b.impact_paddle).toBeUndefined();
    expect(shown.a.impact_flogger).toEqual({ giving: 'hard_limit' });
    expect(shown.b.impact_flogger).toBeUndefined();
    expect(shown.notShared).toBe(60);
    expect(b.recorder.contains('CANARY-ONE-SIDED')).toBe(false);
    expect(a.recorder.contains('CANARY-LIMIT-PARTNER')).toBe(false);

    // A move towards no is mirrored at once, and not attributed.
    b.answer('impact_hand', { giving: 'not_now', receiving: 'yes' });
    await until(() => b.revealed('activities')?.a.impact_hand?.receiving === undefined, 1000);
    expect(b.revealed('activities')?.a.impact_hand).toEqual({ giving: 'yes' });
    expect(b.revealed('activities')?.changed.impact_hand).toMatchObject({ seat: null });
  });
});

describe('pause, agreement, review date (contract: socket.io control channel)', () => {
  it('R7 pauses for both with a note; ready is refused while paused; only the one who paused resumes, the other can ask', async () => {
    const { pair, a, b } = await both();
    const seen = b.control.next('room:paused');
    expect(await a.control.send('room:pause', { paused: true, note: 'need some water' })).toEqual({ ok: true });
    expect(await seen).toEqual({ paused: true, by: 'a', note: 'need some water' });
    expect((await getRoom(server.url, pair.roomId, pair.b.token)).paused).toBe(true);
    expect(b.room.doc.getMap('meta').get('paused')).toMatchObject({ by: 'a', note: 'need some water' });
    expect(await b.control.send('section:ready', { sectionId: 'frame', ready: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // the partner cannot lift A's pause, nor take it over by pausing again and then resuming
    expect(await b.control.send('room:pause', { paused: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await b.control.send('room:pause', { paused: true, note: 'mine now' })).toEqual({ ok: true });
    expect(await b.control.send('room:pause', { paused: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(b.room.doc.getMap('meta').get('paused')).toMatchObject({ by: 'a', note: 'need some water' });
    expect((await getRoom(server.url, pair.roomId, pair.a.token)).paused).toBe(true);
    // B asks; A sees the request (live and in the room doc), and A resumes
    const asked = a.control.next('room:resume-requested');
    expect(await b.control.send('room:resume-request', {})).toEqual({ ok: true });
    expect(await asked).toMatchObject({ by: 'b' });
    await until(() => typeof (a.room.doc.getMap('meta').get('paused') as { resumeAskedAt?: number } | null)?.resumeAskedAt === 'number', 1000, 'request in the room doc');
    expect(await a.control.send('room:resume-request', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const resumed = b.control.next('room:paused');
    expect(await a.control.send('room:pause', { paused: false })).toEqual({ ok: true });
    expect(await resumed).toEqual({ paused: false, by: 'a', note: null });
    expect((await getRoom(server.url, pair.roomId, pair.b.token)).paused).toBe(false);
    expect(await b.control.send('room:resume-request', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('R8 confirms the agreement by hash; a change makes the confirmation stale; exports only revealed content', async () => {
    const { pair, a, b } = await both();
    a.answer('impact_hand', { giving: 'yes' });
    b.answer('impact_hand', { receiving: 'favourite' });
    a.answer('aftercare_next_day', { text: 'CANARY-UNREVEALED-AFTERCARE' });
    await Promise.all([a.private.stored(), b.private.stored()]);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await until(() => b.revealed('activities') !== undefined, 1000);
    a.shared.doc.getText('agreementText').insert(0, 'Saturday, 8pm, check in at 9.');
    await a.shared.stored();

    const json = await http<{ hash: string; confirmedBy: string[]; sections: { id: string }[] }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.b.token });
    expect(json.status).toBe(200);
    expect(json.body.sections.map((s) => s.id)).toEqual(['activities']);
    expect(json.text).not.toContain('CANARY-UNREVEALED-AFTERCARE');
    expect(await b.control.send('agreement:confirm', { hash: 'f'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'stale' } });
    expect(await b.control.send('agreement:confirm', { hash: json.body.hash })).toMatchObject({ ok: true });
    expect(await a.control.send('agreement:confirm', { hash: json.body.hash })).toMatchObject({ ok: true });
    const confirmed = await http<{ confirmedBy: string[] }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement`, { token: pair.a.token });
    expect(confirmed.body.confirmedBy).toEqual(['a', 'b']);

    b.shared.doc.getText('agreementText').insert(0, 'Changed: ');
    await b.shared.stored();
    const stale = await http<{ confirmedBy: string[]; hash: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement`, { token: pair.a.token });
    expect(stale.body.confirmedBy).toEqual([]);
    expect(stale.body.hash).not.toBe(json.body.hash);

    const md = await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=md`, { token: pair.a.token });
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toContain('Changed: Saturday, 8pm');
    expect(md.text).not.toContain('CANARY-UNREVEALED-AFTERCARE');
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=pdf`, { token: pair.a.token })).status).toBe(400);
  });

  it('R9 sets a review date, which changes the agreement', async () => {
    const { pair, a, b } = await both();
    const before = await http<{ hash: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement`, { token: pair.a.token });
    expect(await a.control.send('agreement:review-date', { date: '2027-01-15' })).toEqual({ ok: true });
    await until(() => b.room.doc.getMap('meta').get('reviewDate') === '2027-01-15', 1000);
    const after = await http<{ hash: string; reviewDate: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement`, { token: pair.a.token });
    expect(after.body.reviewDate).toBe('2027-01-15');
    expect(after.body.hash).not.toBe(before.body.hash);
    expect(await a.control.send('agreement:review-date', { date: '2027-02-31' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
