import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createPair, http } from '../helpers/api';
import { sleep } from '../helpers/clients';
import { DATABASE_URL, REDIS_URL, startCluster } from '../helpers/cluster';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { startServer } from '../helpers/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const filesOf = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('parley.db')).map((f) => fs.readFileSync(path.join(dir, f)));
const sha256 = (token: string) => createHash('sha256').update(token).digest();

describe('secrets at rest', () => {
  it('T1 SQLite holds only SHA-256 hashes of participant and invite tokens', async () => {
    const server = await startServer();
    const pair = await createPair(server.url);
    await server.close();
    const files = filesOf(server.dataDir);
    for (const token of [pair.a.token, pair.b.token, pair.inviteToken]) {
      expect(files.some((f) => f.includes(Buffer.from(token))), 'raw token on disk').toBe(false);
    }
    // The check can see what is there: the hashes are.
    expect(files.some((f) => f.includes(sha256(pair.a.token)))).toBe(true);
  });

  it('T2 Postgres holds only hashes too', async () => {
    const cluster = await startCluster({ nodes: 1 });
    cleanups.push(() => cluster.close());
    const pair = await createPair(cluster.nodes[0]!.url);
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    cleanups.push(() => client.end());
    let dump = '';
    for (const s of [cluster.id]) {
      const tables = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [s]);
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`SELECT * FROM "${s}"."${table_name}"`);
        dump += JSON.stringify(rows.rows, (_k, v: unknown) => (v && typeof v === 'object' && 'type' in v && (v as { type: string }).type === 'Buffer' ? Buffer.from((v as unknown as { data: number[] }).data).toString('latin1') : v));
      }
    }
    expect(dump).toContain(pair.roomId);
    for (const token of [pair.a.token, pair.b.token, pair.inviteToken]) expect(dump.includes(token)).toBe(false);
  });
});

describe('deletion erases (Redis)', () => {
  it('T3 after a room is deleted no Redis key or value mentions it or its content', async () => {
    const cluster = await startCluster({ nodes: 2 });
    cleanups.push(() => cluster.close());
    const [one, two] = cluster.nodes as [(typeof cluster.nodes)[0] & object, (typeof cluster.nodes)[0] & object];
    const pair = await createPair(one.url);
    const sessions: PartnerSession[] = [await joinAs(one, pair.roomId, pair.a), await joinAs(two, pair.roomId, pair.b)];
    cleanups.push(() => sessions.forEach((s) => s.close()));
    sessions[0]!.shared.doc.getText('notes').insert(0, 'CANARY-REDIS-NOTE');
    await sessions[1]!.control.send('presence:update', { focus: 'safety' });
    await sleep(300);

    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    cleanups.push(() => redis.close());
    const dumpAll = async () => {
      let out = '';
      for await (const keys of redis.scanIterator({ MATCH: '*', COUNT: 500 })) {
        for (const key of keys) {
          const type = await redis.type(key);
          const value = type === 'string' ? await redis.get(key) : type === 'hash' ? await redis.hGetAll(key) : type === 'zset' ? await redis.zRange(key, 0, -1) : type === 'set' ? await redis.sMembers(key) : type === 'list' ? await redis.lRange(key, 0, -1) : '';
          out += `${key}=${JSON.stringify(value)}\n`;
        }
      }
      return out;
    };
    expect(await dumpAll()).toContain(pair.roomId); // presence keys exist while the room does
    expect((await http(one.url, 'DELETE', `/api/rooms/${pair.roomId}`, { token: pair.a.token })).status).toBe(204);
    await sleep(500);
    const after = await dumpAll();
    expect(after).not.toContain(pair.roomId);
    expect(after).not.toContain('CANARY-REDIS-NOTE');
    expect(after).not.toContain(pair.a.id);
  });
});
