import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { createPair, http, type Pair } from '../helpers/api';
import { connectControl, openDoc } from '../helpers/clients';
import { useServer } from '../helpers/fixtures';

/**
 * The catalogue of named bad-input classes (issue 8): each gets the contract's error and
 * the server keeps serving. Several are also covered in depth elsewhere; here each class is
 * one line of evidence.
 */
const server = useServer({ env: { RATE_LIMIT_PER_MINUTE: '20', MAX_MESSAGE_BYTES: String(64 * 1024), MAX_CONNECTIONS_PER_ROOM: '6' } });
let pair: Pair;
let other: Pair;
beforeAll(async () => {
  pair = await createPair(server.url);
  other = await createPair(server.url);
});

const errorCode = (body: unknown) => (body as { error?: { code?: string } }).error?.code;
const closeCode = (path: string, headers: Record<string, string> = {}, send?: Buffer | string) =>
  new Promise<number | string>((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}${path}`, { headers });
    ws.on('open', () => send !== undefined && ws.send(send));
    ws.on('close', (code) => resolve(code));
    ws.on('error', (e) => resolve(e.message));
  });
const handshake = async (auth: object, extra: Record<string, unknown> = {}) => {
  const socket = io(`${server.url}/room`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...extra });
  const result = await new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (e) => resolve(e.message));
  });
  socket.close();
  return result;
};

describe('bad input classes', () => {
  it('B01 oversized body → 413 payload_too_large', async () => {
    const res = await http(server.url, 'POST', '/api/rooms', { raw: JSON.stringify({ displayName: 'x'.repeat(100_000) }) });
    expect([res.status, errorCode(res.body)]).toEqual([413, 'payload_too_large']);
  });
  it('B02 malformed JSON → 400 bad_request', async () => {
    const res = await http(server.url, 'POST', '/api/rooms', { raw: '{"displayName":' });
    expect([res.status, errorCode(res.body)]).toEqual([400, 'bad_request']);
  });
  it('B03 unknown fields (incl. __proto__) → 400 bad_request', async () => {
    for (const raw of ['{"displayName":"A","admin":true}', '{"displayName":"A","__proto__":{"x":1}}', '{"displayName":"A","constructor":{}}']) {
      const res = await http(server.url, 'POST', '/api/rooms', { raw });
      expect([res.status, errorCode(res.body)], raw).toEqual([400, 'bad_request']);
    }
  });
  it('B04 wrong types → 400 bad_request', async () => {
    for (const body of [{ displayName: ['A'] }, { displayName: 'A', revealMode: 1 }, { displayName: null }, 'A', 42]) {
      const res = await http(server.url, 'POST', '/api/rooms', { body });
      expect([res.status, errorCode(res.body)], JSON.stringify(body)).toEqual([400, 'bad_request']);
    }
  });
  it('B05 control and bidi-override characters in names → 400 bad_request', async () => {
    for (const displayName of ['Al\u0000ex', 'Al\nex', 'Al\u202eex', 'Al\u2066ex', '\u007f']) {
      const res = await http(server.url, 'POST', '/api/rooms', { body: { displayName } });
      expect([res.status, errorCode(res.body)], JSON.stringify(displayName)).toEqual([400, 'bad_request']);
    }
  });
  it('B06 ids with path tricks → 401 (HTTP) / 4401 (Yjs)', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(90), `${pair.roomId}%2F..`]) {
      expect((await http(server.url, 'GET', `/api/rooms/${id}`, { token: pair.a.token })).status, id).toBe(401);
    }
    const long = await http(server.url, 'GET', `/api/rooms/${'a'.repeat(300)}`, { token: pair.a.token });
    expect([long.status, errorCode(long.body)]).toEqual([400, 'bad_request']);
    const badEncoding = await http(server.url, 'GET', `/api/rooms/%E0%A4%A`, { token: pair.a.token });
    expect([badEncoding.status, errorCode(badEncoding.body)]).toEqual([400, 'bad_request']);
    expect(await closeCode(`/yjs/..%2F${pair.roomId}/shared?token=${pair.a.token}`)).toBe(4401);
  });
  it('B07 replayed invite → 409 invite_used', async () => {
    const res = await http(server.url, 'POST', `/api/rooms/${pair.roomId}/join`, { body: { inviteToken: pair.inviteToken, displayName: 'Mallory' } });
    expect([res.status, errorCode(res.body)]).toEqual([409, 'invite_used']);
  });
  it('B08 token of another room → 401 / 4401 / unauthorized', async () => {
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: other.a.token })).status).toBe(401);
    expect(await closeCode(`/yjs/${docName.shared(pair.roomId)}?token=${other.a.token}`)).toBe(4401);
    expect(await handshake({ roomId: pair.roomId, token: other.a.token })).toBe('unauthorized');
  });
  it('B09 malformed Authorization header → 401 unauthorized', async () => {
    for (const authorization of [pair.a.token, `Basic ${pair.a.token}`, `Bearer ${pair.a.token} extra`, 'Bearer']) {
      const res = await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { headers: { authorization } });
      expect([res.status, errorCode(res.body)], authorization.slice(0, 12)).toEqual([401, 'unauthorized']);
    }
  });
  it('B10 cross-site WebSocket with a foreign Origin → refused (Yjs 403, socket.io refused)', async () => {
    expect(await closeCode(`/yjs/${docName.shared(pair.roomId)}?token=${pair.a.token}`, { Origin: 'https://evil.example' })).toMatch(/403/);
    expect(await handshake({ roomId: pair.roomId, token: pair.a.token }, { extraHeaders: { Origin: 'https://evil.example' } })).not.toBe('connected');
  });
  it('B11 malformed Yjs frame → 4400, oversized frame → 1009, write to the room doc → 4403', async () => {
    const shared = `/yjs/${docName.shared(pair.roomId)}?token=${pair.a.token}`;
    expect(await closeCode(shared, {}, Buffer.from([0x00, 0x02, 0xff]))).toBe(4400);
    expect(await closeCode(shared, {}, Buffer.alloc(70 * 1024, 1))).toBe(1009);
    const room = openDoc(server.wsUrl, docName.room(pair.roomId), pair.a.token);
    await room.synced;
    room.doc.getMap('meta').set('paused', { by: 'a', at: 0, note: 'forged' });
    expect(await room.closed).toBe(4403);
    room.destroy();
  });
  it('B12 bad socket.io payloads → bad_request ack, connection kept', async () => {
    const control = await connectControl(server.url, pair.roomId, pair.a.token);
    for (const payload of [null, 'x', { sectionId: 'x'.repeat(10_000), ready: true }, JSON.parse('{"sectionId":"frame","ready":true,"__proto__":{"admin":true}}') as unknown]) {
      expect(await control.send('section:ready', payload)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(control.socket.connected).toBe(true);
    control.close();
  });
  it('B13 too many connections for one room → 4503 / rate_limited; one partner gets only a share of them', async () => {
    const target = await createPair(server.url);
    const shared = docName.shared(target.roomId);
    // MAX_CONNECTIONS_PER_ROOM is 6 here: a partner's share is 3, so the other is never locked out
    const docsA = Array.from({ length: 3 }, () => openDoc(server.wsUrl, shared, target.a.token));
    await Promise.all(docsA.map((d) => d.synced));
    expect(await closeCode(`/yjs/${shared}?token=${target.a.token}`)).toBe(4503);
    expect(await handshake({ roomId: target.roomId, token: target.a.token })).toBe('rate_limited');
    const docsB = Array.from({ length: 3 }, () => openDoc(server.wsUrl, shared, target.b.token));
    await Promise.all(docsB.map((d) => d.synced));
    // the room is full: 6 connections between them
    expect(await closeCode(`/yjs/${shared}?token=${target.b.token}`)).toBe(4503);
    expect(await handshake({ roomId: target.roomId, token: target.b.token })).toBe('rate_limited');
    [...docsA, ...docsB].forEach((d) => d.destroy());
  });
  it('B14 join guessing is rate-limited per IP → 429 rate_limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await http(server.url, 'POST', `/api/rooms/${other.roomId}/join`, { body: { inviteToken: `guess${i}`.padEnd(43, 'x'), displayName: 'G' } })).status);
    }
    expect(statuses).toContain(404);
    expect(statuses.at(-1)).toBe(429);
  });
  it('B15 missing token on every channel → 401 / 4401 / unauthorized', async () => {
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}`)).status).toBe(401);
    expect(await closeCode(`/yjs/${docName.shared(pair.roomId)}`)).toBe(4401);
    expect(await handshake({ roomId: pair.roomId })).toBe('unauthorized');
  });
  it('B16 wrong content type → 400 bad_request, and the server still serves', async () => {
    const res = await http(server.url, 'POST', '/api/rooms', { raw: 'displayName=A', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await http(server.url, 'GET', '/healthz')).status).toBe(200);
  });
});
