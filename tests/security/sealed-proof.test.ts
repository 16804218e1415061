import fs from 'node:fs';
import { createClient, RESP_TYPES } from 'redis';
import pg from 'pg';
import NodeWebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAgreement, type Agreement } from '@parley/shared/agreement/build';
import { docName, type Seat } from '@parley/shared/protocol/ids';
import { readRoomDoc, readRoomMeta, type RoomDocState } from '@parley/shared/protocol/room-doc';
import { projectSection } from '@parley/shared/reveal/project';
import { newSender, type AeadKey } from '@parley/shared/sealed/envelope';
import { openDiscreet, sealDiscreet } from '@parley/shared/sealed/discreet';
import { openEscrow, sealEscrow } from '@parley/shared/sealed/escrow';
import { sealedAgreementHash, type PairKeys } from '@parley/shared/sealed/pair';
import { SealedDocProvider, type SocketLike } from '@parley/shared/sealed/provider';
import { defaultTemplate } from '@parley/shared/template/default';
import { createPair, createSealedPair, servedPairKeysOf, type SealedPair } from '../helpers/api';
import { fieldsOf, filesOf, makeCanaries, monitorRedis, scanBuffer, scanDir, scanHeapSnapshot, scanMonitor, scanPostgres, scanProcessMemory, scanRedis, scanText, type Canaries, type Hit } from '../helpers/canary';
import { connectControl, openDoc, until, type ControlClient, type DocClient } from '../helpers/clients';
import { joinAs } from '../helpers/partner';
import { createDatabase, spawnNode, spawnRedis, type NodeProcess } from '../helpers/processes';
import { sealedAwareness } from '../helpers/sealed-awareness';
import { recordPageTraffic, SentRecorder } from '../helpers/sent-frames';
import { launchChromium } from '../e2e/support';

/**
 * The harness of issue 16's proof ("the server cannot read any answer"), proven on what exists
 * before the sealed web client lands: real server processes (`server/src/server.ts` with
 * SEALED_ROOMS=on, so their heap can be snapshotted from outside), real clients in this process.
 *
 * - CY1 is the positive control: in a STANDARD room the canaries a partner types ARE found in the
 *   server's heap snapshot, its memory, its SQLite files, and in the frames a Chromium page sent,
 *   so none of those scanners can pass by seeing nothing.
 * - CY2 / CY3 run a whole sealed negotiation through the shared client code (sealed private and
 *   shared docs, sealed awareness, escrow reveal in full mode, a change after the reveal, keyed
 *   confirmations, a reopen) with canaries everywhere a partner writes, next to a standard room
 *   with one control canary on the same server: the scans must find exactly the control.
 * The Chromium journey of the issue uses the same helpers once the sealed UI exists.
 */

const template = defaultTemplate;
const stoppers: (() => unknown)[] = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});
const later = <T>(stop: () => T): void => void stoppers.push(stop);

/** A hit list shown whole when it is not what was expected (where, form and the bytes around). */
const show = (hits: readonly Hit[]): string => hits.map((h) => `${h.field} ${h.form} in ${h.where} @${h.offset}: …${h.around}…`).join('\n');

/** A ws client the SealedDocProvider drives, recording every frame it sends. */
class RecordingSocket implements SocketLike {
  binaryType = 'arraybuffer';
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  private readonly ws: NodeWebSocket;
  constructor(private readonly url: string, private readonly sent: SentRecorder) {
    this.ws = new NodeWebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.on('open', (e: unknown) => this.onopen?.(e));
    this.ws.on('close', (code: number, reason: Buffer) => this.onclose?.({ code, reason: reason.toString() }));
    this.ws.on('error', (e: unknown) => this.onerror?.(e));
    this.ws.on('message', (data: unknown) => this.onmessage?.({ data }));
  }
  get readyState(): number {
    return this.ws.readyState;
  }
  send(data: Uint8Array): void {
    this.sent.add('ws-binary', this.url.replace(/token=[^&]+/, 'token=…'), data);
    this.ws.send(data);
  }
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
}

