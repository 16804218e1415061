import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { docName, type Seat } from '@parley/shared/protocol/ids';
import type { RoomView } from '@parley/shared/protocol/http';
import { readRoomDoc, type SealedRevealedSection } from '@parley/shared/protocol/room-doc';
import { fromBase64Url, toBase64Url, utf8Bytes } from '@parley/shared/sealed/bytes';
import { EnvelopeKind, MAX_ESCROW_BYTES, newSender, sealEnvelope } from '@parley/shared/sealed/envelope';
import { escrowSlot } from '@parley/shared/sealed/contexts';
import { openEscrow, sealEscrow } from '@parley/shared/sealed/escrow';
import { bindPublicKey, deriveInviteKeys, deriveSeatKeys, generateLinkSecret, inviteSecretOf, type SeatKeys } from '@parley/shared/sealed/keys';
import { derivePairKeys, type PairKeys } from '@parley/shared/sealed/pair';
import { SeqGuard } from '@parley/shared/sealed/replay';
import { defaultTemplate } from '@parley/shared/template/default';
import { createPair, http } from '../helpers/api';
import { connectControl, openDoc, sleep, until, type ControlClient, type DocClient } from '../helpers/clients';
import { REDIS_URL, type Cluster } from '../helpers/cluster';
import { closeAfterEach, useCluster, useServer } from '../helpers/fixtures';
import { expectNoCanaries, querySqlite, sqliteFileBytes } from '../helpers/room-rows';
import { noteTokens } from '../helpers/suite-artifacts';
import type { TestServer } from '../helpers/server';
import { Origin } from '@parley/server/yjs/live-doc';

/**
 * Sealed rooms, phase 5a (issue 16, docs/sealed-rooms.md §5): reveal by escrow in full mode,
 * through a real server built with `sealedRooms: true`, real socket.io clients and the real
 * client half of `shared/src/sealed` (`sealEscrow` / `openEscrow`, WebCrypto in Node). Answers
 * live only in the test's memory, as they live only in a sealed client's private doc.
 */

const server = useServer({ build: { sealedRooms: true } });
const closeLater = closeAfterEach();

const template = defaultTemplate;
const NOTE_CANARY = 'CANARY-escrow-note-3d9e';
const TEXT_CANARY = 'CANARY-escrow-text-b71a';
const B_CANARY = 'CANARY-escrow-b-note-0c44';
const CHANGED_CANARY = 'CANARY-escrow-changed-9a1f';
const CANARIES = [NOTE_CANARY, TEXT_CANARY, B_CANARY, CHANGED_CANARY];

interface Seated {
  seat: Seat;
  keys: SeatKeys;
  pair: PairKeys;
  token: string;
  control: ControlClient;
  room: DocClient;
  sender: string;
  seq: number;
}

