import { describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { http } from '../helpers/api';
import { connectControl, openDoc, Recorder, until } from '../helpers/clients';
import { closeAfterEach, useServer } from '../helpers/fixtures';
import { joinAs } from '../helpers/partner';
import { connectFacilitator, connectProjector, createWorkshop, workshopPair } from '../helpers/workshop';

/**
 * The privacy wall of workshop mode (issue 6): ten pairs fill canary answers, item notes,
 * private notes, shared notes and agreement text, and reveal some sections. A facilitator client
 * that records every byte it receives — dashboard events, command acks, HTTP responses, refused
 * document connections — sees progress only, never a canary.
 */
const PAIRS = 10;
const canaries = (i: number) => ({
  answer: `CANARY-WS-ANSWER-${i}-q7`,
  itemNote: `CANARY-WS-ITEMNOTE-${i}-m2`,
  privateNote: `CANARY-WS-PRIVATE-${i}-z9`,
  shared: `CANARY-WS-SHARED-${i}-k4`,
  agreement: `CANARY-WS-AGREEMENT-${i}-p1`,
});
const allCanaries = (i: number) => Object.values(canaries(i));

const server = useServer();
const closeLater = closeAfterEach();

describe('workshop privacy wall', () => {
  it('WPV1 a recording facilitator sees progress of ten pairs and none of their canaries; pairs see nothing of each other', async () => {
    const workshop = await createWorkshop(server.url, { lockSections: true });
    const recorder = new Recorder();
    const facilitator = await connectFacilitator(server.url, workshop.workshopId, workshop.facilitator.token, recorder);
    // The projector view (issue 14) records into a recorder of its own: it must not even carry names.
    const projectorRecorder = new Recorder();
    const projector = await connectProjector(server.url, workshop.workshopId, workshop.facilitator.token, projectorRecorder);
    for (const sectionId of ['arrival', 'activities']) expect(await facilitator.send('workshop:unlock', { sectionId })).toEqual({ ok: true });
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) pairs.push(await workshopPair(server.url, workshop.joinCode, [`Ann${i}`, `Ben${i}`]));
    const joined = [];
    for (const pair of pairs) {
      const a = closeLater(await joinAs(server, pair.roomId, pair.a));
      const b = closeLater(await joinAs(server, pair.roomId, pair.b));
      joined.push({ pair, a, b });
    }

    for (const [i, { a, b }] of joined.entries()) {
      const c = canaries(i);
      a.answer('arrival_feeling', { text: c.answer });
      a.answer('impact_hand', { giving: 'yes', receiving: 'hard_limit', note: c.itemNote });
      b.answer('impact_hand', { giving: 'hard_limit', receiving: 'yes' });
      a.note('activities', c.privateNote);
      b.shared.doc.getText('notes').insert(0, c.shared);
      a.shared.doc.getText('agreementText').insert(0, c.agreement);
    }
    await Promise.all(joined.flatMap(({ a, b }) => [a.private.stored(), a.shared.stored(), b.private.stored(), b.shared.stored()]));
    // even pairs reveal two sections (answers and a limit/mismatch land in their room docs)
    for (const [i, { a, b }] of joined.entries()) {
      if (i % 2 === 1) {
        await a.control.send('section:ready', { sectionId: 'arrival', ready: true });
        continue;
      }
      for (const sectionId of ['arrival', 'activities']) {
        await a.control.send('section:ready', { sectionId, ready: true });
        await b.control.send('section:ready', { sectionId, ready: true });
      }
      await until(() => b.revealed('activities') !== undefined, 2000, 'reveal');
      expect(JSON.stringify(b.revealed('arrival'))).toContain(canaries(i).answer); // control: the canary is real content
    }

    const final = await facilitator.until(
      (s) => s.pairs.length === PAIRS && s.pairs.every((p, i) => p.sections.find((x) => x.id === 'arrival')?.progress !== 'open' && (i % 2 === 1 || p.sections.find((x) => x.id === 'activities')?.state === 'revealed')),
      3000,
      'all progress',
    );
    // only progress: each section is exactly {id, state, round, progress}, with no seat and no pair code
    for (const pair of final.state.pairs) {
      expect(Object.keys(pair).sort()).toEqual(['activeAt', 'confirmingWith', 'createdAt', 'focus', 'hand', 'names', 'online', 'practice', 'roomId', 'sections']);
      for (const s of pair.sections) expect(Object.keys(s).sort()).toEqual(['id', 'progress', 'round', 'state']);
    }

    // Everything the facilitator can ask for over HTTP is recorded too.
    const state = await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, { token: workshop.facilitator.token });
    recorder.add(state.text);
    const token = workshop.facilitator.token;
    for (const { pair } of joined.slice(0, 3)) {
      for (const [method, path] of [
        ['GET', `/api/rooms/${pair.roomId}`],
        ['GET', `/api/rooms/${pair.roomId}/agreement?format=json`],
        ['GET', `/api/rooms/${pair.roomId}/agreement?format=md`],
        ['GET', `/api/rooms/${pair.roomId}/workshop`],
        ['DELETE', `/api/rooms/${pair.roomId}`],
      ] as const) {
        const res = await http(server.url, method, path, { token });
        recorder.add(res.text);
        expect(res.status, `${method} ${path}`).toBe(401);
      }
      // The facilitator token is no participant token: every doc refuses it before any byte (4401).
      for (const name of [docName.private(pair.roomId, pair.a.id), docName.shared(pair.roomId), docName.room(pair.roomId)]) {
        const docRecorder = new Recorder();
        const doc = openDoc(server.wsUrl, name, token, { recorder: docRecorder });
        expect(await doc.closed).toBe(4401);
        doc.destroy();
        expect(docRecorder.bytes).toBe(0);
      }
      await expect(connectControl(server.url, pair.roomId, token)).rejects.toThrow('unauthorized');
    }

    // Commands' acks are recorded as well, the pacing of issue 14 included: a re-lock, a
    // message to one pair, removing a pair (refused until confirmed, then done).
    const [zeroPair, , , , , , , , , lastPair] = joined.map((j) => j.pair);
    expect(await facilitator.send('workshop:relock', { sectionId: 'activities' })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:message-pair', { roomId: zeroPair!.roomId, message: 'For pair zero only' })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:remove-pair', { roomId: lastPair!.roomId })).toMatchObject({ ok: false, error: { reason: 'pair_occupied' } });
    expect(await facilitator.send('workshop:remove-pair', { roomId: lastPair!.roomId, confirmed: true })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:timer', { seconds: 300 })).toEqual({ ok: true });
    await facilitator.send('workshop:broadcast', { message: 'Halfway there' });
    // Barrier: the dashboard state rebuilt after the broadcast has arrived.
    await facilitator.until((s) => s.message?.message === 'Halfway there' && s.pairs.length === PAIRS - 1, 3000, 'the state after the broadcast');
    const shown = await projector.until((p) => p.message?.message === 'Halfway there' && p.timerEndsAt !== null, 3000, 'the projector after the broadcast');
    // The projector: exactly the join code, timer, last message to all and section in play.
    for (const { state: p } of projector.states) {
      expect(Object.keys(p).sort()).toEqual(['ended', 'joinCode', 'joinUrl', 'message', 'section', 'timerEndsAt', 'title']);
      if (p.section) expect(Object.keys(p.section).sort()).toEqual(['id', 'number', 'title']);
    }
    expect(shown.state.section).toEqual({ id: 'arrival', number: 1, title: 'Arrival & pace' });
    // It heard of the changes it shows (first state, unlocks, the re-lock, timer, message), not of every pair's move.
    expect(projector.states.length).toBeGreaterThanOrEqual(3);
    expect(projector.states.length).toBeLessThan(facilitator.states.length);
    for (let i = 0; i < PAIRS; i++) {
      for (const text of [...allCanaries(i), `Ann${i}`, `Ben${i}`, joined[i]!.pair.roomId]) expect(projectorRecorder.contains(text), text).toBe(false);
    }
    expect(projectorRecorder.contains('For pair zero only')).toBe(false);
    // a projector is read-only: commands are refused
    expect(await projector.send('workshop:broadcast', { message: 'from the projector' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    projector.close();
    expect(recorder.bytes).toBeGreaterThan(1000);
    for (let i = 0; i < PAIRS; i++) {
      for (const canary of allCanaries(i)) expect(recorder.contains(canary), canary).toBe(false);
    }
    for (const canary of ['mutual', 'mismatch', 'hard_limit', 'one_sided', 'giving', 'receiving', 'difference', 'pleasing', 'notShared', 'favourite']) {
      expect(recorder.contains(canary), canary).toBe(false);
    }
    // nor did any server log line carry one
    const logs = server.logs.join('');
    for (let i = 0; i < PAIRS; i++) for (const canary of allCanaries(i)) expect(logs.includes(canary), canary).toBe(false);

    // Participants of one pair see nothing of any other pair.
    const [zero, one] = joined as [(typeof joined)[number], (typeof joined)[number]];
    for (const canary of allCanaries(1)) {
      expect(zero.a.recorder.contains(canary)).toBe(false);
      expect(zero.b.recorder.contains(canary)).toBe(false);
    }
    for (const who of [zero.a, zero.b]) {
      expect(who.recorder.contains(one.pair.roomId)).toBe(false);
      expect(who.recorder.contains('Ann1')).toBe(false);
    }
    // a message to one pair reached that pair (both partners) and no other
    for (const who of [zero.a, zero.b]) expect(who.recorder.contains('For pair zero only')).toBe(true);
    // Barrier: the message to all (sent after it) reached the others, and the removed pair heard of its removal.
    const others = joined.slice(1).flatMap(({ a, b }) => [a, b]);
    await until(() => others.every((who) => who.recorder.contains('Halfway there') || who.recorder.contains('workshop:removed')), 2000, 'later events reached every other pair');
    for (const who of others) expect(who.recorder.contains('For pair zero only')).toBe(false);
    const foreign = openDoc(server.wsUrl, docName.shared(one.pair.roomId), zero.pair.a.token);
    expect(await foreign.closed).toBe(4401);
    foreign.destroy();
    expect((await http(server.url, 'GET', `/api/rooms/${one.pair.roomId}`, { token: zero.pair.a.token })).status).toBe(401);
    expect((await http(server.url, 'GET', `/api/workshops/${workshop.workshopId}`, { token: zero.pair.a.token })).status).toBe(401);
    facilitator.close();
  });
});
