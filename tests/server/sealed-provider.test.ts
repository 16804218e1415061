import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { EnvelopeKind, newSender, sealEnvelope, type AeadKey } from '@parley/shared/sealed/envelope';
import { encodeClientFrame, parseServerFrame, type ServerFrame } from '@parley/shared/sealed/frames';
import { deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import type { PairKeys } from '@parley/shared/sealed/pair';
import { SealedDocProvider, type SocketLike, type UnreadableEntry } from '@parley/shared/sealed/provider';
import { createSealedPair, pairKeysOf, type SealedPair } from '../helpers/api';
import { until } from '../helpers/clients';
import { sealedAwareness } from '../helpers/sealed-awareness';
import { useServer } from '../helpers/fixtures';
import { startServer, tempDir, type TestServer } from '../helpers/server';
import { loadConfig } from '@parley/server/config';
import { rotateKey } from '@parley/server/tools/rotate-key';

/**
 * The client end of sealed docs (issue 16, phase 4): `SealedDocProvider` keeping real Y.Docs of
 * two partners in sync through a real server's `/sealed` channel, under the pair's shared-doc
 * key both derive from their X25519 agreement, as the web client will.
 */

const COMPACT_EVERY = 5;
const server = useServer({ build: { sealedRooms: true, compactEvery: COMPACT_EVERY } });
const made: SealedDocProvider[] = [];
const raw: WebSocket[] = [];
afterEach(() => {
  for (const p of made.splice(0)) p.destroy();
  for (const ws of raw.splice(0)) ws.terminate();
});

/** Sockets the test can cut, as a network would. */
interface Device {
  provider: SealedDocProvider;
  unreadable: UnreadableEntry[];
  cut(): void;
}

function device(pair: SealedPair, seat: 'a' | 'b', key: AeadKey): Device {
  const context = docName.shared(pair.roomId);
  let current: WebSocket | null = null;
  const provider = new SealedDocProvider(new Y.Doc(), {
    url: `${server.wsUrl}/sealed/${context}?token=${pair[seat].token}`,
    context,
    key,
    replayGuard: false,
    backoff: { minMs: 50, maxMs: 200 },
    socket: (url) => {
      current = new WebSocket(url);
      return current as unknown as SocketLike;
    },
  });
  made.push(provider);
  const unreadable: UnreadableEntry[] = [];
  provider.on('unreadable', (entry) => unreadable.push(entry));
  return { provider, unreadable, cut: () => current?.terminate() };
}

/** A raw client of the channel: what the server keeps, read from position 0. */
async function logFrom(pair: SealedPair, position = 0): Promise<ServerFrame[]> {
  const ws = new WebSocket(`${server.wsUrl}/sealed/${docName.shared(pair.roomId)}?token=${pair.b.token}`);
  raw.push(ws);
  const frames: ServerFrame[] = [];
  ws.on('message', (data: Buffer) => {
    const parsed = parseServerFrame(new Uint8Array(data), { maxEnvelopeBytes: 1024 * 1024, appendKinds: [EnvelopeKind.update] });
    if (parsed.ok) frames.push(parsed.frame);
  });
  await new Promise<void>((resolve, reject) => ws.on('open', resolve).on('error', reject));
  ws.send(encodeClientFrame({ type: 'hello', position }));
  await until(() => frames.some((f) => f.type === 'live'), 5000, 'live');
  return frames.filter((f) => f.type === 'entry');
}

const text = (d: Device) => d.provider.doc.getText('notes').toString();

describe('SealedDocProvider through the sealed channel (sealed-rooms.md §4)', () => {
  it('PV1 both partners edit the shared doc under the pair key; a canary reaches the partner and never the SQLite files', async () => {
    const pair = await createSealedPair(server.url);
    const alex = device(pair, 'a', (await pairKeysOf(pair, 'a')).shared);
    const blake = device(pair, 'b', (await pairKeysOf(pair, 'b')).shared);
    await Promise.all([alex.provider.whenLive(), blake.provider.whenLive()]);
    alex.provider.doc.getText('notes').insert(0, 'CANARY-pv1-alex');
    await until(() => text(blake) === 'CANARY-pv1-alex', 5000, 'blake sees alex');
    blake.provider.doc.getText('notes').insert(15, ' CANARY-pv1-blake');
    await until(() => text(alex) === 'CANARY-pv1-alex CANARY-pv1-blake', 5000, 'alex sees blake');
    await Promise.all([alex.provider.whenStored(), blake.provider.whenStored()]);

    const files = ['parley.db', 'parley.db-wal'].map((f) => path.join(server.dataDir, f)).filter((f) => fs.existsSync(f));
    const stored = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    for (const canary of ['CANARY-pv1-alex', 'CANARY-pv1-blake']) {
      expect(stored.includes(Buffer.from(canary, 'utf8'))).toBe(false);
      expect(stored.includes(Buffer.from(canary, 'utf16le'))).toBe(false);
    }
    expect(alex.unreadable).toEqual([]);
    expect(blake.unreadable).toEqual([]);
  });

  it('PV2 edits made while the connection is down are kept, sent after it comes back, and stored once', async () => {
    const pair = await createSealedPair(server.url);
    const alex = device(pair, 'a', (await pairKeysOf(pair, 'a')).shared);
    const blake = device(pair, 'b', (await pairKeysOf(pair, 'b')).shared);
    await Promise.all([alex.provider.whenLive(), blake.provider.whenLive()]);
    alex.provider.doc.getText('notes').insert(0, 'before');
    await until(() => text(blake) === 'before', 5000, 'first edit');
    await alex.provider.whenStored();

    alex.cut();
    await until(() => alex.provider.status !== 'live', 5000, 'alex offline');
    alex.provider.doc.getText('notes').insert(6, ' while away');
    alex.provider.doc.getText('notes').insert(17, ' and more');
    expect(alex.provider.pending).toBeGreaterThan(0);
    await until(() => text(blake) === 'before while away and more', 5000, 'edits after the reconnect');
    await alex.provider.whenStored();
    expect(alex.provider.pending).toBe(0);
    // three edits of Alex, each stored once: nothing was sent twice
    expect((await logFrom(pair)).length).toBe(3);
  });

  it('PV3 a partner\'s envelope that does not open, or opens to a hostile update, is reported and skipped; the doc keeps working', async () => {
    const pair = await createSealedPair(server.url);
    const shared = (await pairKeysOf(pair, 'a')).shared;
    const alex = device(pair, 'a', shared);
    await alex.provider.whenLive();
    const context = docName.shared(pair.roomId);

    const hostile = new WebSocket(`${server.wsUrl}/sealed/${context}?token=${pair.b.token}`);
    raw.push(hostile);
    await new Promise<void>((resolve, reject) => hostile.on('open', resolve).on('error', reject));
    hostile.send(encodeClientFrame({ type: 'hello', position: 0 }));
    const sender = newSender();
    const seal = async (key: AeadKey, seq: number, payload: Uint8Array) => {
      const sealed = await sealEnvelope(key, { kind: EnvelopeKind.update, sender, seq, context }, payload);
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    };
    // under a key Alex does not have, then under the right key but a Yjs update that is garbage
    const otherKey = (await deriveSeatKeys(generateLinkSecret())).privateDoc;
    await until(() => alex.provider.status === 'live', 5000, 'alex live');
    hostile.send(encodeClientFrame({ type: 'append', envelope: await seal(otherKey, 1, new Uint8Array([0, 0])) }));
    hostile.send(encodeClientFrame({ type: 'append', envelope: await seal(shared, 2, new Uint8Array([5, 255, 255, 255, 255, 15, 1, 2, 3])) }));
    await until(() => alex.unreadable.length === 2, 5000, 'two unreadable entries');
    expect(alex.unreadable.map((u) => u.reason)).toEqual(['does not open', 'invalid update']);
    expect(text(alex)).toBe('');

    // a good update from Blake's real client still lands, and Alex's own edits still go out
    const blake = device(pair, 'b', (await pairKeysOf(pair, 'b')).shared);
    await blake.provider.whenLive();
    expect(blake.unreadable.map((u) => u.reason)).toEqual(['does not open', 'invalid update']);
    blake.provider.doc.getText('notes').insert(0, 'still here');
    await until(() => text(alex) === 'still here', 5000, 'a good update after the bad ones');
    alex.provider.doc.getText('notes').insert(10, '!');
    await until(() => text(blake) === 'still here!', 5000, 'alex still writes');
  });

  it('PV4 a lone writer answers compact with a snapshot that replaces the log; a new device opens it and has everything', async () => {
    const pair = await createSealedPair(server.url);
    const shared = (await pairKeysOf(pair, 'a')).shared;
    const alex = device(pair, 'a', shared);
    await alex.provider.whenLive();
    const notes = alex.provider.doc.getText('notes');
    for (let i = 0; i < 2 * COMPACT_EVERY + 1; i++) notes.insert(notes.length, `${i},`);
    await alex.provider.whenStored();
    // own acks count: the position is the whole log, so the snapshot can replace it
    expect(alex.provider.position).toBe(2 * COMPACT_EVERY + 1);
    await until(async () => (await logFrom(pair)).length < 2 * COMPACT_EVERY + 1, 5000, 'the log compacted');
    const log = await logFrom(pair);
    expect(log[0]!.type === 'entry' && log[0]!.envelope.kind).toBe(EnvelopeKind.snapshot);

    const laptop = device(pair, 'a', shared);
    await laptop.provider.whenLive();
    expect(text(laptop)).toBe(notes.toString());
    expect(laptop.unreadable).toEqual([]);
  });
});

/** What the web client will pass: y-protocols' Awareness behind the provider's adapter. */
describe('sealed awareness', () => {
  it('PV5 awareness travels sealed under its own key, reaches a partner who connects later, is never stored, and garbage is ignored', async () => {
    const pair = await createSealedPair(server.url);
    const context = docName.shared(pair.roomId);
    const keysA = await pairKeysOf(pair, 'a');
    const keysB = await pairKeysOf(pair, 'b');
    const open = (seat: 'a' | 'b', keys: PairKeys) => {
      const doc = new Y.Doc();
      const { awareness, adapter } = sealedAwareness(doc, keys.sharedAwareness);
      const provider = new SealedDocProvider(doc, {
        url: `${server.wsUrl}/sealed/${context}?token=${pair[seat].token}`,
        context,
        key: keys.shared,
        replayGuard: false,
        awareness: adapter,
        socket: (url) => new WebSocket(url) as unknown as SocketLike,
      });
      made.push(provider);
      return { provider, awareness };
    };
    const alex = open('a', keysA);
    alex.awareness.setLocalState({ name: 'CANARY-pv5-cursor', section: 'limits' });
    await alex.provider.whenLive();

    // Blake arrives after Alex set the state: Alex answers the newcomer once
    const blake = open('b', keysB);
    blake.awareness.setLocalState({ name: 'Blake', section: 'activities' });
    await until(() => blake.awareness.getStates().get(alex.awareness.clientID)?.name === 'CANARY-pv5-cursor', 5000, 'blake sees alex');
    await until(() => alex.awareness.getStates().get(blake.awareness.clientID)?.section === 'activities', 5000, 'alex sees blake');

    alex.awareness.setLocalState({ name: 'CANARY-pv5-cursor', section: 'aftercare' });
    await until(() => blake.awareness.getStates().get(alex.awareness.clientID)?.section === 'aftercare', 5000, 'a moved cursor');

    // a hostile partner's awareness under the shared doc's key (not the awareness key), and one
    // under the right key whose state is not an object: both dropped, nothing else changes
    const hostile = new WebSocket(`${server.wsUrl}/sealed/${context}?token=${pair.b.token}`);
    raw.push(hostile);
    await new Promise<void>((resolve, reject) => hostile.on('open', resolve).on('error', reject));
    hostile.send(encodeClientFrame({ type: 'hello', position: 0 }));
    const stranger = new awarenessProtocol.Awareness(new Y.Doc());
    stranger.setLocalState({ name: 'intruder' });
    const sender = newSender();
    const sealAs = async (key: AeadKey, seq: number, payload: Uint8Array) => {
      const sealed = await sealEnvelope(key, { kind: EnvelopeKind.awareness, sender, seq, context }, payload);
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    };
    await until(() => hostile.readyState === hostile.OPEN, 5000, 'hostile open');
    hostile.send(encodeClientFrame({ type: 'awareness', envelope: await sealAs(keysB.shared, 1, awarenessProtocol.encodeAwarenessUpdate(stranger, [stranger.clientID])) }));
    const notAnObject = new Uint8Array([1, 7, 1, ...new TextEncoder().encode('\u00045555')]);
    hostile.send(encodeClientFrame({ type: 'awareness', envelope: await sealAs(keysB.sharedAwareness, 2, notAnObject) }));
    blake.awareness.setLocalState({ name: 'Blake', section: 'after the garbage' });
    await until(() => alex.awareness.getStates().get(blake.awareness.clientID)?.section === 'after the garbage', 5000, 'later awareness');
    expect([...alex.awareness.getStates().values()].map((s) => s.name).sort()).toEqual(['Blake', 'CANARY-pv5-cursor']);

    const files = ['parley.db', 'parley.db-wal'].map((f) => path.join(server.dataDir, f)).filter((f) => fs.existsSync(f));
    const stored = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    expect(stored.includes(Buffer.from('CANARY-pv5-cursor'))).toBe(false);
    expect(server.logs.join('').includes('CANARY-pv5-cursor')).toBe(false);
    alex.awareness.destroy();
    blake.awareness.destroy();
  });
});

describe('sealed logs at rest (DATA_KEY)', () => {
  it('PV6 a key rotation re-seals a sealed room\'s log entry by entry: afterwards the new key alone opens it, at the same positions, and the doc goes on', async () => {
    const keyA = randomBytes(32).toString('base64');
    const keyB = randomBytes(32).toString('base64');
    const dataDir = tempDir();
    let pair: SealedPair;
    const first = await startServer({ dataDir, env: { DATA_KEY: keyA }, build: { sealedRooms: true } });
    const deviceOn = (base: TestServer, seat: 'a' | 'b', key: AeadKey) => {
      const context = docName.shared(pair.roomId);
      const provider = new SealedDocProvider(new Y.Doc(), {
        url: `${base.wsUrl}/sealed/${context}?token=${pair[seat].token}`,
        context,
        key,
        replayGuard: false,
        socket: (url) => new WebSocket(url) as unknown as SocketLike,
      });
      made.push(provider);
      return provider;
    };
    try {
      pair = await createSealedPair(first.url);
      const alex = deviceOn(first, 'a', (await pairKeysOf(pair, 'a')).shared);
      await alex.whenLive();
      // more than COMPACT_EVERY entries: the log holds a client snapshot and entries after it
      for (let i = 0; i < COMPACT_EVERY + 2; i++) {
        alex.doc.getText('notes').insert(alex.doc.getText('notes').length, `line ${i}. `);
        await alex.whenStored();
      }
      alex.destroy();
    } finally {
      await first.close();
    }

    const report = await rotateKey(loadConfig({ DATA_DIR: dataDir, DATA_KEY: keyB, DATA_KEY_PREVIOUS: keyA, LOG_LEVEL: 'warn' }));
    expect(report.docsRewritten).toBeGreaterThanOrEqual(1);

    // keyB alone: keyA is gone, so only what was re-sealed opens
    const second = await startServer({ dataDir, env: { DATA_KEY: keyB }, build: { sealedRooms: true } });
    try {
      const expected = Array.from({ length: COMPACT_EVERY + 2 }, (_, i) => `line ${i}. `).join('');
      const blake = deviceOn(second, 'b', (await pairKeysOf(pair!, 'b')).shared);
      await blake.whenLive();
      expect(blake.doc.getText('notes').toString()).toBe(expected);
      // and the doc goes on from the positions it had: a new edit reaches a fresh reader
      blake.doc.getText('notes').insert(0, 'after rotation. ');
      await blake.whenStored();
      const reader = deviceOn(second, 'a', (await pairKeysOf(pair!, 'a')).shared);
      await reader.whenLive();
      expect(reader.doc.getText('notes').toString()).toBe(`after rotation. ${expected}`);
    } finally {
      await second.close();
    }
  });
});
