import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { docName, type Seat } from '@parley/shared/protocol/ids';
import { readRoomDoc } from '@parley/shared/protocol/room-doc';
import { toBase64Url, utf8Bytes } from '@parley/shared/sealed/bytes';
import { EnvelopeKind, newSender, sealEnvelope, type AeadKey } from '@parley/shared/sealed/envelope';
import { openEscrow, sealEscrow } from '@parley/shared/sealed/escrow';
import { encodeClientFrame, parseServerFrame, type ServerFrame } from '@parley/shared/sealed/frames';
import { bindPublicKey, deriveInviteKeys, deriveSeatKeys, generateLinkSecret, inviteSecretOf } from '@parley/shared/sealed/keys';
import type { PairKeys } from '@parley/shared/sealed/pair';
import { SealedDocProvider, type SealedAwareness, type SealedStatus, type SocketLike } from '@parley/shared/sealed/provider';
import { defaultTemplate } from '@parley/shared/template/default';
import { createPair, createSealedPair, http, pairKeysOf, type SealedPair } from '../helpers/api';
import { connectControl, openDoc, sleep, until } from '../helpers/clients';
import { closeAfterEach, useServer } from '../helpers/fixtures';
import { querySqlite } from '../helpers/room-rows';
import { sealedAwareness } from '../helpers/sealed-awareness';
import { noteTokens } from '../helpers/suite-artifacts';

/**
 * An outside review of sealed rooms (issue 16) and of the doc-socket path they share with every
 * standard room, through the wire only: HTTP, socket.io `/room`, WebSocket `/yjs` and `/sealed`,
 * against a real server built with `sealedRooms`. Each test asserts the SAFE behaviour, so it
 * fails if the hole it probes is open.
 */

const server = useServer({ build: { sealedRooms: true } });
const closeLater = closeAfterEach();
const made: { destroy(): void }[] = [];
const raw: WebSocket[] = [];
afterEach(() => {
  for (const p of made.splice(0)) p.destroy();
  for (const ws of raw.splice(0)) ws.terminate();
});

const LIMITS = { maxEnvelopeBytes: 1024 * 1024, appendKinds: [EnvelopeKind.update, EnvelopeKind.keyring] };

/** A raw client of a doc channel: every frame parsed as a client would, and how it closed. */
function rawSocket(path: string, base = server.wsUrl) {
  const ws = new WebSocket(`${base}${path}`);
  raw.push(ws);
  const frames: ServerFrame[] = [];
  const chunks: Buffer[] = [];
  ws.on('message', (data: Buffer) => {
    chunks.push(Buffer.from(data));
    const parsed = parseServerFrame(new Uint8Array(data), LIMITS);
    if (parsed.ok) frames.push(parsed.frame);
  });
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  return {
    ws,
    frames,
    closed,
    opened,
    received: () => Buffer.concat(chunks),
    send: (frame: Parameters<typeof encodeClientFrame>[0]) => ws.send(encodeClientFrame(frame)),
    entries: () => frames.flatMap((f) => (f.type === 'entry' ? [f] : [])),
    acks: () => frames.flatMap((f) => (f.type === 'ack' ? [f.position] : [])),
    async join(position = 0) {
      await opened;
      ws.send(encodeClientFrame({ type: 'hello', position }));
      await until(() => frames.some((f) => f.type === 'live'), 5000, 'live');
    },
  };
}

/** A SealedDocProvider on the shared doc whose network the test can cut. */
function device(pair: SealedPair, seat: Seat, key: AeadKey, opts: { backoffMs?: number; awareness?: SealedAwareness; base?: string } = {}) {
  const context = docName.shared(pair.roomId);
  let current: WebSocket | null = null;
  const statuses: SealedStatus[] = [];
  const provider = new SealedDocProvider(new Y.Doc(), {
    url: `${opts.base ?? server.wsUrl}/sealed/${context}?token=${pair[seat].token}`,
    context,
    key,
    replayGuard: false,
    backoff: { minMs: opts.backoffMs ?? 50, maxMs: Math.max(200, opts.backoffMs ?? 50) },
    ...(opts.awareness ? { awareness: opts.awareness } : {}),
    socket: (url) => {
      current = new WebSocket(url);
      return current as unknown as SocketLike;
    },
  });
  provider.on('status', (s) => statuses.push(s));
  made.push(provider);
  return { provider, statuses, cut: () => current?.terminate(), text: () => provider.doc.getText('notes').toString() };
}

