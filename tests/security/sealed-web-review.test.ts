import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { RoomView } from '@parley/shared/protocol/http';
import { ROOM_DOC_KEYS, readRoomDoc } from '@parley/shared/protocol/room-doc';
import { confirmedInSealedRoom } from '@parley/shared/sealed/agreement';
import { openEscrow, sealEscrow } from '@parley/shared/sealed/escrow';
import { newSender } from '@parley/shared/sealed/envelope';
import { deriveSeatKeys, encodeLinkSecret, generateLinkSecret } from '@parley/shared/sealed/keys';
import { derivePairKeys, sealedAgreementHash, type PairKeys } from '@parley/shared/sealed/pair';
import { currentAgreement } from '@parley/shared/agreement/build';
import { defaultTemplate } from '@parley/shared/template/default';
import { loadCredentials, roomKindRefusal, saveCredentials } from '../../client/src/lib/credentials';
import { restoreReplaced, saveSealedLink, takeLink } from '../../client/src/features/room/room-link';
import { openSealedRoom, prepareSealedCreate } from '../../client/src/lib/sealed-room';
import { readyUpload, SealWriter } from '../../client/src/lib/sealed/own-side';
import { SealedRevealedStore } from '../../client/src/lib/sealed/revealed-store';
import { readPrivateDoc } from '../../client/src/lib/room-doc';
import { docSnapshot } from '../../client/src/lib/snapshot-store';
import { joinWith, loadPreview, type Invite } from '../../client/src/features/join/join-invite';
import { http } from '../helpers/api';
import { useServer } from '../helpers/fixtures';

/**
 * A hostile review of the web client's sealed rooms (issue 16, phase 6) from outside: a server
 * that changes what it answers (not the JavaScript it ships: docs/sealed-rooms.md §1 puts that
 * out of reach), and a partner. Each test drives the client's own modules against a real server
 * built with `sealedRooms: true`, with the server's answers altered where the test says so, and
 * asserts what the person at the screen would see or what would leave their browser.
 * The `it.skip`s are holes that are open: their comments say exactly what.
 */

const server = useServer({ build: { sealedRooms: true } });
const template = defaultTemplate;

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Seat a creates a sealed room exactly as the create form does; returns what its browser keeps. */
async function createdSealedRoom(revealMode: 'full' | 'discreet' = 'full') {
  const prepared = await prepareSealedCreate({ displayName: 'Alex', title: 'Sunday plans', template: 'default', revealMode });
  if (!prepared.ok) throw new Error(prepared.reason);
  const res = await http<{ roomId: string }>(server.url, 'POST', '/api/rooms', { body: prepared.body });
  expect(res.status).toBe(201);
  return { roomId: res.body.roomId, seatSecret: prepared.seatSecret, inviteSecret: prepared.inviteSecret, token: prepared.token };
}

interface Sent {
  method: string;
  path: string;
  body: string;
}

/**
 * The browser's `fetch` as the client's `api` calls it (paths on its own origin), sent to the
 * real server; `hostile` may answer instead of it. Every request is recorded as it left.
 */
function browserFetch(hostile?: (path: string, method: string) => unknown) {
  const sent: Sent[] = [];
  const real = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    sent.push({ method, path: input, body: typeof init.body === 'string' ? init.body : '' });
    const forged = hostile?.(input, method);
    if (forged !== undefined) return new Response(JSON.stringify(forged), { status: 200, headers: { 'content-type': 'application/json' } });
    return real(server.url + input, init);
  });
  return sent;
}

