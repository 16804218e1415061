import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { currentAgreement } from '@parley/shared/agreement/build';
import { docName, type Seat } from '@parley/shared/protocol/ids';
import { readRoomDoc, type RevealedSection } from '@parley/shared/protocol/room-doc';
import type { Ack } from '@parley/shared/protocol/socket';
import { isDiscreetItem, projectSection, type UntrustedAnswers } from '@parley/shared/reveal/project';
import { confirmedInSealedRoom } from '@parley/shared/sealed/agreement';
import { derivePairKeys, sealedAgreementHash } from '@parley/shared/sealed/pair';
import { defaultTemplate } from '@parley/shared/template/default';
import type { Section } from '@parley/shared/template/schema';
import { privateMaps, readPrivateDoc } from '../../client/src/lib/room-doc';
import { SealedRoom } from '../../client/src/lib/sealed/sealed-room';
import { docSnapshot } from '../../client/src/lib/snapshot-store';
import { createSealedPair } from '../helpers/api';
import { connectControl, openDoc, until, type ControlClient, type DocClient } from '../helpers/clients';
import { closeAfterEach, usePartners, useServer } from '../helpers/fixtures';
import { http } from '../helpers/api';
import { agreementFile } from '../../client/src/lib/agreement-file';
import { sealEscrow } from '@parley/shared/sealed/escrow';
import { newSender } from '@parley/shared/sealed/envelope';
import { expectNoCanaries } from '../helpers/room-rows';

/**
 * The web client's sealed reveal (issue 16, phase 6: `client/src/lib/sealed/`) against a real
 * server built with `sealedRooms: true`: each partner's `SealedRoom` (the opened room doc every
 * screen reads, and the uploads that keep its escrows current) over a real socket.io control
 * channel and the real room doc. The private doc is a local Y.Doc, as the client's is before its
 * sealed provider syncs it.
 */

const server = useServer({ build: { sealedRooms: true } });
const closeLater = closeAfterEach();
const standardPartners = usePartners(server);
const template = defaultTemplate;
const section = (id: string): Section => template.sections.find((s) => s.id === id)!;

interface Partner {
  seat: Seat;
  control: ControlClient;
  room: DocClient;
  privateDoc: Y.Doc;
  sealed: SealedRoom;
  /** the opened room doc's latest state; kept subscribed, as a screen would */
  state: () => ReturnType<SealedRoom['store']['getSnapshot']>;
  /** every command the client's sealed half sent, in order */
  sent: string[];
}

async function sealedPartners(revealMode: 'full' | 'discreet') {
  const created = await createSealedPair(server.url, { revealMode });
  const { roomId, keys } = created;
  const partner = async (seat: Seat): Promise<Partner> => {
    const other: Seat = seat === 'a' ? 'b' : 'a';
    const pair = await derivePairKeys({ roomId, seat, identity: keys[seat].identity, partnerPublic: keys[other].identity.publicKey });
    if (!pair.ok) throw new Error(pair.reason);
    const control = closeLater(await connectControl(server.url, roomId, keys[seat].authToken));
    const room = openDoc(server.wsUrl, docName.room(roomId), keys[seat].authToken);
    closeLater({ close: () => room.destroy() });
    await room.synced;
    const privateDoc = new Y.Doc();
    const sent: string[] = [];
    const send = (event: string) => (payload: unknown) => {
      sent.push(event);
      return control.send(event, payload) as Promise<Ack>;
    };
    const sealed = new SealedRoom({
      roomStore: docSnapshot(room.doc, readRoomDoc),
      privateStore: docSnapshot(privateDoc, readPrivateDoc),
      pair: pair.keys,
      roomId,
      seat,
      template,
      revealMode,
      commands: { ready: send('section:ready'), escrow: send('section:escrow'), tags: send('section:tags') },
    });
    const stop = sealed.store.subscribe(() => {});
    closeLater({ close: () => (stop(), sealed.destroy()) });
    return { seat, control, room, privateDoc, sealed, state: () => sealed.store.getSnapshot(), sent };
  };
  return { roomId, a: await partner('a'), b: await partner('b') };
}

