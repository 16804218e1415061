import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { createPair } from '../helpers/api';
import { openDoc, until, type DocClient } from '../helpers/clients';
import { useServer } from '../helpers/fixtures';

const server = useServer({ env: { MAX_MESSAGE_BYTES: String(64 * 1024) } });
const open: DocClient[] = [];
const track = (c: DocClient) => (open.push(c), c);
// Registered after the server's, so it runs before the server closes.
afterAll(() => {
  for (const c of open) c.destroy();
});

/** A raw WebSocket on the Yjs endpoint; resolves with the close code and the frames received. */
function rawSocket(path: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${server.wsUrl}${path}`, { headers });
  const frames: Buffer[] = [];
  ws.on('message', (d) => frames.push(Buffer.from(d as Buffer)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, frames, closed, opened };
}

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

describe('Yjs endpoint (contract: Yjs documents)', () => {
  it('Y1 syncs the shared doc between the two partners live', async () => {
    const pair = await createPair(server.url);
    const a = track(openDoc(server.wsUrl, docName.shared(pair.roomId), pair.a.token));
    const b = track(openDoc(server.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await Promise.all([a.synced, b.synced]);
    a.doc.getText('notes').insert(0, 'Let us talk about Saturday');
    await until(() => b.doc.getText('notes').toString() === 'Let us talk about Saturday', 3000, 'b sees a');
    b.doc.getText('agreementText').insert(0, 'We agree');
    await until(() => a.doc.getText('agreementText').toString() === 'We agree', 3000, 'a sees b');
  });

  it('Y2 syncs a participant\'s own private doc across their devices', async () => {
    const pair = await createPair(server.url);
    const phone = track(openDoc(server.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token));
    const laptop = track(openDoc(server.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token));
    await Promise.all([phone.synced, laptop.synced]);
    phone.doc.getMap('answers').set('impact-spanking', { giving: 'yes', updatedAt: 1 });
    await until(() => laptop.doc.getMap('answers').get('impact-spanking') !== undefined, 3000);
  });

  it('Y3 refuses the partner\'s private doc (4403) before sending any byte', async () => {
    const pair = await createPair(server.url);
    const a = track(openDoc(server.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token));
    await a.synced;
    a.doc.getMap('answers').set('x', { text: 'CANARY-PRIVATE-4403' });
    await a.stored();
    const b = rawSocket(`/yjs/${docName.private(pair.roomId, pair.a.id)}?token=${pair.b.token}`);
    expect(await b.closed).toBe(4403);
    expect(b.frames).toHaveLength(0);
  });

  it('Y4 closes 4401 for missing, made-up and other rooms\' tokens, sending nothing', async () => {
    const one = await createPair(server.url);
    const two = await createPair(server.url);
    const paths = [
      `/yjs/${docName.shared(one.roomId)}`,
      `/yjs/${docName.shared(one.roomId)}?token=${'A'.repeat(43)}`,
      `/yjs/${docName.shared(one.roomId)}?token=${two.a.token}`,
      `/yjs/${docName.private(one.roomId, one.a.id)}?token=${two.a.token}`,
      `/yjs/not-a-room/shared?token=${one.a.token}`,
    ];
    for (const path of paths) {
      const s = rawSocket(path);
      expect(await s.closed, path).toBe(4401);
      expect(s.frames, path).toHaveLength(0);
    }
  });

  it('Y5 closes 4403 for a malformed doc name of the participant\'s own room', async () => {
    const pair = await createPair(server.url);
    for (const rest of ['secret', 'private', `private/${pair.a.id}/x`, 'shared%2F..', 'room/extra', '']) {
      const s = rawSocket(`/yjs/${pair.roomId}/${rest}?token=${pair.a.token}`);
      expect(await s.closed, rest).toBe(4403);
      expect(s.frames).toHaveLength(0);
    }
  });

  it('Y6 lets both partners read the room doc, accepts the stock empty step 2, refuses writes (4403) without relaying them', async () => {
    const pair = await createPair(server.url);
    const a = track(openDoc(server.wsUrl, docName.room(pair.roomId), pair.a.token));
    const b = track(openDoc(server.wsUrl, docName.room(pair.roomId), pair.b.token));
    await Promise.all([a.synced, b.synced]);
    expect((a.doc.getMap('sections').get('arrival') as { state: string }).state).toBe('open');
    // The stock client answered the server's step 1 with a step 2: the connection stays open
    // (the server answers a later step 1 on it, so it has read that step 2 and kept going).
    await a.caughtUp();
    expect(a.closeCodes).toEqual([]);
    expect(a.provider.wsconnected).toBe(true);

    a.doc.getMap('sections').set('arrival', { state: 'revealed', round: 1, ready: { a: true, b: true }, revealedAt: 1, note: 'CANARY-ROOM-WRITE' });
    expect(await a.closed).toBe(4403);
    await b.caughtUp();
    expect((b.doc.getMap('sections').get('arrival') as { state: string }).state).toBe('open');
    expect(b.recorder.contains('CANARY-ROOM-WRITE')).toBe(false);
  });

  it('Y7 closes only the offending connection on a malformed frame (4400); other rooms keep syncing', async () => {
    const victim = await createPair(server.url);
    const other = await createPair(server.url);
    const a = track(openDoc(server.wsUrl, docName.shared(other.roomId), other.a.token));
    const b = track(openDoc(server.wsUrl, docName.shared(other.roomId), other.b.token));
    await Promise.all([a.synced, b.synced]);
    const garbage = [
      Uint8Array.from([0x07, 0x01]),
      Uint8Array.from([0x00, 0x09, 0x01]),
      Uint8Array.from([0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f]),
      Uint8Array.from([0x00, 0x02, 0x05, 0x01, 0x02]),
    ];
    for (const frame of garbage) {
      const s = rawSocket(`/yjs/${docName.shared(victim.roomId)}?token=${victim.a.token}`);
      await s.opened;
      s.ws.send(frame);
      expect(await s.closed, Buffer.from(frame).toString('hex')).toBe(4400);
    }
    const text = rawSocket(`/yjs/${docName.shared(victim.roomId)}?token=${victim.a.token}`);
    await text.opened;
    text.ws.send('hello');
    expect(await text.closed).toBe(4400);

    a.doc.getText('notes').insert(0, 'still here');
    await until(() => b.doc.getText('notes').toString() === 'still here', 3000);
  });

  it('Y8 closes 1009 on a frame above MAX_MESSAGE_BYTES and applies none of it', async () => {
    const pair = await createPair(server.url);
    const s = rawSocket(`/yjs/${docName.shared(pair.roomId)}?token=${pair.a.token}`);
    await s.opened;
    const big = new Y.Doc();
    big.getText('notes').insert(0, 'CANARY-BIG'.padEnd(100_000, 'x'));
    s.ws.send(updateFrame(Y.encodeStateAsUpdate(big)));
    expect(await s.closed).toBe(1009);
    const reader = track(openDoc(server.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await reader.synced;
    expect(reader.doc.getText('notes').toString()).toBe('');
  });

  it('Y9 relays awareness between the partners on the shared doc (live cursors)', async () => {
    const pair = await createPair(server.url);
    const a = track(openDoc(server.wsUrl, docName.shared(pair.roomId), pair.a.token));
    const b = track(openDoc(server.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await Promise.all([a.synced, b.synced]);
    a.provider.awareness.setLocalStateField('user', { name: 'Alex', cursor: 3 });
    await until(() => [...b.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Alex'), 3000);
    a.destroy();
    await until(() => ![...b.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Alex'), 3000, 'awareness removed on close');
  });

  it('Y10 loads a doc once when many connect at once', async () => {
    const pair = await createPair(server.url);
    const seed = track(openDoc(server.wsUrl, docName.shared(pair.roomId), pair.a.token));
    await seed.synced;
    seed.doc.getText('notes').insert(0, 'seed');
    await seed.stored();
    seed.destroy();
    await until(() => server.app.parley.hub.peek(docName.shared(pair.roomId)) === undefined, 3000, 'idle unload (500 ms in tests)');
    expect(server.app.parley.hub.peek(docName.shared(pair.roomId))).toBeUndefined();
    let loads = 0;
    server.app.parley.hub.loaded.on((live) => {
      if (live.name === docName.shared(pair.roomId)) loads++;
    });
    const many = Array.from({ length: 12 }, (_, i) => track(openDoc(server.wsUrl, docName.shared(pair.roomId), i % 2 ? pair.a.token : pair.b.token)));
    await Promise.all(many.map((c) => c.synced));
    for (const c of many) expect(c.doc.getText('notes').toString()).toBe('seed');
    expect(loads).toBe(1);
    many[0]!.doc.getText('notes').insert(4, '!');
    await until(() => many.every((c) => c.doc.getText('notes').toString() === 'seed!'), 3000);
  });

  it('Y11 rejects a WebSocket from a foreign Origin', async () => {
    const pair = await createPair(server.url);
    const s = rawSocket(`/yjs/${docName.shared(pair.roomId)}?token=${pair.a.token}`, { Origin: 'https://evil.example' });
    await expect(s.opened).rejects.toThrow(/403/);
  });
});
