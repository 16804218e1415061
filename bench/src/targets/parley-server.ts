import { buildApp } from '@parley/server/app';
import { loadConfig } from '@parley/server/config';
import type { RunningTarget } from './harness';

export interface ParleyTargetOptions {
  /** `BuildOptions.sealedRooms`: sealed rooms and the `/sealed` channel (issue 16) */
  sealedRooms: boolean;
}

/**
 * Parley, full stack: auth, SQLite persistence (WAL, synchronous=NORMAL), reveal bookkeeping.
 * With BENCH_DATABASE_URL and BENCH_REDIS_URL it runs as one node of a cluster instead
 * (Postgres store, Redis presence and fan-out), in the schema and key prefix BENCH_CLUSTER_ID.
 * Shared by the `parley` and `parley-sealed` targets, which differ only in `opts`.
 */
export async function startParley(opts: ParleyTargetOptions, recordLoad: (ms: number) => void, port: number): Promise<RunningTarget> {
  const dataDir = process.env.BENCH_DATA_DIR;
  if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
  const { BENCH_DATABASE_URL: databaseUrl, BENCH_REDIS_URL: redisUrl, BENCH_CLUSTER_ID: clusterId } = process.env;
  const clustered = databaseUrl && redisUrl && clusterId;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    // The store counters the scenarios read (flushes) are served on a listener of their own.
    METRICS_PORT: '0',
    // Every simulated client comes from 127.0.0.1: the per-IP cap would stop the load itself.
    MAX_CONNECTIONS_PER_IP: '1000000',
    ...(clustered ? { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } : {}),
  });
  // The build option, not an env setting: the bench does not depend on how config spells it.
  const app = await buildApp(config, { ...(clustered ? { pgSchema: clusterId, redisPrefix: clusterId } : {}), ...(opts.sealedRooms ? { sealedRooms: true } : {}) });
  // Server-side load time of a doc that is not in memory (store read + Y.applyUpdate), timed
  // around the hub's public `acquire` without changing server code.
  const hub = app.parley.hub;
  const acquire = hub.acquire.bind(hub);
  hub.acquire = async (name: string) => {
    const cold = hub.peek(name) === undefined;
    const started = performance.now();
    const lease = await acquire(name);
    if (cold) recordLoad(performance.now() - started);
    return lease;
  };
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  if (app.metricsAddress === null) throw new Error('no metrics listener');
  return {
    port: address.port,
    metricsPort: app.metricsAddress.port,
    close: async () => {
      await app.close();
    },
  };
}
