import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { createPair, http } from '../helpers/api';
import { openDoc, sleep, until, type DocClient } from '../helpers/clients';
import { spawnPostgres } from '../helpers/processes';
import { startServer } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Postgres restarted under a running Parley', () => {
  it('PGR1 no crash, readiness follows the database, edits made meanwhile arrive once it is back, no Parley restart', async () => {
    const pg = await spawnPostgres();
    cleanups.push(() => pg.stop());
    const server = await startServer({ env: { DATABASE_URL: pg.url } });
    cleanups.push(() => server.close());
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const writer: DocClient = openDoc(server.wsUrl, name, pair.a.token);
    const watcher: DocClient = openDoc(server.wsUrl, name, pair.b.token);
    cleanups.push(() => writer.destroy(), () => watcher.destroy());
    await Promise.all([writer.synced, watcher.synced]);
    writer.doc.getText('notes').insert(0, 'one. ');
    await until(() => watcher.doc.getText('notes').toString() === 'one. ', 3000);

    await pg.stop();
    const stoppedAt = Date.now();
    await until(async () => (await http(server.url, 'GET', '/readyz')).status === 503, 10_000, 'readyz 503');
    writer.doc.getText('notes').insert(5, 'two.');
    await until(() => writer.closeCodes.includes(4503), 10_000, 'writer told to retry');
    expect((await http(server.url, 'GET', '/healthz')).status).toBe(200);
    const creating = await http(server.url, 'POST', '/api/rooms', { body: { displayName: 'During' } });
    expect(creating.status).toBeGreaterThanOrEqual(500);
    expect((creating.body as { error: { code: string } }).error.code).toMatch(/unavailable|internal/);
    await sleep(Math.max(0, 5000 - (Date.now() - stoppedAt)));

    await pg.start();
    const restartedAt = Date.now();
    await until(async () => (await http(server.url, 'GET', '/readyz')).status === 200, 15_000, 'ready again');
    await until(() => watcher.doc.getText('notes').toString() === 'one. two.', 15_000, 'edit arrived');
    console.log(`[P1] ready ${Date.now() - restartedAt} ms after Postgres returned`);
    expect((await http(server.url, 'POST', '/api/rooms', { body: { displayName: 'After' } })).status).toBe(201);
    const fresh = openDoc(server.wsUrl, name, pair.b.token);
    cleanups.push(() => fresh.destroy());
    await fresh.synced;
    expect(fresh.doc.getText('notes').toString()).toBe('one. two.');
  }, 90_000);
});