describe('sealed rooms in the web client, against a hostile server', () => {
  it('HW1: a resume link of a sealed room is never run as a standard room: a GET that says `sealed: false` is refused, so the private doc (every answer) never goes to /yjs in plaintext', async () => {
    const room = await createdSealedRoom();
    const creds = { token: room.token, seatSecret: room.seatSecret };
    const got = await http<RoomView>(server.url, 'GET', `/api/rooms/${room.roomId}`, { token: room.token });
    expect(got.status).toBe(200);
    // the honest answer opens as a sealed room
    expect(got.body.sealed).toBe(true);
    expect(roomKindRefusal(creds, got.body)).toBeNull();
    expect((await openSealedRoom({ roomId: room.roomId, view: got.body, seatSecret: room.seatSecret, inviteSecret: null })).ok).toBe(true);
    // the same room as a hostile server describes it: standard, no keys. RoomPage used to start a
    // standard session (private and shared docs on /yjs, the offline copy synced into them).
    const { keys: _keys, sealed: _sealed, ...rest } = got.body;
    const downgraded: RoomView = { ...rest, sealed: false };
    expect(roomKindRefusal(creds, downgraded)).toBe('not sealed');
    const unsaid: { sealed?: boolean } = { ...rest, sealed: undefined };
    expect(roomKindRefusal(creds, unsaid)).toBe('not sealed');
    // a standard room's browser (no seat secret) is unchanged
    expect(roomKindRefusal({}, downgraded)).toBeNull();
  });

  it('HW2: a sealed invite never becomes a standard join: a preview that says standard is refused, and without an opened preview nothing is sent (the name never leaves in plaintext)', async () => {
    const room = await createdSealedRoom();
    const invite: Invite = { kind: 'sealed', secret: room.inviteSecret };
    const NAME = 'CANARY-join-name-7be1';

    // The hostile server answers the preview as a standard room's, with a name of its choosing.
    const sentHostile = browserFetch((path, method) => (method === 'GET' && path.endsWith('/invite') ? { status: 'open', title: null, inviterName: 'Mallory' } : undefined));
    const hostile = await loadPreview(room.roomId, invite);
    expect(hostile.preview).toBe('partner_key');
    expect(hostile.sealed).toBeNull();
    // The form's submit with no opened preview (this one, or a preview that failed to load).
    await expect(joinWith(room.roomId, invite, null, NAME)).rejects.toThrow();
    expect(sentHostile.some((s) => s.body.includes(NAME))).toBe(false);
    expect(sentHostile.filter((s) => s.method === 'POST')).toEqual([]);
    vi.unstubAllGlobals();

    // The honest server: the inviter's name opens, the join goes through, the name only sealed.
    const sent = browserFetch();
    const honest = await loadPreview(room.roomId, invite);
    expect(honest.preview).toEqual({ status: 'open', title: 'Sunday plans', inviterName: 'Alex' });
    const joined = await joinWith(room.roomId, invite, honest.sealed, NAME);
    expect(joined.seat).toBe('b');
    expect(joined.seatSecret).toBeDefined();
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual([`/api/rooms/${room.roomId}/join`]);
    expect(sent.some((s) => s.body.includes(NAME))).toBe(false);
  });
});

/** Both seats' pair keys, as their browsers derive them. */
async function pairOf(roomId: string): Promise<Record<'a' | 'b', PairKeys>> {
  const a = await deriveSeatKeys(generateLinkSecret());
  const b = await deriveSeatKeys(generateLinkSecret());
  const at = async (seat: 'a' | 'b') => {
    const pair = await derivePairKeys({ roomId, seat, identity: (seat === 'a' ? a : b).identity, partnerPublic: (seat === 'a' ? b : a).identity.publicKey });
    if (!pair.ok) throw new Error(pair.reason);
    return pair.keys;
  };
  return { a: await at('a'), b: await at('b') };
}

/** The browser globals `credentials.ts` uses: local storage, the address bar's fragment, history. */
function browserStorage(hash: string) {
  const items = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  });
  const location = { hash, pathname: '/r/room', search: '' };
  vi.stubGlobal('window', { location });
  vi.stubGlobal('history', { state: null, replaceState: () => void (location.hash = '') });
  return location;
}

describe('sealed rooms in the web client, against a hostile partner', () => {
  it('HW7: a link to the room with another secret (sent by the partner, who knows the room id) does not lock this browser out of its seat: once the server refuses it, the key it had is back and the room opens', async () => {
    const room = await createdSealedRoom();
    const location = browserStorage('');
    saveCredentials(room.roomId, { token: room.token, seatSecret: room.seatSecret });
    // the partner's link: this room, a secret of their making
    location.hash = `#s=${encodeLinkSecret(generateLinkSecret())}`;
    const link = takeLink(room.roomId);
    expect(location.hash).toBe('');
    if (link.sealed.kind !== 'sealed') throw new Error('not a sealed link');
    expect(await saveSealedLink(room.roomId, link.sealed)).toBe(true);
    const tried = loadCredentials(room.roomId);
    if (!tried) throw new Error('the link saved nothing');
    expect(tried.seatSecret).not.toBe(room.seatSecret);
    const refused = await http(server.url, 'GET', `/api/rooms/${room.roomId}`, { token: tried.token });
    expect(refused.status).toBe(401);
    // RoomPage, told `unauthorized`, puts the old key back and loads again
    expect(restoreReplaced(room.roomId, tried.token)).toBe(true);
    const back = loadCredentials(room.roomId);
    expect(back).toEqual({ token: room.token, seatSecret: room.seatSecret });
    const got = await http<RoomView>(server.url, 'GET', `/api/rooms/${room.roomId}`, { token: room.token });
    expect(got.status).toBe(200);
    expect((await openSealedRoom({ roomId: room.roomId, view: got.body, seatSecret: room.seatSecret, inviteSecret: null })).ok).toBe(true);
    // and once: a refusal of the key it had is an ordinary `unauthorized`
    expect(restoreReplaced(room.roomId, room.token)).toBe(false);
  });
});

