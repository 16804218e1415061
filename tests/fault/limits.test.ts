import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { createPair } from '../helpers/api';
import { connectControl, openDoc, sleep, until, type DocClient } from '../helpers/clients';
import { startServer, type TestServer } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function server(env: Record<string, string>): Promise<TestServer> {
  const s = await startServer({ env });
  cleanups.push(() => s.close());
  return s;
}
const doc = (c: DocClient) => (cleanups.push(() => c.destroy()), c);

describe('limits (docs/operations.md "Limits")', () => {
  it('LM1 caps connections per room (Yjs 4503, control channel rate_limited) and frees the slot on close', async () => {
    const s = await server({ MAX_CONNECTIONS_PER_ROOM: '3' });
    const pair = await createPair(s.url);
    // one partner may hold 2 of the 3 (the share that leaves the other a way in)
    const first = [docName.shared(pair.roomId), docName.room(pair.roomId)].map((n) => doc(openDoc(s.wsUrl, n, pair.a.token)));
    await Promise.all(first.map((c) => c.synced));
    const overShare = doc(openDoc(s.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token));
    expect(await overShare.closed).toBe(4503);
    overShare.provider.shouldConnect = false;
    const third = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await third.synced;
    // the room is full
    const fourth = doc(openDoc(s.wsUrl, docName.room(pair.roomId), pair.b.token));
    expect(await fourth.closed).toBe(4503);
    fourth.provider.shouldConnect = false;
    const socket = io(`${s.url}/room`, { auth: { roomId: pair.roomId, token: pair.b.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    expect((await new Promise<Error>((r) => socket.once('connect_error', r))).message).toBe('rate_limited');
    socket.close();
    // Another room is not affected.
    const other = await createPair(s.url);
    const elsewhere = doc(openDoc(s.wsUrl, docName.shared(other.roomId), other.a.token));
    await elsewhere.synced;
    third.destroy();
    await sleep(100);
    const control = await connectControl(s.url, pair.roomId, pair.b.token);
    cleanups.push(() => control.close());
    expect(control.socket.connected).toBe(true);
  });

  it('LM2 caps connections per client IP', async () => {
    const s = await server({ MAX_CONNECTIONS_PER_IP: '2' });
    const one = await createPair(s.url);
    const two = await createPair(s.url);
    const a = doc(openDoc(s.wsUrl, docName.shared(one.roomId), one.a.token));
    const b = doc(openDoc(s.wsUrl, docName.shared(two.roomId), two.a.token));
    await Promise.all([a.synced, b.synced]);
    const c = doc(openDoc(s.wsUrl, docName.room(two.roomId), two.b.token));
    expect(await c.closed).toBe(4503);
    c.provider.shouldConnect = false;
  });

  it('LM3 caps documents in memory per process (4503) and keeps serving loaded ones', async () => {
    const s = await server({ MAX_DOCS: '3' });
    const pair = await createPair(s.url); // creation loads the room doc: 1
    const shared = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.a.token)); // 2
    const priv = doc(openDoc(s.wsUrl, docName.private(pair.roomId, pair.a.id), pair.a.token)); // 3
    await Promise.all([shared.synced, priv.synced]);
    const over = doc(openDoc(s.wsUrl, docName.private(pair.roomId, pair.b.id), pair.b.token));
    expect(await over.closed).toBe(4503);
    over.provider.shouldConnect = false;
    const reader = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await reader.synced;
    shared.doc.getText('notes').insert(0, 'still fine');
    await until(() => reader.doc.getText('notes').toString() === 'still fine', 2000);
  });

  it('LM4 refuses an update that would take a document past MAX_DOC_BYTES (1009), keeping what it had', async () => {
    const s = await server({ MAX_DOC_BYTES: String(64 * 1024) });
    const pair = await createPair(s.url);
    const writer = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.a.token));
    await writer.synced;
    writer.doc.getText('notes').insert(0, 'kept');
    await sleep(100);
    writer.doc.getText('notes').insert(4, 'x'.repeat(100 * 1024));
    expect(await writer.closed).toBe(1009);
    writer.provider.shouldConnect = false;
    const reader = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await reader.synced;
    expect(reader.doc.getText('notes').toString()).toBe('kept');
  });

  it('LM5 drops a client that never reads; the others keep receiving everything', async () => {
    const s = await server({ MAX_DOC_BYTES: String(256 * 1024 * 1024) });
    const pair = await createPair(s.url);
    const slow = new WebSocket(`${s.wsUrl}/yjs/${docName.shared(pair.roomId)}?token=${pair.b.token}`);
    cleanups.push(() => slow.terminate());
    await new Promise((r) => slow.once('open', r));
    // Stop reading: the server's send buffer for this socket can only grow.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const writer = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.a.token));
    const reader = doc(openDoc(s.wsUrl, docName.shared(pair.roomId), pair.b.token));
    await Promise.all([writer.synced, reader.synced]);
    const chunk = 'y'.repeat(700 * 1024);
    for (let i = 0; i < 40; i++) {
      writer.doc.getArray<string>('bulk').push([chunk]);
      await sleep(20);
    }
    await until(() => s.logs.some((l) => l.includes('slow client dropped')), 20_000, 'slow client dropped');
    await until(() => reader.doc.getArray('bulk').length === 40, 20_000, 'reader got everything');
    expect(writer.closeCodes).toEqual([]);
    expect(reader.closeCodes).toEqual([]);
    expect(s.app.parley.hub.peek(docName.shared(pair.roomId))?.conns.size).toBe(2);
  });
});