const recordOutgoing = (control: ControlClient, sent: SentRecorder, url: string): void => {
  control.socket.onAnyOutgoing((...args: unknown[]) => sent.addEvent(url, args));
};

// ---------------------------------------------------------------- a standard room (controls)

/** A standard room on `node`: A answers with `canaries.control` as a note, stored. */
async function standardControl(node: NodeProcess, control: string, nodeB: NodeProcess = node): Promise<string> {
  const pair = await createPair(node.url);
  const a = await joinAs(node, pair.roomId, pair.a);
  later(() => a.close());
  const b = await joinAs(nodeB, pair.roomId, pair.b);
  later(() => b.close());
  a.answer('impact_hand', { giving: 'yes', receiving: 'curious', note: control });
  await a.private.stored();
  // a shared-doc edit from B on B's node travels to A's node (through Redis on two nodes)
  b.shared.doc.getText('notes').insert(0, `${control} `);
  await until(() => a.shared.doc.getText('notes').toString().includes(control), 5000, 'the shared edit reaches a');
  await b.shared.stored();
  return pair.roomId;
}

// ---------------------------------------------------------------- a sealed negotiation

const SEALED_FIELDS = [
  'a-answer-note', 'a-answer-text', 'b-answer-note', 'b-answer-text', 'a-changed-note',
  'a-private-note', 'b-private-note', 'a-unrevealed-note', 'a-shared-note', 'b-shared-note',
  'agreement-text', 'a-awareness',
] as const;
type SealedCanaries = Record<(typeof SEALED_FIELDS)[number], string>;

interface SealedSeat {
  seat: Seat;
  pair: PairKeys;
  token: string;
  private: SealedDocProvider;
  shared: SealedDocProvider;
  awareness: ReturnType<typeof sealedAwareness>['awareness'];
  control: ControlClient;
  room: DocClient;
  sender: string;
  seq: number;
}

/** One seat's client on `node`: the partner's key from GET (binding checked), sealed docs and awareness, `/room`, the room doc. */
async function seatOn(node: NodeProcess, pair: SealedPair, seat: Seat, sent: SentRecorder): Promise<SealedSeat> {
  const own = pair.keys[seat];
  const keys = await servedPairKeysOf(node.url, pair, seat);
  const provider = (context: string, key: AeadKey, doc: Y.Doc, awareness?: ReturnType<typeof sealedAwareness>['adapter']) => {
    const p = new SealedDocProvider(doc, {
      url: `${node.wsUrl}/sealed/${context}?token=${own.authToken}`,
      context,
      key,
      replayGuard: false,
      ...(awareness ? { awareness } : {}),
      socket: (url) => new RecordingSocket(url, sent),
    });
    later(() => p.destroy());
    return p;
  };
  const participantId = pair[seat].id;
  const priv = provider(docName.private(pair.roomId, participantId), own.privateDoc, new Y.Doc());
  const sharedDoc = new Y.Doc();
  const aw = sealedAwareness(sharedDoc, keys.sharedAwareness);
  later(() => aw.awareness.destroy());
  const shared = provider(docName.shared(pair.roomId), keys.shared, sharedDoc, aw.adapter);
  const control = await connectControl(node.url, pair.roomId, own.authToken);
  later(() => control.close());
  recordOutgoing(control, sent, `${node.url}/room`);
  const room = openDoc(node.wsUrl, docName.room(pair.roomId), own.authToken);
  later(() => room.destroy());
  await Promise.all([priv.whenLive(), shared.whenLive(), room.synced]);
  return { seat, pair: keys, token: own.authToken, private: priv, shared, awareness: aw.awareness, control, room, sender: newSender(), seq: 0 };
}