/** Creates a sealed room as seat a's client does, joins it as seat b's, derives both pair keys and connects both. */
async function sealedPair(base: TestServer | { url: string; wsUrl: string } = server, opts: { revealMode?: 'full' | 'discreet'; bNode?: { url: string; wsUrl: string } } = {}) {
  const secretA = generateLinkSecret();
  const keysA = await deriveSeatKeys(secretA);
  const invite = await deriveInviteKeys(await inviteSecretOf(secretA));
  const name = toBase64Url(utf8Bytes('sealed name'));
  const createBody = {
    sealed: true,
    revealMode: opts.revealMode ?? 'full',
    displayName: name,
    token: keysA.authToken,
    inviteToken: invite.authToken,
    publicKey: toBase64Url(keysA.identity.publicKey),
    binding: toBase64Url(await bindPublicKey(invite.binding, 'a', keysA.identity.publicKey)),
  };
  noteTokens({ token: createBody.token, inviteToken: createBody.inviteToken });
  const created = await http<{ roomId: string }>(base.url, 'POST', '/api/rooms', { body: createBody });
  expect(created.status, created.text).toBe(201);
  const roomId = created.body.roomId;
  const keysB = await deriveSeatKeys(generateLinkSecret());
  const joinBody = {
    inviteToken: invite.authToken,
    token: keysB.authToken,
    displayName: name,
    publicKey: toBase64Url(keysB.identity.publicKey),
    binding: toBase64Url(await bindPublicKey(invite.binding, 'b', keysB.identity.publicKey)),
  };
  noteTokens({ token: joinBody.token });
  const bBase = opts.bNode ?? base;
  expect((await http(bBase.url, 'POST', `/api/rooms/${roomId}/join`, { body: joinBody })).status).toBe(201);
  const view = (await http<RoomView>(base.url, 'GET', `/api/rooms/${roomId}`, { token: keysA.authToken })).body;

  const seated = async (seat: Seat, keys: SeatKeys, node: { url: string; wsUrl: string }): Promise<Seated> => {
    const partner = view.keys![seat === 'a' ? 'b' : 'a']!;
    const partnerPublic = fromBase64Url(partner.publicKey, 32);
    const pair = await derivePairKeys({ roomId, seat, identity: keys.identity, partnerPublic: partnerPublic.ok ? partnerPublic.bytes : null });
    if (!pair.ok) throw new Error(pair.reason);
    const control = closeLater(await connectControl(node.url, roomId, keys.authToken));
    const room = openDoc(node.wsUrl, docName.room(roomId), keys.authToken);
    closeLater({ close: () => room.destroy() });
    await room.synced;
    return { seat, keys, pair: pair.keys, token: keys.authToken, control, room, sender: newSender(), seq: 0 };
  };
  return { roomId, a: await seated('a', keysA, base), b: await seated('b', keysB, bBase) };
}

/** This seat's client: its own answers, projected and sealed for the slot (a fresh seq each time). */
async function escrowOf(p: Seated, roomId: string, sectionId: string, round: number, answers: Record<string, unknown>, changed: string[] = []): Promise<Uint8Array> {
  p.seq += 1;
  const sealed = await sealEscrow({ pairKeys: p.pair, roomId, sectionId, round, seat: p.seat, answers, template, changed, writer: { sender: p.sender, seq: p.seq } });
  if (!sealed.ok) throw new Error(sealed.reason);
  return sealed.envelope;
}

const sealedOf = (p: Seated, sectionId: string): SealedRevealedSection | undefined => readRoomDoc(p.room.doc).sealedRevealed?.[sectionId];
const sectionOf = (p: Seated, sectionId: string) => readRoomDoc(p.room.doc).sections[sectionId];

/** The partner's side, opened as the partner's client opens it. */
async function openPartner(p: Seated, roomId: string, sectionId: string, guard?: SeqGuard) {
  const released = sealedOf(p, sectionId);
  if (!released) throw new Error('not released');
  const partner: Seat = p.seat === 'a' ? 'b' : 'a';
  return openEscrow({ pairKeys: p.pair, roomId, sectionId, round: released.round, seat: partner, envelope: released[partner], template, ...(guard ? { guard } : {}) });
}

/** A read of the server's SQLite file on a connection of its own, closed at once. */
const query = <T>(sql: string, ...params: unknown[]): T[] => querySqlite<T>(server.dataDir, sql, ...params);
const escrowRows = (roomId: string) => query<{ section_id: string; seat: string; round: number; envelope: Buffer }>('SELECT section_id, seat, round, envelope FROM escrow WHERE room_id = ? ORDER BY section_id, seat', roomId);
/** Every file SQLite keeps for the database, as raw bytes. */
const fileBytes = (): Buffer => sqliteFileBytes(server.dataDir);
const contains = (haystack: Buffer, needle: Uint8Array): boolean => haystack.indexOf(Buffer.from(needle)) !== -1;

