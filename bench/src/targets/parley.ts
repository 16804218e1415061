import { buildApp } from '@parley/server/app';
import { loadConfig } from '@parley/server/config';
import { serveTarget } from './harness';

/** Parley, full stack: auth, SQLite persistence (WAL, synchronous=NORMAL), reveal bookkeeping. */
serveTarget(async (recordLoad, port) => {
  const dataDir = process.env.BENCH_DATA_DIR;
  if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    // Every simulated client comes from 127.0.0.1: the per-IP cap would stop the load itself.
    MAX_CONNECTIONS_PER_IP: '1000000',
  });
  const app = await buildApp(config);
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
  return {
    port: address.port,
    close: async () => {
      await app.close();
    },
  };
});
