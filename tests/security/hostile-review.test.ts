import { describe, expect, it } from 'vitest';
import type { RoomMeta } from '@parley/shared/protocol/room-doc';
import { readSceneLog, type SignalEvent } from '@parley/shared/protocol/scene';
import type { CreateWorkshopResponse } from '@parley/shared/protocol/workshop';
import { firstConversationTemplate } from '@parley/shared/template/builtin/first-conversation';
import { defaultTemplate } from '@parley/shared/template/default';
import type { Template } from '@parley/shared/template/schema';
import { http } from '../helpers/api';
import { connectControl, received, sendSignal, until } from '../helpers/clients';
import { closeAfterEach, usePartners, useServer, useWorkshops } from '../helpers/fixtures';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { connectFacilitator, connectProjector, workshopPair } from '../helpers/workshop';

/**
 * A hostile review, through the wire only, of what was merged with issues 13–15: leaving items
 * out of the agreement, scene mode, the facilitator's new commands and views, and a workshop's
 * own worksheet. Each test is an attack a partner, a facilitator or a stranger could make; each
 * passing test is a defence that held.
 */

const server = useServer();
const partners = usePartners(server);
const workshops = useWorkshops(server);
const close = closeAfterEach();

const labelOf = (itemId: string) => defaultTemplate.sections.flatMap((s) => s.items).find((i) => i.id === itemId)!.label;
const metaOf = (p: PartnerSession) => p.room.doc.getMap('meta');

async function reveal(a: PartnerSession, b: PartnerSession, sectionId: string) {
  await Promise.all([a.private.stored(), b.private.stored()]);
  expect(await a.control.send('section:ready', { sectionId, ready: true })).toEqual({ ok: true });
  expect(await b.control.send('section:ready', { sectionId, ready: true })).toEqual({ ok: true });
  await until(() => a.revealed(sectionId) !== undefined && b.revealed(sectionId) !== undefined, 3000, `${sectionId} revealed`);
}

describe('agreement:leave-out as an oracle', () => {
  it('HR1 discreet: which item ids are accepted says nothing the reveal did not; refusals read the same; nothing of B lands in the lines A confirms', async () => {
    const { pair, a, b } = await partners({ revealMode: 'discreet' });
    // impact_hand: A yes, B not now (not shared, so hidden); impact_paddle: a match; impact_flogger: A only.
    a.answer('impact_hand', { giving: 'yes' });
    b.answer('impact_hand', { receiving: 'not_now', note: 'CANARY-HR1-hand-note' });
    a.answer('impact_paddle', { giving: 'yes' });
    b.answer('impact_paddle', { receiving: 'yes' });
    a.answer('impact_flogger', { giving: 'yes' });
    // an unrevealed section B answered
    b.answer('curious_wonder', { text: 'CANARY-HR1-unrevealed' });
    await reveal(a, b, 'activities');

    const refusals = [];
    for (const itemId of ['impact_hand', 'impact_flogger', 'impact_crop_cane', 'curious_wonder', 'no-such-item', 'constructor']) {
      refusals.push(await a.control.send('agreement:leave-out', { itemId, out: true }));
    }
    // One answer for all: hidden non-match, one-sided, unanswered, unrevealed, unknown, a prototype key.
    for (const r of refusals) expect(r).toEqual(refusals[0]);
    expect(refusals[0]).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Taking back what was never chosen is a quiet no-op whatever B answered.
    for (const itemId of ['impact_hand', 'curious_wonder', 'constructor']) {
      expect(await a.control.send('agreement:leave-out', { itemId, out: false })).toEqual({ ok: true });
    }
    expect(await a.control.send('agreement:leave-out', { itemId: 'impact_paddle', out: true })).toEqual({ ok: true });

    const agreement = await http<{ hash: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.a.token });
    expect(await a.control.send('agreement:confirm', { hash: agreement.body.hash })).toMatchObject({ ok: true });
    await until(() => (metaOf(a).get('confirmations') as RoomMeta['confirmations'] | undefined)?.a?.lines !== undefined, 2000, 'confirmation in the room doc');
    const lines = (metaOf(a).get('confirmations') as RoomMeta['confirmations']).a!.lines ?? [];
    expect(lines.some((l) => l.includes(labelOf('impact_paddle')))).toBe(true);
    for (const hidden of ['impact_hand', 'impact_flogger']) expect(lines.some((l) => l.includes(labelOf(hidden)))).toBe(false);
    expect(lines.join('\n')).not.toContain('CANARY');
    expect((metaOf(a).get('leftOut') as RoomMeta['leftOut']).a).toEqual({ impact_paddle: 1 });

    await a.caughtUp();
    for (const canary of ['CANARY-HR1-hand-note', 'CANARY-HR1-unrevealed']) expect(a.recorder.contains(canary)).toBe(false);
    // The history names only the item A was allowed to choose.
    const history = JSON.stringify(a.room.doc.getArray('history').toJSON());
    expect(history).toContain('impact_paddle');
    for (const id of ['impact_hand', 'impact_flogger', 'curious_wonder']) expect(history).not.toContain(id);
  });
});

