import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ParleyError } from '@parley/shared/protocol/errors';
import { ackFailure, closeCodeOf, errorBody, handshakeError, httpStatus } from '@parley/server/lib/wire-errors';
import type { RoomClientEvents, RoomServerEvents } from '@parley/shared/protocol/socket';
import { commandSender, handshakeRefusal } from '../../client/src/lib/control-socket';
import { createPair, http } from '../helpers/api';
import { connectControl } from '../helpers/clients';
import { closeAfterEach, useServer, useWorkshops } from '../helpers/fixtures';
import { createWorkshop, joinWorkshop, workshopPair } from '../helpers/workshop';

const server = useServer();
const closeLater = closeAfterEach();
const newWorkshop = useWorkshops(server);

const TRANSPORTS = ['websocket', 'polling'] as const;

/** The `connect_error` of one handshake: its message (contract v1) and its data (what clients decide by). */
async function refusal(namespace: '/room' | '/workshop', auth: Record<string, string | undefined>, transport: (typeof TRANSPORTS)[number]) {
  const socket = closeLater(io(`${server.url}${namespace}`, { auth, transports: [transport], reconnection: false, forceNew: true }));
  const error = await new Promise<Error>((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('handshake was accepted')));
  });
  socket.close();
  // What the client decides by (client/src/lib/control-socket.ts) reads the same data.
  expect(handshakeRefusal(error)).toEqual('data' in error ? error.data : null);
  return { message: error.message, data: 'data' in error ? error.data : undefined };
}

