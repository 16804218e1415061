import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import { parleyDriver, type ParleyAddress, type ParleyDriver } from './clients/parley';
import type { BenchRoom, SeatName } from './clients/types';
import type { Placement } from './scenarios/scale';
import { TargetProcess, type TargetOptions } from './target-process';
import type { ProcessStats } from './targets/ipc';

/** The machine's services by default; both can be pointed elsewhere. */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What a scenario reads off the server side: one process or the sum over a cluster's nodes. */
export interface MeasuredServer {
  stats(opts?: { gc?: boolean; resetLoads?: boolean }): Promise<ProcessStats>;
  mark(label: string): void;
}

/**
 * N Parley nodes as production runs them behind a load balancer: one Postgres store (its own
 * schema), one Redis (its own key prefix), each node its own process.
 */
export class ParleyCluster implements MeasuredServer {
  private constructor(
    readonly id: string,
    readonly nodes: TargetProcess[],
    readonly driver: ParleyDriver,
  ) {}

  static async start(nodeCount: number, placement: Placement, opts: Omit<TargetOptions, 'env'> = {}): Promise<ParleyCluster> {
    await checkServices();
    const id = `bench_${randomBytes(5).toString('hex')}`;
    const env = { BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_CLUSTER_ID: id };
    const nodes: TargetProcess[] = [];
    try {
      // One after the other: the first node creates the schema.
      for (let i = 0; i < nodeCount; i++) nodes.push(await TargetProcess.start('parley', { ...opts, env }));
    } catch (error) {
      await Promise.allSettled(nodes.map((n) => n.dispose()));
      await dropClusterData(id);
      throw error;
    }
    return new ParleyCluster(id, nodes, parleyClusterDriver(nodes, placement));
  }

  async stats(opts: { gc?: boolean; resetLoads?: boolean } = {}): Promise<ProcessStats> {
    const all = await Promise.all(this.nodes.map((n) => n.stats(opts)));
    return {
      rssBytes: sum(all.map((s) => s.rssBytes)),
      heapUsedBytes: sum(all.map((s) => s.heapUsedBytes)),
      cpuSeconds: sum(all.map((s) => s.cpuSeconds)),
      docLoadsMs: all.flatMap((s) => s.docLoadsMs),
    };
  }

  mark(label: string): void {
    for (const n of this.nodes) n.mark(label);
  }

  kill(): void {
    for (const n of this.nodes) n.kill();
  }

  /** Stops every node and removes the cluster's schema and Redis keys. */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.dispose()));
    await dropClusterData(this.id);
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function checkServices(): Promise<void> {
  const db = new pg.Client({ connectionString: BENCH_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await db.connect();
  } catch (error) {
    throw new Error(`the two-node scenario needs PostgreSQL at ${BENCH_DATABASE_URL} (set BENCH_DATABASE_URL): ${(error as Error).message}`);
  } finally {
    await db.end().catch(() => undefined);
  }
  const redis = createClient({ url: BENCH_REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 3000 } });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    throw new Error(`the two-node scenario needs Redis at ${BENCH_REDIS_URL} (set BENCH_REDIS_URL): ${(error as Error).message}`);
  } finally {
    if (redis.isOpen) redis.destroy();
  }
}

async function dropClusterData(id: string): Promise<void> {
  const db = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`);
  } finally {
    await db.end();
  }
  const redis = createClient({ url: BENCH_REDIS_URL, socket: { reconnectStrategy: false } });
  redis.on('error', () => undefined);
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${id}*`, COUNT: 1000 })) if (keys.length > 0) await redis.del(keys);
  } finally {
    redis.destroy();
  }
}

/**
 * Parley behind a load balancer. Rooms are made on the nodes in turn; partner A of a room
 * connects to the room's node, partner B to the same one (`together`: a proxy routing by room)
 * or to the next one (`split`: the worst a round-robin proxy can do; every edit crosses Redis).
 */
export function parleyClusterDriver(nodes: ParleyAddress[], placement: Placement): ParleyDriver {
  const drivers = nodes.map((n) => parleyDriver(n));
  const home = new Map<string, number>();
  let created = 0;
  const nodeFor = (room: BenchRoom, seat: SeatName): ParleyDriver => {
    const driver = drivers[((home.get(room.id) ?? 0) + (seat === 'b' && placement === 'split' ? 1 : 0)) % drivers.length];
    if (!driver) throw new Error('cluster has no nodes');
    return driver;
  };
  return {
    name: 'parley',
    createRoom: async () => {
      const index = created++ % drivers.length;
      const room = await (drivers[index] as ParleyDriver).createRoom();
      home.set(room.id, index);
      return room;
    },
    openShared: (room, seat, doc) => nodeFor(room, seat).openShared(room, seat, doc),
    openPrivate: (room, seat, doc) => nodeFor(room, seat).openPrivate(room, seat, doc),
    openRoomDoc: (room, seat, doc) => nodeFor(room, seat).openRoomDoc(room, seat, doc),
    control: (room, seat) => nodeFor(room, seat).control(room, seat),
    // Every node's figures; histogram readers add up the matching lines.
    metrics: async () => (await Promise.all(drivers.map((d) => d.metrics()))).join('\n'),
  };
}
