import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { CreateRoomResponse, InvitePreview, RoomView, SealedSeatKey } from '@parley/shared/protocol/http';
import { fromBase64Url, toBase64Url, utf8Bytes } from '@parley/shared/sealed/bytes';
import { EnvelopeKind, newSender, openEnvelope, sealEnvelope, type AeadKey } from '@parley/shared/sealed/envelope';
import { bindPublicKey, decodeLinkSecret, deriveInviteKeys, deriveSeatKeys, encodeLinkSecret, generateLinkSecret, inviteSecretOf, verifyPublicKeyBinding, type InviteKeys, type SeatKeys } from '@parley/shared/sealed/keys';
import { derivePairKeys } from '@parley/shared/sealed/pair';
import { subtle } from '@parley/shared/sealed/webcrypto';
import { createPair, http } from '../helpers/api';
import { connectControl, openDoc } from '../helpers/clients';
import { closeAfterEach, useServer } from '../helpers/fixtures';
import { startServer } from '../helpers/server';
import { querySqlite, sqliteFileBytes } from '../helpers/room-rows';
import { noteTokens } from '../helpers/suite-artifacts';

/**
 * Sealed rooms, phase 4, server half (issue 16): creating and joining a sealed room with secrets
 * the clients made, through a real server built with `sealedRooms: true`. The client side here is
 * the real one of `shared/src/sealed` (WebCrypto in Node): link secrets, the tokens and keys
 * derived from them, bindings, and the title and names sealed under the invite's preview key.
 */

const server = useServer({ build: { sealedRooms: true } });
const closeLater = closeAfterEach();

const PREVIEW_TITLE = 'invite preview/title';
const PREVIEW_NAME = 'invite preview/inviter name';
const TITLE_CANARY = 'CANARY-sealed-title-51f0';
const NAME_CANARY = 'CANARY-sealed-name-a7c2';

/** What the client seals for the server to keep verbatim: an envelope under the preview key, in base64url. */
async function sealText(key: AeadKey, context: string, text: string): Promise<string> {
  const sealed = await sealEnvelope(key, { kind: EnvelopeKind.note, sender: newSender(), seq: 1, context }, utf8Bytes(text));
  if (!sealed.ok) throw new Error(sealed.reason);
  return toBase64Url(sealed.envelope);
}

async function openText(key: AeadKey, context: string, text: string): Promise<string | null> {
  const bytes = fromBase64Url(text, Math.floor((text.length * 6) / 8));
  if (!bytes.ok) return null;
  const opened = await openEnvelope(key, bytes.bytes, context);
  return opened.ok ? new TextDecoder().decode(opened.payload) : null;
}

interface SealedCreator {
  seat: SeatKeys;
  invite: InviteKeys;
  /** the invite link's secret, as it would travel in `#s=` */
  inviteSecret: string;
  body: Record<string, unknown>;
}

/** Seat a's client: a fresh seat secret, everything derived from it, and the create body. */
async function sealedCreator(extra: Record<string, unknown> = {}): Promise<SealedCreator> {
  const secret = generateLinkSecret();
  const seat = await deriveSeatKeys(secret);
  const inviteSecretBytes = await inviteSecretOf(secret);
  const invite = await deriveInviteKeys(inviteSecretBytes);
  const binding = await bindPublicKey(invite.binding, 'a', seat.identity.publicKey);
  const body = {
    sealed: true,
    displayName: await sealText(invite.preview, PREVIEW_NAME, NAME_CANARY),
    title: await sealText(invite.preview, PREVIEW_TITLE, TITLE_CANARY),
    token: seat.authToken,
    inviteToken: invite.authToken,
    publicKey: toBase64Url(seat.identity.publicKey),
    binding: toBase64Url(binding),
    ...extra,
  };
  return { seat, invite, inviteSecret: encodeLinkSecret(inviteSecretBytes), body };
}

