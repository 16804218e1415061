import { describe, expect, it } from 'vitest';
import type { RoomView } from '@parley/shared/protocol/http';
import type { PairProgress, RoomWorkshopView, WorkshopState } from '@parley/shared/protocol/workshop';
import { IDLE_AFTER_MS, isEmptyPair, isIdle, isWaiting, projectorView, sectionInPlay, sectionOverview } from '@parley/shared/workshop/pace';
import { http } from '../helpers/api';
import { connectControl, until, type ControlClient } from '../helpers/clients';
import { closeAfterEach, useServer, useWorkshops } from '../helpers/fixtures';
import { joinAs } from '../helpers/partner';
import { joinWorkshop, workshopPair } from '../helpers/workshop';

/**
 * Pacing that can be undone (issue 14): re-locking a section, a message to one pair, taking a
 * stray pair out of the workshop, and the dashboard's readings (overview, idle, section in play).
 */
const server = useServer();
const closeLater = closeAfterEach();
const workshops = useWorkshops(server);

const pairOf = (state: WorkshopState | undefined, roomId: string) => state?.pairs.find((p) => p.roomId === roomId);
const sectionOf = (state: WorkshopState | undefined, roomId: string, sectionId: string) => pairOf(state, roomId)?.sections.find((s) => s.id === sectionId);
const named = (c: ControlClient, name: string) => c.events.filter((e) => e.name === name).map((e) => e.payload);

