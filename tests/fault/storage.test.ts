import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import type { DocStore } from '@parley/server/store/doc-store';
import { createPair, http } from '../helpers/api';
import { openDoc, sleep, until, type DocClient } from '../helpers/clients';
import { startServer, tempDir } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const track = (c: DocClient) => (cleanups.push(() => c.destroy()), c);

/** A store whose writes fail while `broken` is set, like a full or read-only disk. */
function breakable(store: DocStore) {
  const state = { broken: false, refused: 0 };
  const wrapped: DocStore = Object.create(store) as DocStore;
  wrapped.appendUpdates = async (batch) => {
    if (state.broken) {
      state.refused += batch.length;
      throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    }
    return store.appendUpdates(batch);
  };
  return { state, wrap: () => wrapped };
}

function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('storage faults', () => {
  it('D1 failing writes: the writer gets 4503 and readiness says 503; nothing unstored is relayed; after recovery the client\'s edits arrive and nothing is corrupt', async () => {
    const dataDir = tempDir();
    let fault: ReturnType<typeof breakable> | undefined;
    const server = await startServer({ dataDir, build: { wrapDocStore: (s) => (fault = breakable(s)).wrap() } });
    cleanups.push(() => server.close());
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const writer = track(openDoc(server.wsUrl, name, pair.a.token));
    const watcher = track(openDoc(server.wsUrl, name, pair.b.token));
    await Promise.all([writer.synced, watcher.synced]);
    writer.doc.getText('notes').insert(0, 'before. ');
    await until(() => watcher.doc.getText('notes').toString() === 'before. ', 2000);

    fault!.state.broken = true;
    writer.doc.getText('notes').insert(8, 'during the fault.');
    expect(await writer.closed).toBe(4503);
    expect((await http(server.url, 'GET', '/readyz')).status).toBe(503);
    await sleep(200);
    // Not stored, so not relayed.
    expect(watcher.doc.getText('notes').toString()).toBe('before. ');

    fault!.state.broken = false;
    // The stock provider reconnects by itself; its sync step 2 carries what the server lacks.
    await until(() => watcher.doc.getText('notes').toString() === 'before. during the fault.', 10_000, 'recovered');
    await until(async () => (await http(server.url, 'GET', '/readyz')).status === 200, 5000, 'ready again');
    expect(fault!.state.refused).toBeGreaterThan(0);

    await server.close();
    const again = await startServer({ dataDir });
    cleanups.push(() => again.close());
    const reader = track(openDoc(again.wsUrl, name, pair.b.token));
    await reader.synced;
    expect(reader.doc.getText('notes').toString()).toBe('before. during the fault.');
  });

  // Mounting needs root (CI runs as root); elsewhere the injected fault above still runs.
  const probe = tempDir();
  const canMount = mountTmpfs(probe, '1m') && (execFileSync('umount', [probe]), true);
  it.skipIf(!canMount)('D2 a really full disk (tmpfs): writers get 4503, the file stays intact, growing the disk recovers without a restart', async () => {
    const dir = tempDir();
    expect(mountTmpfs(dir, '3m')).toBe(true);
    cleanups.push(() => execFileSync('umount', ['-l', dir]));
    const server = await startServer({ dataDir: dir, env: { MAX_DOC_BYTES: String(64 * 1024 * 1024) } });
    cleanups.push(() => server.close());
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const writer = track(openDoc(server.wsUrl, name, pair.a.token));
    const watcher = track(openDoc(server.wsUrl, name, pair.b.token));
    await Promise.all([writer.synced, watcher.synced]);
    const chunk = 'z'.repeat(200 * 1024);
    const list = writer.doc.getArray<string>('bulk');
    for (let i = 0; i < 30 && !writer.closeCodes.includes(4503); i++) {
      list.push([chunk]);
      await sleep(30);
    }
    expect(writer.closeCodes).toContain(4503);
    expect((await http(server.url, 'GET', '/readyz')).status).toBe(503);
    writer.provider.shouldConnect = false;
    const relayed = watcher.doc.getArray('bulk').length;
    expect(relayed).toBeLessThan(30);

    execFileSync('mount', ['-o', 'remount,size=64m', dir]);
    writer.provider.shouldConnect = true;
    writer.provider.connect();
    await until(() => watcher.doc.getArray('bulk').length === list.length, 20_000, 'recovered after growing the disk');
    await until(async () => (await http(server.url, 'GET', '/readyz')).status === 200, 5000, 'ready again');
    await server.close();
    const db = new Database(path.join(dir, 'parley.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(fs.existsSync(path.join(dir, 'parley.db'))).toBe(true);
  });
});