/** A sealed join body for seat b with fresh keys (or the given token). */
async function sealedJoinBody(pair: { keys: { invite: { binding: Parameters<typeof bindPublicKey>[0] } } }, inviteToken: string, token?: string) {
  const keys = await deriveSeatKeys(generateLinkSecret());
  const body = {
    inviteToken,
    token: token ?? keys.authToken,
    displayName: toBase64Url(utf8Bytes('joiner')),
    publicKey: toBase64Url(keys.identity.publicKey),
    binding: toBase64Url(await bindPublicKey(pair.keys.invite.binding, 'b', keys.identity.publicKey)),
  };
  noteTokens({ token: body.token });
  return body;
}

/** A sealed room created as seat a's client does, not joined yet. */
async function sealedRoomOnly() {
  const secretA = generateLinkSecret();
  const a = await deriveSeatKeys(secretA);
  const invite = await deriveInviteKeys(await inviteSecretOf(secretA));
  noteTokens({ token: a.authToken, inviteToken: invite.authToken });
  const created = await http<{ roomId: string }>(server.url, 'POST', '/api/rooms', {
    body: {
      sealed: true,
      displayName: toBase64Url(utf8Bytes('creator')),
      token: a.authToken,
      inviteToken: invite.authToken,
      publicKey: toBase64Url(a.identity.publicKey),
      binding: toBase64Url(await bindPublicKey(invite.binding, 'a', a.identity.publicKey)),
    },
  });
  expect(created.status, created.text).toBe(201);
  return { roomId: created.body.roomId, token: a.authToken, inviteToken: invite.authToken, keys: { invite } };
}

const handshake = async (roomId: string, token: string) => {
  const socket = io(`${server.url}/room`, { auth: { roomId, token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const result = await new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (e) => resolve(e.message));
  });
  socket.close();
  return result;
};

/** A sealed pair with both pair keys, both control channels and one seat's view of the room doc. */
async function sealedSeats(roomDocSeat: Seat) {
  const pair = await createSealedPair(server.url);
  const [keysA, keysB] = await Promise.all([pairKeysOf(pair, 'a'), pairKeysOf(pair, 'b')]);
  const a = closeLater(await connectControl(server.url, pair.roomId, pair.a.token));
  const b = closeLater(await connectControl(server.url, pair.roomId, pair.b.token));
  const roomDoc = openDoc(server.wsUrl, docName.room(pair.roomId), pair[roomDocSeat].token);
  closeLater({ close: () => roomDoc.destroy() });
  await roomDoc.synced;
  return { pair, keysA, keysB, a, b, roomDoc };
}

const template = defaultTemplate;