const A_ACTIVITIES = { impact_hand: { giving: 'yes', receiving: 'curious', note: NOTE_CANARY }, impact_paddle: { giving: 'not_now' } };
const A_ARRIVAL = { arrival_feeling: { text: TEXT_CANARY }, arrival_energy: { scale: 4 } };
const B_ACTIVITIES = { impact_hand: { receiving: 'favourite', note: B_CANARY } };

describe('sealed rooms: reveal by escrow, full mode (issue 16, phase 5a)', () => {
  it('XR1 nothing of A\'s escrow reaches B before B is ready; both ready releases both envelopes once, and each opens the other\'s canaries', async () => {
    const { roomId, a, b } = await sealedPair();
    const escrowA = await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES);
    // the floor: a section of n items travels as at least the bucket of n × 128 bytes
    const items = template.sections.find((s) => s.id === 'activities')!.items.length;
    expect(escrowA.length).toBeGreaterThanOrEqual(items * 128);
    expect(escrowA.length).toBeLessThanOrEqual(MAX_ESCROW_BYTES);

    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: escrowA })).toEqual({ ok: true });
    await until(() => sectionOf(b, 'activities')?.ready.a === true, 3000, 'b sees a ready');
    await b.room.caughtUp();
    // B's room doc has the ready mark and nothing of A's escrow: not in the doc, not in any frame, no event
    expect(sealedOf(b, 'activities')).toBeUndefined();
    expect(readRoomDoc(b.room.doc).revealed).toEqual({});
    const tail = escrowA.subarray(escrowA.length - 48);
    expect(contains(Buffer.concat(b.room.recorder.chunks), tail)).toBe(false);
    expect(b.control.events.map((e) => e.name)).not.toContain('section:revealed');
    expect(escrowRows(roomId).map((r) => [r.section_id, r.seat, r.round])).toEqual([['activities', 'a', 1]]);
    expect(Buffer.from(escrowRows(roomId)[0]!.envelope).equals(Buffer.from(escrowA))).toBe(true);

    const revealedOnA = a.control.next('section:revealed');
    const escrowB = await escrowOf(b, roomId, 'activities', 1, B_ACTIVITIES);
    expect(await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: escrowB })).toEqual({ ok: true });
    expect(await revealedOnA).toEqual({ sectionId: 'activities', round: 1 });
    await until(() => sealedOf(a, 'activities') !== undefined && sealedOf(b, 'activities') !== undefined, 3000, 'released on both');
    for (const p of [a, b]) {
      const released = sealedOf(p, 'activities')!;
      expect(released.round).toBe(1);
      expect(Buffer.from(released.a).equals(Buffer.from(escrowA))).toBe(true);
      expect(Buffer.from(released.b).equals(Buffer.from(escrowB))).toBe(true);
      expect(sectionOf(p, 'activities')).toMatchObject({ state: 'revealed', ready: { a: true, b: true } });
      // the standard reader's `revealed` keeps its shape: a sealed entry is not in it
      expect(readRoomDoc(p.room.doc).revealed).toEqual({});
    }
    const seenByB = await openPartner(b, roomId, 'activities');
    const seenByA = await openPartner(a, roomId, 'activities');
    if (!seenByB.ok || !seenByA.ok) throw new Error('escrow did not open');
    expect(seenByB.answers).toEqual(A_ACTIVITIES);
    expect(seenByA.answers).toEqual(B_ACTIVITIES);

    // a second section, a text canary; and the GET view agrees with the doc
    const arrivalA = await escrowOf(a, roomId, 'arrival', 1, A_ARRIVAL);
    await a.control.send('section:ready', { sectionId: 'arrival', ready: true, escrow: arrivalA });
    await b.control.send('section:ready', { sectionId: 'arrival', ready: true, escrow: await escrowOf(b, roomId, 'arrival', 1, {}) });
    await until(() => sealedOf(b, 'arrival') !== undefined, 3000, 'arrival released');
    const arrival = await openPartner(b, roomId, 'arrival');
    expect(arrival.ok && arrival.answers).toEqual(A_ARRIVAL);
    const history = readRoomDoc(a.room.doc).history.filter((h) => h.type === 'revealed');
    expect(history.map((h) => h.sectionId)).toEqual(['activities', 'arrival']);
    const view = await http<RoomView>(server.url, 'GET', `/api/rooms/${roomId}`, { token: a.token });
    expect(view.body.sections.find((s) => s.id === 'activities')).toMatchObject({ state: 'revealed' });

    // no canary in the server's files or logs, nor in anything either socket received in plaintext
    expectNoCanaries(server.dataDir, server.logs.join(''), [a.room.recorder, a.control.recorder, b.room.recorder, b.control.recorder], CANARIES);
  });

  it('XR2 un-ready withdraws: the row is gone, and B\'s later ready does not release the old escrow', async () => {
    const { roomId, a, b } = await sealedPair();
    const first = await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES);
    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: first })).toEqual({ ok: true });
    expect(escrowRows(roomId)).toHaveLength(1);
    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: false })).toEqual({ ok: true });
    expect(escrowRows(roomId)).toEqual([]);

    expect(await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrowOf(b, roomId, 'activities', 1, B_ACTIVITIES) })).toEqual({ ok: true });
    await until(() => sectionOf(a, 'activities')?.ready.b === true, 3000, 'a sees b ready');
    await sleep(100);
    expect(sectionOf(a, 'activities')).toMatchObject({ state: 'open', ready: { a: false, b: true } });
    expect(sealedOf(a, 'activities')).toBeUndefined();
    expect(a.control.events.map((e) => e.name)).not.toContain('section:revealed');
    expect(escrowRows(roomId).map((r) => r.seat)).toEqual(['b']);

    // A's new escrow is what the release carries, never the withdrawn one
    const second = await escrowOf(a, roomId, 'activities', 1, { impact_hand: { giving: 'yes' } });
    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: second })).toEqual({ ok: true });
    await until(() => sealedOf(b, 'activities') !== undefined, 3000, 'released');
    expect(Buffer.from(sealedOf(b, 'activities')!.a).equals(Buffer.from(second))).toBe(true);
    const opened = await openPartner(b, roomId, 'activities');
    expect(opened.ok && opened.answers).toEqual({ impact_hand: { giving: 'yes' } });
    // ready:false with an escrow, or ready:true without one, is refused and changes nothing
    expect(await a.control.send('section:ready', { sectionId: 'arrival', ready: true })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('escrow') } });
    expect(await a.control.send('section:ready', { sectionId: 'arrival', ready: false, escrow: second })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(escrowRows(roomId).filter((r) => r.section_id === 'arrival')).toEqual([]);
  });

  it('XR3 section:escrow replaces the row while ready, and after the release reaches the partner within 250 ms; wrong round, not ready and a standard room are refused', async () => {
    const { roomId, a, b } = await sealedPair();
    // not ready: refused, nothing stored
    const early = await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES);
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: early })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('ready') } });
    expect(escrowRows(roomId)).toEqual([]);

    await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: early });
    const replaced = await escrowOf(a, roomId, 'activities', 1, { impact_hand: { giving: 'favourite', note: NOTE_CANARY } });
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: replaced })).toEqual({ ok: true });
    expect(Buffer.from(escrowRows(roomId)[0]!.envelope).equals(Buffer.from(replaced))).toBe(true);
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 2, escrow: replaced })).toMatchObject({ ok: false, error: { code: 'stale', message: expect.stringContaining('round 1') } });

    await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrowOf(b, roomId, 'activities', 1, B_ACTIVITIES) });
    await until(() => sealedOf(b, 'activities') !== undefined, 3000, 'released');
    expect(Buffer.from(sealedOf(b, 'activities')!.a).equals(Buffer.from(replaced))).toBe(true);

    // after the release: A changes an answer; B's room doc has the new envelope at once
    const guard = new SeqGuard();
    expect((await openPartner(b, roomId, 'activities', guard)).ok).toBe(true);
    const changed = await escrowOf(a, roomId, 'activities', 1, { impact_hand: { giving: 'not_now', note: CHANGED_CANARY } }, ['impact_hand', 'not_an_item']);
    const started = performance.now();
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: changed })).toEqual({ ok: true });
    await until(() => Buffer.from(sealedOf(b, 'activities')!.a).equals(Buffer.from(changed)), 3000, 'b has the change');
    const tookMs = performance.now() - started;
    expect(tookMs).toBeLessThan(250);
    const mirrored = await openPartner(b, roomId, 'activities', guard);
    if (!mirrored.ok) throw new Error(mirrored.reason);
    expect(mirrored.answers).toEqual({ impact_hand: { giving: 'not_now', note: CHANGED_CANARY } });
    expect(mirrored.changed).toEqual(['impact_hand']);
    // B's own envelope is untouched; the row follows the doc (reconcile reads it)
    expect(Buffer.from(sealedOf(a, 'activities')!.b).equals(Buffer.from(sealedOf(b, 'activities')!.b))).toBe(true);
    expect(Buffer.from(escrowRows(roomId).find((r) => r.seat === 'a')!.envelope).equals(Buffer.from(changed))).toBe(true);
    // the same envelope served again is a replay to B's client
    expect(await openPartner(b, roomId, 'activities', guard)).toMatchObject({ ok: false, reason: 'replayed' });

    // a standard room keeps its contract: no escrow on ready, no section:escrow
    const standard = await createPair(server.url);
    const control = closeLater(await connectControl(server.url, standard.roomId, standard.a.token));
    expect(await control.send('section:ready', { sectionId: 'activities', ready: true, escrow: changed })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('sealed') } });
    expect(await control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: changed })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await control.send('section:ready', { sectionId: 'activities', ready: true })).toEqual({ ok: true });
  });

  it('XR4 reopen starts round 2 and moves the released envelopes into history, still sealed and still opening for round 1', async () => {
    const { roomId, a, b } = await sealedPair();
    const escrowA = await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES);
    const escrowB = await escrowOf(b, roomId, 'activities', 1, B_ACTIVITIES);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: escrowA });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: escrowB });
    await until(() => sealedOf(a, 'activities') !== undefined, 3000, 'released');

    expect(await a.control.send('section:reopen', { sectionId: 'activities' })).toEqual({ ok: true });
    await until(() => sectionOf(b, 'activities')?.round === 2, 3000, 'b sees round 2');
    expect(sealedOf(b, 'activities')).toBeUndefined();
    expect(escrowRows(roomId)).toEqual([]);
    const reopened = readRoomDoc(b.room.doc).history.find((h) => h.type === 'reopened');
    expect(reopened).toMatchObject({ sectionId: 'activities', round: 2, seat: 'a' });
    expect(reopened).not.toHaveProperty('revealed');
    const ended = reopened!.sealedRevealed!;
    expect(ended.round).toBe(1);
    expect(Buffer.from(ended.a).equals(Buffer.from(escrowA))).toBe(true);
    const fromHistory = await openEscrow({ pairKeys: b.pair, roomId, sectionId: 'activities', round: 1, seat: 'a', envelope: ended.a, template });
    expect(fromHistory.ok && fromHistory.answers).toEqual(A_ACTIVITIES);
    // one round's escrow does not open as another's
    expect(await openEscrow({ pairKeys: b.pair, roomId, sectionId: 'activities', round: 2, seat: 'a', envelope: ended.a, template })).toMatchObject({ ok: false, reason: 'does not open' });

    // round 2: the old round is stale, a new release works
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: escrowA })).toMatchObject({ ok: false, error: { code: 'stale' } });
    const round2A = await escrowOf(a, roomId, 'activities', 2, { impact_hand: { giving: 'yes' } });
    await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: round2A });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrowOf(b, roomId, 'activities', 2, {}) });
    await until(() => sealedOf(b, 'activities')?.round === 2, 3000, 'round 2 released');
    const round2 = await openPartner(b, roomId, 'activities');
    expect(round2.ok && round2.answers).toEqual({ impact_hand: { giving: 'yes' } });
  });

  it('XR5 a hostile partner: a malformed escrow is refused and stores nothing; a well-formed envelope with garbage inside reads as unreadable; A\'s own escrow handed back as B\'s does not open', async () => {
    const { roomId, a, b } = await sealedPair();
    const good = await escrowOf(b, roomId, 'activities', 1, B_ACTIVITIES);
    const asUpdate = await sealEnvelope(b.pair.escrow.b, { kind: EnvelopeKind.update, sender: a.sender, seq: 99, context: 'x' }, utf8Bytes('{}'));
    if (!asUpdate.ok) throw new Error(asUpdate.reason);
    const flipped = new Uint8Array(good);
    flipped[0] = 9;
    const garbage: [string, unknown][] = [
      ['a string', 'not bytes'],
      ['a number', 42],
      ['random bytes', new Uint8Array(298).fill(7)],
      ['too short', new Uint8Array(10)],
      ['not a bucket', new Uint8Array(300)],
      ['unknown version', flipped],
      ['another kind', asUpdate.envelope],
      ['too long', new Uint8Array(MAX_ESCROW_BYTES + 1024)],
    ];
    for (const [what, escrow] of garbage) {
      const ack = await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow });
      expect(ack, what).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(escrowRows(roomId)).toEqual([]);
    expect(sectionOf(a, 'activities')?.ready.b).toBe(false);
    expect(b.control.socket.connected).toBe(true);

    // well-formed envelopes whose inside is garbage, sealed by B's hostile client for the right slot
    let seq = 0;
    const hostile = async (round: number, payload: Uint8Array) => {
      const slot = escrowSlot(roomId, 'activities', round, 'b');
      if (!slot.ok) throw new Error(slot.reason);
      const sealed = await sealEnvelope(b.pair.escrow.b, { kind: EnvelopeKind.escrow, sender: b.sender, seq: ++seq, context: slot.context }, payload);
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    };
    /** A ready with a real escrow, B ready with `inside`: what A's client reads of B's side. */
    const releaseWith = async (inside: Uint8Array) => {
      const round = sectionOf(a, 'activities')!.round;
      expect(await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrowOf(a, roomId, 'activities', round, A_ACTIVITIES) })).toEqual({ ok: true });
      // the server cannot tell: it is a well-formed envelope
      expect(await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await hostile(round, inside) })).toEqual({ ok: true });
      await until(() => sealedOf(a, 'activities')?.round === round, 3000, 'released');
      const read = await openPartner(a, roomId, 'activities');
      expect(await a.control.send('section:reopen', { sectionId: 'activities' })).toEqual({ ok: true });
      await until(() => sealedOf(a, 'activities') === undefined, 3000, 'reopened');
      return { read, round };
    };
    const deep = '['.repeat(15_000) + ']'.repeat(15_000); // 30 KB: the largest bucket an escrow may use
    const insides = [new Uint8Array([0xff, 0xfe, 0x00]), utf8Bytes('not json'), utf8Bytes(deep), utf8Bytes('[1,2]'), utf8Bytes('null'), utf8Bytes('{"v":2,"answers":{}}'), utf8Bytes('{"v":1,"answers":"x"}')];
    for (const inside of insides) {
      const { read } = await releaseWith(inside);
      expect(read, new TextDecoder().decode(inside).slice(0, 20)).toMatchObject({ ok: false, reason: 'could not be read' });
    }

    // JSON answers with fields no question asks for, malformed values, other sections' items and a
    // prototype key: only what the questions allow survives, as in the standard projection
    const tricky = utf8Bytes(JSON.stringify({
      v: 1,
      answers: {
        impact_hand: { giving: 'yes', text: 'not asked', choice: 'not asked', extra: { deep: true } },
        impact_paddle: { giving: 'yes', receiving: 'not-a-rating' },
        impact_flogger: { note: 5 },
        impact_crop_cane: 'x',
        arrival_feeling: { text: 'other section' },
        constructor: { giving: 'yes' },
      },
      changed: ['impact_hand', 7, 'arrival_feeling'],
    }));
    const { read, round } = await releaseWith(tricky);
    expect(read).toEqual({ ok: true, answers: { impact_hand: { giving: 'yes' } }, changed: ['impact_hand'], sender: b.sender, seq: expect.any(Number) });

    // A's own escrow handed back as B's does not open, nor one opened for another section or round
    const ended = readRoomDoc(a.room.doc).history.filter((h) => h.type === 'reopened').at(-1)!.sealedRevealed!;
    expect(ended.round).toBe(round);
    expect(await openEscrow({ pairKeys: a.pair, roomId, sectionId: 'activities', round, seat: 'b', envelope: ended.a, template })).toMatchObject({ ok: false, reason: 'does not open' });
    expect(await openEscrow({ pairKeys: a.pair, roomId, sectionId: 'activities', round, seat: 'a', envelope: ended.a, template })).toMatchObject({ ok: true });
    expect(await openEscrow({ pairKeys: a.pair, roomId, sectionId: 'arrival', round, seat: 'b', envelope: ended.b, template })).toMatchObject({ ok: false, reason: 'does not open' });
    expect(await openEscrow({ pairKeys: a.pair, roomId, sectionId: 'activities', round: round + 1, seat: 'b', envelope: ended.b, template })).toMatchObject({ ok: false, reason: 'does not open' });
    expect(await openEscrow({ pairKeys: a.pair, roomId, sectionId: 'activities', round, seat: 'b', envelope: 'garbage', template })).toMatchObject({ ok: false, reason: 'does not open' });
  });
  it('XR9 reconcile re-writes a release the room doc missed from the escrow rows, with the latest re-upload', async () => {
    const { roomId, a, b } = await sealedPair();
    await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES) });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrowOf(b, roomId, 'activities', 1, B_ACTIVITIES) });
    const latest = await escrowOf(a, roomId, 'activities', 1, { impact_hand: { giving: 'favourite' } }, ['impact_hand']);
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: latest })).toEqual({ ok: true });
    // the room doc loses the release (as after a crash between the row and the doc)
    const { hub, reveal } = server.app.parley;
    await hub.read(docName.room(roomId), (live) => live.doc.transact(() => live.doc.getMap('revealed').delete('activities'), Origin.server));
    await until(() => sealedOf(b, 'activities') === undefined, 3000, 'b sees it gone');
    await reveal.reconcile(roomId);
    await until(() => sealedOf(b, 'activities') !== undefined, 3000, 'reconciled');
    expect(Buffer.from(sealedOf(b, 'activities')!.a).equals(Buffer.from(latest))).toBe(true);
    const opened = await openPartner(b, roomId, 'activities');
    expect(opened.ok && opened.answers).toEqual({ impact_hand: { giving: 'favourite' } });
    const byA = await openPartner(a, roomId, 'activities');
    expect(byA.ok && byA.answers).toEqual(B_ACTIVITIES);
  });

  it('XR6 a sealed room in discreet mode takes no full escrow for a section matched blind (its tags and pieces: server/sealed-discreet-reveal)', async () => {
    const { roomId, a } = await sealedPair(server, { revealMode: 'discreet' });
    const escrow = await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES);
    const ack = await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('discreet') } });
    expect(await a.control.send('section:ready', { sectionId: 'activities', ready: false })).toEqual({ ok: true });
    expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('ready') } });
    expect(escrowRows(roomId)).toEqual([]);
  });

  it('XR7 erasing a sealed room removes its escrow rows and envelopes from the file', async () => {
    const { roomId, a, b } = await sealedPair();
    const escrowA = await escrowOf(a, roomId, 'activities', 1, A_ACTIVITIES);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true, escrow: escrowA });
    await a.control.send('section:ready', { sectionId: 'arrival', ready: true, escrow: await escrowOf(a, roomId, 'arrival', 1, A_ARRIVAL) });
    expect(escrowRows(roomId)).toHaveLength(2);
    expect(contains(fileBytes(), escrowA.subarray(escrowA.length - 48))).toBe(true);
    expect((await http(server.url, 'DELETE', `/api/rooms/${roomId}`, { token: b.token })).status).toBe(204);
    expect(escrowRows(roomId)).toEqual([]);
    await until(() => !contains(fileBytes(), escrowA.subarray(escrowA.length - 48)), 5000, 'the envelope leaves the file');
  });
});