/** What this person types into their own answers (their private doc). */
function answer(p: Partner, answers: UntrustedAnswers): void {
  const map = privateMaps.answers(p.privateDoc);
  p.privateDoc.transact(() => {
    for (const [id, value] of Object.entries(answers)) map.set(id, value);
  });
}

/** Marks a section ready as the ready button does in a sealed room. */
async function markReady(p: Partner, sectionId: string): Promise<void> {
  const round = readRoomDoc(p.room.doc).sections[sectionId]?.round ?? 1;
  expect(await p.sealed.uploads.markReady(sectionId, round)).toEqual({ ok: true });
}

async function revealedOn(p: Partner, sectionId: string): Promise<RevealedSection> {
  await until(() => readRoomDoc(p.room.doc).sealedRevealed?.[sectionId] !== undefined, 5000, `${p.seat} has the release`);
  const state = await p.sealed.revealed.settled();
  const revealed = state.revealed[sectionId];
  if (!revealed) throw new Error('not opened');
  return revealed;
}

/** The standard discreet reveal of the same answers, without the notes of discreet items (no note pieces yet). */
function standardDiscreet(sectionId: string, a: UntrustedAnswers, b: UntrustedAnswers): RevealedSection {
  const strip = (answers: UntrustedAnswers) =>
    Object.fromEntries(
      Object.entries(answers).map(([id, value]) => {
        const question = section(sectionId).items.find((q) => q.id === id);
        if (!question || !isDiscreetItem(section(sectionId), question) || typeof value !== 'object' || value === null) return [id, value];
        const { note: _note, ...rest } = value as Record<string, unknown>;
        return [id, rest];
      }),
    );
  return projectSection({ template, sectionId, round: 1, mode: 'discreet', a: strip(a), b: strip(b) });
}

const A_NOTE = 'CANARY-webreveal-a-note-61b2';
const A_TEXT = 'CANARY-webreveal-a-text-0d7e';
const B_NOTE = 'CANARY-webreveal-b-note-c3a9';
const A_CHANGED = 'CANARY-webreveal-a-changed-44f0';
const CANARIES = [A_NOTE, A_TEXT, B_NOTE, A_CHANGED];

const A_ACT = {
  impact_hand: { giving: 'yes', receiving: 'hard_limit', conditions: ['check_in_first'], note: A_NOTE },
  impact_paddle: { giving: 'yes' },
  impact_strap: { giving: 'favourite' },
};
const B_ACT = {
  impact_hand: { giving: 'hard_limit', receiving: 'yes', note: B_NOTE },
  impact_paddle: { receiving: 'curious' },
  impact_strap: { receiving: 'hard_limit' },
};

const stateText = (p: Partner) => JSON.stringify(p.state());

