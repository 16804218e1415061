import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementHash, buildAgreement, type Agreement } from '@parley/shared/agreement/build';
import { docName } from '@parley/shared/protocol/ids';
import { readRoomDoc, readRoomMeta, type RoomDocState } from '@parley/shared/protocol/room-doc';
import { projectSection } from '@parley/shared/reveal/project';
import { confirmedInSealedRoom, sealedConfirmations } from '@parley/shared/sealed/agreement';
import type { SeatKeys } from '@parley/shared/sealed/keys';
import { sealedAgreementHash, type PairKeys } from '@parley/shared/sealed/pair';
import { defaultTemplate } from '@parley/shared/template/default';
import * as Y from 'yjs';
import { createPair, createSealedPair, http, servedPairKeysOf, type SealedPair } from '../helpers/api';
import { connectControl, openDoc, until, type ControlClient, type DocClient } from '../helpers/clients';
import { closeAfterEach, useServer } from '../helpers/fixtures';

/**
 * Sealed rooms, phase 5 (issue 16): keyed agreement confirmations, through a real server built
 * with `sealedRooms: true` and real socket.io clients. Each client builds the agreement from what
 * it sees (here: answers the test made, as a client would from the decrypted reveal), hashes it
 * with its own pair key, and the server stores only that keyed hash.
 */

const server = useServer({ build: { sealedRooms: true } });
const closeLater = closeAfterEach();

const NOTE_CANARY = 'CANARY-kc-note-3e9a';
const TEXT_CANARY = 'CANARY-kc-agreement-text-77d1';
const AT = Date.UTC(2026, 11, 1, 20, 0);

type Answers = Record<string, unknown>;
const ANSWERS: { a: Answers; b: Answers } = {
  a: {
    impact_hand: { giving: 'yes', receiving: 'favourite' },
    restraint_rope: { giving: 'favourite' },
    restraint_gag: { receiving: 'hard_limit', note: NOTE_CANARY },
  },
  b: {
    impact_hand: { giving: 'yes', receiving: 'yes_for_you' },
    restraint_rope: { receiving: 'yes' },
    restraint_gag: { giving: 'curious' },
  },
};

/** The agreement a client sees once `activities` is revealed with these answers. */
function agreementOf(answers: { a: Answers; b: Answers }): Agreement {
  const room: RoomDocState = {
    sections: { activities: { state: 'revealed', round: 1, ready: { a: true, b: true }, revealedAt: AT } },
    revealed: { activities: projectSection({ template: defaultTemplate, sectionId: 'activities', round: 1, mode: 'full', ...answers }) },
    meta: { paused: null, confirmations: { a: null, b: null }, reviewDate: null, leftOut: { a: {}, b: {} } },
    history: [],
  };
  return buildAgreement({ template: defaultTemplate, room, agreementText: TEXT_CANARY, names: { a: 'Alex', b: 'Blake' }, title: null });
}

interface SealedClient {
  seat: 'a' | 'b';
  keys: PairKeys;
  control: ControlClient;
  room: DocClient;
  /** `meta.confirmations` as this client's room doc holds it */
  confirmations(): ReturnType<typeof readRoomMeta>['confirmations'];
}

/** One partner's client: the pair key from the partner's public key that GET serves (binding checked), `/room`, the room doc. */
async function clientOf(pair: SealedPair, seat: 'a' | 'b'): Promise<SealedClient> {
  const own: SeatKeys = pair.keys[seat];
  const keys = await servedPairKeysOf(server.url, pair, seat);
  const control = closeLater(await connectControl(server.url, pair.roomId, own.authToken));
  const room = openDoc(server.wsUrl, docName.room(pair.roomId), own.authToken);
  closeLater({ close: () => room.destroy() });
  await room.synced;
  return { seat, keys, control, room, confirmations: () => readRoomMeta(room.doc).confirmations };
}

async function sealedRoom() {
  const pair = await createSealedPair(server.url);
  return { pair, a: await clientOf(pair, 'a'), b: await clientOf(pair, 'b') };
}

const confirmedAt = (c: SealedClient, seat: 'a' | 'b', hash: string) => until(() => c.confirmations()[seat]?.hash === hash, 2000, `${c.seat} sees ${seat}'s confirmation`);

