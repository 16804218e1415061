import { afterEach, describe, expect, it } from 'vitest';
import { docName } from '@parley/shared/protocol/ids';
import { createPair } from '../helpers/api';
import { openDoc, sleep, until, type DocClient } from '../helpers/clients';
import { spawnNode, type NodeProcess } from '../helpers/processes';
import { prng } from '../helpers/prng';
import { freePort, tempDir } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** One server process on a fixed port and data dir, restartable. */
async function restartable() {
  const port = await freePort();
  const dataDir = tempDir();
  let node: NodeProcess = await spawnNode({ DATA_DIR: dataDir }, port);
  cleanups.push(() => node.kill('SIGKILL'));
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    get node() {
      return node;
    },
    restart: async () => {
      node = await spawnNode({ DATA_DIR: dataDir }, port);
    },
  };
}

/** What a fresh client, which never wrote anything itself, reads from the server. */
async function serverState(wsUrl: string, name: string, token: string): Promise<number[]> {
  const reader = openDoc(wsUrl, name, token);
  try {
    await reader.synced;
    return reader.doc.getArray<number>('edits').toArray();
  } finally {
    reader.destroy();
  }
}

describe('crash durability', () => {
  it('C1 10,000 edits, SIGKILL at 5 random moments: every edit the partner had seen survives, and both partners converge', async () => {
    const rng = prng(20261125);
    const server = await restartable();
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const writer: DocClient = openDoc(server.wsUrl, name, pair.a.token);
    const watcher: DocClient = openDoc(server.wsUrl, name, pair.b.token);
    cleanups.push(() => writer.destroy(), () => watcher.destroy());
    await Promise.all([writer.synced, watcher.synced]);

    const TOTAL = 10_000;
    const kills = Array.from({ length: 5 }, () => rng.int(TOTAL)).sort((x, y) => x - y);
    const report: { at: number; seen: number; kept: number; ms: number }[] = [];
    const edits = writer.doc.getArray<number>('edits');
    let next = 0;
    for (const killAt of [...kills, TOTAL]) {
      while (next < killAt) {
        edits.push([next++]);
        if (next % 40 === 0) await sleep(1 + rng.int(3));
      }
      if (killAt === TOTAL) break;
      // Acknowledged = relayed: the server stored these before the partner could see them.
      const seen = new Set(watcher.doc.getArray<number>('edits').toArray());
      writer.provider.disconnect();
      watcher.provider.disconnect();
      const started = Date.now();
      await server.node.kill('SIGKILL');
      await server.restart();
      const kept = new Set(await serverState(server.wsUrl, name, pair.b.token));
      const lost = [...seen].filter((e) => !kept.has(e));
      expect(lost, `lost acknowledged edits after kill at ${killAt}`).toEqual([]);
      report.push({ at: killAt, seen: seen.size, kept: kept.size, ms: Date.now() - started });
      writer.provider.connect();
      watcher.provider.connect();
    }
    await until(() => watcher.doc.getArray('edits').length === TOTAL, 60_000, 'watcher converged');
    const final = await serverState(server.wsUrl, name, pair.b.token);
    expect(final).toHaveLength(TOTAL);
    expect(new Set(final).size).toBe(TOTAL);
    expect(watcher.doc.getArray('edits').toArray()).toEqual(writer.doc.getArray('edits').toArray());
    console.log(`[C1] kills: ${JSON.stringify(report)}`);
  }, 240_000);

  it('C2 SIGTERM under load: clients are told 4503, nothing acknowledged is lost, they resume on the restarted server', async () => {
    const server = await restartable();
    const pair = await createPair(server.url);
    const name = docName.shared(pair.roomId);
    const writer = openDoc(server.wsUrl, name, pair.a.token);
    const watcher = openDoc(server.wsUrl, name, pair.b.token);
    cleanups.push(() => writer.destroy(), () => watcher.destroy());
    await Promise.all([writer.synced, watcher.synced]);
    const edits = writer.doc.getArray<number>('edits');
    let stop = false;
    let next = 0;
    const load = (async () => {
      while (!stop) {
        edits.push([next++]);
        if (next % 10 === 0) await sleep(1);
      }
    })();
    await until(() => watcher.doc.getArray('edits').length > 1000, 20_000, 'load running');
    const exited = new Promise<number | null>((r) => server.node.child.once('exit', (code) => r(code)));
    server.node.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const seen = new Set(watcher.doc.getArray<number>('edits').toArray());
    expect(writer.closeCodes).toContain(4503);
    expect(watcher.closeCodes).toContain(4503);
    stop = true;
    await load;
    writer.provider.shouldConnect = false;
    watcher.provider.shouldConnect = false;
    await server.restart();
    const kept = new Set(await serverState(server.wsUrl, name, pair.b.token));
    expect([...seen].filter((e) => !kept.has(e))).toEqual([]);
    writer.provider.connect();
    watcher.provider.connect();
    await until(() => watcher.doc.getArray('edits').length === next, 20_000, 'resumed and converged');
    console.log(`[C2] edits before SIGTERM seen by partner: ${seen.size}, total written: ${next}`);
  }, 120_000);
});
