import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { DocStore, DocUpdate } from '@parley/server/store/doc-store';
import { EnvelopeKind, newSender, openEnvelope, sealEnvelope, type AeadKey } from '@parley/shared/sealed/envelope';
import { encodeClientFrame, parseServerFrame, type ServerFrame } from '@parley/shared/sealed/frames';
import { deriveSeatKeys, generateLinkSecret } from '@parley/shared/sealed/keys';
import { SealedDocProvider, type SocketLike } from '@parley/shared/sealed/provider';
import * as Y from 'yjs';
import { createPair, createSealedPair, http, type Pair } from '../helpers/api';
import { sleep, until } from '../helpers/clients';
import { useCluster, useServer } from '../helpers/fixtures';
import { startServer } from '../helpers/server';

/** Commits can be held (`holding`) or failed (`failing`) to see what waits for durability. */
const gate = { holding: false, failing: false, held: [] as (() => void)[] };
const gatedCommits = (store: DocStore): DocStore =>
  Object.assign(Object.create(store) as DocStore, {
    appendUpdates: async (batch: readonly DocUpdate[]) => {
      if (gate.holding) await new Promise<void>((release) => gate.held.push(release));
      if (gate.failing) throw new Error('disk full');
      return store.appendUpdates(batch);
    },
  });

const COMPACT_EVERY = 5;
const server = useServer({ build: { sealedRooms: true, compactEvery: COMPACT_EVERY, wrapDocStore: gatedCommits } });
const sockets: WebSocket[] = [];
afterAll(() => {
  gate.holding = false;
  for (const release of gate.held.splice(0)) release();
  for (const ws of sockets) ws.terminate();
});

const LIMITS = { maxEnvelopeBytes: 1024 * 1024, appendKinds: [EnvelopeKind.update, EnvelopeKind.keyring] };
const text = new TextEncoder();
const utf8 = new TextDecoder();