describe('sealed rooms in the web client, a room doc written by a hostile server', () => {
  it('HW3: what a hostile server writes into a sealed room’s doc in the plain (a revealed section, an ended round, a pause note, a review date, items left out) is not shown as the partner’s, nor in the agreement', async () => {
    const roomId = 'ROOMidROOMidROOMidROOMi';
    const pair = await pairOf(roomId);
    const FORGED = 'CANARY-forged-by-server-91aa';
    // The room doc as a hostile server writes it: a section revealed with answers in the plain
    // (standard) shape, a reopened round with plain answers and a note, a pause with a note.
    const roomDoc = new Y.Doc();
    roomDoc.transact(() => {
      roomDoc.getMap(ROOM_DOC_KEYS.sections).set('activities', { state: 'revealed', round: 2, ready: { a: true, b: true }, revealedAt: 1 });
      roomDoc.getMap(ROOM_DOC_KEYS.revealed).set('activities', { round: 2, a: {}, b: { impact_hand: { giving: 'yes', note: FORGED } }, changed: {} });
      roomDoc.getArray(ROOM_DOC_KEYS.history).push([{ type: 'reopened', sectionId: 'activities', round: 1, seat: 'b', at: 1, note: FORGED, revealed: { round: 1, a: {}, b: { impact_paddle: { giving: 'yes', note: FORGED } }, changed: {} } }]);
      roomDoc.getMap(ROOM_DOC_KEYS.meta).set('paused', { by: 'b', at: 1, note: FORGED });
      // and what it could add to the agreement: a review date, an item left out by both, the event of it
      roomDoc.getMap(ROOM_DOC_KEYS.meta).set('reviewDate', '2027-01-01');
      roomDoc.getMap(ROOM_DOC_KEYS.meta).set('leftOut', { a: { impact_hand: 1 }, b: { impact_hand: 1 } });
      roomDoc.getArray(ROOM_DOC_KEYS.history).push([{ type: 'left_out', itemId: 'impact_hand', seat: 'b', round: 1, at: 2 }]);
    });
    expect(JSON.stringify(readRoomDoc(roomDoc))).toContain(FORGED);

    const store = new SealedRevealedStore({ base: docSnapshot(roomDoc, readRoomDoc), privateStore: docSnapshot(new Y.Doc(), readPrivateDoc), pair: pair.a, roomId, seat: 'a', template, revealMode: 'full' });
    const stop = store.subscribe(() => {});
    const state = await store.settled();
    stop();
    store.destroy();
    expect(state.revealed.activities).toBeUndefined();
    expect(state.meta.paused).toMatchObject({ by: 'b', note: null });
    expect(state.meta.reviewDate).toBeNull();
    expect(state.meta.leftOut).toEqual({ a: {}, b: {} });
    expect(state.history.map((e) => e.type)).toEqual(['reopened']);
    expect(JSON.stringify(state)).not.toContain(FORGED);
    // and so the agreement a screen builds from it says nothing of it either
    const { agreement } = currentAgreement({ template, room: state, agreementText: '', names: { a: 'Alex', b: 'Blake' }, title: null });
    expect(JSON.stringify(agreement)).not.toContain(FORGED);
  });

  // OPEN HOLE (not fixed: it needs the pair to agree something the server cannot change).
  // The room's reveal mode (`view.revealMode` from GET) and the template (GET …/template, with its
  // `alwaysFull` sections) reach each client from the server, unauthenticated, and decide what
  // the ready button seals (`own-side.ts readyUpload` → `sectionRevealMode`). A hostile server
  // that tells seat b "full" in a room seat a created discreet (or serves the template with every
  // section `alwaysFull`) makes b's client seal its whole side as a full escrow, which a partner
  // colluding with the server opens: every one of b's answers, not only the matches. The same
  // unauthenticated template carries the questions' labels, so a server can also show the two
  // partners different words for one item id (each answers another question; both agreements
  // then hash alike and both confirm). Fix idea:
  // seat a seals the reveal mode and the template id/version (and a hash of the template) under
  // the invite preview key at creation, next to the title, and both clients check the server's
  // view against it before anything is sealed.
  it.skip('HW4: a discreet room that the server calls full does not give the partner the non-matching answers', async () => {
    const roomId = 'ROOMidROOMidROOMidROOMi';
    const pair = await pairOf(roomId);
    const B_ONLY = { impact_strap: { giving: 'yes' as const } };
    // b's client, told "full" by the server (the room is discreet), marks activities ready
    const upload = await readyUpload({ pair: pair.b, roomId, seat: 'b', template, revealMode: 'full', writer: new SealWriter() }, 'activities', 1, B_ONLY);
    if (!upload.ok) throw new Error(upload.reason);
    const escrow = 'escrow' in upload.payload ? upload.payload.escrow : null;
    // seat a (who said nothing about the strap) opens what the server hands it
    const opened = await openEscrow({ pairKeys: pair.a, roomId, sectionId: 'activities', round: 1, seat: 'b', envelope: escrow, template });
    expect(opened.ok && opened.answers.impact_strap).toBeFalsy();
  });

  // OPEN HOLE (not fixed: it changes the keyed hash both partners compare, the KC/ZR/SX tests and
  // the proof). A confirmation is `HMAC(pair agreement key, agreement)` with no seat in it, and
  // `confirmedInSealedRoom` counts every stored hash equal to the own one. A hostile server that
  // copies seat a's stored confirmation into seat b's slot makes a's screen say "confirmed by both"
  // though b never confirmed. Fix idea: hash `seat | canonicalJson(agreement)`, and count seat s
  // only if its stored hash equals the hash for s of what this browser sees.
  it.skip('HW5: a confirmation the server copies from one seat to the other does not count as the other’s', async () => {
    const roomId = 'ROOMidROOMidROOMidROOMi';
    const pair = await pairOf(roomId);
    const room = readRoomDoc(new Y.Doc());
    const { agreement } = currentAgreement({ template, room, agreementText: 'we agree', names: { a: 'Alex', b: 'Blake' }, title: null });
    const hashA = await sealedAgreementHash(pair.a.agreement, agreement);
    // what the server serves: a's confirmation, and the same bytes as b's
    const served = { a: { hash: hashA, at: 1 }, b: { hash: hashA, at: 2 } };
    expect(confirmedInSealedRoom(served, hashA)).toEqual(['a']);
  });

  // The opened room doc used to take whatever envelope the server served for a seat's slot: after
  // b changed an answer after the release (a new escrow, a higher seq), a hostile server could
  // serve b's older escrow of the same round again and a's screen showed b's earlier answer as
  // current. Now an older seq of the same sender is "could not be read". Still open: an older
  // *session's* escrow (another sender: b reloaded, or b's other device) served after a newer
  // session's, which this browser had not seen before.
  it('HW6: an older escrow of the same round (same sender, lower seq) served again after a newer one is not shown as current', async () => {
    const roomId = 'ROOMidROOMidROOMidROOMi';
    const pair = await pairOf(roomId);
    const sender = newSender();
    const seal = async (seat: 'a' | 'b', seq: number, answers: Record<string, unknown>) => {
      const sealed = await sealEscrow({ pairKeys: pair[seat], roomId, sectionId: 'activities', round: 1, seat, answers, template, writer: { sender, seq } });
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    };
    const own = await seal('a', 1, {});
    const older = await seal('b', 1, { impact_hand: { giving: 'yes' } });
    const newer = await seal('b', 2, { impact_hand: { giving: 'not_now' } });
    const roomDoc = new Y.Doc();
    const release = (b: Uint8Array) =>
      roomDoc.transact(() => {
        roomDoc.getMap(ROOM_DOC_KEYS.sections).set('activities', { state: 'revealed', round: 1, ready: { a: true, b: true }, revealedAt: 1 });
        roomDoc.getMap(ROOM_DOC_KEYS.revealed).set('activities', { sealed: true, round: 1, a: own, b });
      });
    const store = new SealedRevealedStore({ base: docSnapshot(roomDoc, readRoomDoc), privateStore: docSnapshot(new Y.Doc(), readPrivateDoc), pair: pair.a, roomId, seat: 'a', template, revealMode: 'full' });
    const stop = store.subscribe(() => {});
    release(newer);
    expect((await store.settled()).revealed.activities?.b.impact_hand).toMatchObject({ giving: 'not_now' });
    release(older);
    const after = await store.settled();
    stop();
    store.destroy();
    expect(after.revealed.activities?.b.impact_hand).toBeUndefined();
    expect(after.unreadable.activities).toBe(1);
  });
});