describe('sealed rooms: escrow release across two nodes (Postgres, Redis)', () => {
  const cluster: Cluster = useCluster({ nodes: 2, store: 'postgres', build: { sealedRooms: true } });

  it('XR8 ready marks racing on two nodes release exactly once per round, and Redis holds no canary', async () => {
    const [one, two] = cluster.nodes as [TestServer, TestServer];
    const { roomId, a, b } = await sealedPair(one, { bNode: two });
    let reveals = 0;
    b.control.socket.on('section:revealed', () => reveals++);
    const sections = ['activities', 'arrival', 'frame'];
    for (let i = 0; i < 9; i++) {
      const sectionId = sections[i % sections.length]!;
      const status = sectionOf(b, sectionId);
      if (status?.state === 'revealed') {
        expect(await a.control.send('section:reopen', { sectionId })).toEqual({ ok: true });
        await until(() => sectionOf(b, sectionId)?.state === 'open', 3000, 'reopened');
      }
      const round = sectionOf(b, sectionId)?.round ?? 1;
      const answersA = sectionId === 'activities' ? A_ACTIVITIES : sectionId === 'arrival' ? A_ARRIVAL : {};
      const [x, y] = await Promise.all([
        a.control.send('section:ready', { sectionId, ready: true, escrow: await escrowOf(a, roomId, sectionId, round, answersA) }),
        b.control.send('section:ready', { sectionId, ready: true, escrow: await escrowOf(b, roomId, sectionId, round, {}) }),
      ]);
      expect(x).toEqual({ ok: true });
      expect(y).toEqual({ ok: true });
      await until(() => sealedOf(b, sectionId)?.round === round && sealedOf(a, sectionId)?.round === round, 3000, 'released on both');
      const opened = await openPartner(b, roomId, sectionId);
      expect(opened.ok && opened.answers).toEqual(answersA);
    }
    await sleep(300);
    expect(reveals).toBe(9);
    expect(readRoomDoc(b.room.doc).history.filter((h) => h.type === 'revealed')).toHaveLength(9);

    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      let dump = '';
      for await (const keys of redis.scanIterator({ MATCH: `${cluster.id}*`, COUNT: 500 })) {
        for (const key of keys) {
          const type = await redis.type(key);
          const value = type === 'string' ? await redis.get(key) : type === 'hash' ? await redis.hGetAll(key) : type === 'zset' ? await redis.zRange(key, 0, -1) : type === 'set' ? await redis.sMembers(key) : type === 'list' ? await redis.lRange(key, 0, -1) : '';
          dump += `${key}=${JSON.stringify(value)}\n`;
        }
      }
      expect(dump).toContain(roomId); // presence keys exist while the room does
      for (const canary of CANARIES) expect(dump).not.toContain(canary);
    } finally {
      await redis.close();
    }
    const logs = cluster.nodes.map((n) => n.logs.join('')).join('');
    for (const canary of CANARIES) expect(logs).not.toContain(canary);
  });
});
