import fc from 'fast-check';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { CONDITIONS, EXPERIENCE_LEVELS, RATINGS } from '@parley/shared/protocol/answers';
import { docName, type Seat } from '@parley/shared/protocol/ids';
import { readRoomDoc, type SealedRevealedSection } from '@parley/shared/protocol/room-doc';
import { isDiscreetItem, projectSection, type UntrustedAnswers } from '@parley/shared/reveal/project';
import { utf8Bytes } from '@parley/shared/sealed/bytes';
import { pieceSlot } from '@parley/shared/sealed/contexts';
import { openDiscreet, sealDiscreet, shrinkTags, type SealedDiscreet } from '@parley/shared/sealed/discreet';
import { checkDiscreetUpload, releaseDiscreet, type DiscreetUpload } from '@parley/shared/sealed/discreet-release';
import { slotCount } from '@parley/shared/sealed/discreet-slots';
import { EnvelopeKind, newSender, sealEnvelope } from '@parley/shared/sealed/envelope';
import { sealEscrow } from '@parley/shared/sealed/escrow';
import { deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import { derivePairKeys, type PairKeys } from '@parley/shared/sealed/pair';
import { defaultTemplate } from '@parley/shared/template/default';
import type { Question, Section } from '@parley/shared/template/schema';
import { Origin } from '@parley/server/yjs/live-doc';
import { createSealedPair } from '../helpers/api';
import { connectControl, openDoc, sleep, until, type ControlClient, type DocClient } from '../helpers/clients';
import { closeAfterEach, useServer } from '../helpers/fixtures';
import { expectNoCanaries, querySqlite, sqliteFileBytes } from '../helpers/room-rows';

/**
 * Sealed rooms, phase 5b (issue 16, docs/sealed-rooms.md §6): discreet mode by blind matching.
 * A real server built with `sealedRooms: true`, real socket.io clients and the real client half
 * (`sealDiscreet` / `openDiscreet`, WebCrypto in Node). Answers live only in the test's memory,
 * as they live only in a sealed client's private doc. The server holds tags, pieces and always
 * envelopes, intersects the tags by byte equality and releases the pieces of common tags.
 */

const server = useServer({ build: { sealedRooms: true } });
const closeLater = closeAfterEach();
const template = defaultTemplate;
const section = (id: string): Section => template.sections.find((s) => s.id === id)!;

const NOTE_CANARY = 'CANARY-discreet-note-a-5e21';
const B_NOTE_CANARY = 'CANARY-discreet-note-b-77c0';
const TEXT_CANARY = 'CANARY-discreet-text-a-19fd';
const CANARIES = [NOTE_CANARY, B_NOTE_CANARY, TEXT_CANARY];

interface Seated {
  seat: Seat;
  pair: PairKeys;
  control: ControlClient;
  room: DocClient;
  sender: string;
  seq: number;
}

/** A sealed discreet room, both seats' pair keys, a control socket and the room doc for each. */
async function discreetPair() {
  const created = await createSealedPair(server.url, { revealMode: 'discreet' });
  const { roomId, keys } = created;
  const seated = async (seat: Seat): Promise<Seated> => {
    const other: Seat = seat === 'a' ? 'b' : 'a';
    const pair = await derivePairKeys({ roomId, seat, identity: keys[seat].identity, partnerPublic: keys[other].identity.publicKey });
    if (!pair.ok) throw new Error(pair.reason);
    const control = closeLater(await connectControl(server.url, roomId, keys[seat].authToken));
    const room = openDoc(server.wsUrl, docName.room(roomId), keys[seat].authToken);
    closeLater({ close: () => room.destroy() });
    await room.synced;
    return { seat, pair: pair.keys, control, room, sender: newSender(), seq: 0 };
  };
  return { roomId, a: await seated('a'), b: await seated('b') };
}

/** This seat's client seals its discreet upload (fresh decoys, the next seqs). */
async function sealFor(p: Seated, roomId: string, sectionId: string, round: number, answers: UntrustedAnswers): Promise<SealedDiscreet> {
  const sealed = await sealDiscreet({ pairKeys: p.pair, roomId, sectionId, round, seat: p.seat, answers, template, writer: { sender: p.sender, seq: p.seq + 1 } });
  if (!sealed.ok) throw new Error(sealed.reason);
  p.seq = sealed.lastSeq;
  return sealed;
}
const ready = (p: Seated, sectionId: string, discreet: unknown) => p.control.send('section:ready', { sectionId, ready: true, discreet });

const sealedOf = (p: Seated, sectionId: string): SealedRevealedSection | undefined => readRoomDoc(p.room.doc).sealedRevealed?.[sectionId];
const sectionOf = (p: Seated, sectionId: string) => readRoomDoc(p.room.doc).sections[sectionId];

/** What this seat's client shows of the released section. */
async function viewOf(p: Seated, roomId: string, sectionId: string, answers: UntrustedAnswers, released = sealedOf(p, sectionId)) {
  if (!released) throw new Error('not released');
  const opened = await openDiscreet({ pairKeys: p.pair, roomId, sectionId, seat: p.seat, answers, template, released });
  if (!opened.ok) throw new Error(opened.reason);
  return opened;
}

/** The standard discreet reveal of the same answers, without the notes of discreet items (no note pieces yet). */
function standard(sectionId: string, round: number, a: UntrustedAnswers, b: UntrustedAnswers) {
  const strip = (answers: UntrustedAnswers) =>
    Object.fromEntries(
      Object.entries(answers).map(([id, value]) => {
        const question = section(sectionId).items.find((q) => q.id === id);
        if (!question || !isDiscreetItem(section(sectionId), question) || typeof value !== 'object' || value === null) return [id, value];
        const { note: _note, ...rest } = value as Record<string, unknown>;
        return [id, rest];
      }),
    );
  return projectSection({ template, sectionId, round, mode: 'discreet', a: strip(a), b: strip(b) });
}

const query = <T>(sql: string, ...params: unknown[]): T[] => querySqlite<T>(server.dataDir, sql, ...params);
const escrowRows = (roomId: string) => query<{ section_id: string; seat: string; round: number; envelope: Buffer }>('SELECT section_id, seat, round, envelope FROM escrow WHERE room_id = ? ORDER BY section_id, seat', roomId);
const framesOf = (p: Seated): Buffer => Buffer.concat(p.room.recorder.chunks);
const contains = (haystack: Buffer, needle: Uint8Array): boolean => haystack.indexOf(Buffer.from(needle)) !== -1;
/** The N pieces of an upload, one by one. */
const piecesOf = (upload: DiscreetUpload, n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => upload.pieces.subarray((i * upload.pieces.length) / n, ((i + 1) * upload.pieces.length) / n));
const tagsOf = (tags: Uint8Array): string[] => Array.from({ length: tags.length / 32 }, (_, i) => bytesToHex(tags.subarray(i * 32, (i + 1) * 32)));

// A Dominant and a submissive: A gives yes (a hard limit on receiving), B receives yes (a hard limit on giving).
const A_ACT = {
  impact_hand: { giving: 'yes', receiving: 'hard_limit', conditions: ['check_in_first'], experience: 'some', note: NOTE_CANARY },
  impact_paddle: { giving: 'yes', note: NOTE_CANARY },
  impact_flogger: { giving: 'favourite', receiving: 'yes' },
  impact_strap: { giving: 'yes' },
  impact_face: { receiving: 'yes' },
};
const B_ACT = {
  impact_hand: { giving: 'hard_limit', receiving: 'yes', experience: 'lots', note: B_NOTE_CANARY },
  impact_paddle: { receiving: 'curious' },
  impact_strap: { receiving: 'hard_limit' },
  impact_face: { giving: 'not_now' },
  impact_crop_cane: { giving: 'yes', receiving: 'yes' },
};

describe('sealed rooms: discreet mode by blind matching (issue 16, phase 5b)', () => {
  it('BR1 a D/s pair: the matching direction is shown to both, each seat\'s hard limits as its own, nothing else of the partner; the server releases only the pieces of the common tag', async () => {
    const { roomId, a, b } = await discreetPair();
    const n = slotCount(section('activities'));
    const upA = await sealFor(a, roomId, 'activities', 1, A_ACT);
    // every upload has the slot count's tags and pieces, all pieces one size, whatever was answered
    expect(upA.upload.tags.length).toBe(n * 32);
    expect(upA.upload.pieces.length).toBe(n * 298);
    expect(await ready(a, 'activities', upA.upload)).toEqual({ ok: true });
    await until(() => sectionOf(b, 'activities')?.ready.a === true, 3000, 'b sees a ready');
    await b.room.caughtUp();
    expect(sealedOf(b, 'activities')).toBeUndefined();
    // nothing of A's tags or pieces in anything B's room doc received
    for (const piece of piecesOf(upA.upload, n)) expect(contains(framesOf(b), piece.subarray(piece.length - 16))).toBe(false);
    expect(contains(framesOf(b), upA.upload.tags.subarray(0, 32))).toBe(false);
    expect(escrowRows(roomId).map((r) => [r.section_id, r.seat, r.round])).toEqual([['activities', 'a', 1]]);

    const upB = await sealFor(b, roomId, 'activities', 1, B_ACT);
    const revealedOnA = a.control.next('section:revealed');
    expect(await ready(b, 'activities', upB.upload)).toEqual({ ok: true });
    expect(await revealedOnA).toEqual({ sectionId: 'activities', round: 1 });
    await until(() => sealedOf(a, 'activities') !== undefined && sealedOf(b, 'activities') !== undefined, 3000, 'released on both');

    // one common tag (impact_hand, a gives → b receives): its two pieces, and both always envelopes
    const released = sealedOf(b, 'activities')!;
    expect(tagsOf(released.discreet!.tags)).toHaveLength(1);
    const [common] = tagsOf(released.discreet!.tags);
    expect(upA.mine.get(common!)).toEqual({ itemId: 'impact_hand', way: 'aToB' });
    expect(upB.mine.get(common!)).toEqual({ itemId: 'impact_hand', way: 'aToB' });
    expect(released.discreet!.a.length).toBe(298);
    expect(released.discreet!.b.length).toBe(298);
    expect(Buffer.from(released.a).equals(Buffer.from(upA.upload.always))).toBe(true);
    expect(Buffer.from(released.b).equals(Buffer.from(upB.upload.always))).toBe(true);

    const expected = {
      a: { impact_hand: { giving: 'yes', receiving: 'hard_limit', conditions: ['check_in_first'] } },
      b: { impact_hand: { receiving: 'yes', giving: 'hard_limit' }, impact_strap: { receiving: 'hard_limit' } },
    };
    const atA = await viewOf(a, roomId, 'activities', A_ACT);
    const atB = await viewOf(b, roomId, 'activities', B_ACT);
    for (const view of [atA, atB]) {
      expect(view.unreadable).toBe(0);
      expect(view.matched).toBe(1);
      expect({ a: view.revealed.a, b: view.revealed.b }).toEqual(expected);
      expect(view.revealed.notShared).toBe(section('activities').items.length - 1);
      expect(view.revealed).toEqual({ ...standard('activities', 1, A_ACT, B_ACT), changed: {} });
    }
    // A's other yeses (paddle against a curious, strap against a hard limit, flogger against a blank,
    // face against a not now) left the server nowhere: their pieces are in no frame B received
    const aPieces = piecesOf(upA.upload, n);
    const tags = tagsOf(upA.upload.tags);
    for (const [i, piece] of aPieces.entries()) {
      const inB = contains(framesOf(b), piece.subarray(piece.length - 16));
      expect(inB, upA.mine.get(tags[i]!)?.itemId ?? 'decoy').toBe(tags[i] === common);
    }
    // a server that hands A's pieces back as B's opens nothing (seat in the context)
    const swapped = await viewOf(a, roomId, 'activities', A_ACT, { ...released, a: released.b, b: released.a, discreet: { ...released.discreet!, a: released.discreet!.b, b: released.discreet!.a } });
    expect(swapped.unreadable).toBe(2);
    expect(swapped.revealed.b).toEqual({});

    // canaries: notes are in no piece; none in the SQLite file, the logs or any frame
    expectNoCanaries(server.dataDir, server.logs.join(''), [a.room.recorder, a.control.recorder, b.room.recorder, b.control.recorder], CANARIES);
  });

  it('BR2 written answers and hard limits travel in the always envelope; a section matched by the same choice shows both answers; alwaysFull sections keep the full escrow', async () => {
    const { roomId, a, b } = await discreetPair();
    const answersA = { curious_wonder: { text: TEXT_CANARY }, curious_share_fantasies: { giving: 'yes', receiving: 'yes', note: NOTE_CANARY }, curious_approach: { choices: ['talk_more', 'try_lightly'] } };
    const answersB = { curious_share_fantasies: { giving: 'favourite', receiving: 'yes_for_you' }, curious_approach: { choices: ['try_lightly', 'talk_more'] } };
    expect(await ready(a, 'curious', (await sealFor(a, roomId, 'curious', 1, answersA)).upload)).toEqual({ ok: true });
    expect(await ready(b, 'curious', (await sealFor(b, roomId, 'curious', 1, answersB)).upload)).toEqual({ ok: true });
    await until(() => sealedOf(b, 'curious') !== undefined, 3000, 'released');
    const atB = await viewOf(b, roomId, 'curious', answersB);
    expect(atB.revealed).toEqual({ ...standard('curious', 1, answersA, answersB), changed: {} });
    expect(atB.revealed.a.curious_wonder).toEqual({ text: TEXT_CANARY });
    // both directions (and so `all`) and the same selection matched; the note is in no piece
    expect(atB.matched).toBe(4);
    expect(atB.revealed.a.curious_share_fantasies).toEqual({ giving: 'yes', receiving: 'yes' });
    expect(atB.revealed.a.curious_approach).toEqual({ choices: ['talk_more', 'try_lightly'] });
    expect(atB.revealed.b.curious_approach).toEqual({ choices: ['talk_more', 'try_lightly'] });
    expect(sqliteFileBytes(server.dataDir).indexOf(Buffer.from(TEXT_CANARY))).toBe(-1);

    // a safety section of a discreet room is revealed in full, by escrow, as in a standard room
    const limitsA = await sealEscrow({ pairKeys: a.pair, roomId, sectionId: 'limits', round: 1, seat: 'a', answers: {}, template, writer: { sender: a.sender, seq: ++a.seq } });
    if (!limitsA.ok) throw new Error(limitsA.reason);
    expect(await a.control.send('section:ready', { sectionId: 'limits', ready: true, discreet: (await sealFor(a, roomId, 'curious', 1, {})).upload })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('escrow') } });
    expect(await a.control.send('section:ready', { sectionId: 'limits', ready: true, escrow: limitsA.envelope })).toEqual({ ok: true });
    expect(escrowRows(roomId).find((r) => r.section_id === 'limits')?.envelope.equals(Buffer.from(limitsA.envelope))).toBe(true);
  });

  it('BR3 after the release tags only shrink: a withdrawn yes leaves the partner\'s view at once with both pieces, an added tag is refused; the next round tags afresh', async () => {
    const { roomId, a, b } = await discreetPair();
    const answersA = { impact_hand: { giving: 'yes' }, impact_paddle: { giving: 'yes', receiving: 'yes' } };
    const answersB = { impact_hand: { receiving: 'yes' }, impact_paddle: { giving: 'yes', receiving: 'yes' } };
    const upA = await sealFor(a, roomId, 'activities', 1, answersA);
    await ready(a, 'activities', upA.upload);
    await ready(b, 'activities', (await sealFor(b, roomId, 'activities', 1, answersB)).upload);
    await until(() => sealedOf(b, 'activities') !== undefined, 3000, 'released');
    expect((await viewOf(b, roomId, 'activities', answersB)).matched).toBe(4); // hand aToB, paddle aToB, bToA, all

    // before anything is withdrawn: tags of another round, or in a section not released, are refused
    expect(await a.control.send('section:tags', { sectionId: 'activities', round: 2, tags: upA.upload.tags })).toMatchObject({ ok: false, error: { code: 'stale' } });
    expect(await a.control.send('section:tags', { sectionId: 'frame', round: 1, tags: upA.upload.tags })).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    // A changes hand towards no: its client withdraws the tag; B's view loses the direction at once
    const changedA = { ...answersA, impact_hand: { giving: 'not_now' } };
    const roundKey = await a.pair.roundKey('activities', 1);
    const kept = await shrinkTags(roundKey, section('activities'), 'a', upA.upload.tags, upA.mine, changedA);
    expect(kept.length).toBe(upA.upload.tags.length - 32);
    const started = performance.now();
    expect(await a.control.send('section:tags', { sectionId: 'activities', round: 1, tags: kept })).toEqual({ ok: true });
    await until(() => tagsOf(sealedOf(b, 'activities')!.discreet!.tags).length === 3, 3000, 'b sees the tag withdrawn');
    expect(performance.now() - started).toBeLessThan(250);
    const released = sealedOf(b, 'activities')!;
    expect(released.discreet!.a.length).toBe(3 * 298);
    expect(released.discreet!.b.length).toBe(3 * 298);
    const atB = await viewOf(b, roomId, 'activities', answersB);
    expect(atB.revealed.a).toEqual({ impact_paddle: { giving: 'yes', receiving: 'yes' } });
    expect(atB.revealed.b).toEqual({ impact_paddle: { giving: 'yes', receiving: 'yes' } });
    // no attribution in the doc: the room doc's history has no entry for a withdrawal
    expect(readRoomDoc(b.room.doc).history.map((h) => h.type)).toEqual(['ready', 'ready', 'revealed']);

    // back towards yes within the round: the old tag cannot come back, nor a new one be added
    expect(await a.control.send('section:tags', { sectionId: 'activities', round: 1, tags: upA.upload.tags })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('next round') } });
    const fresh = await sealFor(a, roomId, 'activities', 1, { ...answersA, impact_strap: { giving: 'yes' } });
    expect(await a.control.send('section:tags', { sectionId: 'activities', round: 1, tags: fresh.upload.tags })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // ready again after the release changes nothing either
    expect(await ready(a, 'activities', fresh.upload)).toEqual({ ok: true });
    expect(tagsOf(sealedOf(a, 'activities')!.discreet!.tags)).toHaveLength(3);
    // unsorted or malformed sets are refused and change nothing
    expect(await a.control.send('section:tags', { sectionId: 'activities', round: 1, tags: kept.subarray(0, 40) })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const reversed = new Uint8Array(kept.length);
    tagsOf(kept).reverse().forEach((hex, i) => reversed.set(Buffer.from(hex, 'hex'), i * 32));
    expect(await a.control.send('section:tags', { sectionId: 'activities', round: 1, tags: reversed })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('sorted') } });
    expect(tagsOf(sealedOf(a, 'activities')!.discreet!.tags)).toHaveLength(3);

    // the partner withdrawing everything leaves nothing shared
    expect(await b.control.send('section:tags', { sectionId: 'activities', round: 1, tags: new Uint8Array(0) })).toEqual({ ok: true });
    await until(() => sealedOf(a, 'activities')!.discreet!.tags.length === 0, 3000, 'nothing shared');
    expect((await viewOf(a, roomId, 'activities', answersA)).revealed.b).toEqual({});

    // reopen: round 2, new round keys; A's yes on hand matches again; round 1's tags match nothing
    expect(await a.control.send('section:reopen', { sectionId: 'activities' })).toEqual({ ok: true });
    await until(() => sectionOf(b, 'activities')?.round === 2, 3000, 'round 2');
    expect(escrowRows(roomId)).toEqual([]);
    await ready(a, 'activities', (await sealFor(a, roomId, 'activities', 2, answersA)).upload);
    await ready(b, 'activities', (await sealFor(b, roomId, 'activities', 2, answersB)).upload);
    await until(() => sealedOf(b, 'activities')?.round === 2, 3000, 'round 2 released');
    const round2 = sealedOf(b, 'activities')!;
    expect(tagsOf(round2.discreet!.tags)).toHaveLength(4);
    expect(tagsOf(round2.discreet!.tags).some((t) => tagsOf(upA.upload.tags).includes(t))).toBe(false);
    expect((await viewOf(b, roomId, 'activities', answersB)).revealed.a).toEqual(answersA);
  });

  it('BR4 malformed tag sets and pieces are refused with bad_request and store nothing; a well-formed hostile piece shows only what its way allows', async () => {
    const { roomId, a, b } = await discreetPair();
    const n = slotCount(section('activities'));
    const good = (await sealFor(b, roomId, 'activities', 1, B_ACT)).upload;
    const swapTags = new Uint8Array(good.tags);
    swapTags.set(good.tags.subarray(32, 64), 0);
    swapTags.set(good.tags.subarray(0, 32), 32);
    const duplicate = new Uint8Array(good.tags);
    duplicate.set(good.tags.subarray(0, 32), 32);
    const asEscrow = (await sealEscrow({ pairKeys: b.pair, roomId, sectionId: 'activities', round: 1, seat: 'b', answers: {}, template, writer: { sender: b.sender, seq: ++b.seq } })) as { envelope: Uint8Array };
    const piece = (i: number) => good.pieces.subarray(i * 298, (i + 1) * 298);
    const escrowAsPiece = new Uint8Array(good.pieces);
    const wrongKind = new Uint8Array(piece(0));
    wrongKind[1] = EnvelopeKind.update;
    escrowAsPiece.set(wrongKind, 0);
    const bigger = await sealEnvelope(b.pair.escrow.b, { kind: EnvelopeKind.piece, sender: b.sender, seq: ++b.seq, context: 'x' }, new Uint8Array(400));
    if (!bigger.ok) throw new Error(bigger.reason);
    const unequal = new Uint8Array([...good.pieces.subarray(0, (n - 2) * 298), ...bigger.envelope]);
    const cases: [string, unknown][] = [
      ['one tag short', { ...good, tags: good.tags.subarray(32), pieces: good.pieces.subarray(298) }],
      ['one tag more', { ...good, tags: new Uint8Array([...good.tags, ...new Uint8Array(32).fill(0xff)]), pieces: new Uint8Array([...good.pieces, ...piece(0)]) }],
      ['a tag of 31 bytes', { ...good, tags: good.tags.subarray(1) }],
      ['not sorted', { ...good, tags: swapTags }],
      ['not distinct', { ...good, tags: duplicate }],
      ['a piece missing', { ...good, pieces: good.pieces.subarray(298) }],
      ['a piece of another kind', { ...good, pieces: escrowAsPiece }],
      ['pieces of two sizes', { ...good, pieces: unequal }],
      ['random pieces', { ...good, pieces: new Uint8Array(good.pieces.length).fill(7) }],
      ['the always envelope of another kind', { ...good, always: piece(0) }],
      ['no always envelope', { tags: good.tags, pieces: good.pieces }],
      ['tags as a string', { ...good, tags: 'tags' }],
      ['a full escrow instead', undefined],
    ];
    for (const [what, discreet] of cases) {
      const payload = discreet === undefined ? { sectionId: 'activities', ready: true, escrow: asEscrow.envelope } : { sectionId: 'activities', ready: true, discreet };
      expect(await b.control.send('section:ready', payload), what).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(await b.control.send('section:ready', { sectionId: 'activities', ready: false, discreet: good })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await b.control.send('section:ready', { sectionId: 'activities', ready: true, discreet: good, escrow: asEscrow.envelope })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(escrowRows(roomId)).toEqual([]);
    expect(sectionOf(a, 'activities')?.ready.b).toBe(false);
    expect(b.control.socket.connected).toBe(true);

    // B's hostile client: well-formed, but its matching piece claims more than its way shows
    const answersA = { impact_hand: { giving: 'yes', receiving: 'yes' } };
    const honest = await sealFor(b, roomId, 'activities', 1, { impact_hand: { receiving: 'yes' } });
    const tags = tagsOf(honest.upload.tags);
    const at = tags.findIndex((t) => honest.mine.get(t)?.way === 'aToB');
    const slot = pieceSlot(roomId, 'activities', 1, 'b', tags[at]!);
    if (!slot.ok) throw new Error(slot.reason);
    const claim = utf8Bytes(JSON.stringify({ v: 1, answer: { receiving: 'yes', giving: 'favourite', text: 'not asked', note: B_NOTE_CANARY, choice: 'x' } }));
    const forged = await sealEnvelope(b.pair.escrow.b, { kind: EnvelopeKind.piece, sender: b.sender, seq: ++b.seq, context: slot.context }, claim);
    if (!forged.ok) throw new Error(forged.reason);
    const pieces = new Uint8Array(honest.upload.pieces);
    pieces.set(forged.envelope, at * 298);
    expect(await ready(b, 'activities', { ...honest.upload, pieces })).toEqual({ ok: true });
    expect(await ready(a, 'activities', (await sealFor(a, roomId, 'activities', 1, answersA)).upload)).toEqual({ ok: true });
    await until(() => sealedOf(a, 'activities') !== undefined, 3000, 'released');
    const atA = await viewOf(a, roomId, 'activities', answersA);
    expect(atA.revealed.b).toEqual({ impact_hand: { receiving: 'yes' } });
    expect(atA.revealed.a).toEqual({ impact_hand: { giving: 'yes' } });
  });

  it('BR5 ready marks racing release exactly once per section; reconcile rebuilds a lost release from the rows', async () => {
    const { roomId, a, b } = await discreetPair();
    let reveals = 0;
    b.control.socket.on('section:revealed', () => reveals++);
    const sections = ['activities', 'arrival', 'frame', 'curious'];
    for (const sectionId of sections) {
      const [x, y] = await Promise.all([
        ready(a, sectionId, (await sealFor(a, roomId, sectionId, 1, A_ACT)).upload),
        ready(b, sectionId, (await sealFor(b, roomId, sectionId, 1, B_ACT)).upload),
      ]);
      expect([x, y]).toEqual([{ ok: true }, { ok: true }]);
    }
    await until(() => sections.every((id) => sealedOf(b, id) !== undefined), 3000, 'all released');
    await sleep(200);
    expect(reveals).toBe(sections.length);
    expect(readRoomDoc(b.room.doc).history.filter((h) => h.type === 'revealed')).toHaveLength(sections.length);

    const before = await viewOf(b, roomId, 'activities', B_ACT);
    const { hub, reveal } = server.app.parley;
    await hub.read(docName.room(roomId), (live) => live.doc.transact(() => live.doc.getMap('revealed').delete('activities'), Origin.server));
    await until(() => sealedOf(b, 'activities') === undefined, 3000, 'b sees it gone');
    await reveal.reconcile(roomId);
    await until(() => sealedOf(b, 'activities') !== undefined, 3000, 'reconciled');
    expect(await viewOf(b, roomId, 'activities', B_ACT)).toEqual(before);
  });
});