async function escrowOf(p: SealedSeat, roomId: string, sectionId: string, round: number, answers: Record<string, unknown>, changed: string[] = []): Promise<Uint8Array> {
  p.seq += 1;
  const sealed = await sealEscrow({ pairKeys: p.pair, roomId, sectionId, round, seat: p.seat, answers, template, changed, writer: { sender: p.sender, seq: p.seq } });
  if (!sealed.ok) throw new Error(sealed.reason);
  return sealed.envelope;
}

/** The partner's side of a released section, opened as the partner's client opens it. */
async function openPartner(p: SealedSeat, roomId: string, sectionId: string): Promise<Record<string, unknown>> {
  const released = readRoomDoc(p.room.doc).sealedRevealed?.[sectionId];
  if (!released) throw new Error(`${sectionId} not released`);
  const partner: Seat = p.seat === 'a' ? 'b' : 'a';
  const opened = await openEscrow({ pairKeys: p.pair, roomId, sectionId, round: released.round, seat: partner, envelope: released[partner], template });
  if (!opened.ok) throw new Error(`${sectionId}: ${opened.reason}`);
  return opened.answers;
}

/** The agreement a client builds from what it opened (both sides of `activities`), hashed with the pair key. */
function agreementOf(answers: { a: Record<string, unknown>; b: Record<string, unknown> }, text: string): Agreement {
  const room: RoomDocState = {
    sections: { activities: { state: 'revealed', round: 1, ready: { a: true, b: true }, revealedAt: 0 } },
    revealed: { activities: projectSection({ template, sectionId: 'activities', round: 1, mode: 'full', a: answers.a, b: answers.b }) },
    meta: { paused: null, confirmations: { a: null, b: null }, reviewDate: null, leftOut: { a: {}, b: {} } },
    history: [],
  };
  return buildAgreement({ template, room, agreementText: text, names: { a: 'Alex', b: 'Blake' }, title: null });
}

/**
 * A whole sealed negotiation in full mode, A's client on `nodeA` and B's on `nodeB`: both fill
 * in answers (kept in their sealed private docs), private notes, shared notes typed piece by
 * piece, the agreement text and awareness; both ready two sections with sealed escrow; each
 * opens the other's canaries; A changes an answer after the reveal and B opens the change; both
 * confirm the agreement by keyed hash; A reopens a section. A keeps one answer it never readies.
 */