describe('agreement:leave-out after the reveal, probing with one’s own answers', () => {
  it('HR10 discreet: B flipping to yes after the reveal, then asking to leave the item out, learns nothing of A’s yes (refusal, lines)', async () => {
    const { pair, a, b } = await partners({ revealMode: 'discreet' });
    a.answer('impact_flogger', { giving: 'yes' });
    b.answer('impact_flogger', { receiving: 'not_now' });
    a.answer('impact_hand', { giving: 'yes' });
    b.answer('impact_hand', { receiving: 'yes' });
    await reveal(a, b, 'activities');
    b.answer('impact_flogger', { receiving: 'favourite' });
    await b.private.stored();
    // Barrier: A withdrawing a shared yes is mirrored, after B's probe.
    a.answer('impact_hand', { giving: 'not_now' });
    await until(() => b.revealed('activities')?.changed.impact_hand !== undefined, 2000, 'A’s withdrawal mirrored');
    const probe = await b.control.send('agreement:leave-out', { itemId: 'impact_flogger', out: true });
    const blank = await b.control.send('agreement:leave-out', { itemId: 'impact_crop_cane', out: true });
    expect(probe).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(probe).toEqual(blank);
    const agreement = await http<{ hash: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.b.token });
    expect(agreement.text).not.toContain('impact_flogger');
    expect(await b.control.send('agreement:confirm', { hash: agreement.body.hash })).toMatchObject({ ok: true });
    await until(() => (metaOf(b).get('confirmations') as RoomMeta['confirmations'] | undefined)?.b?.lines !== undefined, 2000, 'confirmation in the room doc');
    const lines = (metaOf(b).get('confirmations') as RoomMeta['confirmations']).b!.lines ?? [];
    expect(lines.some((l) => l.includes(labelOf('impact_flogger')))).toBe(false);
  });
});