// Yeses are frequent and options few, so both seats often match, on every kind of slot.
const rating = fc.oneof(fc.constantFrom('favourite', 'yes', 'yes_for_you'), fc.constantFrom(...RATINGS), fc.constant(undefined));
const optionIds = (question: Question) => ('options' in question ? question.options.slice(0, 3).map((o) => o.id) : []);
const extras = (question: Question) => ({
  ...(question.conditions ? { conditions: fc.subarray([...CONDITIONS]) } : {}),
  ...(question.experience ? { experience: fc.constantFrom(...EXPERIENCE_LEVELS) } : {}),
  ...(question.note ? { note: fc.string({ maxLength: 30 }) } : {}),
});
function answerOf(question: Question): fc.Arbitrary<unknown> {
  switch (question.type) {
    case 'dual_rating':
      return fc.record({ giving: rating, receiving: rating, ...extras(question) }, { requiredKeys: [] });
    case 'rating':
      return fc.record({ rating, ...extras(question) }, { requiredKeys: [] });
    case 'choice':
      return fc.record({ choice: fc.constantFrom(...optionIds(question).slice(0, 2), 'not-an-option'), ...extras(question) }, { requiredKeys: [] });
    case 'multi':
      return fc.record({ choices: fc.subarray(optionIds(question)), ...extras(question) }, { requiredKeys: [] });
    case 'scale':
      return fc.record({ scale: fc.integer({ min: question.min, max: question.min + 1 }), ...extras(question) }, { requiredKeys: [] });
    default:
      return fc.record({ text: fc.string({ maxLength: 40 }), ...extras(question) }, { requiredKeys: [] });
  }
}
const seatOf = (s: Section) =>
  fc.tuple(...s.items.map((question) => fc.option(answerOf(question), { nil: undefined }))).map((values) =>
    Object.fromEntries(s.items.flatMap((question, i) => (values[i] === undefined ? [] : [[question.id, values[i]]]))),
  );