/** A raw client of the sealed channel: every frame it was sent, parsed as a client would. */
function sealedSocket(path: string, base: string = server.wsUrl) {
  const ws = new WebSocket(`${base}${path}`);
  sockets.push(ws);
  const frames: ServerFrame[] = [];
  let bytesReceived = 0;
  ws.on('message', (data: Buffer) => {
    bytesReceived += data.length;
    const parsed = parseServerFrame(new Uint8Array(data), LIMITS);
    if (!parsed.ok) throw new Error(`the server sent a malformed frame: ${parsed.reason}`);
    frames.push(parsed.frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const send = (frame: Parameters<typeof encodeClientFrame>[0]) => ws.send(encodeClientFrame(frame));
  return {
    ws,
    frames,
    closed,
    opened,
    send,
    bytesReceived: () => bytesReceived,
    entries: () => frames.flatMap((f) => (f.type === 'entry' ? [f] : [])),
    acks: () => frames.flatMap((f) => (f.type === 'ack' ? [f.position] : [])),
    isLive: () => frames.some((f) => f.type === 'live'),
    /** opens, says hello from `position`, and waits for `live` */
    async join(position = 0) {
      await opened;
      send({ type: 'hello', position });
      await until(() => frames.some((f) => f.type === 'live'), 5000, 'live');
    },
  };
}

/** The bytes of an entry's envelope as the server sent them. */
const envelopeOf = (entry: { envelope: { headerBytes: Uint8Array; sealed: Uint8Array } }) =>
  new Uint8Array(entry.envelope.headerBytes.buffer, entry.envelope.headerBytes.byteOffset, entry.envelope.headerBytes.length + entry.envelope.sealed.length);

/** Seals the way a SealedProvider will (phase 4): one sender per session, seq from 1. */
async function sealer(context: string, key?: AeadKey) {
  const aead = key ?? (await deriveSeatKeys(generateLinkSecret())).privateDoc;
  const sender = newSender();
  let seq = 0;
  return {
    key: aead,
    seal: async (payload: string, kind: EnvelopeKind = EnvelopeKind.update) => {
      const sealed = await sealEnvelope(aead, { kind, sender, seq: ++seq, context }, text.encode(payload));
      if (!sealed.ok) throw new Error(sealed.reason);
      return sealed.envelope;
    },
    open: async (envelope: Uint8Array) => {
      const opened = await openEnvelope(aead, envelope, context);
      if (!opened.ok) throw new Error(opened.reason);
      return utf8.decode(opened.payload);
    },
  };
}

const sharedPath = (pair: Pair, token = pair.a.token) => `/sealed/${docName.shared(pair.roomId)}?token=${token}`;

/** A new pair, both partners on the shared doc (joined), and the pair's sealer. */
async function bothOnShared() {
  const pair = await createSealedPair(server.url);
  const alex = await sealer(docName.shared(pair.roomId));
  const a = sealedSocket(sharedPath(pair));
  const b = sealedSocket(sharedPath(pair, pair.b.token));
  await Promise.all([a.join(), b.join()]);
  return { pair, alex, a, b };
}

describe('sealed doc channel (docs/sealed-rooms.md §4)', () => {
  it('SL1 an append reaches the doc\'s other connection as an entry once durable, and its writer gets an ack with the position', async () => {
    const pair = await createSealedPair(server.url);
    const context = docName.shared(pair.roomId);
    const alex = await sealer(context);
    const blake = await sealer(context, alex.key); // the pair's shared key
    const a = sealedSocket(sharedPath(pair));
    const b = sealedSocket(sharedPath(pair, pair.b.token));
    await Promise.all([a.join(), b.join()]);

    a.send({ type: 'append', envelope: await alex.seal('Saturday, after dinner') });
    await until(() => a.acks().length === 1 && b.entries().length === 1, 5000, 'ack and entry');
    expect(a.acks()).toEqual([1]);
    expect(b.entries()[0]!.position).toBe(1);
    expect(await blake.open(envelopeOf(b.entries()[0]!))).toBe('Saturday, after dinner');

    b.send({ type: 'append', envelope: await blake.seal('and a walk') });
    await until(() => a.entries().length === 1 && b.acks().length === 1, 5000, 'the other way');
    expect(b.acks()).toEqual([2]);
    expect(a.entries()[0]!.position).toBe(2);
    expect(await alex.open(envelopeOf(a.entries()[0]!))).toBe('and a walk');
    // a writer never gets its own entry back, only the ack
    expect(a.entries().map((e) => e.position)).toEqual([2]);
    expect(b.entries().map((e) => e.position)).toEqual([1]);
  });

  it('SL2 a client that says hello with a position gets only the entries after it, then live', async () => {
    const pair = await createSealedPair(server.url);
    const alex = await sealer(docName.shared(pair.roomId));
    const a = sealedSocket(sharedPath(pair));
    await a.join();
    for (const word of ['one', 'two', 'three', 'four']) a.send({ type: 'append', envelope: await alex.seal(word) });
    await until(() => a.acks().length === 4, 5000, 'four acks');
    expect(a.acks()).toEqual([1, 2, 3, 4]);

    const later = sealedSocket(sharedPath(pair, pair.b.token));
    await later.join(2);
    expect(await Promise.all(later.entries().map((e) => alex.open(envelopeOf(e))))).toEqual(['three', 'four']);
    expect(later.entries().map((e) => e.position)).toEqual([3, 4]);
    expect(later.frames.at(-1)).toEqual({ type: 'live' });

    const fresh = sealedSocket(sharedPath(pair, pair.b.token));
    await fresh.join(0);
    expect(fresh.entries().map((e) => e.position)).toEqual([1, 2, 3, 4]);
    const upToDate = sealedSocket(sharedPath(pair, pair.b.token));
    await upToDate.join(4);
    expect(upToDate.frames).toEqual([{ type: 'live' }]);
  });

  it('SL3 after every COMPACT_EVERY entries the writer is asked for a snapshot, which replaces the log up to its position and keeps what came after', async () => {
    const pair = await createSealedPair(server.url);
    const context = docName.private(pair.roomId, pair.a.id);
    const phone = await sealer(context);
    const a = sealedSocket(`/sealed/${context}?token=${pair.a.token}`);
    await a.join();
    for (let i = 1; i <= COMPACT_EVERY; i++) a.send({ type: 'append', envelope: await phone.seal(`edit ${i}`) });
    await until(() => a.frames.some((f) => f.type === 'compact'), 5000, 'compact');
    expect(a.acks()).toEqual([1, 2, 3, 4, 5]);

    // the client compacts what it had at position 3, while edits 4 and 5 are already stored
    a.send({ type: 'snapshot', position: 3, envelope: await phone.seal('edits 1–3', EnvelopeKind.snapshot) });
    a.send({ type: 'append', envelope: await phone.seal('edit 6') });
    await until(() => a.acks().length === 6, 5000, 'sixth ack');

    const laptop = sealedSocket(`/sealed/${context}?token=${pair.a.token}`);
    await laptop.join(0);
    const got = await Promise.all(laptop.entries().map(async (e) => [e.position, e.envelope.kind, await phone.open(envelopeOf(e))]));
    expect(got).toEqual([
      [3, EnvelopeKind.snapshot, 'edits 1–3'],
      [4, EnvelopeKind.update, 'edit 4'],
      [5, EnvelopeKind.update, 'edit 5'],
      [6, EnvelopeKind.update, 'edit 6'],
    ]);
    // a device that had 4 already needs no snapshot
    const tablet = sealedSocket(`/sealed/${context}?token=${pair.a.token}`);
    await tablet.join(4);
    expect(tablet.entries().map((e) => e.position)).toEqual([5, 6]);
  });

  it('SL4 garbage closes only its own connection with 4400 and the reason; the doc\'s other connections and other rooms keep syncing', async () => {
    const pair = await createSealedPair(server.url);
    const elsewhere = await createSealedPair(server.url);
    const alex = await sealer(docName.shared(pair.roomId));
    const other = await sealer(docName.shared(elsewhere.roomId));
    const a = sealedSocket(sharedPath(pair));
    const b = sealedSocket(sharedPath(pair, pair.b.token));
    const c = sealedSocket(sharedPath(elsewhere));
    const d = sealedSocket(sharedPath(elsewhere, elsewhere.b.token));
    await Promise.all([a.join(), b.join(), c.join(), d.join()]);
    const update = await alex.seal('fine');
    const snapshot = await alex.seal('x', EnvelopeKind.snapshot);

    const garbage: [string, string | Uint8Array, string][] = [
      ['a text frame', 'hello', 'binary frames only'],
      ['an unknown frame type', Uint8Array.of(99), 'unknown frame type'],
      ['a truncated envelope', encodeClientFrame({ type: 'append', envelope: update.subarray(0, 100) }), 'too short'],
      ['a size that is no bucket', encodeClientFrame({ type: 'append', envelope: new Uint8Array([...update, 0]) }), 'size is not a padding bucket'],
      ['a snapshot sent as an append', encodeClientFrame({ type: 'append', envelope: snapshot }), 'unexpected kind'],
      ['a second hello', encodeClientFrame({ type: 'hello', position: 0 }), 'hello twice'],
    ];
    for (const [what, frame, reason] of garbage) {
      const hostile = sealedSocket(sharedPath(pair, pair.b.token));
      await hostile.join();
      hostile.ws.send(frame);
      expect(await hostile.closed, what).toEqual({ code: 4400, reason });
    }
    const early = sealedSocket(sharedPath(pair, pair.b.token));
    await early.opened;
    early.send({ type: 'append', envelope: update });
    expect(await early.closed).toEqual({ code: 4400, reason: 'no hello yet' });

    a.send({ type: 'append', envelope: update });
    c.send({ type: 'append', envelope: await other.seal('also fine') });
    await until(() => b.entries().length === 1 && d.entries().length === 1, 5000, 'both rooms still sync');
    expect(await other.open(envelopeOf(d.entries()[0]!))).toBe('also fine');
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('SL5 a frame over MAX_MESSAGE_BYTES closes with 1009, and appends over the write rate with 4503', async () => {
    const pair = await createSealedPair(server.url);
    const big = sealedSocket(sharedPath(pair));
    await big.join();
    big.ws.send(new Uint8Array(1024 * 1024 + 1));
    expect((await big.closed).code).toBe(1009);

    const alex = await sealer(docName.shared(pair.roomId));
    const flood = sealedSocket(sharedPath(pair));
    await flood.join();
    const envelope = await alex.seal('again');
    for (let i = 0; i < 260; i++) flood.send({ type: 'append', envelope });
    expect(await flood.closed).toEqual({ code: 4503, reason: 'append rate exceeded' });
    // what was admitted before the cap is stored: a fresh client reads the burst
    const reader = sealedSocket(sharedPath(pair, pair.b.token));
    await reader.join();
    expect(reader.entries().length).toBeGreaterThanOrEqual(200);
    expect(reader.entries().length).toBeLessThan(260);
  });

  it('SL6 refuses before any byte as /yjs does: 4401 bad token, 4403 the partner\'s private doc, the room doc and a standard room\'s docs (one room, one channel), 4410 a deleted room; an erase closes open connections with 4410', async () => {
    const pair = await createSealedPair(server.url);
    const standard = await createPair(server.url);
    const alex = await sealer(docName.shared(pair.roomId));
    const writer = sealedSocket(sharedPath(pair));
    await writer.join();
    writer.send({ type: 'append', envelope: await alex.seal('CANARY-BEFORE-AUTH') });
    await until(() => writer.acks().length === 1, 5000, 'ack');

    const refused: [string, number][] = [
      [`/sealed/${docName.shared(pair.roomId)}`, 4401],
      [`/sealed/${docName.shared(pair.roomId)}?token=${'A'.repeat(43)}`, 4401],
      [`/sealed/${docName.private(pair.roomId, pair.a.id)}?token=${pair.b.token}`, 4403],
      [`/sealed/${docName.room(pair.roomId)}?token=${pair.a.token}`, 4403],
      // a standard room's docs are y-websocket docs: envelopes must never reach their logs
      [`/sealed/${docName.shared(standard.roomId)}?token=${standard.a.token}`, 4403],
      [`/sealed/${docName.private(standard.roomId, standard.a.id)}?token=${standard.a.token}`, 4403],
    ];
    for (const [path, code] of refused) {
      const socket = sealedSocket(path);
      await socket.opened;
      socket.send({ type: 'hello', position: 0 }); // sent before the answer: still nothing comes back
      expect((await socket.closed).code, path).toBe(code);
      expect(socket.bytesReceived(), path).toBe(0);
    }

    expect((await http(server.url, 'DELETE', `/api/rooms/${pair.roomId}`, { token: pair.b.token })).status).toBe(204);
    expect((await writer.closed).code).toBe(4410);
    const late = sealedSocket(sharedPath(pair));
    await late.opened;
    expect((await late.closed).code).toBe(4410);
    expect(late.bytesReceived()).toBe(0);
  });

  it('SL7 the SQLite file holds only envelopes: no plaintext canary, while the sealed bytes are there as sent', async () => {
    const CANARY = `CANARY-SEALED-${Math.random().toString(36).slice(2)}`;
    const pair = await createSealedPair(server.url);
    const context = docName.shared(pair.roomId);
    const alex = await sealer(context);
    const a = sealedSocket(sharedPath(pair));
    await a.join();
    const envelopes = [await alex.seal(`${CANARY} answer`), await alex.seal(`${CANARY} note `.repeat(200))];
    for (const envelope of envelopes) a.send({ type: 'append', envelope });
    a.send({ type: 'awareness', envelope: await alex.seal(`${CANARY} cursor`, EnvelopeKind.awareness) });
    await until(() => a.acks().length === 2, 5000, 'acks');
    a.send({ type: 'snapshot', position: 2, envelope: await alex.seal(`${CANARY} snapshot`, EnvelopeKind.snapshot) });
    await sleep(200);

    const files = ['parley.db', 'parley.db-wal'].map((name) => path.join(server.dataDir, name)).filter((file) => fs.existsSync(file));
    const stored = Buffer.concat(files.map((file) => fs.readFileSync(file)));
    expect(stored.indexOf(CANARY)).toBe(-1);
    expect(stored.indexOf(Buffer.from(CANARY, 'utf16le'))).toBe(-1);
    // the snapshot the client sent is stored byte for byte (a reader gets it back and opens it)
    const reader = sealedSocket(sharedPath(pair, pair.b.token));
    await reader.join();
    expect(await alex.open(envelopeOf(reader.entries()[0]!))).toBe(`${CANARY} snapshot`);
    expect(stored.indexOf(Buffer.from(envelopeOf(reader.entries()[0]!)))).toBeGreaterThanOrEqual(0);
    expect(server.logs.join('').indexOf(CANARY)).toBe(-1);
  });

  it('SL8 awareness goes to the doc\'s other connections and is never stored', async () => {
    const { pair, alex, a, b } = await bothOnShared();
    a.send({ type: 'awareness', envelope: await alex.seal('cursor at 12', EnvelopeKind.awareness) });
    await until(() => b.frames.some((f) => f.type === 'awareness'), 5000, 'awareness');
    const got = b.frames.find((f) => f.type === 'awareness');
    expect(got && got.type === 'awareness' ? await alex.open(envelopeOf(got)) : null).toBe('cursor at 12');
    expect(a.frames.filter((f) => f.type === 'awareness')).toEqual([]);
    const reader = sealedSocket(sharedPath(pair, pair.b.token));
    await reader.join();
    expect(reader.frames).toEqual([{ type: 'live' }]);
  });

  it('SL9 nothing is acknowledged or relayed before its commit; a failed commit closes the writer with 4503 and relays nothing', async () => {
    const { pair, alex, a, b } = await bothOnShared();
    gate.holding = true;
    try {
      a.send({ type: 'append', envelope: await alex.seal('held') });
      await until(() => gate.held.length === 1, 5000, 'commit held');
      await sleep(150);
      expect(a.acks()).toEqual([]);
      expect(b.entries()).toEqual([]);
      gate.holding = false;
      gate.held.splice(0).forEach((release) => release());
      await until(() => a.acks().length === 1 && b.entries().length === 1, 5000, 'after the commit');

      gate.failing = true;
      a.send({ type: 'append', envelope: await alex.seal('lost to the disk') });
      expect(await a.closed).toEqual({ code: 4503, reason: 'unavailable' });
    } finally {
      gate.holding = false;
      gate.failing = false;
      gate.held.splice(0).forEach((release) => release());
    }
    await sleep(100);
    expect(b.entries().map((e) => e.position)).toEqual([1]);
    // the writer still has its unacknowledged edit and sends it again after reconnecting
    const again = sealedSocket(sharedPath(pair));
    await again.join(1);
    again.send({ type: 'append', envelope: await alex.seal('lost to the disk') });
    await until(() => b.entries().length === 2, 5000, 'the retry');
    expect(await alex.open(envelopeOf(b.entries()[1]!))).toBe('lost to the disk');
    expect(b.entries()[1]!.position).toBe(2);
  });

  it('SL12 the client\'s SealedDocProvider syncs a Y.Doc through the server both ways, and a new device catches up from the log', async () => {
    const pair = await createSealedPair(server.url);
    const context = docName.shared(pair.roomId);
    const { key } = await sealer(context);
    const providers: SealedDocProvider[] = [];
    const provider = (token: string) => {
      const made = new SealedDocProvider(new Y.Doc(), {
        url: `${server.wsUrl}/sealed/${context}?token=${token}`,
        context,
        key,
        socket: (url) => new WebSocket(url) as unknown as SocketLike,
        replayGuard: false,
      });
      providers.push(made);
      return made;
    };
    try {
      const alex = provider(pair.a.token);
      const blake = provider(pair.b.token);
      await Promise.all([alex.whenLive(), blake.whenLive()]);
      alex.doc.getText('notes').insert(0, 'Saturday');
      await until(() => blake.doc.getText('notes').toString() === 'Saturday', 5000, 'blake sees alex');
      blake.doc.getText('notes').insert(8, ', after dinner');
      await until(() => alex.doc.getText('notes').toString() === 'Saturday, after dinner', 5000, 'alex sees blake');
      await Promise.all([alex.whenStored(), blake.whenStored()]);

      const laptop = provider(pair.a.token);
      await laptop.whenLive();
      expect(laptop.doc.getText('notes').toString()).toBe('Saturday, after dinner');
      expect(laptop.position).toBe(2);
    } finally {
      for (const made of providers) made.destroy();
    }
  });

  it('SL10 a server built without the flag has no sealed endpoint', async () => {
    const plain = await startServer();
    try {
      const pair = await createPair(plain.url);
      const ws = new WebSocket(`${plain.wsUrl}${sharedPath(pair)}`);
      ws.on('error', () => undefined);
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
      });
      expect(status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('sealed doc channel across two nodes (Postgres and Redis)', () => {
  const cluster = useCluster({ nodes: 2, store: 'postgres', build: { sealedRooms: true } });

  it('SL11 appends on two nodes at once get one position each, and every connection on either node gets the other side\'s entries in position order', async () => {
    const [one, two] = cluster.nodes as [typeof server, typeof server];
    const pair = await createSealedPair(one.url);
    const alex = await sealer(docName.shared(pair.roomId));
    const a = sealedSocket(sharedPath(pair), one.wsUrl);
    const b = sealedSocket(sharedPath(pair, pair.b.token), two.wsUrl);
    await Promise.all([a.join(), b.join()]);
    const envelopes = await Promise.all(Array.from({ length: 20 }, (_, i) => alex.seal(`edit ${i}`)));
    for (let i = 0; i < 10; i++) {
      a.send({ type: 'append', envelope: envelopes[2 * i]! });
      b.send({ type: 'append', envelope: envelopes[2 * i + 1]! });
    }
    await until(() => a.acks().length + a.entries().length === 20 && b.acks().length + b.entries().length === 20, 10_000, 'every edit on both sides');
    // one position per edit, none twice, none skipped
    expect([...a.acks(), ...b.acks()].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const side of [a, b]) {
      const seen = side.entries().map((e) => e.position);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
    }
    expect(a.entries().map((e) => e.position).sort((x, y) => x - y)).toEqual(b.acks());
    // awareness crosses too, and a late reader on either node reads the same log
    a.send({ type: 'awareness', envelope: await alex.seal('here', EnvelopeKind.awareness) });
    await until(() => b.frames.some((f) => f.type === 'awareness'), 5000, 'awareness across nodes');
    const late = sealedSocket(sharedPath(pair, pair.b.token), one.wsUrl);
    await late.join();
    const texts = await Promise.all(late.entries().map((e) => alex.open(envelopeOf(e))));
    expect(texts.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `edit ${i}`).sort());
    expect(late.entries().map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
