import { describe, expect, it } from 'vitest';
import type { RoomView } from '@parley/shared/protocol/http';
import { docName } from '@parley/shared/protocol/ids';
import type { RoomWorkshopView, WorkshopState } from '@parley/shared/protocol/workshop';
import { http } from '../helpers/api';
import { connectControl, until } from '../helpers/clients';
import { closeAfterEach, useServer, useWorkshops } from '../helpers/fixtures';
import { joinAs } from '../helpers/partner';
import { connectFacilitator, createWorkshop, joinWorkshop, workshopPair } from '../helpers/workshop';

const server = useServer();
const closeLater = closeAfterEach();
const workshops = useWorkshops(server);

const pairOf = (state: WorkshopState | undefined, roomId: string) => state?.pairs.find((p) => p.roomId === roomId);
const sectionOf = (state: WorkshopState | undefined, roomId: string, sectionId: string) => pairOf(state, roomId)?.sections.find((s) => s.id === sectionId);

const facilitatorFor = (lockSections = false) => workshops({ lockSections });

describe('workshops: create, join by code, dashboard', () => {
  it('W1 creates a workshop with a 6-character join code and a secret dashboard link; the API needs the facilitator token', async () => {
    const workshop = await createWorkshop(server.url);
    expect(workshop.joinCode).toMatch(/^[ABCDEFGHJKMNPQRSTWXYZ2-9]{6}$/);
    expect(workshop.joinUrl).toBe(`${server.url}/j/${workshop.joinCode}`);
    expect(workshop.dashboardUrl).toBe(`${server.url}/w/${workshop.workshopId}#f=${workshop.facilitator.token}`);

    const pair = await workshopPair(server.url, workshop.joinCode.toLowerCase(), ['Ada', 'Bo']);
    expect(pair.pairCode).toMatch(/^[ABCDEFGHJKMNPQRSTWXYZ2-9]{4}$/);
    const view = await http<RoomView>(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.b.token });
    expect(view.body).toMatchObject({ me: { displayName: 'Bo', seat: 'b' }, partner: { displayName: 'Ada', seat: 'a' } });

    const state = await http<WorkshopState>(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, { token: workshop.facilitator.token });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ title: 'Negotiation basics', joinCode: workshop.joinCode, unlocked: [] });
    expect(pairOf(state.body, pair.roomId)).toMatchObject({ names: { a: 'Ada', b: 'Bo' }, online: { a: false, b: false }, hand: false });
    expect(pairOf(state.body, pair.roomId)?.sections[0]).toEqual({ id: 'arrival', state: 'open', round: 1, progress: 'open' });
    expect(state.text).not.toContain(pair.pairCode);

    for (const token of [undefined, 'x'.repeat(43), pair.a.token]) {
      const denied = await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, token ? { token } : {});
      expect(denied.status).toBe(401);
    }
    // a third person with the same pair code: the pair is full
    const third = await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: workshop.joinCode, displayName: 'Cy', pairCode: pair.pairCode } });
    expect(third.status).toBe(409);
    const wrong = await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: 'ZZZZZZ', displayName: 'Cy' } });
    expect(wrong.status).toBe(404);
    const bad = await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: 'O0I1L!', displayName: 'Cy' } });
    expect(bad.status).toBe(400);
  });

  it('W2 ten pairs with real providers: ready marks, reveals and presence reach the facilitator within a second', async () => {
    const { workshop, facilitator } = await facilitatorFor();
    const pairs = [];
    for (let i = 0; i < 10; i++) pairs.push(await workshopPair(server.url, workshop.joinCode, [`A${i}`, `B${i}`]));
    const joined = await Promise.all(pairs.map(async (p) => ({ pair: p, a: await joinAs(server, p.roomId, p.a), b: await joinAs(server, p.roomId, p.b) })));
    for (const j of joined) {
      closeLater(j.a);
      closeLater(j.b);
    }
    await facilitator.until((s) => s.pairs.length === 10 && s.pairs.every((p) => p.online.a && p.online.b), 3000, 'all online');

    const latencies: number[] = [];
    for (const { pair, a, b } of joined) {
      const sent = Date.now();
      expect(await a.control.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
      const seen = await facilitator.until((s) => sectionOf(s, pair.roomId, 'frame')?.progress === 'partly_ready', 1000, 'ready a');
      latencies.push(seen.at - sent);
      const revealSent = Date.now();
      await b.control.send('section:ready', { sectionId: 'frame', ready: true });
      const revealed = await facilitator.until((s) => sectionOf(s, pair.roomId, 'frame')?.state === 'revealed', 1000, 'revealed');
      latencies.push(revealed.at - revealSent);
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);

    // presence: a partner leaving shows as offline, with where the other one is
    const first = joined[0]!;
    await first.a.control.send('presence:update', { focus: 'safety' });
    await facilitator.until((s) => pairOf(s, first.pair.roomId)?.focus.a === 'safety', 1000, 'focus');
    const left = Date.now();
    first.b.close();
    const offline = await facilitator.until((s) => pairOf(s, first.pair.roomId)?.online.b === false, 1000, 'offline');
    expect(offline.at - left).toBeLessThan(1000);
  });

  it('W3 unlock, timer and broadcast reach every pair; with lockSections a locked section cannot be marked ready', async () => {
    const { workshop, facilitator } = await facilitatorFor(true);
    const pairs = [];
    for (let i = 0; i < 10; i++) pairs.push(await workshopPair(server.url, workshop.joinCode, [`A${i}`, `B${i}`]));
    const controls = await Promise.all(pairs.map((p) => connectControl(server.url, p.roomId, p.b.token)));

    const locked = await controls[0]!.send('section:ready', { sectionId: 'frame', ready: true });
    expect(locked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const roomView = await http<{ workshop: RoomWorkshopView }>(server.url, 'GET', `/api/rooms/${pairs[0]!.roomId}/workshop`, { token: pairs[0]!.a.token });
    expect(roomView.body.workshop).toMatchObject({ lockSections: true, unlocked: [], title: 'Negotiation basics', pairCode: pairs[0]!.pairCode });

    expect(await facilitator.send('workshop:unlock', { sectionId: 'frame' })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:timer', { seconds: 300 })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:broadcast', { message: '  Take a breath before Frame.  ' })).toEqual({ ok: true });
    const got = (c: (typeof controls)[number], name: string) => c.events.find((e) => e.name === name)?.payload;
    await until(() => controls.every((c) => got(c, 'workshop:unlocked') && got(c, 'workshop:timer') && got(c, 'workshop:message')), 1000, 'every pair told');
    for (const c of controls) {
      expect((got(c, 'workshop:timer') as { endsAt: number }).endsAt).toBeGreaterThan(Date.now() + 290_000);
      expect(got(c, 'workshop:message')).toMatchObject({ message: 'Take a breath before Frame.' });
    }
    expect(controls[0]!.events.find((e) => e.name === 'workshop:unlocked')?.payload).toEqual({ sectionIds: ['frame'] });
    expect(await controls[0]!.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    expect(await controls[0]!.send('section:ready', { sectionId: 'safety', ready: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await facilitator.until((s) => s.timerEndsAt !== null && s.message?.message === 'Take a breath before Frame.' && s.unlocked.includes('frame'), 1000, 'pacing state');

    expect(await facilitator.send('workshop:timer', { seconds: null })).toEqual({ ok: true });
    await until(() => controls[1]!.events.some((e) => e.name === 'workshop:timer' && (e.payload as { endsAt: number | null }).endsAt === null), 1000, 'timer cleared');
    // validated payloads
    expect(await facilitator.send('workshop:unlock', { sectionId: 'nope' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await facilitator.send('workshop:timer', { seconds: -5 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await facilitator.send('workshop:broadcast', { message: '' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await facilitator.send('workshop:broadcast', { message: 'x'.repeat(281) })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await facilitator.send('workshop:nonsense', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    for (const c of controls) c.close();
  });

  it('W4 a raised hand shows on the dashboard; ordinary rooms cannot raise one', async () => {
    const { workshop, facilitator } = await facilitatorFor();
    const pair = await workshopPair(server.url, workshop.joinCode, ['Hana', 'Ivo']);
    const control = await connectControl(server.url, pair.roomId, pair.a.token);
    expect(await control.send('workshop:hand', { raised: true })).toEqual({ ok: true });
    await facilitator.until((s) => pairOf(s, pair.roomId)?.hand === true, 1000, 'hand up');
    expect(await control.send('workshop:hand', { raised: false })).toEqual({ ok: true });
    await facilitator.until((s) => pairOf(s, pair.roomId)?.hand === false, 1000, 'hand down');
    control.close();

    const plain = await http<{ roomId: string; participant: { token: string } }>(server.url, 'POST', '/api/rooms', { body: { displayName: 'Solo' } });
    const solo = await connectControl(server.url, plain.body.roomId, plain.body.participant.token);
    expect(await solo.send('workshop:hand', { raised: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const view = await http<{ workshop: null }>(server.url, 'GET', `/api/rooms/${plain.body.roomId}/workshop`, { token: plain.body.participant.token });
    expect(view.body).toEqual({ workshop: null });
    solo.close();
  });

  it('W4b both partners see the hand go up and down; the facilitator lowers it once they came over, only in their own workshop', async () => {
    const { workshop, facilitator } = await facilitatorFor();
    const pair = await workshopPair(server.url, workshop.joinCode, ['Jo', 'Kai']);
    const a = await connectControl(server.url, pair.roomId, pair.a.token);
    const b = await connectControl(server.url, pair.roomId, pair.b.token);
    expect(await a.send('workshop:hand', { raised: true })).toEqual({ ok: true });
    const handEvents = (c: typeof a) => c.events.filter((e) => e.name === 'workshop:hand').map((e) => (e.payload as { raised: boolean }).raised);
    // the partner's button follows (before, only the one who raised it knew)
    await until(() => handEvents(b).includes(true), 1000, 'partner sees the hand up');
    await facilitator.until((s) => pairOf(s, pair.roomId)?.hand === true, 1000, 'hand up');

    const other = await facilitatorFor();
    expect(await other.facilitator.send('workshop:lower-hand', { roomId: pair.roomId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await facilitator.send('workshop:lower-hand', { roomId: 'no-such-room-id-000000' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    expect(await facilitator.send('workshop:lower-hand', { roomId: pair.roomId })).toEqual({ ok: true });
    await facilitator.until((s) => pairOf(s, pair.roomId)?.hand === false, 1000, 'hand lowered by the facilitator');
    await until(() => [a, b].every((c) => handEvents(c).at(-1) === false), 1000, 'both see the hand down');
    const view = await http<{ workshop: { hand: boolean } }>(server.url, 'GET', `/api/rooms/${pair.roomId}/workshop`, { token: pair.b.token });
    expect(view.body.workshop.hand).toBe(false);
    a.close();
    b.close();
  });

  it('W5 the facilitator proposes two people who arrived alone; once both confirm, the moved person keeps their token and answers', async () => {
    const { workshop, facilitator } = await facilitatorFor();
    const first = await joinWorkshop(server.url, workshop.joinCode, 'Juno');
    const second = await joinWorkshop(server.url, workshop.joinCode, 'Kit');
    const kit = await joinAs(server, second.roomId, { id: second.participant.id, token: second.participant.token });
    closeLater(kit);
    kit.answer('arrival_feeling', { text: 'typed while waiting' });
    await kit.private.stored();
    await facilitator.until((s) => s.pairs.length === 2, 1000, 'two waiting');

    const juno = await connectControl(server.url, first.roomId, first.participant.token);
    const proposed = kit.control.next('workshop:pairing', () => true, 2000);
    expect(await facilitator.send('workshop:pair', { into: first.roomId, from: second.roomId })).toEqual({ ok: true });
    await proposed;
    await facilitator.until((s) => pairOf(s, first.roomId)?.confirmingWith === second.roomId, 1000, 'confirming on the dashboard');
    // a proposal seats nobody: both confirm on their own devices first
    expect((await http<RoomView>(server.url, 'GET', `/api/rooms/${first.roomId}`, { token: first.participant.token })).body.partner).toBeNull();
    const paired = kit.control.next('workshop:paired', () => true, 2000);
    expect(await juno.send('workshop:confirm-partner', { confirmed: true })).toEqual({ ok: true });
    expect(await kit.control.send('workshop:confirm-partner', { confirmed: true })).toEqual({ ok: true });
    expect(await paired).toEqual({ roomId: first.roomId });
    juno.close();
    const state = await facilitator.until((s) => s.pairs.length === 1, 1000, 'merged');
    expect(pairOf(state.state, first.roomId)?.names).toEqual({ a: 'Juno', b: 'Kit' });

    const view = await http<RoomView>(server.url, 'GET', `/api/rooms/${first.roomId}`, { token: second.participant.token });
    expect(view.body).toMatchObject({ me: { id: second.participant.id, seat: 'b', displayName: 'Kit' }, partner: { displayName: 'Juno' } });
    expect((await http(server.url, 'GET', `/api/rooms/${second.roomId}`, { token: second.participant.token })).status).toBe(401);
    const moved = await joinAs(server, first.roomId, { id: second.participant.id, token: second.participant.token });
    closeLater(moved);
    expect(moved.private.doc.getMap('answers').get('arrival_feeling')).toMatchObject({ text: 'typed while waiting' });
    // a full pair takes nobody else
    const third = await joinWorkshop(server.url, workshop.joinCode, 'Lu');
    expect(await facilitator.send('workshop:pair', { into: first.roomId, from: third.roomId })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('W6 practice mode: a scripted demo partner answers with made-up text and marks ready after the facilitator’s demo seat', async () => {
    const { facilitator } = await facilitatorFor(true);
    const ack = await facilitator.send<{ roomId: string; resumeUrl: string }>('workshop:practice', {});
    expect(ack.ok).toBe(true);
    const { roomId, resumeUrl } = (ack as { data: { roomId: string; resumeUrl: string } }).data;
    const token = new URL(resumeUrl).hash.replace('#t=', '');
    const me = await http<RoomView>(server.url, 'GET', `/api/rooms/${roomId}`, { token });
    expect(me.body).toMatchObject({ me: { seat: 'a', displayName: 'Robin (demo)' }, partner: { displayName: 'Demo partner' } });
    const demo = await joinAs(server, roomId, { id: me.body.me.id, token });
    closeLater(demo);
    demo.answer('arrival_feeling', { text: 'facilitator demo text' });
    // sections are never locked in the practice pair
    expect(await demo.control.send('section:ready', { sectionId: 'arrival', ready: true })).toEqual({ ok: true });
    await until(() => demo.revealed('arrival') !== undefined, 3000, 'demo reveal');
    expect(demo.revealed('arrival')?.b.arrival_feeling).toMatchObject({ text: 'Demo answer — made up by the practice partner.' });
    await facilitator.until((s) => s.pairs.some((p) => p.practice && p.sections.find((x) => x.id === 'arrival')?.state === 'revealed'), 1000, 'practice on dashboard');
  });

  it('W7 end workshop: pairs are told, rooms stay with them unlinked, the code stops working', async () => {
    const { workshop, facilitator } = await facilitatorFor(true);
    const pair = await workshopPair(server.url, workshop.joinCode, ['Mo', 'Nia']);
    const control = await connectControl(server.url, pair.roomId, pair.a.token);
    expect(await facilitator.send('workshop:end', {})).toEqual({ ok: true });
    await until(() => control.events.some((e) => e.name === 'workshop:ended'), 1000, 'ended event');
    const ended = await facilitator.until((s) => s.ended, 1000, 'ended');
    expect(ended.state.pairs).toEqual([]);
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(200);
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}/workshop`, { token: pair.a.token })).body).toEqual({ workshop: null });
    // no longer locked: an ordinary room
    expect(await control.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:broadcast', { message: 'late' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: workshop.joinCode, displayName: 'Late' } })).status).toBe(404);
    control.close();
  });

  it('W8 the facilitator handshake needs the facilitator token', async () => {
    const workshop = await createWorkshop(server.url);
    const pair = await workshopPair(server.url, workshop.joinCode, ['Oz', 'Pia']);
    for (const token of [pair.a.token, 'y'.repeat(43)]) {
      await expect(connectFacilitator(server.url, workshop.workshopId, token)).rejects.toThrow('unauthorized');
    }
    expect(docName.room(pair.roomId)).toContain(pair.roomId);
  });
});

describe('workshop code guessing is throttled', () => {
  const limited = useServer();

  it('W9 wrong join codes from one IP → 429 rate_limited; wrong pair codes too', async () => {
    const workshop = await createWorkshop(limited.url);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push((await http(limited.url, 'POST', '/api/workshops/join', { body: { joinCode: 'ZZZZZZ', displayName: 'Guess' } })).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    const blocked = await http<{ error: { code: string } }>(limited.url, 'POST', '/api/workshops/join', { body: { joinCode: workshop.joinCode, displayName: 'Guess', pairCode: 'ZZZZ' } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
  });
});