const discreetSections = template.sections.filter((s) => !s.alwaysFull && slotCount(s) > 0 && slotCount(s) < 40);

describe('sealed discreet release, property', () => {
  it('BR6 for any two answer sets, the blind release opened by either seat is exactly the standard discreet reveal (notes aside), and unmatched pieces are never released', async () => {
    const roomId = 'ROOMidROOMidROOMidROOMi';
    const ka = await deriveSeatKeys(generateLinkSecret());
    const kb = await deriveSeatKeys(generateLinkSecret());
    const pa = await derivePairKeys({ roomId, seat: 'a', identity: ka.identity, partnerPublic: kb.identity.publicKey });
    const pb = await derivePairKeys({ roomId, seat: 'b', identity: kb.identity, partnerPublic: ka.identity.publicKey });
    if (!pa.ok || !pb.ok) throw new Error('pair');
    const pairs = { a: pa.keys, b: pb.keys };
    let matched = 0;
    let shown = 0;
    const scenario = fc.constantFrom(...discreetSections).chain((s) => fc.record({ s: fc.constant(s), a: seatOf(s), b: seatOf(s) }));
    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, a, b }) => {
        const answers = { a, b };
        const sealed = {} as Record<Seat, SealedDiscreet>;
        for (const seat of ['a', 'b'] as const) {
          const out = await sealDiscreet({ pairKeys: pairs[seat], roomId, sectionId: s.id, round: 3, seat, answers: answers[seat], template, writer: { sender: newSender(), seq: 1 } });
          if (!out.ok) throw new Error(out.reason);
          sealed[seat] = out;
        }
        // what the server does: check both uploads strictly, intersect blind
        const setA = checkDiscreetUpload(sealed.a.upload, slotCount(s));
        const setB = checkDiscreetUpload(sealed.b.upload, slotCount(s));
        if (!setA.ok || !setB.ok) throw new Error('upload refused');
        const release = releaseDiscreet(setA.set, setB.set);
        matched += release.tags.length / 32;
        const released: SealedRevealedSection = { sealed: true, round: 3, a: sealed.a.upload.always, b: sealed.b.upload.always, discreet: release };
        const expected = { ...standard(s.id, 3, a, b), changed: {} };
        shown += Object.keys(expected.a).length + Object.keys(expected.b).length;
        for (const seat of ['a', 'b'] as const) {
          const view = await openDiscreet({ pairKeys: pairs[seat], roomId, sectionId: s.id, seat, answers: answers[seat], template, released });
          if (!view.ok) throw new Error(view.reason);
          expect(view.unreadable).toBe(0);
          expect(view.revealed).toEqual(expected);
        }
        // every released tag is a real tag of both seats: no decoy, no one-sided yes
        for (const tag of tagsOf(release.tags)) {
          expect(sealed.a.mine.has(tag) && sealed.b.mine.has(tag)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
    // the runs did match things (the generator favours yeses and few options)
    expect(matched).toBeGreaterThanOrEqual(8);
    expect(shown).toBeGreaterThanOrEqual(40);
  });
});