/** Seat b's client: its own seat secret, and with the invite's keys the join body. */
async function sealedJoiner(invite: InviteKeys, extra: Record<string, unknown> = {}) {
  const seat = await deriveSeatKeys(generateLinkSecret());
  const binding = await bindPublicKey(invite.binding, 'b', seat.identity.publicKey);
  const body = {
    inviteToken: invite.authToken,
    token: seat.authToken,
    displayName: toBase64Url(utf8Bytes('b-sealed-name-under-the-pair-key')),
    publicKey: toBase64Url(seat.identity.publicKey),
    binding: toBase64Url(binding),
    ...extra,
  };
  return { seat, body };
}

/** Sends a body whose tokens the client made; the suite's log check then looks for them too. */
async function post(base: string, url: string, body: Record<string, unknown>) {
  noteTokens({ token: body.token, inviteToken: body.inviteToken });
  return http<Record<string, unknown>>(base, 'POST', url, { body });
}

async function createSealed(extra: Record<string, unknown> = {}) {
  const creator = await sealedCreator(extra);
  const res = await post(server.url, '/api/rooms', creator.body);
  expect(res.status, res.text).toBe(201);
  return { ...creator, roomId: res.body.roomId as string, id: (res.body.participant as { id: string }).id };
}

/** A read of the server's SQLite file on a connection of its own, closed at once. */
const query = <T>(sql: string, ...params: unknown[]): T[] => querySqlite<T>(server.dataDir, sql, ...params);

const counts = () => ({
  rooms: query<{ n: number }>('SELECT count(*) AS n FROM rooms')[0]!.n,
  participants: query<{ n: number }>('SELECT count(*) AS n FROM participants')[0]!.n,
  invites: query<{ n: number }>('SELECT count(*) AS n FROM invites')[0]!.n,
  sections: query<{ n: number }>('SELECT count(*) AS n FROM sections')[0]!.n,
});

/** Every file SQLite keeps for the database, as raw bytes. */
const fileBytes = (): Buffer => sqliteFileBytes(server.dataDir);

const sha256 = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

async function verifyKey(invite: InviteKeys, seat: 'a' | 'b', key: SealedSeatKey | null | undefined): Promise<boolean> {
  if (!key) return false;
  const publicKey = fromBase64Url(key.publicKey, 32);
  const binding = fromBase64Url(key.binding, 32);
  if (!publicKey.ok || !binding.ok) return false;
  return verifyPublicKeyBinding(invite.binding, seat, publicKey.bytes, binding.bytes);
}