async function sealedNegotiation(nodeA: NodeProcess, nodeB: NodeProcess, c: SealedCanaries, sent: SentRecorder): Promise<{ roomId: string; seen: { byA: string[]; byB: string[] } }> {
  const pair = await createSealedPair(nodeA.url);
  // B joins through A's node (createSealedPair), then works on its own node
  const a = await seatOn(nodeA, pair, 'a', sent);
  const b = await seatOn(nodeB, pair, 'b', sent);
  const { roomId } = pair;

  const aActivities = { impact_hand: { giving: 'yes', receiving: 'curious', note: c['a-answer-note'] } };
  const aArrival = { arrival_feeling: { text: c['a-answer-text'] } };
  const bActivities = { impact_hand: { giving: 'favourite', receiving: 'yes', note: c['b-answer-note'] } };
  const bArrival = { arrival_feeling: { text: c['b-answer-text'] } };
  const put = (p: SealedSeat, answers: Record<string, unknown>) => {
    const map = p.private.doc.getMap('answers');
    for (const [item, answer] of Object.entries(answers)) map.set(item, { ...(answer as object), updatedAt: Date.now() });
  };
  put(a, { ...aActivities, ...aArrival, frame_what: { text: c['a-unrevealed-note'] } });
  a.private.doc.getMap('privateNotes').set('activities', c['a-private-note']);
  put(b, { ...bActivities, ...bArrival });
  b.private.doc.getMap('privateNotes').set('activities', c['b-private-note']);

  // shared notes typed a character at a time (the way a person types), and the agreement text
  const notes = a.shared.doc.getText('notes');
  for (const ch of c['a-shared-note']) notes.insert(notes.length, ch);
  await until(() => b.shared.doc.getText('notes').toString() === c['a-shared-note'], 5000, 'b sees a\'s shared note');
  b.shared.doc.getText('notes').insert(notes.length, ` ${c['b-shared-note']}`);
  b.shared.doc.getText('agreementText').insert(0, c['agreement-text']);
  await until(() => a.shared.doc.getText('agreementText').toString() === c['agreement-text'], 5000, 'a sees the agreement text');
  a.awareness.setLocalState({ name: 'Alex', focus: c['a-awareness'] });
  await until(() => b.awareness.getStates().get(a.awareness.clientID)?.focus === c['a-awareness'], 5000, 'b sees a\'s awareness');

  // ready and reveal, full mode, two sections
  for (const [sectionId, answersA, answersB] of [['activities', aActivities, bActivities], ['arrival', aArrival, bArrival]] as const) {
    expect(await a.control.send('section:ready', { sectionId, ready: true, escrow: await escrowOf(a, roomId, sectionId, 1, answersA) })).toEqual({ ok: true });
    expect(await b.control.send('section:ready', { sectionId, ready: true, escrow: await escrowOf(b, roomId, sectionId, 1, answersB) })).toEqual({ ok: true });
    await until(() => readRoomDoc(a.room.doc).sealedRevealed?.[sectionId] !== undefined && readRoomDoc(b.room.doc).sealedRevealed?.[sectionId] !== undefined, 5000, `${sectionId} released`);
    expect(await openPartner(b, roomId, sectionId)).toEqual(answersA);
    expect(await openPartner(a, roomId, sectionId)).toEqual(answersB);
  }

  // a change after the reveal reaches B, sealed
  const changed = { impact_hand: { giving: 'yes', receiving: 'yes', note: c['a-changed-note'] } };
  put(a, changed);
  expect(await a.control.send('section:escrow', { sectionId: 'activities', round: 1, escrow: await escrowOf(a, roomId, 'activities', 1, changed, ['impact_hand']) })).toEqual({ ok: true });
  let afterChange: Record<string, unknown> = {};
  await until(async () => {
    afterChange = await openPartner(b, roomId, 'activities');
    return JSON.stringify(afterChange).includes(c['a-changed-note']);
  }, 5000, 'b opens the changed answer');

  // both confirm the agreement they each built from what they opened
  const seenByA = agreementOf({ a: changed, b: await openPartner(a, roomId, 'activities') }, a.shared.doc.getText('agreementText').toString());
  const seenByB = agreementOf({ a: afterChange, b: bActivities }, b.shared.doc.getText('agreementText').toString());
  const hashA = await sealedAgreementHash(a.pair.agreement, seenByA);
  const hashB = await sealedAgreementHash(b.pair.agreement, seenByB);
  expect(hashB).toBe(hashA);
  expect(await a.control.send('agreement:confirm', { hash: hashA })).toMatchObject({ ok: true });
  expect(await b.control.send('agreement:confirm', { hash: hashB })).toMatchObject({ ok: true });
  await until(() => readRoomMeta(a.room.doc).confirmations.b?.hash === hashB && readRoomMeta(b.room.doc).confirmations.a?.hash === hashA, 5000, 'both confirmations seen');

  // reopen a round
  expect(await a.control.send('section:reopen', { sectionId: 'arrival' })).toEqual({ ok: true });
  await until(() => readRoomDoc(b.room.doc).sections.arrival?.round === 2, 5000, 'b sees round 2');

  await Promise.all([a.private.whenStored(), b.private.whenStored(), a.shared.whenStored(), b.shared.whenStored()]);
  const text = (v: unknown) => JSON.stringify(v);
  const byB = [await openPartner(b, roomId, 'activities'), b.shared.doc.getText('notes').toString(), b.shared.doc.getText('agreementText').toString(), b.awareness.getStates().get(a.awareness.clientID)];
  const byA = [await openPartner(a, roomId, 'activities'), a.shared.doc.getText('notes').toString()];
  // the reopened round's release stays in history, still sealed, still opening for both
  for (const [p, list] of [[a, byA], [b, byB]] as const) {
    const ended = readRoomDoc(p.room.doc).history.find((h) => h.type === 'reopened' && h.sectionId === 'arrival')?.sealedRevealed;
    if (!ended) continue;
    const partner: Seat = p.seat === 'a' ? 'b' : 'a';
    const opened = await openEscrow({ pairKeys: p.pair, roomId, sectionId: 'arrival', round: 1, seat: partner, envelope: ended[partner], template });
    if (opened.ok) list.push(opened.answers);
  }
  const found = (values: unknown[]) => SEALED_FIELDS.filter((f) => values.some((v) => text(v).includes(c[f]))).sort();
  return { roomId, seen: { byA: found(byA), byB: found(byB) } };
}