describe('sealed rooms in the web client: reveal and agreement (issue 16, phase 6)', () => {
  it('ZR1 full mode: the ready button\'s upload is accepted, nothing of A reaches B before the reveal, and after it both opened room docs hold the standard revealed shape with the partner\'s canaries', async () => {
    const { a, b } = await sealedPartners('full');
    answer(a, A_ACT);
    answer(a, { arrival_feeling: { text: A_TEXT } });
    answer(b, B_ACT);
    await markReady(a, 'activities');
    await until(() => readRoomDoc(b.room.doc).sections.activities?.ready.a === true, 3000, 'b sees a ready');
    await b.room.caughtUp();
    // before B is ready: B's opened room doc has nothing revealed and no canary of A anywhere it received
    expect((await b.sealed.revealed.settled()).revealed).toEqual({});
    for (const canary of [A_NOTE, A_TEXT]) {
      expect(stateText(b)).not.toContain(canary);
      expect(b.room.recorder.contains(canary) || b.control.recorder.contains(canary)).toBe(false);
    }

    await markReady(b, 'activities');
    const onB = await revealedOn(b, 'activities');
    const onA = await revealedOn(a, 'activities');
    const standard = projectSection({ template, sectionId: 'activities', round: 1, mode: 'full', a: A_ACT, b: B_ACT });
    expect(onB).toEqual(standard);
    expect(onA).toEqual(standard);
    expect(onB.a.impact_hand?.note).toBe(A_NOTE);
    expect(onA.b.impact_hand?.note).toBe(B_NOTE);
    expect(b.state().unreadable).toEqual({});
    // the text section was never marked ready: its canary stays with A
    expect(stateText(b)).not.toContain(A_TEXT);
    expectNoCanaries(server.dataDir, server.logs.join(''), [a.room.recorder, a.control.recorder, b.room.recorder, b.control.recorder], CANARIES);
  });

  it('ZR2 full mode: a change while ready re-uploads before the reveal, and a change after it reaches the partner\'s opened room doc, marked as changed by A', async () => {
    const { a, b } = await sealedPartners('full');
    answer(a, A_ACT);
    await markReady(a, 'activities');
    // a change while ready and before the reveal: the release carries it, not the first upload
    answer(a, { impact_paddle: { giving: 'curious' } });
    await a.sealed.uploads.idle();
    answer(b, B_ACT);
    await markReady(b, 'activities');
    const first = await revealedOn(b, 'activities');
    expect(first.a.impact_paddle).toMatchObject({ giving: 'curious' });
    expect(first.changed).toEqual({});

    answer(a, { impact_strap: { giving: 'not_now', note: A_CHANGED } });
    await until(() => b.state().revealed.activities?.a.impact_strap?.note === A_CHANGED, 3000, 'b sees a\'s change');
    const after = await b.sealed.revealed.settled();
    expect(after.revealed.activities?.a.impact_strap).toMatchObject({ giving: 'not_now', note: A_CHANGED });
    expect(after.revealed.activities?.changed.impact_strap?.seat).toBe('a');
    expect(Object.keys(after.revealed.activities?.changed ?? {})).toEqual(['impact_strap']);
    // A's own opened room doc shows the same (it opens its own escrow too)
    await until(() => a.state().revealed.activities?.a.impact_strap?.note === A_CHANGED, 3000, 'a sees its own change released');
  });

  it('ZR3 discreet mode: the upload is accepted, both opened room docs equal the standard discreet reveal (notes aside), unmatched answers and notes never reach the partner, and a change towards no withdraws the match at once', async () => {
    const { a, b } = await sealedPartners('discreet');
    answer(a, A_ACT);
    answer(b, B_ACT);
    await markReady(a, 'activities');
    await markReady(b, 'activities');
    const onB = await revealedOn(b, 'activities');
    const onA = await revealedOn(a, 'activities');
    const standard = standardDiscreet('activities', A_ACT, B_ACT);
    expect(onB).toEqual(standard);
    expect(onA).toEqual(standard);
    // the match: A gives, B receives the hand; A's unmatched paddle yes is not on B's screen, nor any note
    expect(onB.a.impact_hand).toMatchObject({ giving: 'yes' });
    expect(onB.a.impact_paddle).toBeUndefined();
    expect(onB.a.impact_strap).toBeUndefined();
    for (const canary of [A_NOTE, B_NOTE]) {
      expect(stateText(b)).not.toContain(canary);
      expect(stateText(a)).not.toContain(canary);
    }

    // towards no after the reveal: the tag is withdrawn, and the match leaves B's screen
    answer(a, { impact_hand: { giving: 'not_now', receiving: 'hard_limit' } });
    await until(() => b.state().revealed.activities?.a.impact_hand?.giving === undefined, 3000, 'b no longer sees the match');
    expect((await b.sealed.revealed.settled()).revealed.activities?.b.impact_hand).toEqual({ giving: 'hard_limit' });
    expectNoCanaries(server.dataDir, server.logs.join(''), [a.room.recorder, a.control.recorder, b.room.recorder, b.control.recorder], CANARIES);
  });

  it('ZR4 the agreement: both partners build it from their opened room docs, the keyed hashes are equal, and after both confirm each lists both as confirmed', async () => {
    const { a, b } = await sealedPartners('full');
    answer(a, A_ACT);
    answer(b, B_ACT);
    await markReady(a, 'activities');
    await markReady(b, 'activities');
    await revealedOn(a, 'activities');
    await revealedOn(b, 'activities');
    const hashOf = async (p: Partner) => {
      const room = await p.sealed.revealed.settled();
      const { agreement } = currentAgreement({ template, room, agreementText: '', names: { a: 'Alex', b: 'Blake' }, title: null });
      return { agreement, hash: await sealedAgreementHash(p.sealed.pair.agreement, agreement) };
    };
    const [fromA, fromB] = await Promise.all([hashOf(a), hashOf(b)]);
    expect(fromA.agreement.sections.map((s) => s.id)).toEqual(['activities']);
    expect(fromA.hash).toBe(fromB.hash);
    expect(await a.control.send('agreement:confirm', { hash: fromA.hash })).toMatchObject({ ok: true });
    expect(await b.control.send('agreement:confirm', { hash: fromB.hash })).toMatchObject({ ok: true });
    for (const p of [a, b]) {
      await until(() => confirmedInSealedRoom(p.state().meta.confirmations, fromA.hash).length === 2, 3000, `${p.seat} sees both confirmations`);
      expect(confirmedInSealedRoom(p.state().meta.confirmations, fromA.hash)).toEqual(['a', 'b']);
    }
    // a change after confirming: each now counts no one for the new agreement until they confirm again
    answer(a, { impact_paddle: { giving: 'not_now' } });
    await until(() => b.state().revealed.activities?.a.impact_paddle?.giving === 'not_now', 3000, 'b sees the change');
    const changed = await hashOf(b);
    expect(changed.hash).not.toBe(fromA.hash);
    expect(confirmedInSealedRoom(b.state().meta.confirmations, changed.hash)).toEqual([]);
  });

  it('ZR5 exports built in the browser (as a sealed room needs them) are the files the server gives for a standard room with the same agreement', async () => {
    const { pair, a, b } = await standardPartners();
    a.answer('impact_hand', { giving: 'yes', note: 'with a warm-up' });
    b.answer('impact_hand', { receiving: 'favourite' });
    await Promise.all([a.private.stored(), b.private.stored()]);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await until(() => a.revealed('activities') !== undefined, 3000, 'activities revealed');
    const json = await http<{ hash: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=json`, { token: pair.a.token });
    expect(await a.control.send('agreement:confirm', { hash: json.body.hash })).toMatchObject({ ok: true });
    await until(() => readRoomDoc(a.room.doc).meta.confirmations.a !== null, 3000, 'the confirmation is in the room doc');

    const room = readRoomDoc(a.room.doc);
    const { agreement, hash } = currentAgreement({ template, room, agreementText: '', names: { a: 'Alex', b: 'Blake' }, title: null });
    expect(hash).toBe(json.body.hash);
    for (const format of ['md', 'json'] as const) {
      const fromServer = await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement?format=${format}&tz=Europe/Berlin`, { token: pair.a.token });
      const built = agreementFile(agreement, hash, room.meta.confirmations, format, 'Europe/Berlin');
      expect(built.body).toBe(fromServer.text);
      expect(fromServer.headers.get('content-type')).toContain(built.type);
    }
    // a sealed room has no agreement on the server: the browser's build is the only one
    const sealed = await createSealedPair(server.url);
    expect((await http(server.url, 'GET', `/api/rooms/${sealed.roomId}/agreement?format=md`, { token: sealed.a.token })).status).toBe(404);
  });

  it('ZR6 a partner\'s escrow that does not open: the reveal says so, shows nothing of it, and the rest keeps working', async () => {
    const { roomId, a, b } = await sealedPartners('full');
    answer(a, A_ACT);
    await markReady(a, 'activities');
    // B's client is hostile: an envelope of the right shape, sealed for another round's slot
    const wrong = await sealEscrow({ pairKeys: b.sealed.pair, roomId, sectionId: 'activities', round: 2, seat: 'b', answers: B_ACT, template, writer: { sender: newSender(), seq: 1 } });
    if (!wrong.ok) throw new Error(wrong.reason);
    expect(await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: wrong.envelope })).toEqual({ ok: true });
    const onA = await revealedOn(a, 'activities');
    expect(a.state().unreadable).toEqual({ activities: 1 });
    expect(onA.b).toEqual({});
    expect(onA.a).toEqual(projectSection({ template, sectionId: 'activities', round: 1, mode: 'full', a: A_ACT, b: {} }).a);
    // A's change after the reveal still goes up and opens on A's side
    answer(a, { impact_paddle: { giving: 'not_now' } });
    await until(() => a.state().revealed.activities?.a.impact_paddle?.giving === 'not_now', 3000, 'a\'s change released');
  });

  it('ZR7 un-ready withdraws as today: a change just before it does not mark the section ready again, and the partner\'s ready releases nothing', async () => {
    const { a, b } = await sealedPartners('discreet');
    answer(a, A_ACT);
    await markReady(a, 'activities');
    // a change (its re-upload is a `section:ready` in discreet mode), then at once the un-ready button:
    // the re-upload that was waiting does not go out, so it cannot land after the un-ready and undo it
    const before = a.sent.length;
    answer(a, { impact_paddle: { giving: 'not_now' } });
    a.sealed.uploads.withdraw('activities');
    await a.sealed.uploads.idle();
    expect(a.sent.slice(before)).toEqual([]);
    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: false })).toEqual({ ok: true });
    await a.room.caughtUp();
    expect(readRoomDoc(a.room.doc).sections.activities?.ready.a).toBe(false);

    answer(b, B_ACT);
    await markReady(b, 'activities');
    await until(() => readRoomDoc(a.room.doc).sections.activities?.ready.b === true, 3000, 'a sees b ready');
    await a.room.caughtUp();
    expect(readRoomDoc(a.room.doc).sections.activities).toMatchObject({ state: 'open', ready: { a: false, b: true } });
    expect((await a.sealed.revealed.settled()).revealed).toEqual({});
  });

  it('ZR8 a new round: the earlier round\'s envelopes open into the history the reveal view lists, and the new round starts sealed and empty', async () => {
    const { a, b } = await sealedPartners('full');
    answer(a, A_ACT);
    answer(b, B_ACT);
    await markReady(a, 'activities');
    await markReady(b, 'activities');
    await revealedOn(b, 'activities');
    expect(await a.control.send('section:reopen', { sectionId: 'activities', note: null })).toMatchObject({ ok: true });
    await until(() => readRoomDoc(b.room.doc).sections.activities?.round === 2, 3000, 'b sees round 2');
    const state = await b.sealed.revealed.settled();
    const reopened = state.history.find((e) => e.type === 'reopened' && e.sectionId === 'activities');
    expect(reopened?.revealed).toEqual(projectSection({ template, sectionId: 'activities', round: 1, mode: 'full', a: A_ACT, b: B_ACT }));
    expect(state.revealed.activities).toBeUndefined();
    // round 2: the ready button seals for the new round's slot, and the server takes it
    await markReady(b, 'activities');
  });

  it('ZR9 discreet mode: a change within yes after the reveal (a piece cannot be replaced) shows the same on both screens, so both build the same agreement', async () => {
    const { a, b } = await sealedPartners('discreet');
    answer(a, A_ACT);
    answer(b, B_ACT);
    await markReady(a, 'activities');
    await markReady(b, 'activities');
    await revealedOn(a, 'activities');
    await revealedOn(b, 'activities');
    // yes → favourite with new conditions: still a match, the released piece still says yes
    answer(a, { impact_hand: { giving: 'favourite', receiving: 'hard_limit', conditions: ['sober_only'] } });
    await a.sealed.uploads.idle();
    const [onA, onB] = [await a.sealed.revealed.settled(), await b.sealed.revealed.settled()];
    expect(onA.revealed.activities).toEqual(onB.revealed.activities);
    expect(onA.revealed.activities?.a.impact_hand).toMatchObject({ giving: 'yes', conditions: ['check_in_first'] });
    const hashOf = async (p: Partner, room: typeof onA) => sealedAgreementHash(p.sealed.pair.agreement, currentAgreement({ template, room, agreementText: '', names: { a: 'Alex', b: 'Blake' }, title: null }).agreement);
    expect(await hashOf(a, onA)).toBe(await hashOf(b, onB));
  });
});