describe('sealed rooms: create and join (issue 16, phase 4, behind sealedRooms)', () => {
  it('SJ1 a sealed create answers no token and no link; the client\'s token opens GET and the /room handshake', async () => {
    const a = await createSealed();
    const res = await http<RoomView>(server.url, 'GET', `/api/rooms/${a.roomId}`, { token: a.seat.authToken });
    expect(res.status).toBe(200);
    expect(res.body.sealed).toBe(true);
    // title and name are the client's sealed strings, returned verbatim
    expect(res.body.title).toBe(a.body.title);
    expect(res.body.me).toEqual({ id: a.id, seat: 'a', displayName: a.body.displayName });
    expect(res.body.partner).toBeNull();
    expect(res.body.keys).toEqual({ a: { publicKey: a.body.publicKey, binding: a.body.binding }, b: null });
    expect(res.body.sections.length).toBeGreaterThan(0);
    expect(res.text).not.toContain(TITLE_CANARY);

    const created = await post(server.url, '/api/rooms', (await sealedCreator()).body);
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['participant', 'roomId', 'sealed']);
    expect(created.body.sealed).toBe(true);
    expect(created.body.participant).toEqual({ id: expect.any(String), seat: 'a' });

    const control = closeLater(await connectControl(server.url, a.roomId, a.seat.authToken));
    expect(control.socket.connected).toBe(true);
    await expect(connectControl(server.url, a.roomId, a.invite.authToken)).rejects.toThrow('unauthorized');
    expect((await http(server.url, 'GET', `/api/rooms/${a.roomId}`, { token: a.invite.authToken })).status).toBe(401);

    // a standard room says sealed: false and has no keys
    const standard = await createPair(server.url);
    const view = (await http<RoomView>(server.url, 'GET', `/api/rooms/${standard.roomId}`, { token: standard.a.token })).body;
    expect(view.sealed).toBe(false);
    expect(view).not.toHaveProperty('keys');
  });

  it('SJ2 the join page preview and the join: B checks A\'s binding before joining, both check each other after, and agree one pair key', async () => {
    const a = await createSealed();
    const preview = await http<InvitePreview>(server.url, 'GET', `/api/rooms/${a.roomId}/invite`, { token: a.invite.authToken });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ status: 'open', sealed: true, title: a.body.title, inviterName: a.body.displayName, publicKey: a.body.publicKey, binding: a.body.binding });
    // B's client holds only the invite link: it opens the preview and checks seat a's key with it
    const fromLink = decodeLinkSecret(a.inviteSecret);
    if (!fromLink.ok) throw new Error(fromLink.reason);
    const bInvite = await deriveInviteKeys(fromLink.secret);
    const open = preview.body as { title: string; inviterName: string } & SealedSeatKey;
    expect(await openText(bInvite.preview, PREVIEW_TITLE, open.title)).toBe(TITLE_CANARY);
    expect(await openText(bInvite.preview, PREVIEW_NAME, open.inviterName)).toBe(NAME_CANARY);
    expect(await verifyKey(bInvite, 'a', open)).toBe(true);

    const b = await sealedJoiner(bInvite);
    const joined = await post(server.url, `/api/rooms/${a.roomId}/join`, b.body);
    expect(joined.status, joined.text).toBe(201);
    expect(joined.body).toEqual({ roomId: a.roomId, participant: { id: expect.any(String), seat: 'b' }, sealed: true });
    expect((await http(server.url, 'GET', `/api/rooms/${a.roomId}/invite`, { token: a.invite.authToken })).body).toEqual({ status: 'used' });

    const seenByA = (await http<RoomView>(server.url, 'GET', `/api/rooms/${a.roomId}`, { token: a.seat.authToken })).body;
    const seenByB = (await http<RoomView>(server.url, 'GET', `/api/rooms/${a.roomId}`, { token: b.seat.authToken })).body;
    const keys = { a: { publicKey: a.body.publicKey, binding: a.body.binding }, b: { publicKey: b.body.publicKey, binding: b.body.binding } };
    expect(seenByA.keys).toEqual(keys);
    expect(seenByB.keys).toEqual(keys);
    expect(seenByB.me).toEqual({ id: (joined.body.participant as { id: string }).id, seat: 'b', displayName: b.body.displayName });
    expect(seenByA.partner).toEqual({ id: seenByB.me.id, seat: 'b', displayName: b.body.displayName });

    // each side checks the other's binding (A with the invite secret its own seat secret gives it)
    expect(await verifyKey(a.invite, 'b', seenByA.keys?.b)).toBe(true);
    expect(await verifyKey(bInvite, 'a', seenByB.keys?.a)).toBe(true);
    // a binding for the other seat, or under another invite, does not pass
    expect(await verifyKey(a.invite, 'a', seenByA.keys?.b)).toBe(false);
    expect(await verifyKey((await createSealed()).invite, 'b', seenByA.keys?.b)).toBe(false);

    // and from the public keys the server handed over, both derive the same pair keys
    const pairOf = async (seat: 'a' | 'b', own: SeatKeys, partner: SealedSeatKey) => {
      const partnerPublic = fromBase64Url(partner.publicKey, 32);
      const verdict = await derivePairKeys({ roomId: a.roomId, seat, identity: own.identity, partnerPublic: partnerPublic.ok ? partnerPublic.bytes : null });
      if (!verdict.ok) throw new Error(verdict.reason);
      return verdict.keys;
    };
    const pairA = await pairOf('a', a.seat, seenByA.keys!.b!);
    const pairB = await pairOf('b', b.seat, seenByB.keys!.a);
    const mac = async (key: typeof pairA.agreement) => toBase64Url(new Uint8Array(await subtle().sign('HMAC', key.mac, utf8Bytes('same agreement'))));
    expect(await mac(pairA.agreement)).toBe(await mac(pairB.agreement));

    const control = closeLater(await connectControl(server.url, a.roomId, b.seat.authToken));
    expect(control.socket.connected).toBe(true);
  });

  it('SJ3 a used invite is 409, a wrong one 404 exactly like an unknown room, and a join of the wrong kind 400 that leaves the invite open', async () => {
    const a = await createSealed();
    const b = await sealedJoiner(a.invite);
    expect((await post(server.url, `/api/rooms/${a.roomId}/join`, b.body)).status).toBe(201);
    const again = await post(server.url, `/api/rooms/${a.roomId}/join`, (await sealedJoiner(a.invite)).body);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'invite_used', message: expect.any(String) } });

    const other = await createSealed();
    const wrongInvite = await post(server.url, `/api/rooms/${other.roomId}/join`, (await sealedJoiner(a.invite)).body);
    const unknownRoom = await post(server.url, `/api/rooms/${'x'.repeat(22)}/join`, (await sealedJoiner(other.invite)).body);
    const malformedRoom = await post(server.url, '/api/rooms/nope/join', (await sealedJoiner(other.invite)).body);
    expect(wrongInvite.status).toBe(404);
    expect(wrongInvite.text).toBe(unknownRoom.text);
    expect(wrongInvite.text).toBe(malformedRoom.text);
    // the wrong kind, sent with a wrong invite, is still just not_found: nothing says the room is sealed
    const standardShaped = await post(server.url, `/api/rooms/${other.roomId}/join`, { inviteToken: a.invite.authToken, displayName: 'Blake' });
    expect(standardShaped.text).toBe(wrongInvite.text);

    // with the right invite: a standard join of a sealed room is 400, and the invite stays open
    const plainJoin = await post(server.url, `/api/rooms/${other.roomId}/join`, { inviteToken: other.invite.authToken, displayName: 'Blake' });
    expect(plainJoin.status).toBe(400);
    expect(plainJoin.body).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('sealed') } });
    // a sealed join of a standard room is 400 too, and that invite still works afterwards
    const standard = await http<CreateRoomResponse>(server.url, 'POST', '/api/rooms', { body: { displayName: 'Alex' } });
    const fakeInvite = { ...(await sealedJoiner(other.invite)).body, inviteToken: standard.body.invite.token };
    const sealedJoin = await post(server.url, `/api/rooms/${standard.body.roomId}/join`, fakeInvite);
    expect(sealedJoin.status).toBe(400);
    expect(sealedJoin.body).toEqual({ error: { code: 'bad_request', message: expect.stringContaining('not sealed') } });
    expect((await http(server.url, 'POST', `/api/rooms/${standard.body.roomId}/join`, { body: { inviteToken: standard.body.invite.token, displayName: 'Blake' } })).status).toBe(201);
    expect((await post(server.url, `/api/rooms/${other.roomId}/join`, (await sealedJoiner(other.invite)).body)).status).toBe(201);
  });

  it('SJ4 a malformed token, key, binding or sealed text is 400 naming the field, and nothing is stored', async () => {
    const good = await sealedCreator();
    const before = counts();
    const bad: [string, Record<string, unknown>][] = [
      ['token', { token: good.seat.authToken.slice(0, 42) }],
      ['token', { token: `${good.seat.authToken.slice(0, 42)}B` }], // non-canonical: the unused bits are not zero
      ['token', { token: `${good.seat.authToken}=` }],
      ['inviteToken', { inviteToken: 'short' }],
      ['inviteToken', { inviteToken: good.seat.authToken }], // the same as seat a's token
      ['publicKey', { publicKey: toBase64Url(new Uint8Array(31)) }],
      ['publicKey', { publicKey: Buffer.alloc(32).toString('base64') }], // base64 with padding, not base64url
      ['publicKey', { publicKey: 42 }],
      ['binding', { binding: toBase64Url(new Uint8Array(33)) }],
      ['binding', { binding: `${good.body.binding as string}\n` }],
      ['displayName', { displayName: 'Alex Smith' }], // plaintext where a sealed string belongs
      ['displayName', { displayName: '' }],
      ['title', { title: 'A'.repeat(1025) }],
      ['body', { extra: 1 }],
    ];
    for (const [field, change] of bad) {
      const res = await post(server.url, '/api/rooms', { ...good.body, ...change });
      expect(res.status, `${field} ${JSON.stringify(change).slice(0, 60)}`).toBe(400);
      expect((res.body as { error: { code: string; message: string } }).error.code).toBe('bad_request');
      expect((res.body as { error: { message: string } }).error.message).toContain(field);
    }
    for (const field of ['token', 'inviteToken', 'publicKey', 'binding', 'displayName']) {
      const { [field]: _omitted, ...rest } = good.body;
      expect((await post(server.url, '/api/rooms', rest)).status, `without ${field}`).toBe(400);
    }
    expect(counts()).toEqual(before);

    // a join with a malformed field is 400 and leaves the invite open
    const a = await createSealed();
    const joiner = await sealedJoiner(a.invite);
    const afterCreate = counts();
    for (const change of [{ publicKey: 'x' }, { binding: toBase64Url(new Uint8Array(16)) }, { token: 'not-a-token' }, { token: joiner.body.inviteToken }, { displayName: 'Blake Smith' }, { publicKey: undefined }, { extra: true }]) {
      const res = await post(server.url, `/api/rooms/${a.roomId}/join`, { ...joiner.body, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
    }
    expect(counts()).toEqual(afterCreate);
    expect((await http(server.url, 'GET', `/api/rooms/${a.roomId}/invite`, { token: a.invite.authToken })).body).toMatchObject({ status: 'open' });
    expect((await post(server.url, `/api/rooms/${a.roomId}/join`, joiner.body)).status).toBe(201);
  });

  it('SJ5 a token already in use (a participant\'s, an invite\'s, seat a\'s own) is 409 token_in_use and stores nothing', async () => {
    const standard = await createPair(server.url);
    const a = await createSealed();
    const before = counts();
    for (const taken of [standard.a.token, standard.inviteToken, a.seat.authToken, a.invite.authToken]) {
      for (const field of ['token', 'inviteToken'] as const) {
        const body = { ...(await sealedCreator()).body, [field]: taken };
        const res = await post(server.url, '/api/rooms', body);
        expect(res.status).toBe(409);
        expect(res.body).toEqual({ error: { code: 'invite_used', reason: 'token_in_use', message: expect.any(String) } });
      }
    }
    expect(counts()).toEqual(before);

    // B's client sending a token in use (A's): 409, the invite stays open for B's next try
    const reuse = await sealedJoiner(a.invite, { token: a.seat.authToken });
    const refused = await post(server.url, `/api/rooms/${a.roomId}/join`, reuse.body);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: 'invite_used', reason: 'token_in_use', message: expect.any(String) } });
    expect(counts()).toEqual(before);
    expect((await post(server.url, `/api/rooms/${a.roomId}/join`, (await sealedJoiner(a.invite)).body)).status).toBe(201);
  });

  it('SJ6 the database holds only the SHA-256 of each client-made token, and no log line holds a token', async () => {
    const a = await createSealed();
    const b = await sealedJoiner(a.invite);
    expect((await post(server.url, `/api/rooms/${a.roomId}/join`, b.body)).status).toBe(201);
    await connectControl(server.url, a.roomId, b.seat.authToken).then((c) => c.close());

    const participants = query<{ seat: string; token_hash: Buffer; public_key: Buffer; binding: Buffer }>('SELECT seat, token_hash, public_key, binding FROM participants WHERE room_id = ? ORDER BY seat', a.roomId);
    expect(participants.map((p) => [p.seat, p.token_hash.toString('hex')])).toEqual([
      ['a', sha256(a.seat.authToken).toString('hex')],
      ['b', sha256(b.seat.authToken).toString('hex')],
    ]);
    expect(participants.map((p) => [toBase64Url(p.public_key), toBase64Url(p.binding)])).toEqual([
      [a.body.publicKey, a.body.binding],
      [b.body.publicKey, b.body.binding],
    ]);
    const [invite] = query<{ token_hash: Buffer }>('SELECT token_hash FROM invites WHERE room_id = ?', a.roomId);
    expect(invite!.token_hash.toString('hex')).toBe(sha256(a.invite.authToken).toString('hex'));
    expect(query<{ sealed: number }>('SELECT sealed FROM rooms WHERE id = ?', a.roomId)).toEqual([{ sealed: 1 }]);

    // canaries: neither the token strings nor their raw bytes are in the files or the logs
    const bytes = fileBytes();
    const logs = server.logs.join('');
    for (const token of [a.seat.authToken, a.invite.authToken, b.seat.authToken]) {
      expect(bytes.indexOf(Buffer.from(token, 'utf8'))).toBe(-1);
      expect(bytes.indexOf(Buffer.from(token, 'base64url'))).toBe(-1);
      expect(logs).not.toContain(token);
    }
    expect(bytes.indexOf(Buffer.from(TITLE_CANARY))).toBe(-1);
    expect(bytes.indexOf(Buffer.from(NAME_CANARY))).toBe(-1);
  });

  it('SJ7 /yjs refuses a sealed room\'s private and shared docs with 4403 before any byte; its room doc stays a y-websocket doc', async () => {
    const a = await createSealed();
    const b = await sealedJoiner(a.invite);
    const joined = await post(server.url, `/api/rooms/${a.roomId}/join`, b.body);
    const bId = (joined.body.participant as { id: string }).id;
    for (const [name, token] of [
      [docName.private(a.roomId, a.id), a.seat.authToken],
      [docName.private(a.roomId, bId), b.seat.authToken],
      [docName.shared(a.roomId), a.seat.authToken],
      [docName.shared(a.roomId), b.seat.authToken],
    ] as const) {
      const client = openDoc(server.wsUrl, name, token);
      try {
        expect(await client.closed, name).toBe(4403);
        expect(client.recorder.bytes, name).toBe(0);
      } finally {
        client.destroy();
      }
    }
    const roomDoc = openDoc(server.wsUrl, docName.room(a.roomId), b.seat.authToken);
    try {
      await roomDoc.synced;
      expect(roomDoc.doc.getMap('sections').size).toBeGreaterThan(0);
      expect(roomDoc.closeCodes).toEqual([]);
    } finally {
      roomDoc.destroy();
    }
    // a standard room's docs are served as before
    const standard = await createPair(server.url);
    const shared = openDoc(server.wsUrl, docName.shared(standard.roomId), standard.a.token);
    try {
      await shared.synced;
    } finally {
      shared.destroy();
    }
  });

  it('SJ8 the agreement of a sealed room is 404 not_found in both formats: the server has nothing to build it from', async () => {
    const a = await createSealed();
    for (const format of ['json', 'md']) {
      const res = await http(server.url, 'GET', `/api/rooms/${a.roomId}/agreement?format=${format}`, { token: a.seat.authToken });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    // its clients build and hash it; the server only stores their keyed hashes (server/sealed-agreement › KC1–KC6)
    const standard = await createPair(server.url);
    expect((await http(server.url, 'GET', `/api/rooms/${standard.roomId}/agreement`, { token: standard.a.token })).status).toBe(200);
  });

  it('SJ9 erasing a sealed room removes its rows, keys and sealed strings from the files; its tokens are tombstoned and cannot be reused', async () => {
    const a = await createSealed();
    const b = await sealedJoiner(a.invite);
    expect((await post(server.url, `/api/rooms/${a.roomId}/join`, b.body)).status).toBe(201);
    const keyBytes = [a.body.publicKey, a.body.binding, b.body.publicKey, b.body.binding].map((k) => Buffer.from(k as string, 'base64url'));
    const sealedTitle = Buffer.from(a.body.title as string, 'utf8');
    expect(keyBytes.every((k) => fileBytes().indexOf(k) !== -1)).toBe(true);

    expect((await http(server.url, 'DELETE', `/api/rooms/${a.roomId}`, { token: b.seat.authToken })).status).toBe(204);
    expect(query('SELECT 1 FROM rooms WHERE id = ?', a.roomId)).toEqual([]);
    expect(query('SELECT 1 FROM participants WHERE room_id = ?', a.roomId)).toEqual([]);
    expect(query('SELECT 1 FROM invites WHERE room_id = ?', a.roomId)).toEqual([]);
    expect(query('SELECT 1 FROM sections WHERE room_id = ?', a.roomId)).toEqual([]);
    const bytes = fileBytes();
    for (const k of keyBytes) expect(bytes.indexOf(k)).toBe(-1);
    expect(bytes.indexOf(sealedTitle)).toBe(-1);

    const gone = await http(server.url, 'GET', `/api/rooms/${a.roomId}`, { token: a.seat.authToken });
    expect(gone.status).toBe(401);
    expect(gone.body).toMatchObject({ error: { code: 'unauthorized', reason: 'room_deleted' } });
    // a client that reuses the deleted room's secret cannot make a new room with it
    const reuse = await post(server.url, '/api/rooms', { ...(await sealedCreator()).body, token: b.seat.authToken });
    expect(reuse.status).toBe(409);
  });
});

