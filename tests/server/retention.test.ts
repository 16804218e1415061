import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docName } from '@parley/shared/protocol/ids';
import { createPair, http } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

const DAY = 24 * 60 * 60 * 1000;
let clock = Date.UTC(2026, 0, 1);
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { ROOM_TTL_DAYS: '180' }, build: { now: () => clock } });
});
afterAll(async () => {
  await server.close();
});

describe('ROOM_TTL_DAYS', () => {
  it('erases rooms untouched for longer than the TTL, keeps the others', async () => {
    const old = await createPair(server.url);
    clock += 100 * DAY;
    const recent = await createPair(server.url);
    clock += 81 * DAY; // old: 181 days untouched, recent: 81
    expect(await server.app.parley.retention.sweep()).toBe(1);
    expect((await http(server.url, 'GET', `/api/rooms/${old.roomId}`, { token: old.a.token })).status).toBe(401);
    expect((await http(server.url, 'GET', `/api/rooms/${recent.roomId}`, { token: recent.a.token })).status).toBe(200);
    const ws = new WebSocket(`${server.wsUrl}/yjs/${docName.shared(old.roomId)}?token=${old.b.token}`);
    expect(await new Promise((r) => ws.on('close', r))).toBe(4410);
  });
});