/**
 * Discreet mode (blind matching): both seats keep answers with note canaries in their sealed
 * private docs and ready `activities` with tags and pieces; both see the one matching direction.
 * Notes of discreet items travel nowhere yet (docs/sealed-rooms.md §6: no note pieces).
 */
async function sealedDiscreetRound(node: NodeProcess, c: { 'd-a-note': string; 'd-b-note': string }, sent: SentRecorder): Promise<string> {
  const pair = await createSealedPair(node.url, { revealMode: 'discreet' });
  const a = await seatOn(node, pair, 'a', sent);
  const b = await seatOn(node, pair, 'b', sent);
  const { roomId } = pair;
  const answers = {
    a: { impact_hand: { giving: 'yes', receiving: 'hard_limit', note: c['d-a-note'] }, impact_paddle: { giving: 'yes', note: c['d-a-note'] } },
    b: { impact_hand: { giving: 'hard_limit', receiving: 'yes', note: c['d-b-note'] }, impact_paddle: { receiving: 'curious' } },
  };
  for (const p of [a, b]) {
    const map = p.private.doc.getMap('answers');
    for (const [item, answer] of Object.entries(answers[p.seat])) map.set(item, { ...answer, updatedAt: Date.now() });
    const sealed = await sealDiscreet({ pairKeys: p.pair, roomId, sectionId: 'activities', round: 1, seat: p.seat, answers: answers[p.seat], template, writer: { sender: p.sender, seq: p.seq + 1 } });
    if (!sealed.ok) throw new Error(sealed.reason);
    p.seq = sealed.lastSeq;
    expect(await p.control.send('section:ready', { sectionId: 'activities', ready: true, discreet: sealed.upload })).toEqual({ ok: true });
  }
  await until(() => readRoomDoc(a.room.doc).sealedRevealed?.activities !== undefined && readRoomDoc(b.room.doc).sealedRevealed?.activities !== undefined, 5000, 'discreet release');
  for (const p of [a, b]) {
    const released = readRoomDoc(p.room.doc).sealedRevealed!.activities!;
    const view = await openDiscreet({ pairKeys: p.pair, roomId, sectionId: 'activities', seat: p.seat, answers: answers[p.seat], template, released });
    if (!view.ok) throw new Error(view.reason);
    expect(view.matched).toBe(1);
    expect(view.revealed.a.impact_hand).toMatchObject({ giving: 'yes' });
    expect(view.revealed.b.impact_hand).toMatchObject({ receiving: 'yes' });
  }
  await Promise.all([a.private.whenStored(), b.private.whenStored()]);
  return roomId;
}

/** What each partner opened of the other's: B sees A's revealed answers (and the change), shared notes, agreement text, awareness; A sees B's. */
const EXPECTED_SEEN = {
  byA: ['a-shared-note', 'b-answer-note', 'b-answer-text', 'b-shared-note'],
  byB: ['a-answer-text', 'a-awareness', 'a-changed-note', 'a-shared-note', 'agreement-text', 'b-shared-note'],
};