/** Every file SQLite keeps for the database, as raw bytes. */
const fileBytes = (): Buffer =>
  Buffer.concat(['parley.db', 'parley.db-wal'].map((f) => path.join(server.dataDir, f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));

describe('sealed rooms: keyed agreement confirmations (issue 16, phase 5)', () => {
  it('KC1 both partners hash the same agreement with their own pair keys, confirm, and each client says both confirmed; the server stores hash and time only', async () => {
    const { a, b } = await sealedRoom();
    const seen = agreementOf(ANSWERS);
    const atA = await sealedConfirmations(a.keys.agreement, seen, a.confirmations());
    const atB = await sealedConfirmations(b.keys.agreement, agreementOf(ANSWERS), b.confirmations());
    expect(atA.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(atB.hash).toBe(atA.hash);
    expect(atA.confirmedBy).toEqual([]);

    expect(await a.control.send('agreement:confirm', { hash: atA.hash })).toEqual({ ok: true, data: { hash: atA.hash } });
    await confirmedAt(b, 'a', atA.hash);
    expect(confirmedInSealedRoom(b.confirmations(), atB.hash)).toEqual(['a']);
    expect(await b.control.send('agreement:confirm', { hash: atB.hash })).toEqual({ ok: true, data: { hash: atB.hash } });
    await confirmedAt(a, 'b', atB.hash);
    await confirmedAt(b, 'b', atB.hash);
    expect((await sealedConfirmations(a.keys.agreement, seen, a.confirmations())).confirmedBy).toEqual(['a', 'b']);
    expect((await sealedConfirmations(b.keys.agreement, seen, b.confirmations())).confirmedBy).toEqual(['a', 'b']);

    // the keyed hash and the time, no lines (they would be the agreement in plaintext)
    const stored = a.confirmations();
    for (const seat of ['a', 'b'] as const) {
      expect(stored[seat]).toEqual({ hash: atA.hash, at: expect.any(Number) });
    }
    const history = readRoomDoc(a.room.doc).history.filter((e) => e.type === 'confirmed');
    expect(history.map((e) => e.seat)).toEqual(['a', 'b']);
  });

  it('KC2 a partner who sees another agreement (one answer changed) gets another hash: neither client counts the other; confirming what both see replaces the old one', async () => {
    const { a, b } = await sealedRoom();
    const seen = agreementOf(ANSWERS);
    const changed = agreementOf({ ...ANSWERS, b: { ...ANSWERS.b, restraint_rope: { receiving: 'curious' } } });
    const hashA = await sealedAgreementHash(a.keys.agreement, seen);
    const hashB = await sealedAgreementHash(b.keys.agreement, changed);
    expect(hashB).not.toBe(hashA);

    expect(await a.control.send('agreement:confirm', { hash: hashA })).toMatchObject({ ok: true });
    expect(await b.control.send('agreement:confirm', { hash: hashB })).toMatchObject({ ok: true });
    await confirmedAt(a, 'b', hashB);
    await confirmedAt(b, 'a', hashA);
    expect(confirmedInSealedRoom(a.confirmations(), hashA)).toEqual(['a']);
    expect(confirmedInSealedRoom(b.confirmations(), hashB)).toEqual(['b']);

    // B's client now sees what A sees and confirms again: the new hash replaces the old one
    const again = await sealedAgreementHash(b.keys.agreement, seen);
    expect(again).toBe(hashA);
    expect(await b.control.send('agreement:confirm', { hash: again })).toMatchObject({ ok: true });
    await confirmedAt(a, 'b', again);
    expect(confirmedInSealedRoom(a.confirmations(), hashA)).toEqual(['a', 'b']);
    expect(a.confirmations().b).toEqual({ hash: again, at: expect.any(Number) });
  });

  it('KC3 the canaries of the agreement reach neither the SQLite files, the logs nor the room doc, which do hold the keyed hash', async () => {
    const { pair, a, b } = await sealedRoom();
    const seen = agreementOf(ANSWERS);
    expect(JSON.stringify(seen)).toContain(NOTE_CANARY);
    expect(JSON.stringify(seen)).toContain(TEXT_CANARY);
    const hash = await sealedAgreementHash(a.keys.agreement, seen);
    for (const c of [a, b]) expect(await c.control.send('agreement:confirm', { hash })).toMatchObject({ ok: true });
    await confirmedAt(a, 'b', hash);

    // the hash is in the stored room doc (so these are the files that matter); no canary is there,
    // nor in anything either client received
    await until(() => fileBytes().includes(Buffer.from(hash)), 5000, 'the confirmation is stored');
    const stored = fileBytes();
    const roomDoc = Buffer.from(Y.encodeStateAsUpdate(a.room.doc));
    const recorders = [a.control.recorder, b.control.recorder, a.room.recorder, b.room.recorder];
    for (const canary of [NOTE_CANARY, TEXT_CANARY]) {
      expect(stored.includes(Buffer.from(canary))).toBe(false);
      expect(server.logs.join('').includes(canary)).toBe(false);
      expect(roomDoc.includes(Buffer.from(canary))).toBe(false);
      expect(JSON.stringify(readRoomDoc(a.room.doc))).not.toContain(canary);
      expect(recorders.some((r) => r.contains(canary))).toBe(false);
    }
    // and the server still builds no agreement of its own
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement`, { token: pair.a.token })).status).toBe(404);
  });

  it('KC4 the server cannot test a guess: the stored value is not the plain SHA-256 of the agreement, and another pair\'s key gives another value', async () => {
    const { a, b } = await sealedRoom();
    const seen = agreementOf(ANSWERS);
    const hash = await sealedAgreementHash(a.keys.agreement, seen);
    expect(await a.control.send('agreement:confirm', { hash })).toMatchObject({ ok: true });
    await confirmedAt(b, 'a', hash);
    const storedHash = b.confirmations().a?.hash;
    expect(storedHash).toBe(hash);
    // a server guessing the right agreement and hashing it without the key gets another value
    expect(agreementHash(seen)).toMatch(/^[0-9a-f]{64}$/);
    expect(storedHash).not.toBe(agreementHash(seen));
    // nor does the key of another pair (say, one the server runs itself) reproduce it
    const other = await sealedRoom();
    expect(await sealedAgreementHash(other.a.keys.agreement, seen)).not.toBe(storedHash);
  });

  it('KC5 a malformed hash is bad_request and stores nothing; the room keeps working', async () => {
    const { a, b } = await sealedRoom();
    const hash = await sealedAgreementHash(a.keys.agreement, agreementOf(ANSWERS));
    const malformed: unknown[] = [
      { hash: hash.toUpperCase() },
      { hash: hash.slice(1) },
      { hash: `${hash}0` },
      { hash: Buffer.from(hash, 'hex').toString('base64url') }, // 43 characters of base64url: not the shape pair.ts makes
      { hash: `${hash.slice(0, 63)}g` },
      { hash: 42 },
      { hash: null },
      {},
      { hash, lines: ['a line the server must not keep'] },
      { hash, at: 1 },
    ];
    for (const payload of malformed) {
      expect(await a.control.send('agreement:confirm', payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    await a.room.caughtUp();
    expect(a.confirmations()).toEqual({ a: null, b: null });
    expect(await a.control.send('agreement:confirm', { hash })).toEqual({ ok: true, data: { hash } });
    await confirmedAt(b, 'a', hash);
  });

  it('KC6 leave-out and review dates are refused in a sealed room with a clear bad_request (both are content, and cannot travel sealed yet); nothing is written', async () => {
    const { a } = await sealedRoom();
    const refusals: [string, unknown, RegExp][] = [
      ['agreement:leave-out', { itemId: 'impact_hand', out: true }, /sealed room/],
      ['agreement:leave-out', { itemId: 'impact_hand', out: false }, /sealed room/],
      ['agreement:leave-out', { itemId: 'no_such_item', out: true }, /sealed room/],
      ['agreement:review-date', { date: '2027-01-15' }, /sealed room/],
      ['agreement:review-date', { date: null }, /sealed room/],
    ];
    for (const [event, payload, message] of refusals) {
      expect(await a.control.send(event, payload), event).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(message) } });
    }
    await a.room.caughtUp();
    const state = readRoomDoc(a.room.doc);
    expect(state.meta.reviewDate).toBeNull();
    expect(state.meta.leftOut).toEqual({ a: {}, b: {} });
    expect(state.history.filter((e) => ['left_out', 'put_back', 'review_date'].includes(e.type))).toEqual([]);
    expect(fileBytes().includes(Buffer.from('2027-01-15'))).toBe(false);
  });

  it('KC7 a standard room on the same server keeps its contract: stale for another hash, lines stored with the current one, review dates and leave-out as before', async () => {
    const pair = await createPair(server.url);
    const control = closeLater(await connectControl(server.url, pair.roomId, pair.a.token));
    const room = openDoc(server.wsUrl, docName.room(pair.roomId), pair.a.token);
    closeLater({ close: () => room.destroy() });
    await room.synced;
    expect(await control.send('agreement:review-date', { date: '2027-01-15' })).toEqual({ ok: true });
    const current = await http<{ hash: string }>(server.url, 'GET', `/api/rooms/${pair.roomId}/agreement`, { token: pair.a.token });
    expect(current.status).toBe(200);
    expect(await control.send('agreement:confirm', { hash: 'f'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'stale' } });
    expect(await control.send('agreement:confirm', { hash: current.body.hash })).toEqual({ ok: true, data: { hash: current.body.hash } });
    await until(() => readRoomMeta(room.doc).confirmations.a?.hash === current.body.hash, 2000, 'the confirmation');
    const confirmation = readRoomMeta(room.doc).confirmations.a;
    expect(confirmation?.lines?.length).toBeGreaterThan(0);
    expect(confirmation?.lines?.join('\n')).toContain('2027');
    // leave-out keeps its standard answer: an item of no agreement is bad_request, not the sealed refusal
    const leaveOut = await control.send('agreement:leave-out', { itemId: 'impact_hand', out: true });
    expect(leaveOut).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(JSON.stringify(leaveOut)).not.toMatch(/sealed/);
  });
});