describe('sealed rooms, reviewed from outside (issue 16)', () => {
  it('SH1 a partner appending an entry that claims A\'s sender id and next seq cannot make A drop an edit made offline: it still reaches the log', async () => {
    const pair = await createSealedPair(server.url);
    const shared = (await pairKeysOf(pair, 'a')).shared;
    const context = docName.shared(pair.roomId);
    // a long backoff, so the forgery lands while Alex is away
    const alex = device(pair, 'a', shared, { backoffMs: 1500 });
    const blake = rawSocket(`/sealed/${context}?token=${pair.b.token}`);
    await Promise.all([alex.provider.whenLive(), blake.join()]);
    alex.provider.doc.getText('notes').insert(0, 'before');
    await alex.provider.whenStored();
    await until(() => blake.entries().length === 1, 5000, 'blake sees alex\'s first entry');
    const seen = blake.entries()[0]!.envelope;

    alex.cut();
    await until(() => alex.provider.status === 'offline', 5000, 'alex offline');
    alex.provider.doc.getText('notes').insert(6, ' while away');
    await until(() => alex.provider.pending === 1 && (alex.provider as unknown as { toSeal: number }).toSeal === 0, 5000, 'sealed, not sent');

    // Blake's forgery: Alex's plaintext sender id and the seq Alex will use next, any content
    const forged = await sealEnvelope(shared, { kind: EnvelopeKind.update, sender: seen.sender, seq: seen.seq + 1, context }, Y.encodeStateAsUpdate(new Y.Doc()));
    if (!forged.ok) throw new Error(forged.reason);
    blake.send({ type: 'append', envelope: forged.envelope });
    await until(() => blake.acks().length === 1, 5000, 'the forgery is stored');

    await until(() => alex.provider.status === 'live', 5000, 'alex back');
    await alex.provider.whenStored();
    // a fresh device of Blake reads the log: Alex's offline edit must be there
    const reader = device(pair, 'b', shared);
    await reader.provider.whenLive();
    await until(() => reader.text() === 'before while away', 3000, 'the offline edit in the log').catch(() => undefined);
    expect(reader.text()).toBe('before while away');
  });

  it('SH2 a partner flooding awareness from many new senders on several connections cannot get A\'s connection closed by A\'s own answers', async () => {
    const pair = await createSealedPair(server.url);
    const keys = await pairKeysOf(pair, 'a');
    const context = docName.shared(pair.roomId);
    const doc = new Y.Doc();
    const { awareness, adapter } = sealedAwareness(doc, keys.sharedAwareness);
    made.push(awareness);
    awareness.setLocalState({ name: 'alex' });
    const alex = device(pair, 'a', keys.shared, { awareness: adapter });
    // the device() helper made its own doc; the awareness adapter only needs a doc of its own
    await alex.provider.whenLive();

    const stranger = new awarenessProtocol.Awareness(new Y.Doc());
    made.push(stranger);
    stranger.setLocalState({ name: 'x' });
    const update = awarenessProtocol.encodeAwarenessUpdate(stranger, [stranger.clientID]);
    const floods = Array.from({ length: 4 }, () => rawSocket(`/sealed/${context}?token=${pair.b.token}`));
    await Promise.all(floods.map((f) => f.join()));
    for (const flood of floods) {
      for (let i = 0; i < 50; i++) {
        // each envelope from a sender never seen before (within this connection's awareness burst)
        const sealed = await sealEnvelope(keys.sharedAwareness, { kind: EnvelopeKind.awareness, sender: newSender(), seq: 1, context }, update);
        if (sealed.ok) flood.send({ type: 'awareness', envelope: sealed.envelope });
      }
    }
    await sleep(1500);
    expect(floods.every((f) => f.ws.readyState === WebSocket.OPEN)).toBe(true);
    expect(alex.statuses).not.toContain('offline');
    expect(alex.provider.status).toBe('live');
  });

  it('SH3 two sealed joins racing on one invite seat exactly one joiner; the loser\'s token, the used invite token and a token equal to the invite open nothing', async () => {
    for (let round = 0; round < 4; round++) {
      const room = await sealedRoomOnly();
      // a join whose token is the invite token itself, or seat a's, is refused and leaves the invite open
      const self = await http(server.url, 'POST', `/api/rooms/${room.roomId}/join`, { body: await sealedJoinBody(room, room.inviteToken, room.inviteToken) });
      // (the schema already refuses a token equal to the invite's: 400; one in use elsewhere is 409)
      expect([400, 409], self.text).toContain(self.status);
      const asA = await http(server.url, 'POST', `/api/rooms/${room.roomId}/join`, { body: await sealedJoinBody(room, room.inviteToken, room.token) });
      expect(asA.status, asA.text).toBe(409);

      const bodies = await Promise.all([sealedJoinBody(room, room.inviteToken), sealedJoinBody(room, room.inviteToken)]);
      const results = await Promise.all(bodies.map((body) => http(server.url, 'POST', `/api/rooms/${room.roomId}/join`, { body })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      const winner = bodies[results.findIndex((r) => r.status === 201)]!;
      const loser = bodies[results.findIndex((r) => r.status === 409)]!;
      expect((await http(server.url, 'GET', `/api/rooms/${room.roomId}`, { token: winner.token })).status).toBe(200);
      const view = (await http<{ keys: { b: { publicKey: string } | null } }>(server.url, 'GET', `/api/rooms/${room.roomId}`, { token: room.token })).body;
      expect(view.keys.b?.publicKey).toBe(winner.publicKey);
      for (const token of [loser.token, room.inviteToken]) {
        expect((await http(server.url, 'GET', `/api/rooms/${room.roomId}`, { token })).status).toBe(401);
        expect(await handshake(room.roomId, token)).toBe('unauthorized');
        const sealed = rawSocket(`/sealed/${docName.shared(room.roomId)}?token=${token}`);
        expect((await sealed.closed).code).toBe(4401);
        expect(sealed.received().length).toBe(0);
      }
    }
  });

  it('SH4 a join whose token is another room\'s open invite, or another room\'s participant token, is refused and takes nothing from that room', async () => {
    const target = await sealedRoomOnly();
    const standard = await createPair(server.url);
    const joining = await sealedRoomOnly();
    for (const stolen of [target.inviteToken, standard.a.token, standard.inviteToken]) {
      const res = await http(server.url, 'POST', `/api/rooms/${joining.roomId}/join`, { body: await sealedJoinBody(joining, joining.inviteToken, stolen) });
      expect(res.status, res.text).toBe(409);
    }
    // a sealed create reusing those tokens is refused too
    const again = await http(server.url, 'POST', '/api/rooms', {
      body: { sealed: true, displayName: 'eA', token: standard.b.token, inviteToken: target.inviteToken, publicKey: toBase64Url(new Uint8Array(32).fill(9)), binding: toBase64Url(new Uint8Array(32).fill(1)) },
    });
    expect(again.status, again.text).toBe(409);
    // the rooms they belong to are untouched: the target's invite still seats its partner, the standard seats still work
    expect((await http(server.url, 'POST', `/api/rooms/${target.roomId}/join`, { body: await sealedJoinBody(target, target.inviteToken) })).status).toBe(201);
    expect((await http(server.url, 'GET', `/api/rooms/${standard.roomId}`, { token: standard.a.token })).status).toBe(200);
    expect((await http(server.url, 'GET', `/api/rooms/${standard.roomId}`, { token: standard.b.token })).status).toBe(200);
    expect((await http(server.url, 'POST', `/api/rooms/${joining.roomId}/join`, { body: await sealedJoinBody(joining, joining.inviteToken) })).status).toBe(201);
  });

  it('SH5 STANDARD rooms on /yjs: path and query tricks never open the partner\'s private doc (4401/4403, not a byte of it)', async () => {
    const pair = await createPair(server.url);
    const CANARY = 'CANARY-sh5-private-a';
    const mine = openDoc(server.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token);
    closeLater({ close: () => mine.destroy() });
    await mine.synced;
    mine.doc.getMap('answers').set('x', CANARY);
    await mine.caughtUp();
    const r = pair.roomId;
    const tricks: [string, number][] = [
      [`/yjs/${r}/private/${pair.a.id}?token=${pair.b.token}`, 4403],
      [`/yjs/${r}/private/${pair.a.id}/?token=${pair.b.token}`, 4403],
      [`/yjs/${r}//private/${pair.a.id}?token=${pair.b.token}`, 4403],
      [`/yjs/${r}/private%2F${pair.a.id}?token=${pair.b.token}`, 4403],
      [`/yjs/${r}/private/${pair.a.id}%00?token=${pair.b.token}`, 4403],
      [`/yjs/${r}/Private/${pair.a.id}?token=${pair.b.token}`, 4403],
      [`/yjs/${r}/private/${pair.a.id}?token=${pair.b.token}&token=${pair.a.token}`, 4401],
      [`/yjs/${r}/private/${pair.a.id}?token[]=${pair.a.token}`, 4401],
      [`/yjs/${r}/private/${pair.a.id}?token=${pair.inviteToken}`, 4401],
      // the sealed channel refuses a standard room's docs whoever asks
      [`/sealed/${r}/private/${pair.a.id}?token=${pair.a.token}`, 4403],
      [`/sealed/${r}/shared?token=${pair.b.token}`, 4403],
    ];
    for (const [path, code] of tricks) {
      const socket = rawSocket(path);
      const closed = await socket.closed;
      expect(closed.code, path).toBe(code);
      expect(socket.received().length, path).toBe(0);
    }
    // nothing the refused /sealed attempts sent reached the standard room's logs: A's doc still syncs
    const again = openDoc(server.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token);
    closeLater({ close: () => again.destroy() });
    await again.synced;
    expect(again.doc.getMap('answers').get('x')).toBe(CANARY);
  });

  it('SH6 an envelope sent to a STANDARD room\'s doc on /sealed before the refusal stores nothing; /yjs refuses a sealed room\'s docs for both seats', async () => {
    const standard = await createPair(server.url);
    const sock = rawSocket(`/sealed/${docName.shared(standard.roomId)}?token=${standard.a.token}`);
    await sock.opened;
    const junk = await sealEnvelope((await deriveSeatKeys(generateLinkSecret())).privateDoc, { kind: EnvelopeKind.update, sender: newSender(), seq: 1, context: docName.shared(standard.roomId) }, utf8Bytes('x'));
    if (!junk.ok) throw new Error(junk.reason);
    sock.send({ type: 'hello', position: 0 });
    sock.send({ type: 'append', envelope: junk.envelope });
    expect((await sock.closed).code).toBe(4403);
    const rows = querySqlite<{ n: number }>(server.dataDir, 'SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?', docName.shared(standard.roomId));
    expect(rows[0]?.n ?? 0).toBe(0);

    const pair = await createSealedPair(server.url);
    for (const seat of ['a', 'b'] as const) {
      for (const path of [docName.shared(pair.roomId), docName.private(pair.roomId, pair[seat].id)]) {
        const y = rawSocket(`/yjs/${path}?token=${pair[seat].token}`);
        expect((await y.closed).code, path).toBe(4403);
        expect(y.received().length).toBe(0);
      }
    }
  });

  it('SH7 escrow replayed across rounds or sections: the server stores it (shape only), and the partner\'s client refuses to open it', async () => {
    const { pair, keysA, keysB, a, b, roomDoc } = await sealedSeats('a');
    const sender = { a: newSender(), b: newSender() };
    let seq = 0;
    const escrow = async (seat: Seat, keys: PairKeys, sectionId: string, round: number, answers: Record<string, unknown>) => {
      const sealed = await sealEscrow({ pairKeys: keys, roomId: pair.roomId, sectionId, round, seat, answers, template, writer: { sender: sender[seat], seq: ++seq } });
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    };
    const released = (sectionId: string) => readRoomDoc(roomDoc.doc).sealedRevealed?.[sectionId];

    const bArrival = await escrow('b', keysB, 'arrival', 1, { arrival_energy: { scale: 2 } });
    expect(await a.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrow('a', keysA, 'activities', 1, {}) })).toEqual({ ok: true });
    // B hands in its escrow of another section as this one's
    expect(await b.send('section:ready', { sectionId: 'activities', ready: true, escrow: bArrival })).toEqual({ ok: true });
    await until(() => released('activities') !== undefined, 3000, 'released');
    const crossSection = await openEscrow({ pairKeys: keysA, roomId: pair.roomId, sectionId: 'activities', round: 1, seat: 'b', envelope: released('activities')!.b, template });
    expect(crossSection.ok).toBe(false);

    // round 2: B replays its round-1 envelope (and A's, which B now holds) as its own
    const round1 = released('activities')!;
    expect(await a.send('section:reopen', { sectionId: 'activities' })).toEqual({ ok: true });
    expect(await b.send('section:escrow', { sectionId: 'activities', round: 1, escrow: round1.b })).toMatchObject({ ok: false, error: { code: 'stale' } });
    expect(await a.send('section:ready', { sectionId: 'activities', ready: true, escrow: await escrow('a', keysA, 'activities', 2, {}) })).toEqual({ ok: true });
    expect(await b.send('section:ready', { sectionId: 'activities', ready: true, escrow: round1.a })).toEqual({ ok: true });
    await until(() => released('activities')?.round === 2, 3000, 'round 2 released');
    const replayed = await openEscrow({ pairKeys: keysA, roomId: pair.roomId, sectionId: 'activities', round: 2, seat: 'b', envelope: released('activities')!.b, template });
    expect(replayed.ok).toBe(false);
  });

  it('SH8 un-ready racing the partner\'s ready: the section is revealed exactly when A\'s withdrawal lost, and A\'s escrow is released only then', async () => {
    const { pair, keysA, keysB, a, b, roomDoc } = await sealedSeats('b');
    const sender = newSender();
    let seq = 0;
    let round = 1;
    for (let i = 0; i < 8; i++) {
      const mine = await sealEscrow({ pairKeys: keysA, roomId: pair.roomId, sectionId: 'activities', round, seat: 'a', answers: { impact_hand: { giving: 'yes' } }, template, writer: { sender, seq: ++seq } });
      const theirs = await sealEscrow({ pairKeys: keysB, roomId: pair.roomId, sectionId: 'activities', round, seat: 'b', answers: {}, template, writer: { sender: newSender(), seq: 1 } });
      if (!mine.ok || !theirs.ok) throw new Error('seal');
      expect(await a.send('section:ready', { sectionId: 'activities', ready: true, escrow: mine.envelope })).toEqual({ ok: true });
      const [withdrawn, ready] = await Promise.all([
        a.send('section:ready', { sectionId: 'activities', ready: false }),
        b.send('section:ready', { sectionId: 'activities', ready: true, escrow: theirs.envelope }),
      ]);
      expect(ready).toEqual({ ok: true });
      await roomDoc.caughtUp();
      const view = (await http<{ sections: { id: string; state: string; round: number }[] }>(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.b.token })).body;
      const section = view.sections.find((s) => s.id === 'activities')!;
      await until(() => readRoomDoc(roomDoc.doc).sections.activities?.round === section.round, 3000, 'room doc caught up');
      const released = readRoomDoc(roomDoc.doc).sealedRevealed?.activities;
      if (withdrawn.ok) {
        expect(section.state).toBe('open');
        expect(released?.round === round).toBe(false);
        const rows = querySqlite<{ seat: string }>(server.dataDir, 'SELECT seat FROM escrow WHERE room_id = ? AND section_id = ?', pair.roomId, 'activities');
        expect(rows.map((r) => r.seat)).toEqual(['b']);
        expect(await b.send('section:ready', { sectionId: 'activities', ready: false })).toEqual({ ok: true });
      } else {
        expect(section.state).toBe('revealed');
        await until(() => readRoomDoc(roomDoc.doc).sealedRevealed?.activities?.round === round, 3000, 'released');
        expect(Buffer.from(readRoomDoc(roomDoc.doc).sealedRevealed!.activities!.a).equals(Buffer.from(mine.envelope))).toBe(true);
        expect(await a.send('section:reopen', { sectionId: 'activities' })).toEqual({ ok: true });
        round++;
      }
    }
  });

  it('SH9 notes in a sealed room would reach the server in plaintext: a pause note and a reopen note are refused, and nothing of them is stored or relayed', async () => {
    const NOTE = 'CANARY-sh9-pause-note';
    const pair = await createSealedPair(server.url);
    const keysA = await pairKeysOf(pair, 'a');
    const keysB = await pairKeysOf(pair, 'b');
    const a = closeLater(await connectControl(server.url, pair.roomId, pair.a.token));
    const b = closeLater(await connectControl(server.url, pair.roomId, pair.b.token));
    const pause = await a.send('room:pause', { paused: true, note: NOTE });
    expect(pause).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // without a note, pausing and resuming work as in a standard room
    expect(await a.send('room:pause', { paused: true })).toEqual({ ok: true });
    expect(await a.send('room:pause', { paused: false })).toEqual({ ok: true });

    const mine = await sealEscrow({ pairKeys: keysA, roomId: pair.roomId, sectionId: 'arrival', round: 1, seat: 'a', answers: {}, template, writer: { sender: newSender(), seq: 1 } });
    const theirs = await sealEscrow({ pairKeys: keysB, roomId: pair.roomId, sectionId: 'arrival', round: 1, seat: 'b', answers: {}, template, writer: { sender: newSender(), seq: 1 } });
    if (!mine.ok || !theirs.ok) throw new Error('seal');
    await a.send('section:ready', { sectionId: 'arrival', ready: true, escrow: mine.envelope });
    await b.send('section:ready', { sectionId: 'arrival', ready: true, escrow: theirs.envelope });
    const REOPEN = 'CANARY-sh9-reopen-note';
    expect(await a.send('section:reopen', { sectionId: 'arrival', note: REOPEN })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await a.send('section:reopen', { sectionId: 'arrival' })).toEqual({ ok: true });

    const roomDoc = openDoc(server.wsUrl, docName.room(pair.roomId), pair.b.token);
    closeLater({ close: () => roomDoc.destroy() });
    await roomDoc.synced;
    for (const canary of [NOTE, REOPEN]) {
      expect(roomDoc.recorder.contains(canary)).toBe(false);
      expect(b.recorder.contains(canary)).toBe(false);
      expect(server.logs.join('')).not.toContain(canary);
    }
  });

  it('SH10 no token, invite token, public key or binding of a sealed room reaches a log line, even through refused joins and refused connections', async () => {
    const room = await sealedRoomOnly();
    const joiner = await sealedJoinBody(room, room.inviteToken);
    const stray = await sealedJoinBody(room, room.inviteToken);
    expect((await http(server.url, 'POST', `/api/rooms/${room.roomId}/join`, { body: joiner })).status).toBe(201);
    // a second join (used invite), a bad key, a token on the wrong doc, a token in the path
    expect((await http(server.url, 'POST', `/api/rooms/${room.roomId}/join`, { body: stray })).status).toBe(409);
    expect((await http(server.url, 'POST', `/api/rooms/${room.roomId}/join`, { body: { ...stray, publicKey: 'x'.repeat(43) } })).status).toBeGreaterThanOrEqual(400);
    for (const path of [`/sealed/${room.roomId}/private/${'x'.repeat(22)}?token=${joiner.token}`, `/sealed/${room.roomId}/${joiner.token}?token=${joiner.token}`, `/yjs/${docName.shared(room.roomId)}?token=${room.token}`]) {
      const s = rawSocket(path);
      await s.closed;
    }
    expect((await http(server.url, 'GET', `/api/rooms/${room.roomId}/invite`, { token: room.inviteToken })).status).toBe(200);
    const logs = server.logs.join('');
    for (const secret of [room.token, room.inviteToken, joiner.token, stray.token, joiner.publicKey, joiner.binding]) expect(logs).not.toContain(secret);
  });

  it('SH11 hostile frames on /sealed: a hello from the last position, a snapshot past the log, an unreadable flood; each closes only its own connection and the doc keeps syncing', async () => {
    const pair = await createSealedPair(server.url);
    const context = docName.shared(pair.roomId);
    const shared = (await pairKeysOf(pair, 'a')).shared;
    const alex = device(pair, 'a', shared);
    const blake = device(pair, 'b', shared);
    await Promise.all([alex.provider.whenLive(), blake.provider.whenLive()]);

    const far = rawSocket(`/sealed/${context}?token=${pair.b.token}`);
    await far.join(Number.MAX_SAFE_INTEGER);
    const snap = await sealEnvelope(shared, { kind: EnvelopeKind.snapshot, sender: newSender(), seq: 1, context }, Y.encodeStateAsUpdate(new Y.Doc()));
    if (!snap.ok) throw new Error(snap.reason);
    far.send({ type: 'snapshot', position: Number.MAX_SAFE_INTEGER, envelope: snap.envelope });
    expect((await far.closed).code).toBe(4400);

    const noisy = rawSocket(`/sealed/${context}?token=${pair.b.token}`);
    await noisy.join();
    for (let i = 0; i < 40; i++) noisy.send({ type: 'unreadable', position: i });
    expect((await noisy.closed).code).toBe(4503);

    alex.provider.doc.getText('notes').insert(0, 'still here');
    await until(() => blake.text() === 'still here', 5000, 'the doc still syncs');
    expect(alex.statuses).not.toContain('offline');
  });

  it('SH13 escrow payloads of the wrong type or shape get bad_request in sealed and standard rooms, change nothing, and the socket keeps working', async () => {
    const sealed = await createSealedPair(server.url);
    const standard = await createPair(server.url);
    const tooBig = new Uint8Array(33 * 1024);
    const forged = { _placeholder: true, num: 0 };
    for (const [roomId, token] of [[sealed.roomId, sealed.a.token], [standard.roomId, standard.a.token]] as const) {
      const c = closeLater(await connectControl(server.url, roomId, token));
      const escrows: unknown[] = ['AAAA', [1, 2, 3], forged, { type: 'Buffer', data: [1, 2] }, new Uint8Array(0), tooBig, null, 7];
      for (const escrow of escrows) {
        const ready = await c.send('section:ready', { sectionId: 'activities', ready: true, escrow });
        expect(ready, JSON.stringify(escrow)?.slice(0, 40)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
        const upload = await c.send('section:escrow', { sectionId: 'activities', round: 1, escrow });
        expect(upload).toMatchObject({ ok: false });
      }
      const view = (await http<{ sections: { id: string; ready: { a: boolean } }[] }>(server.url, 'GET', `/api/rooms/${roomId}`, { token })).body;
      expect(view.sections.find((s) => s.id === 'activities')?.ready.a).toBe(false);
      expect(await c.send('presence:update', { focus: 'activities' })).toEqual({ ok: true });
    }
    expect(querySqlite(server.dataDir, 'SELECT 1 FROM escrow WHERE room_id IN (?, ?)', sealed.roomId, standard.roomId)).toEqual([]);
  });
});