describe('errors are data at every edge', () => {
  it('EW1 a refused /room handshake says unauthorized in its message and {code, reason} in its data, over both transports', async () => {
    const one = await createPair(server.url);
    const two = await createPair(server.url);
    const erased = await createPair(server.url);
    expect((await http(server.url, 'DELETE', `/api/rooms/${erased.roomId}`, { token: erased.a.token })).status).toBe(204);
    for (const transport of TRANSPORTS) {
      // A made-up or foreign token says nothing more: no reason, so it tells nobody whether a room exists.
      for (const auth of [{ roomId: one.roomId, token: 'x'.repeat(43) }, { roomId: one.roomId, token: two.a.token }, { roomId: one.roomId }]) {
        expect(await refusal('/room', auth, transport), `${transport} ${JSON.stringify(auth).slice(0, 40)}`).toEqual({ message: 'unauthorized', data: { code: 'unauthorized' } });
      }
      // A partner of the erased room learns it is gone, as the Yjs endpoint's 4410 tells them.
      for (const token of [erased.a.token, erased.b.token]) {
        expect(await refusal('/room', { roomId: erased.roomId, token }, transport), transport).toEqual({ message: 'unauthorized', data: { code: 'unauthorized', reason: 'room_deleted' } });
      }
    }
  });

  it('EW8 HTTP answers a token of a deleted room 401 with reason room_deleted; any other bad token 401 without a reason', async () => {
    const one = await createPair(server.url);
    const two = await createPair(server.url);
    const erased = await createPair(server.url);
    expect((await http(server.url, 'DELETE', `/api/rooms/${erased.roomId}`, { token: erased.a.token })).status).toBe(204);
    for (const token of [erased.a.token, erased.b.token]) {
      for (const path of [`/api/rooms/${erased.roomId}`, `/api/rooms/${erased.roomId}/agreement?format=md`]) {
        const res = await http(server.url, 'GET', path, { token });
        expect([res.status, res.body], path).toEqual([401, { error: { code: 'unauthorized', message: expect.any(String), reason: 'room_deleted' } }]);
      }
    }
    for (const token of ['x'.repeat(43), two.a.token]) {
      const res = await http(server.url, 'GET', `/api/rooms/${one.roomId}`, { token });
      expect([res.status, res.body]).toEqual([401, { error: { code: 'unauthorized', message: expect.any(String) } }]);
    }
  });

  it('EW2 a refused /workshop handshake carries its code as data too, over both transports', async () => {
    const workshop = await createWorkshop(server.url);
    const pair = await createPair(server.url);
    for (const transport of TRANSPORTS) {
      for (const auth of [{ workshopId: workshop.workshopId, token: pair.a.token }, { workshopId: workshop.workshopId, token: 'x'.repeat(43) }, {}]) {
        expect(await refusal('/workshop', auth, transport), transport).toEqual({ message: 'unauthorized', data: { code: 'unauthorized' } });
      }
    }
  });

  it('EW3 an unknown join code and an unknown pair code are both 404 not_found, told apart by their reason', async () => {
    const workshop = await createWorkshop(server.url);
    const waiting = await joinWorkshop(server.url, workshop.joinCode, 'Ash');
    const wrongPair = waiting.pairCode === 'ZZZZ' ? 'YYYY' : 'ZZZZ';
    const noWorkshop = await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: 'ZZZZZZ', displayName: 'Bo' } });
    const noPair = await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: workshop.joinCode, displayName: 'Bo', pairCode: wrongPair } });
    expect([noWorkshop.status, noWorkshop.body]).toEqual([404, { error: { code: 'not_found', reason: 'workshop_not_found', message: expect.any(String) } }]);
    expect([noPair.status, noPair.body]).toEqual([404, { error: { code: 'not_found', reason: 'pair_not_found', message: expect.any(String) } }]);
  });

  it('EW4 a ready mark on a locked section is forbidden with reason section_locked; other refusals carry no reason', async () => {
    const workshop = await createWorkshop(server.url, { lockSections: true });
    const pair = await workshopPair(server.url, workshop.joinCode, ['Ash', 'Bo']);
    const control = closeLater(await connectControl(server.url, pair.roomId, pair.a.token));
    expect(await control.send('section:ready', { sectionId: 'frame', ready: true })).toEqual({ ok: false, error: { code: 'forbidden', reason: 'section_locked', message: expect.any(String) } });
    expect(await control.send('room:resume-request', {})).toEqual({ ok: false, error: { code: 'bad_request', message: expect.any(String) } });
  });

  it('EW5 one serveCommands on both namespaces: bad payloads and unknown commands get bad_request, a missing payload reads as {}', async () => {
    const { facilitator } = await newWorkshop();
    const pair = await createPair(server.url);
    const control = closeLater(await connectControl(server.url, pair.roomId, pair.a.token));
    const bad = { ok: false, error: { code: 'bad_request', message: expect.any(String) } };
    for (const [event, payload] of [['workshop:timer', { seconds: 'soon' }], ['workshop:pair', { into: 'x' }], ['workshop:unlock', 'frame'], ['toString', {}], ['__proto__', {}]] as const) {
      expect(await facilitator.send(event, payload), event).toEqual(bad);
    }
    for (const [event, payload] of [['agreement:review-date', { date: '2027-02-31' }], ['presence:update', {}], ['hasOwnProperty', {}]] as const) {
      expect(await control.send(event, payload), event).toEqual(bad);
    }
    // No payload at all: the ack is still found (it is the last argument), and `{}` is what was sent.
    const ended = await new Promise((resolve) => facilitator.socket.emit('workshop:end', resolve));
    expect(ended).toEqual({ ok: true });
    expect(await facilitator.send('workshop:unlock', { sectionId: 'frame' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(control.socket.connected && facilitator.socket.connected).toBe(true);
  });

  it('EW6 the one mapper: HTTP status and body, ack, handshake error and close code come from code and reason', () => {
    const deleted = new ParleyError('unauthorized', 'room deleted', 'room_deleted');
    const unknown = new ParleyError('unauthorized', 'unauthorized');
    expect([httpStatus(deleted), errorBody(deleted)]).toEqual([401, { error: { code: 'unauthorized', message: 'room deleted', reason: 'room_deleted' } }]);
    expect(errorBody(unknown)).toEqual({ error: { code: 'unauthorized', message: 'unauthorized' } });
    expect(ackFailure(new ParleyError('stale', 'changed'))).toEqual({ ok: false, error: { code: 'stale', message: 'changed' } });
    const refused = handshakeError(deleted);
    expect([refused.message, refused.data]).toEqual(['unauthorized', { code: 'unauthorized', reason: 'room_deleted' }]);
    expect([closeCodeOf(deleted), closeCodeOf(unknown), closeCodeOf(new ParleyError('forbidden', 'x')), closeCodeOf(new ParleyError('unavailable', 'x'))]).toEqual([
      CloseCode.gone,
      CloseCode.unauthorized,
      CloseCode.forbidden,
      CloseCode.unavailable,
    ]);
  });

  it('EW7 the client\'s one sendCommand: the typed ack, and unavailable when not connected or dropped before the ack', async () => {
    const pair = await createPair(server.url);
    const socket: Socket<RoomServerEvents, RoomClientEvents> = closeLater(io(`${server.url}/room`, { auth: { roomId: pair.roomId, token: pair.a.token }, transports: ['websocket'], reconnection: false, forceNew: true }));
    const send = commandSender(socket);
    // Checked by `tsc -p tests`: the command map's zod schemas type the sender (never called).
    const typing = () => {
      // @ts-expect-error `ready` is required by RoomCommand['section:ready']
      void send('section:ready', { sectionId: 'frame' });
      // @ts-expect-error not a /room command
      void send('workshop:unlock', { sectionId: 'frame' });
      void send('agreement:confirm', { hash: 'a'.repeat(64) }).then((ack) => ack.ok && ack.data?.hash.toUpperCase());
    };
    void typing;
    expect(await send('presence:update', { focus: null })).toEqual({ ok: false, error: { code: 'unavailable', message: 'not connected' } });
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    expect(await send('presence:update', { focus: 'safety' })).toEqual({ ok: true });
    const dropped = send('section:ready', { sectionId: 'frame', ready: true });
    socket.disconnect();
    expect(await dropped).toEqual({ ok: false, error: { code: 'unavailable', message: 'disconnected' } });
  });
});