describe('pacing that can be undone', () => {
  it('WP1 a re-locked section cannot be marked ready by pairs that have not revealed it; a pair that revealed it keeps it; unlocking again lets them on', async () => {
    const { workshop, facilitator } = await workshops({ lockSections: true });
    const done = await workshopPair(server.url, workshop.joinCode, ['Ada', 'Bo']);
    const slow = await workshopPair(server.url, workshop.joinCode, ['Cy', 'Di']);
    const [doneA, doneB, slowA, slowB] = await Promise.all(
      [done.a, done.b, slow.a, slow.b].map((who, i) => connectControl(server.url, i < 2 ? done.roomId : slow.roomId, who.token)),
    ).then((cs) => cs.map((c) => closeLater(c)));

    expect(await facilitator.send('workshop:unlock', { sectionId: 'frame' })).toEqual({ ok: true });
    await until(() => named(slowB!, 'workshop:unlocked').length === 1, 1000, 'unlocked');
    expect(await doneA!.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    expect(await doneB!.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    expect(await slowA!.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    await facilitator.until((s) => sectionOf(s, done.roomId, 'frame')?.state === 'revealed' && sectionOf(s, slow.roomId, 'frame')?.progress === 'partly_ready', 2000, 'one revealed, one partly ready');

    expect(await facilitator.send('workshop:relock', { sectionId: 'frame' })).toEqual({ ok: true });
    // every pair is told the new list (the room shows the section as locked again)
    await until(() => [doneA!, slowA!, slowB!].every((c) => named(c, 'workshop:unlocked').length === 2), 1000, 'relock told');
    expect(named(slowB!, 'workshop:unlocked').at(-1)).toEqual({ sectionIds: [] });
    // the server refuses the mark that would reveal; taking one's own mark back stays allowed
    expect(await slowB!.send('section:ready', { sectionId: 'frame', ready: true })).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'section_locked' } });
    expect(await slowA!.send('section:ready', { sectionId: 'frame', ready: false })).toEqual({ ok: true });
    // the pair that revealed it keeps the reveal
    const view = await http<RoomView>(server.url, 'GET', `/api/rooms/${done.roomId}`, { token: done.a.token });
    expect(view.body.sections.find((s) => s.id === 'frame')).toMatchObject({ state: 'revealed', round: 1 });
    const relocked = await facilitator.until((s) => !s.unlocked.includes('frame') && sectionOf(s, done.roomId, 'frame')?.state === 'revealed' && sectionOf(s, slow.roomId, 'frame')?.progress === 'open', 1000, 'relocked state');
    expect(relocked.state.unlocked).toEqual([]);
    const roomView = await http<{ workshop: { unlocked: string[] } }>(server.url, 'GET', `/api/rooms/${slow.roomId}/workshop`, { token: slow.b.token });
    expect(roomView.body.workshop.unlocked).toEqual([]);

    expect(await facilitator.send('workshop:unlock', { sectionId: 'frame' })).toEqual({ ok: true });
    await until(() => named(slowB!, 'workshop:unlocked').length === 3, 1000, 'unlocked again');
    expect(await slowA!.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    expect(await slowB!.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    await facilitator.until((s) => sectionOf(s, slow.roomId, 'frame')?.state === 'revealed', 2000, 'revealed after unlocking again');

    // re-locking a section that is not unlocked changes nothing; an unknown one is a bad request
    expect(await facilitator.send('workshop:relock', { sectionId: 'safety' })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:relock', { sectionId: 'Not a slug!' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('WP2 re-locking needs a workshop that locks sections', async () => {
    const { facilitator } = await workshops({ lockSections: false });
    expect(await facilitator.send('workshop:relock', { sectionId: 'frame' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('WP3 a message to one pair reaches both of its partners and no other pair, and is still there after a reload', async () => {
    const { workshop, facilitator } = await workshops();
    const pairs = [];
    for (let i = 0; i < 3; i++) pairs.push(await workshopPair(server.url, workshop.joinCode, [`A${i}`, `B${i}`]));
    const [target, ...others] = pairs as [(typeof pairs)[number], ...(typeof pairs)[number][]];
    const targetA = closeLater(await connectControl(server.url, target.roomId, target.a.token));
    const targetB = closeLater(await connectControl(server.url, target.roomId, target.b.token));
    const rest = await Promise.all(others.map(async (p) => closeLater(await connectControl(server.url, p.roomId, p.a.token))));

    expect(await facilitator.send('workshop:message-pair', { roomId: target.roomId, message: '  Just for you two: take a break.  ' })).toEqual({ ok: true });
    await until(() => [targetA, targetB].every((c) => named(c, 'workshop:message').length === 1), 1000, 'both partners got it');
    for (const c of [targetA, targetB]) expect(named(c, 'workshop:message')[0]).toMatchObject({ message: 'Just for you two: take a break.', toPair: true });
    // Barrier: a message to all arrives after the personal one would have; then check it never came.
    expect(await facilitator.send('workshop:broadcast', { message: 'Everyone: five more minutes.' })).toEqual({ ok: true });
    await until(() => rest.every((c) => named(c, 'workshop:message').length > 0), 1000, 'broadcast reached the others');
    for (const c of rest) {
      expect(named(c, 'workshop:message')).toEqual([{ message: 'Everyone: five more minutes.', at: expect.any(Number) }]);
      expect(c.recorder.contains('Just for you two')).toBe(false);
    }
    // The personal message is not the workshop's last message: the dashboard and reloads show the one to all.
    const state = await facilitator.until((s) => s.message?.message === 'Everyone: five more minutes.', 1000, 'last message');
    expect(JSON.stringify(state.state)).not.toContain('Just for you two');
    // A partner who reloads (or was offline when it came) still reads it; no other pair does.
    const reloaded = await http<{ workshop: RoomWorkshopView }>(server.url, 'GET', `/api/rooms/${target.roomId}/workshop`, { token: target.b.token });
    expect(reloaded.body.workshop.pairMessage).toEqual({ message: 'Just for you two: take a break.', at: expect.any(Number) });
    for (const p of others) {
      const view = await http<{ workshop: RoomWorkshopView }>(server.url, 'GET', `/api/rooms/${p.roomId}/workshop`, { token: p.a.token });
      expect(view.body.workshop.pairMessage).toBeNull();
      expect(JSON.stringify(view.body)).not.toContain('Just for you two');
    }

    const other = await workshops();
    expect(await other.facilitator.send('workshop:message-pair', { roomId: target.roomId, message: 'not mine' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await facilitator.send('workshop:message-pair', { roomId: target.roomId, message: '' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await facilitator.send('workshop:message-pair', { roomId: 'x', message: 'hi' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('WP4 a stray pair left by a retried join is removed at once; a pair with someone in it only when confirmed, and its room stays theirs', async () => {
    const { workshop, facilitator } = await workshops({ lockSections: true });
    // A retried join: the first response never reached the browser, so nobody ever opens that room.
    const stray = await joinWorkshop(server.url, workshop.joinCode, 'Eve');
    const eve = await joinWorkshop(server.url, workshop.joinCode, 'Eve');
    const eveControl = closeLater(await connectControl(server.url, eve.roomId, eve.participant.token));
    const full = await workshopPair(server.url, workshop.joinCode, ['Fay', 'Gus']);
    const seen = await facilitator.until((s) => s.pairs.length === 3 && pairOf(s, eve.roomId)?.online.a === true && pairOf(s, full.roomId)?.names.b === 'Gus', 2000, 'three pairs, Eve online, Fay with Gus');
    expect(isEmptyPair(pairOf(seen.state, stray.roomId)!)).toBe(true);
    expect(isEmptyPair(pairOf(seen.state, eve.roomId)!)).toBe(false);
    expect(isEmptyPair(pairOf(seen.state, full.roomId)!)).toBe(false);

    expect(await facilitator.send('workshop:remove-pair', { roomId: stray.roomId })).toEqual({ ok: true });
    await facilitator.until((s) => s.pairs.length === 2 && !pairOf(s, stray.roomId), 1000, 'stray gone');

    // someone is in it (online, or two people): a warning first, i.e. a refusal until confirmed
    for (const roomId of [eve.roomId, full.roomId]) {
      expect(await facilitator.send('workshop:remove-pair', { roomId })).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'pair_occupied' } });
    }
    expect(pairOf(facilitator.latest(), eve.roomId)).toBeDefined();
    const removed = eveControl.next('workshop:removed', () => true, 1000);
    expect(await facilitator.send('workshop:remove-pair', { roomId: eve.roomId, confirmed: true })).toEqual({ ok: true });
    await removed;
    await facilitator.until((s) => s.pairs.length === 1, 1000, 'Eve removed');
    // Eve's room is still hers: an ordinary room, no longer locked or paced
    expect((await http(server.url, 'GET', `/api/rooms/${eve.roomId}`, { token: eve.participant.token })).status).toBe(200);
    expect((await http(server.url, 'GET', `/api/rooms/${eve.roomId}/workshop`, { token: eve.participant.token })).body).toEqual({ workshop: null });
    expect((await http(server.url, 'GET', `/api/rooms/${stray.roomId}`, { token: stray.participant.token })).status).toBe(200);
    // and the facilitator cannot reach it any more
    expect(await facilitator.send('workshop:message-pair', { roomId: eve.roomId, message: 'still there?' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await facilitator.send('workshop:remove-pair', { roomId: eve.roomId, confirmed: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('WP5 removing someone who is confirming a partner clears the proposal and tells the other person', async () => {
    const { workshop, facilitator } = await workshops();
    const first = await joinWorkshop(server.url, workshop.joinCode, 'Hal');
    const second = await joinWorkshop(server.url, workshop.joinCode, 'Ida', first.pairCode);
    const hal = closeLater(await connectControl(server.url, first.roomId, first.participant.token));
    await facilitator.until((s) => pairOf(s, first.roomId)?.confirmingWith === second.roomId, 1000, 'confirming');
    expect(await facilitator.send('workshop:remove-pair', { roomId: second.roomId })).toMatchObject({ ok: false, error: { reason: 'pair_occupied' } });
    const told = hal.next('workshop:pairing', () => true, 1000);
    expect(await facilitator.send('workshop:remove-pair', { roomId: second.roomId, confirmed: true })).toEqual({ ok: true });
    await told;
    const view = await http<{ workshop: { pairing: unknown } }>(server.url, 'GET', `/api/rooms/${first.roomId}/workshop`, { token: first.participant.token });
    expect(view.body.workshop.pairing).toBeNull();
    await facilitator.until((s) => s.pairs.length === 1 && pairOf(s, first.roomId)?.confirmingWith === null, 1000, 'Hal waits alone again');
  });

  it('WP6 a pair’s activity moves with what the facilitator sees (joining, a new section), never with typing an answer', async () => {
    const { workshop, facilitator } = await workshops();
    const pair = await workshopPair(server.url, workshop.joinCode, ['Jo', 'Kim']);
    const jo = closeLater(await joinAs(server, pair.roomId, pair.a));
    const before = Date.now();
    expect(await jo.control.send('presence:update', { focus: 'frame' })).toEqual({ ok: true });
    const moved = await facilitator.until((s) => pairOf(s, pair.roomId)?.focus.a === 'frame', 1000, 'focus');
    const activeAt = pairOf(moved.state, pair.roomId)!.activeAt;
    expect(activeAt).toBeGreaterThanOrEqual(before);

    jo.answer('frame_roles', { choice: 'exploring' });
    jo.note('frame', 'typing a private note');
    await jo.private.stored();
    // Barrier: a raised hand publishes a new state after the typing.
    expect(await jo.control.send('workshop:hand', { raised: true })).toEqual({ ok: true });
    const after = await facilitator.until((s) => pairOf(s, pair.roomId)?.hand === true, 1000, 'hand');
    expect(pairOf(after.state, pair.roomId)!.activeAt).toBe(activeAt);
  });
});

describe('dashboard readings (pure)', () => {
  const pair = (over: Partial<PairProgress>): PairProgress => ({
    roomId: 'r',
    names: { a: 'A', b: 'B' },
    confirmingWith: null,
    online: { a: true, b: true },
    focus: { a: null, b: null },
    sections: [],
    hand: false,
    practice: false,
    createdAt: 0,
    activeAt: 0,
    ...over,
  });
  const sectionList = [
    { id: 'arrival', title: 'Arrival & pace', kind: 'questions' },
    { id: 'frame', title: 'Frame', kind: 'questions' },
    { id: 'agreement', title: 'Agreement', kind: 'agreement' },
    { id: 'debrief', title: 'Debrief', kind: 'debrief' },
  ];
  const state = (pairs: PairProgress[], over: Partial<WorkshopState> = {}): WorkshopState => ({
    workshopId: 'w',
    title: 'T',
    facilitatorName: 'F',
    joinCode: 'ABCDEF',
    joinUrl: 'http://x/j/ABCDEF',
    template: { id: 'default', version: 1 },
    sectionList,
    lockSections: false,
    unlocked: [],
    timerEndsAt: null,
    message: null,
    ended: false,
    pairs,
    ...over,
  });
  const frame = (progress: 'open' | 'partly_ready' | 'revealed') => [{ id: 'frame', state: progress === 'revealed' ? ('revealed' as const) : ('open' as const), round: 1, progress }];

  it('WP7 the overview counts complete pairs per section as revealed, talking or not started, numbered as the rooms number them', () => {
    const pairs = [
      pair({ sections: frame('revealed') }),
      pair({ sections: frame('revealed') }),
      pair({ sections: frame('partly_ready') }),
      pair({ sections: frame('open'), focus: { a: null, b: 'frame' } }),
      pair({ sections: frame('open') }),
      pair({ names: { a: 'Alone', b: null }, sections: frame('open'), focus: { a: 'frame', b: null } }),
      pair({ practice: true, sections: frame('revealed') }),
    ];
    const overview = sectionOverview(state(pairs));
    expect(overview.map((s) => [s.id, s.number])).toEqual([
      ['arrival', 1],
      ['frame', 2],
      ['debrief', 4],
    ]);
    expect(overview.find((s) => s.id === 'frame')).toMatchObject({ pairs: 5, revealed: 2, talking: 2, notStarted: 1 });
  });

  it('WP8 idle, waiting and empty pairs; the section in play and a projector view without names', () => {
    const now = 50 * 60_000;
    expect(isIdle(pair({ activeAt: now - IDLE_AFTER_MS }), now)).toBe(true);
    expect(isIdle(pair({ activeAt: now - IDLE_AFTER_MS + 1 }), now)).toBe(false);
    expect(isWaiting(pair({ names: { a: 'A', b: null } }))).toBe(true);
    expect(isWaiting(pair({ names: { a: 'A', b: null }, practice: true }))).toBe(false);
    expect(isEmptyPair(pair({ names: { a: 'A', b: null }, online: { a: false, b: false } }))).toBe(true);
    expect(isEmptyPair(pair({ names: { a: 'A', b: null }, online: { a: false, b: false }, confirmingWith: 'r2' }))).toBe(false);

    const free = state([pair({ focus: { a: 'frame', b: 'arrival' } }), pair({ focus: { a: 'frame', b: null } })]);
    expect(sectionInPlay(free)).toBe('frame');
    expect(sectionInPlay(state([]))).toBeNull();
    const locked = state([pair({ names: { a: 'Zed', b: 'Yara' }, focus: { a: 'arrival', b: 'arrival' } })], { lockSections: true, unlocked: ['arrival', 'frame'], message: { message: 'Talk it through', at: 1 }, timerEndsAt: 99 });
    const projector = projectorView(locked);
    expect(projector).toEqual({ title: 'T', joinCode: 'ABCDEF', joinUrl: 'http://x/j/ABCDEF', timerEndsAt: 99, message: { message: 'Talk it through', at: 1 }, section: { id: 'frame', number: 2, title: 'Frame' }, ended: false });
    expect(JSON.stringify(projector)).not.toMatch(/Zed|Yara/);
  });
});
