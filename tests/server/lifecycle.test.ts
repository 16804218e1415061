import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { createPair, getRoom, http } from '../helpers/api';
import { openDoc, sleep, until, type DocClient } from '../helpers/clients';
import { joinAs } from '../helpers/partner';
import { freePort, startServer, tempDir } from '../helpers/server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('durability and restart', () => {
  it('LC1 resumes after a server restart from the same DATA_DIR with nothing lost', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir });
    const pair = await createPair(first.url);
    const a = await joinAs(first, pair.roomId, pair.a);
    const b = await joinAs(first, pair.roomId, pair.b);
    a.answer('impact_hand', { giving: 'yes', note: 'gently' });
    b.answer('impact_hand', { receiving: 'favourite' });
    a.answer('arrival_feeling', { text: 'nervous but happy' });
    a.note('arrival', 'remember to breathe');
    a.shared.doc.getText('notes').insert(0, 'shared thoughts');
    await sleep(50);
    await a.control.send('section:ready', { sectionId: 'activities', ready: true });
    await b.control.send('section:ready', { sectionId: 'activities', ready: true });
    await a.control.send('room:pause', { paused: true, note: 'dinner' });
    await until(() => b.revealed('activities') !== undefined, 1000);

    const closed = Promise.all([a.shared.closed, b.room.closed]);
    await first.close();
    // Graceful shutdown tells clients to come back later.
    expect(await closed).toEqual([4503, 4503]);
    a.close();
    b.close();

    const second = await startServer({ dataDir, port: first.port });
    cleanups.push(() => second.close());
    const a2 = await joinAs(second, pair.roomId, pair.a);
    const b2 = await joinAs(second, pair.roomId, pair.b);
    cleanups.push(() => a2.close(), () => b2.close());
    expect(a2.private.doc.getMap('answers').get('impact_hand')).toMatchObject({ giving: 'yes', note: 'gently' });
    expect(a2.private.doc.getMap('answers').get('arrival_feeling')).toMatchObject({ text: 'nervous but happy' });
    expect(a2.private.doc.getMap('privateNotes').get('arrival')).toBe('remember to breathe');
    expect(b2.shared.doc.getText('notes').toString()).toBe('shared thoughts');
    expect(b2.revealed('activities')?.a.impact_hand).toMatchObject({ giving: 'yes' });
    expect(b2.room.doc.getMap('meta').get('paused')).toMatchObject({ by: 'a', note: 'dinner' });
    const view = await getRoom(second.url, pair.roomId, pair.b.token);
    expect(view.paused).toBe(true);
    expect(view.sections.find((s) => s.id === 'activities')).toMatchObject({ state: 'revealed', round: 1 });
  });

  it('LC2 loses no relayed edit when the process is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const start = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/server.ts')], {
        cwd: root,
        env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      cleanups.push(() => child.kill('SIGKILL'));
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 45_000, 'server up');
      return child;
    };
    const url = `http://127.0.0.1:${port}`;
    const wsUrl = `ws://127.0.0.1:${port}`;
    let child = await start();
    const pair = await createPair(url);
    const writer: DocClient = openDoc(wsUrl, docName.shared(pair.roomId), pair.a.token);
    const watcher: DocClient = openDoc(wsUrl, docName.shared(pair.roomId), pair.b.token);
    cleanups.push(() => writer.destroy(), () => watcher.destroy());
    await Promise.all([writer.synced, watcher.synced]);
    const list = writer.doc.getArray<number>('edits');
    for (let i = 0; i < 300; i++) {
      list.push([i]);
      if (i % 50 === 0) await sleep(5);
    }
    // What the partner has seen, the server had stored before relaying it.
    await until(() => watcher.doc.getArray('edits').length === 300, 5000, 'partner saw every edit');
    writer.provider.disconnect();
    watcher.provider.disconnect();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    child = await start();
    const fresh = openDoc(wsUrl, docName.shared(pair.roomId), pair.b.token);
    cleanups.push(() => fresh.destroy());
    await fresh.synced;
    expect(fresh.doc.getArray('edits').toArray()).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect((await http(url, 'GET', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(200);
  }, 120_000);
});