/** Everything one server process shows: heap snapshot, whole memory, data dir, logs. */
async function scanNode(node: NodeProcess, canaries: Canaries, mark: string) {
  const snapshot = await node.heapSnapshot();
  const heap = scanHeapSnapshot(snapshot, canaries);
  // the snapshot is of the server that holds the room (its id is in the room's live docs)
  const heapHasRoom = fs.readFileSync(snapshot).includes(mark);
  const memory = scanProcessMemory(node.child.pid!, canaries);
  const files = scanDir(node.dataDir, canaries);
  const logs = scanText(node.output.join(''), canaries);
  fs.rmSync(snapshot);
  return { heap, heapHasRoom, memory: memory.hits, memoryBytes: memory.bytes, files, fileNames: filesOf(node.dataDir), logs };
}

describe('the proof harness (issue 16): the scanners', () => {
  it('CY0 a canary is found as UTF-8, UTF-16LE/BE, hex, and base64/base64url at any offset inside a longer encoded blob; a lookalike is not', () => {
    const c = makeCanaries(['x', 'y']);
    const filler = Buffer.from('padding-bytes-');
    for (let shift = 0; shift < 3; shift++) {
      const blob = Buffer.concat([filler.subarray(0, shift + 5), Buffer.from(c.x), filler]);
      const forms = [
        Buffer.from(c.x, 'utf8'),
        Buffer.from(c.x, 'utf16le'),
        Buffer.from(c.x, 'utf16le').swap16(),
        Buffer.from(blob.toString('base64')),
        Buffer.from(blob.toString('base64url')),
        Buffer.from(blob.toString('hex')),
      ];
      // (base64 and base64url of this alphabet often agree: one needle then names both)
      const found = forms.map((f) => fieldsOf(scanBuffer(Buffer.concat([filler, f, filler]), c, 'blob')));
      expect(found, `shift ${shift}`).toEqual(forms.map(() => ['x']));
    }
    expect(scanBuffer(Buffer.from(c.y.slice(0, -1)), c, 'lookalike')).toEqual([]);
    // Redis MONITOR escapes non-printable bytes: the UTF-16 form is decoded back to bytes
    const line = `+1.2 [0 127.0.0.1:1] "PUBLISH" "chan" "${[...Buffer.from(c.y, 'utf16le')].map((b) => (b === 0 ? '\\x00' : String.fromCharCode(b))).join('')}"`;
    expect(scanMonitor([line], c).map((h) => [h.field, h.form])).toEqual([['y', 'utf16le']]);
  });
});

