import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BuildOptions } from '@parley/server/app';
import { startServer, tempDir, type TestServer } from './server';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Cluster {
  /** Redis prefix and Postgres schema of this cluster */
  id: string;
  nodes: TestServer[];
  close(): Promise<void>;
}

/**
 * Several Parley nodes in this process sharing one Redis and one durable store, isolated
 * from other tests by a random Redis prefix and a random Postgres schema (or SQLite dir).
 */
export async function startCluster(opts: { nodes?: number; redisUrl?: string; store?: 'postgres' | 'sqlite'; env?: Record<string, string>; build?: BuildOptions } = {}): Promise<Cluster> {
  const id = `t${randomBytes(5).toString('hex')}`;
  const store = opts.store ?? 'postgres';
  const dataDir = tempDir();
  const env: Record<string, string> = { REDIS_URL: opts.redisUrl ?? REDIS_URL, ...(store === 'postgres' ? { DATABASE_URL } : {}), ...opts.env };
  const nodes: TestServer[] = [];
  for (let i = 0; i < (opts.nodes ?? 2); i++) {
    nodes.push(await startServer({ dataDir, env, build: { ...opts.build, redisPrefix: id, ...(store === 'postgres' ? { pgSchema: id } : {}) } }));
  }
  return {
    id,
    nodes,
    close: async () => {
      await Promise.all(nodes.map((n) => n.close()));
      if (store === 'postgres') {
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${id} CASCADE`);
        await client.end();
      }
    },
  };
}