describe('a hostile partner and the room\'s connection slots (standard rooms)', () => {
  const small = useServer({ env: { MAX_CONNECTIONS_PER_ROOM: '6' } });

  // Was a hole (standard and sealed rooms): MAX_CONNECTIONS_PER_ROOM counted both seats together,
  // so one partner holding every slot (any mix of /room, /yjs, /sealed sockets) locked the other
  // out of the room, red signal included. Each partner now gets a share of the room's slots (the
  // limit less what one device of the other needs, at most half: 3 of 6 here).
  it('SH12 a partner holding every connection slot the room gives it cannot lock the other partner out of /room', async () => {
    const pair = await createPair(small.url);
    const docs = Array.from({ length: 3 }, () => openDoc(small.wsUrl, docName.shared(pair.roomId), pair.b.token));
    for (const d of docs) closeLater({ close: () => d.destroy() });
    await Promise.all(docs.map((d) => d.synced));
    // B's share is taken: B's next socket is refused, on either channel
    const extra = new WebSocket(`${small.wsUrl}/yjs/${docName.shared(pair.roomId)}?token=${pair.b.token}`);
    expect(await new Promise<number>((resolve) => extra.on('close', (code) => resolve(code)))).toBe(4503);
    const socket = io(`${small.url}/room`, { auth: { roomId: pair.roomId, token: pair.a.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const result = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (e) => resolve(e.message));
    });
    socket.close();
    expect(result).toBe('connected');
  });
});