describe('the proof harness (issue 16): positive control on a standard room', () => {
  it('CY1 a standard room\'s canaries ARE found in the server process\'s heap snapshot, memory and SQLite files, and in the frames a Chromium page sent', async () => {
    const node = await spawnNode({ SEALED_ROOMS: 'on' }, undefined, { heapSnapshots: true });
    later(() => node.kill());
    const c = makeCanaries(['answer-note', 'answer-text', 'private-note', 'shared-typed', 'agreement-text', 'title', 'page-binary', 'page-text']);
    const pair = await createPair(node.url);
    const a = await joinAs(node, pair.roomId, pair.a);
    later(() => a.close());
    const b = await joinAs(node, pair.roomId, pair.b);
    later(() => b.close());
    a.answer('impact_hand', { giving: 'yes', receiving: 'curious', note: c['answer-note'] });
    a.answer('arrival_feeling', { text: c['answer-text'] });
    a.note('activities', c['private-note']);
    const notes = a.shared.doc.getText('notes');
    for (const ch of c['shared-typed']) notes.insert(notes.length, ch);
    b.shared.doc.getText('agreementText').insert(0, c['agreement-text']);
    await until(() => b.shared.doc.getText('notes').toString() === c['shared-typed'], 5000, 'b sees the typed note');
    await Promise.all([a.private.stored(), a.shared.stored(), b.shared.stored()]);

    // Chromium, on the server's origin: a fetch body, a binary frame (a Yjs update into B's
    // private doc, as y-websocket sends it) and a text frame (socket.io's wire form)
    const browser = await launchChromium();
    later(() => browser.close());
    const page = await (await browser.newContext()).newPage();
    const traffic = await recordPageTraffic(page);
    later(() => traffic.stop());
    await page.goto(`${node.url}/healthz`);
    const update = new Y.Doc();
    update.getMap('answers').set('impact_paddle', { giving: 'yes', note: c['page-binary'], updatedAt: 1 });
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, 0); // messageSync
    encoding.writeVarUint(frame, 2); // update
    encoding.writeVarUint8Array(frame, Y.encodeStateAsUpdate(update));
    const pageResult = await page.evaluate(
      async ({ url, wsUrl, privateDoc, token, frameBytes, title, text }) => {
        const created = await fetch(`${url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'Cara', title }) });
        const yjs = new WebSocket(`${wsUrl}/yjs/${privateDoc}?token=${token}`);
        yjs.binaryType = 'arraybuffer';
        await new Promise((r) => (yjs.onopen = r));
        yjs.send(new Uint8Array(frameBytes));
        const io = new WebSocket(`${wsUrl}/socket.io/?EIO=4&transport=websocket`);
        await new Promise((r) => (io.onopen = r));
        io.send(`42/room,["presence:update",{"focus":"${text}"}]`);
        return created.status;
      },
      { url: node.url, wsUrl: node.wsUrl, privateDoc: docName.private(pair.roomId, pair.b.id), token: pair.b.token, frameBytes: [...encoding.toUint8Array(frame)], title: c.title, text: c['page-text'] },
    );
    expect(pageResult).toBe(201);
    await until(() => JSON.stringify(b.private.doc.getMap('answers').get('impact_paddle') ?? '').includes(c['page-binary']), 5000, 'the page\'s frame reached B\'s private doc');
    await b.private.stored();
    await traffic.settled();
    const frames = traffic.recorder.scan(c);
    expect(fieldsOf(frames), show(frames)).toEqual(['page-binary', 'page-text', 'title']);
    expect(frames.find((h) => h.field === 'page-binary')?.where).toMatch(/^ws-binary/);
    expect(frames.find((h) => h.field === 'page-text')?.where).toMatch(/^ws-text/);
    expect(frames.find((h) => h.field === 'title')?.where).toMatch(/^http-body/);

    const scans = await scanNode(node, c, pair.roomId);
    const stored = ['agreement-text', 'answer-note', 'answer-text', 'page-binary', 'private-note', 'shared-typed', 'title'];
    expect(scans.heapHasRoom).toBe(true);
    // the title is read from the database when asked for, not kept in memory
    const held = stored.filter((f) => f !== 'title');
    expect(fieldsOf(scans.heap), show(scans.heap)).toEqual(expect.arrayContaining(held));
    expect(fieldsOf(scans.memory), show(scans.memory)).toEqual(expect.arrayContaining(held));
    expect(Object.keys(scans.fileNames)).toEqual(expect.arrayContaining(['parley.db', 'parley.db-wal']));
    // text typed a character at a time is stored as one Yjs item per character until a
    // compaction: never contiguous in the file, so the typed canary is not expected there
    expect(fieldsOf(scans.files), show(scans.files)).toEqual(stored.filter((f) => f !== 'shared-typed'));
    expect(scans.logs, show(scans.logs)).toEqual([]);
  }, 180_000);
});

describe('a sealed negotiation leaves no canary in the server (issue 16, "Proof")', () => {
  it('CY2 one server process on SQLite: after a sealed negotiation (full mode, and a discreet round), its heap snapshot, memory, data dir and logs hold only the standard room\'s control canary; each partner opened the other\'s', async () => {
    const node = await spawnNode({ SEALED_ROOMS: 'on' }, undefined, { heapSnapshots: true });
    later(() => node.kill());
    const c = makeCanaries(SEALED_FIELDS);
    const d = makeCanaries(['d-a-note', 'd-b-note']);
    const { control } = makeCanaries(['control']);
    const sent = new SentRecorder();
    const { roomId, seen } = await sealedNegotiation(node, node, c, sent);
    expect(seen).toEqual(EXPECTED_SEEN);
    await sealedDiscreetRound(node, d, sent);
    await standardControl(node, control);

    const all = { ...c, ...d, control };
    const scans = await scanNode(node, all, roomId);
    expect(scans.heapHasRoom).toBe(true);
    expect(scans.memoryBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(fieldsOf(scans.heap), show(scans.heap)).toEqual(['control']);
    expect(fieldsOf(scans.memory), show(scans.memory)).toEqual(['control']);
    expect(fieldsOf(scans.files), show(scans.files)).toEqual(['control']);
    expect(scans.logs, show(scans.logs)).toEqual([]);
    // what the sealed clients sent (sealed docs, awareness, escrow, confirmations): ciphertext only
    expect(sent.count('ws-binary')).toBeGreaterThan(20);
    expect(sent.count('socket.io')).toBeGreaterThan(5);
    expect(sent.scan(all), show(sent.scan(all))).toEqual([]);
  }, 180_000);

  it('CY3 two server processes on Postgres and Redis: no sealed canary in either heap, Postgres, Redis (keys and every command sent to it) or the logs; the standard control is found in each', async () => {
    const redis = await spawnRedis();
    later(() => redis.stop());
    const db = await createDatabase();
    later(() => db.drop());
    const monitor = await monitorRedis(redis.port);
    later(() => monitor.stop());
    const env = { SEALED_ROOMS: 'on', REDIS_URL: redis.url, DATABASE_URL: db.url };
    const one = await spawnNode(env, undefined, { heapSnapshots: true });
    later(() => one.kill());
    const two = await spawnNode(env, undefined, { heapSnapshots: true });
    later(() => two.kill());
    const c = makeCanaries(SEALED_FIELDS);
    const { control } = makeCanaries(['control']);
    const sent = new SentRecorder();
    const { roomId, seen } = await sealedNegotiation(one, two, c, sent);
    expect(seen).toEqual(EXPECTED_SEEN);
    await standardControl(one, control, two);
    const all = { ...c, control };

    await monitor.mark();
    const commands = scanMonitor(monitor.lines, all);
    expect(monitor.lines.some((l) => l.includes(roomId))).toBe(true);
    expect(fieldsOf(commands), show(commands)).toEqual(['control']);

    const client = createClient({ url: redis.url });
    await client.connect();
    later(() => client.close());
    const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const keys = await scanRedis(client, buffers, all);
    expect(keys.keys.length).toBeGreaterThan(0);
    expect(keys.hits, show(keys.hits)).toEqual([]);
    // the Redis scanner sees what a key holds, in every form (nothing of Parley's keeps a canary)
    await client.set('cy3-probe', Buffer.from(control, 'utf16le'));
    await client.hSet('cy3-probe-hash', 'f', Buffer.from(control).toString('base64'));
    expect((await scanRedis(client, buffers, all, 'cy3-probe*')).hits.map((h) => h.form).sort()).toEqual(['base64', 'utf16le']);

    const pgClient = new pg.Client({ connectionString: db.url });
    await pgClient.connect();
    later(() => pgClient.end());
    const dump = await scanPostgres(pgClient, 'public', all);
    expect(dump.rows.doc_updates ?? 0).toBeGreaterThan(0);
    expect(dump.rows.escrow ?? 0).toBeGreaterThan(0);
    expect(fieldsOf(dump.hits), show(dump.hits)).toEqual(['control']);

    for (const node of [one, two]) {
      const scans = await scanNode(node, all, roomId);
      expect(scans.heapHasRoom).toBe(true);
      expect(fieldsOf(scans.heap), show(scans.heap)).toEqual(['control']);
      expect(fieldsOf(scans.memory), show(scans.memory)).toEqual(['control']);
      expect(scans.files, show(scans.files)).toEqual([]);
      expect(scans.logs, show(scans.logs)).toEqual([]);
    }
    expect(sent.scan(all), show(sent.scan(all))).toEqual([]);
  }, 300_000);
});