describe('scene mode, attacked by the partner', () => {
  it('HR2 B cannot forge, re-level, ack or erase A’s waiting red; A cannot ack it for B; a prototype-named id is an ordinary id', async () => {
    const { pair, a, b } = await partners();
    expect(await a.control.send('scene:start', {})).toMatchObject({ ok: true });
    const id = await sendSignal(a.control, { level: 'red' });
    await received<SignalEvent>(b.control, 'signal', (p) => p.id === id);

    // B takes A's id for a signal or a check-in of B's own: refused, whatever the level.
    for (const [event, level] of [['signal:send', 'green'], ['signal:send', 'red'], ['checkin:answer', 'green'], ['checkin:answer', 'red']] as const) {
      expect(await b.control.send(event, { level, id })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    // A marks their own red seen (so that A's other device would stop showing it as waiting): refused.
    expect(await a.control.send('signal:ack', { id })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // B deletes the log mid-scene: the running scene's entries stay.
    expect(await b.control.send('scene:log-delete', {})).toEqual({ ok: true });
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    expect(readSceneLog(a.room.doc).find((e) => e.id === id)).toMatchObject({ from: 'a', level: 'red', kind: 'signal', ackedAt: null });
    // Still waiting: a new device of B's is told again.
    const bPhone = close(await connectControl(server.url, pair.roomId, pair.b.token));
    expect(await received<SignalEvent>(bPhone, 'signal', (p) => p.id === id)).toMatchObject({ from: 'a', level: 'red' });

    // Ids that are Object.prototype names are stored, delivered and acknowledged like any other.
    for (const odd of ['__proto__', 'constructor', 'hasOwnProperty']) {
      expect(await sendSignal(b.control, { level: 'yellow', id: odd })).toBe(odd);
      await received<SignalEvent>(a.control, 'signal', (p) => p.id === odd);
      expect(await a.control.send('signal:ack', { id: odd })).toEqual({ ok: true });
      await received<{ id: string }>(b.control, 'signal:acked', (p) => p.id === odd);
    }
    await a.caughtUp();
    const log = readSceneLog(a.room.doc);
    expect(log.filter((e) => e.from === 'b').map((e) => e.id).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(log.filter((e) => e.from === 'b').every((e) => e.ackedAt !== null)).toBe(true);
    // The room doc still reads as a whole (the agreement is built from it).
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.a.token })).status).toBe(200);
  });

  it('HR3 an ack of a signal of another room is not_found there, and that room’s signal stays unacknowledged', async () => {
    const one = await partners();
    const two = await partners();
    const id = await sendSignal(one.a.control, { level: 'red' });
    await received<SignalEvent>(one.b.control, 'signal', (p) => p.id === id);
    expect(await two.b.control.send('signal:ack', { id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The same id in the other room is a new signal of that room, not a hold on this one.
    expect(await sendSignal(two.b.control, { level: 'green', id })).toBe(id);
    await Promise.all([one.a.caughtUp(), two.a.caughtUp()]);
    expect(readSceneLog(one.a.room.doc).find((e) => e.id === id)).toMatchObject({ from: 'a', level: 'red', ackedAt: null });
    expect(one.a.control.events.some((e) => e.name === 'signal:acked')).toBe(false);
  });

  it('HR4 deep or oversized payloads on /room get bad_request and the socket still works', async () => {
    const { a } = await partners();
    let deep: unknown = 'x';
    for (let i = 0; i < 3000; i++) deep = [deep];
    for (const [event, payload] of [
      ['signal:send', { level: deep }],
      ['signal:ack', { id: deep }],
      ['agreement:leave-out', { itemId: deep, out: true }],
      ['signal:send', { level: 'red', id: 'x'.repeat(41) }],
      ['agreement:leave-out', { itemId: 'a'.repeat(65), out: true }],
      ['signal:ack', deep],
    ] as const) {
      expect(await a.control.send(event, payload)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(await sendSignal(a.control, { level: 'green' })).toMatch(/^[A-Za-z0-9_-]{8,40}$/);
  });
});

describe('scene mode, a partner filling the log', () => {
  const LOG_LIMIT = 12;
  const UNSEEN_MS = 800;
  const small = useServer({ build: { sceneLogLimit: LOG_LIMIT, signalUnseenMs: UNSEEN_MS } });
  const smallPartners = usePartners(small);

  it('HR9 B flooding the log with signals A has not yet tapped cannot get A’s red refused', async () => {
    const { a, b } = await smallPartners();
    expect(await a.control.send('scene:start', {})).toMatchObject({ ok: true });
    // B sends until refused (or the whole log is B's, waiting for A's taps).
    let sent = 0;
    for (let i = 0; i < LOG_LIMIT; i++) {
      const ack = await b.control.send('signal:send', { level: 'green' });
      if (!ack.ok) {
        expect(ack).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
        break;
      }
      sent += 1;
    }
    const red = await a.control.send<{ id: string }>('signal:send', { level: 'red' });
    expect(red).toMatchObject({ ok: true, data: { id: expect.any(String) } });
    const redId = red.ok ? red.data!.id : '';
    // B was stopped first, with half the log B's: what waits for A is bounded.
    expect(sent).toBe(LOG_LIMIT / 2);
    await received<SignalEvent>(b.control, 'signal', (p) => p.id === redId && p.level === 'red');
  });

  it('HR11 B reusing A’s signal id in a room B holds both seats of, and acking it there, does not silence A’s “not seen”', async () => {
    const victim = await smallPartners();
    const own = await smallPartners();
    const id = await sendSignal(victim.a.control, { level: 'red' });
    await received<SignalEvent>(victim.b.control, 'signal', (p) => p.id === id);
    // B knows the id (it was delivered to B) and replays it in the other room, acked at once.
    expect(await sendSignal(own.a.control, { level: 'red', id })).toBe(id);
    expect(await own.b.control.send('signal:ack', { id })).toEqual({ ok: true });
    await received<{ id: string }>(victim.a.control, 'signal:unseen', (p) => p.id === id, UNSEEN_MS + 3000);
    expect(own.a.control.events.some((e) => e.name === 'signal:unseen')).toBe(false);
  });
});

describe('facilitators against other workshops and pairs', () => {
  it('HR5 a facilitator cannot message, remove, lower the hand of, or pair a pair of another workshop; that pair hears nothing', async () => {
    const x = await workshops();
    const y = await workshops();
    const theirs = await workshopPair(server.url, y.workshop.joinCode, ['Yan', 'Yve']);
    const yan = close(await joinAs(server, theirs.roomId, theirs.a));
    expect(await yan.control.send('workshop:hand', { raised: true })).toEqual({ ok: true });
    const mine = await workshopPair(server.url, x.workshop.joinCode, ['Xi', 'Xu']);

    for (const [event, payload] of [
      ['workshop:message-pair', { roomId: theirs.roomId, message: 'CANARY-HR5-message' }],
      ['workshop:remove-pair', { roomId: theirs.roomId, confirmed: true }],
      ['workshop:remove-pair', { roomId: theirs.roomId }],
      ['workshop:lower-hand', { roomId: theirs.roomId }],
    ] as const) {
      expect(await x.facilitator.send(event, payload)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(await x.facilitator.send('workshop:pair', { into: mine.roomId, from: theirs.roomId })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Y's own command is the barrier: its message arrives after anything X could have caused.
    expect(await y.facilitator.send('workshop:message-pair', { roomId: theirs.roomId, message: 'from Y' })).toEqual({ ok: true });
    await received(yan.control, 'workshop:message', (p: { message: string }) => p.message === 'from Y');
    expect(yan.recorder.contains('CANARY-HR5')).toBe(false);
    expect(yan.control.events.some((e) => e.name === 'workshop:removed' || (e.name === 'workshop:hand' && (e.payload as { raised: boolean }).raised === false))).toBe(false);
    const pairInY = (await y.facilitator.until((s) => s.pairs.some((p) => p.roomId === theirs.roomId && p.hand), 2000, 'hand in Y')).state;
    expect(pairInY.pairs.find((p) => p.roomId === theirs.roomId)?.hand).toBe(true);
  });

  it('HR6 a participant’s token opens neither the dashboard nor the projector of its own workshop, nor the worksheet', async () => {
    const { workshop } = await workshops();
    const pair = await workshopPair(server.url, workshop.joinCode, ['Pia', 'Pat']);
    for (const token of [pair.a.token, pair.b.token]) {
      await expect(connectFacilitator(server.url, workshop.workshopId, token)).rejects.toThrow();
      await expect(connectProjector(server.url, workshop.workshopId, token)).rejects.toThrow();
      expect((await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}/template`, { token })).status).toBe(401);
      expect((await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, { token })).status).toBe(401);
    }
    // The room id as a workshop id, with the room's token: no.
    await expect(connectProjector(server.url, pair.roomId, pair.a.token)).rejects.toThrow();
  });
});

describe('a workshop’s own worksheet, written to break the reveal', () => {
  const trap = (): Template => {
    const t = JSON.parse(JSON.stringify(firstConversationTemplate)) as Template;
    t.sections.unshift({
      id: 'constructor',
      title: 'Trap',
      why: 'Ids named after Object.prototype.',
      kind: 'questions',
      items: [
        { id: 'constructor', type: 'dual_rating', label: 'Trap one', note: true },
        { id: 'valueof', type: 'text', label: 'Trap two' },
      ],
    });
    return t;
  };

  it('HR7 item and section ids named "constructor": the reveal copies only what each answered, the agreement builds, leave-out works', async () => {
    const created = await http<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', { body: { title: 'Trap', facilitatorName: 'Robin', template: trap() } });
    expect(created.status).toBe(201);
    const pair = await workshopPair(server.url, created.body.joinCode, ['Tam', 'Tod']);
    const tam = close(await joinAs(server, pair.roomId, pair.a));
    const tod = close(await joinAs(server, pair.roomId, pair.b));
    tam.answer('constructor', { giving: 'yes', note: 'tam-note' });
    tod.answer('valueof', { text: 'tod-text' });
    await reveal(tam, tod, 'constructor');
    const revealed = tod.revealed('constructor')!;
    expect(revealed.a).toEqual({ constructor: { giving: 'yes', note: 'tam-note', updatedAt: expect.any(Number) } });
    expect(revealed.b).toEqual({ valueof: { text: 'tod-text', updatedAt: expect.any(Number) } });
    const agreement = await http<{ sections: { id: string; items: { id: string; a?: unknown; b?: unknown }[] }[] }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.b.token });
    expect(agreement.status).toBe(200);
    const items = agreement.body.sections.find((s) => s.id === 'constructor')!.items;
    expect(items.map((i) => [i.id, i.a !== undefined, i.b !== undefined])).toEqual([
      ['constructor', true, false],
      ['valueof', false, true],
    ]);
    expect(await tod.control.send('agreement:leave-out', { itemId: 'constructor', out: true })).toEqual({ ok: true });
    expect(await tam.control.send('agreement:leave-out', { itemId: 'constructor', out: true })).toEqual({ ok: true });
    const after = await http<{ leftOut: { id: string }[] }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.a.token });
    expect(after.body.leftOut.map((i) => i.id)).toEqual(['constructor']);
  });

  it('HR8 a deeply nested or prototype-keyed worksheet body is refused with a 400 and the workshop keeps its worksheet', async () => {
    const created = await http<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', { body: { title: 'Deep', facilitatorName: 'Robin' } });
    const { workshopId, facilitator } = created.body;
    const before = await http(server.url, 'GET', `/api/workshops/${workshopId}/template`, { token: facilitator.token });
    const depth = 100_000;
    const bodies = [
      `{"title":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      `{"sections":[${'{"items":'.repeat(20_000)}1${'}'.repeat(20_000)}]}`,
      `{"__proto__":{"title":"x"},"constructor":{"prototype":{"admin":true}}}`,
    ];
    for (const raw of bodies) {
      const res = await http(server.url, 'PUT', `/api/workshops/${workshopId}/template`, { token: facilitator.token, raw });
      expect(res.status).toBe(400);
    }
    const deepCreate = await http(server.url, 'POST', '/api/workshops', { raw: `{"title":"t","facilitatorName":"f","template":${'['.repeat(depth)}${']'.repeat(depth)}}` });
    expect(deepCreate.status).toBe(400);
    const now = await http(server.url, 'GET', `/api/workshops/${workshopId}/template`, { token: facilitator.token });
    expect(now.status).toBe(200);
    expect(now.body).toEqual(before.body);
  });
});

describe('growing the room doc by command', () => {
  it('HR12 a partner toggling "ready" in a loop is held to a budget: the room doc stops growing, the other keeps working, and a red still goes through', async () => {
    const { a, b } = await partners();
    await b.control.send('scene:start', {});
    const started = Date.now();
    // A loop, one mark after the other's answer (readiness marks must stay in order), until the
    // budget refuses one: on a slow machine more of it refills meanwhile, which the bound allows.
    const answers: Awaited<ReturnType<typeof b.control.send>>[] = [];
    for (let i = 0; i < 600 && (i < 160 || answers.every((r) => r.ok)); i++) answers.push(await b.control.send('section:ready', { sectionId: 'frame', ready: i % 2 === 0 }));
    const elapsedS = (Date.now() - started) / 1000;
    const done = answers.filter((r) => r.ok).length;
    const refused = answers.filter((r) => !r.ok);
    // the burst of 100 and what refilled meanwhile (5 a second) went through; the rest did not
    expect(done).toBeLessThanOrEqual(100 + Math.ceil(elapsedS * 5) + 1);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    const history = () => b.room.doc.getArray('history').length;
    // an accepted mark writes history only if it changed the seat's readiness (a refused toggle
    // leaves the next one a no-op)
    let ready = false;
    let changes = 0;
    answers.forEach((r, i) => {
      if (r.ok && i % 2 === 0 !== ready) {
        ready = !ready;
        changes++;
      }
    });
    await until(() => history() >= changes, 3000, 'history written');
    const grown = history();
    for (let i = 0; i < 20; i++) await b.control.send('section:ready', { sectionId: 'frame', ready: i % 2 === 0 });
    expect(history()).toBeLessThanOrEqual(grown + 5);
    // B's own red is never held to the budget, and A is not held to B's
    const id = await sendSignal(b.control, { level: 'red' });
    await received<SignalEvent>(a.control, 'signal', (e) => e.id === id && e.level === 'red', 3000);
    expect(await a.control.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
  });
});
