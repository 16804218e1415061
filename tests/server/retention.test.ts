import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { docName } from '@parley/shared/protocol/ids';
import { createPair, http } from '../helpers/api';
import { useServer } from '../helpers/fixtures';
import { connectFacilitator, createWorkshop, workshopPair } from '../helpers/workshop';

const DAY = 24 * 60 * 60 * 1000;
let clock = Date.UTC(2026, 0, 1);
const server = useServer({ env: { ROOM_TTL_DAYS: '180' }, build: { now: () => clock } });

describe('ROOM_TTL_DAYS', () => {
  it('RT1 erases rooms untouched for longer than the TTL, keeps the others', async () => {
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

describe('workshops past their use', () => {
  /** Names of the files in the data dir (parley.db, -wal …) that hold `needle`. */
  const filesHolding = (needle: string): string[] =>
    fs
      .readdirSync(server.dataDir)
      .filter((name) => fs.statSync(path.join(server.dataDir, name)).isFile() && fs.readFileSync(path.join(server.dataDir, name)).includes(Buffer.from(needle)))
      .sort();

  it('RT2 a workshop is erased a week after it ended, an abandoned one after the TTL; no title or message stays on disk; the rooms stay', async () => {
    const canary = `CANARY-${Date.now().toString(36)}`;
    const ended = await createWorkshop(server.url, { title: `${canary}-ENDED`, facilitatorName: `${canary}-ROBIN` });
    const pair = await workshopPair(server.url, ended.joinCode, ['Lee', 'Max']);
    const facilitator = await connectFacilitator(server.url, ended.workshopId, ended.facilitator.token);
    expect(await facilitator.send('workshop:broadcast', { message: `${canary}-MESSAGE` })).toEqual({ ok: true });
    expect(await facilitator.send('workshop:end', {})).toEqual({ ok: true });
    facilitator.close();
    const abandoned = await createWorkshop(server.url, { title: `${canary}-ABANDONED` });
    expect(filesHolding(`${canary}-ENDED`)).not.toEqual([]);

    clock += 6 * DAY;
    await server.app.parley.retention.sweep();
    expect((await http(server.url, 'GET', `/api/workshops/${ended.workshopId}`, { token: ended.facilitator.token })).status).toBe(200);

    clock += 2 * DAY; // ended 8 days ago
    await server.app.parley.retention.sweep();
    expect((await http(server.url, 'GET', `/api/workshops/${ended.workshopId}`, { token: ended.facilitator.token })).status).not.toBe(200);
    expect((await http(server.url, 'GET', `/api/workshops/${abandoned.workshopId}`, { token: abandoned.facilitator.token })).status).toBe(200);
    // the pair keeps its room, no longer linked to a workshop
    expect((await http(server.url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(200);
    for (const text of ['ENDED', 'ROBIN', 'MESSAGE']) expect(filesHolding(`${canary}-${text}`), text).toEqual([]);

    clock += 181 * DAY; // the other one ran on, untouched, past ROOM_TTL_DAYS
    await server.app.parley.retention.sweep();
    expect((await http(server.url, 'GET', `/api/workshops/${abandoned.workshopId}`, { token: abandoned.facilitator.token })).status).not.toBe(200);
    expect((await http(server.url, 'POST', '/api/workshops/join', { body: { joinCode: abandoned.joinCode, displayName: 'Late' } })).status).toBe(404);
    expect(filesHolding(`${canary}-ABANDONED`)).toEqual([]);
  });
});