describe('a hostile partner filling the sealed shared doc', () => {
  const tight = useServer({ build: { sealedRooms: true }, env: { MAX_DOC_BYTES: String(128 * 1024) } });

  // Was a hole: a partner could fill the shared doc up to MAX_DOC_BYTES with envelopes that open
  // to nothing (here 30 KiB ones; 32 of 512 KiB reach the default 16 MiB within the write burst),
  // and every later append of the other partner then closed with 1009 "document too large",
  // which the provider retried for ever, while the other's snapshot, which holds none of the
  // junk, would have freed the doc. Now an append that does not fit first asks its writer for a
  // snapshot and waits for it (server/src/sealed/sealed-docs.ts `SealedConnection.append`).
  it('SH14 after a partner filled the shared doc with junk, the other partner\'s next edit is still stored', async () => {
    const pair = await createSealedPair(tight.url);
    const shared = (await pairKeysOf(pair, 'a')).shared;
    const context = docName.shared(pair.roomId);
    const alex = device(pair, 'a', shared, { base: tight.wsUrl });
    await alex.provider.whenLive();
    const junk = rawSocket(`/sealed/${context}?token=${pair.b.token}`, tight.wsUrl);
    await junk.join();
    const sender = newSender();
    for (let seq = 1; seq <= 8; seq++) {
      const sealed = await sealEnvelope(shared, { kind: EnvelopeKind.update, sender, seq, context }, new Uint8Array(30 * 1024).fill(7));
      if (!sealed.ok) throw new Error(sealed.reason);
      junk.send({ type: 'append', envelope: sealed.envelope });
    }
    // The doc is full: the junk writer got what fitted acknowledged and is asked for a snapshot,
    // which it never sends, so the rest of its junk waits and is never stored.
    await until(() => junk.frames.some((f) => f.type === 'compact'), 5000, 'the junk writer asked for a snapshot');
    expect(junk.acks().length).toBeGreaterThan(0);
    expect(junk.acks().length).toBeLessThan(8);
    alex.provider.doc.getText('notes').insert(0, 'mine');
    const reader = device(pair, 'a', shared, { base: tight.wsUrl });
    await reader.provider.whenLive();
    await until(() => reader.text() === 'mine', 4000, 'the edit stored').catch(() => undefined);
    expect(reader.text()).toBe('mine');
  });
  it('SH15 a writer that fills the doc and does not help: its waiting appends are bounded (1009), and a snapshot that frees nothing closes it with 1009', async () => {
    const pair = await createSealedPair(tight.url);
    const shared = (await pairKeysOf(pair, 'a')).shared;
    const context = docName.shared(pair.roomId);
    const seal = async (sender: ReturnType<typeof newSender>, seq: number, bytes: number, kind: EnvelopeKind = EnvelopeKind.update) => {
      const sealed = await sealEnvelope(shared, { kind, sender, seq, context }, new Uint8Array(bytes).fill(7));
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    };
    // Never answers `compact`: what waits for its snapshot is capped, then the connection closes.
    const silent = rawSocket(`/sealed/${context}?token=${pair.b.token}`, tight.wsUrl);
    await silent.join();
    const sender = newSender();
    for (let seq = 1; seq <= 8; seq++) silent.send({ type: 'append', envelope: await seal(sender, seq, 30 * 1024) });
    await until(() => silent.frames.some((f) => f.type === 'compact'), 5000, 'asked for a snapshot');
    for (let seq = 9; seq <= 80; seq++) silent.send({ type: 'append', envelope: await seal(sender, seq, 100) });
    expect((await silent.closed).code).toBe(1009);
    // Answers with a snapshot that frees nothing (position 0): the waiting append still does not fit.
    const stubborn = rawSocket(`/sealed/${context}?token=${pair.a.token}`, tight.wsUrl);
    await stubborn.join();
    const other = newSender();
    stubborn.send({ type: 'append', envelope: await seal(other, 1, 30 * 1024) });
    await until(() => stubborn.frames.some((f) => f.type === 'compact'), 5000, 'asked for a snapshot');
    stubborn.send({ type: 'snapshot', position: 0, envelope: await seal(other, 2, 100, EnvelopeKind.snapshot) });
    expect((await stubborn.closed).code).toBe(1009);
    expect(stubborn.acks()).toEqual([]);
  });
});