describe('sealed rooms without the build option', () => {
  it('SJ10 with sealedRooms off, a sealed create or join is 400 and changes nothing; standard rooms work as before', async () => {
    const off = await startServer();
    try {
      const creator = await sealedCreator();
      const res = await post(off.url, '/api/rooms', creator.body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'bad_request', message: 'Sealed rooms are not enabled on this server.' } });
      // even a malformed sealed body gets the same answer: the option is checked first
      expect((await post(off.url, '/api/rooms', { sealed: true })).body).toEqual(res.body);

      const pair = await createPair(off.url);
      const joiner = await sealedJoiner(creator.invite, { inviteToken: pair.inviteToken });
      const standard = await http<CreateRoomResponse>(off.url, 'POST', '/api/rooms', { body: { displayName: 'Alex', sealed: false } });
      expect(standard.status).toBe(201);
      const join = await post(off.url, `/api/rooms/${standard.body.roomId}/join`, { ...joiner.body, inviteToken: standard.body.invite.token });
      expect(join.body).toEqual(res.body);
      const db = new Database(path.join(off.dataDir, 'parley.db'), { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n FROM rooms').get()).toEqual({ n: 2 });
        expect(db.prepare('SELECT count(*) AS n FROM rooms WHERE sealed = 1').get()).toEqual({ n: 0 });
        expect(db.prepare('SELECT count(*) AS n FROM participants').get()).toEqual({ n: 3 });
      } finally {
        db.close();
      }
      const view = (await http<RoomView>(off.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).body;
      expect(view.sealed).toBe(false);
      expect((await http(off.url, 'POST', `/api/rooms/${standard.body.roomId}/join`, { body: { inviteToken: standard.body.invite.token, displayName: 'Blake' } })).status).toBe(201);
    } finally {
      await off.close();
    }
  });
});
