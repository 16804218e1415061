import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import { createPair, http } from '../helpers/api';
import { connectControl, openDoc, until } from '../helpers/clients';
import { closeAfterEach, useServer } from '../helpers/fixtures';

const server = useServer();
const closeLater = closeAfterEach();
const connect = async (...args: Parameters<typeof connectControl>) => closeLater(await connectControl(...args));

describe('socket.io /room namespace', () => {
  for (const transport of ['websocket', 'polling'] as const) {
    it(`CC1 works over the ${transport} transport (upgrade not swallowed by @fastify/websocket)`, async () => {
      const pair = await createPair(server.url);
      const a = await connect(server.url, pair.roomId, pair.a.token, { transports: [transport] });
      expect(a.socket.io.engine.transport.name).toBe(transport);
      expect(await a.send('presence:update', { focus: 'safety' })).toEqual({ ok: true });
    });
  }

  it('CC2 upgrades from polling to websocket like a browser does', async () => {
    const pair = await createPair(server.url);
    const a = await connect(server.url, pair.roomId, pair.a.token, { transports: ['polling', 'websocket'] });
    await until(() => a.socket.io.engine.transport.name === 'websocket', 3000, 'upgrade');
    expect(await a.send('presence:update', { focus: null })).toEqual({ ok: true });
  });

  it('CC3 fails the handshake with "unauthorized" for a wrong, foreign or missing token', async () => {
    const one = await createPair(server.url);
    const two = await createPair(server.url);
    for (const auth of [{ roomId: one.roomId, token: 'x'.repeat(43) }, { roomId: one.roomId, token: two.a.token }, {}, { roomId: one.roomId }]) {
      const socket = io(`${server.url}/room`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
      socket.close();
    }
  });

  it('CC4 answers bad payloads with bad_request and keeps the connection', async () => {
    const pair = await createPair(server.url);
    const a = await connect(server.url, pair.roomId, pair.a.token);
    const bad: [string, unknown][] = [
      ['section:ready', { sectionId: 'activities' }],
      ['section:ready', { sectionId: 'activities', ready: 'yes' }],
      ['section:ready', { sectionId: 'activities', ready: true, extra: 1 }],
      ['section:ready', { sectionId: '../../etc', ready: true }],
      ['section:ready', { sectionId: 'no-such-section', ready: true }],
      ['section:ready', 'activities'],
      ['section:ready', null],
      ['room:pause', { paused: true, note: 'x'.repeat(501) }],
      ['agreement:confirm', { hash: 'abc' }],
      ['presence:update', { focus: 42 }],
      ['no:such:command', {}],
    ];
    for (const [event, payload] of bad) {
      const ack = await a.send(event, payload);
      expect(ack, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.any(String) } });
    }
    expect(await a.send('workshop:hand', { raised: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(a.socket.connected).toBe(true);
    expect(await a.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: true });
  });

  it('CC5 shows presence both ways: online, which section, offline with last seen', async () => {
    const pair = await createPair(server.url);
    const a = await connect(server.url, pair.roomId, pair.a.token);
    const bOnline = a.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'b' && x.online));
    const b = await connect(server.url, pair.roomId, pair.b.token);
    await bOnline;
    const focused = a.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'b' && x.focus === 'safety'));
    await b.send('presence:update', { focus: 'safety' });
    const seen = (await focused) as { participants: PresenceParticipant[] };
    expect(seen.participants.find((x) => x.seat === 'b')).toMatchObject({ displayName: 'Blake', online: true, focus: 'safety' });
    const aSeen = b.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'a' && x.online));
    await a.send('presence:update', { focus: 'frame' });
    await aSeen;
    const offline = a.next('presence', (p: { participants: PresenceParticipant[] }) => p.participants.some((x) => x.seat === 'b' && !x.online));
    b.close();
    const gone = (await offline) as { participants: PresenceParticipant[] };
    expect(gone.participants.find((x) => x.seat === 'b')).toMatchObject({ online: false, focus: null, lastSeen: expect.any(Number) });
  });

  it('CC6 deletion tells every live connection (room:deleted, Yjs 4410) and later connections learn the room is gone', async () => {
    const pair = await createPair(server.url);
    const b = await connect(server.url, pair.roomId, pair.b.token);
    const bDoc = openDoc(server.wsUrl, docName.shared(pair.roomId), pair.b.token);
    await bDoc.synced;
    bDoc.doc.getText('notes').insert(0, 'CANARY-DELETED-NOTE');
    const deleted = b.next('room:deleted');
    expect((await http(server.url, 'DELETE', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(204);
    expect(await deleted).toEqual({});
    expect(await bDoc.closed).toBe(4410);
    await until(() => !b.socket.connected, 2000, 'socket disconnected');
    bDoc.destroy();

    const again = new WebSocket(`${server.wsUrl}/yjs/${docName.room(pair.roomId)}?token=${pair.b.token}`);
    expect(await new Promise((r) => again.on('close', r))).toBe(4410);
    const socket = io(`${server.url}/room`, { auth: { roomId: pair.roomId, token: pair.b.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    expect((await new Promise<Error>((r) => socket.once('connect_error', r))).message).toBe('unauthorized');
    socket.close();
    expect(server.app.parley.hub.peek(docName.shared(pair.roomId))).toBeUndefined();
  });
});
