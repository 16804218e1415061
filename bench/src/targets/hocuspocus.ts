import path from 'node:path';
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { serveTarget } from './harness';

/**
 * Hocuspocus with its SQLite extension, default settings (onStoreDocument debounced 2 s,
 * max 10 s: it stores whole-document snapshots after the fact, not before relaying).
 */
serveTarget(async (recordLoad, port) => {
  const dataDir = process.env.BENCH_DATA_DIR;
  if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
  const loadStarted = new Map<string, number>();
  const server = new Server({
    port,
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    extensions: [
      {
        // Runs first (highest priority) and last: brackets the SQLite extension's fetch + apply.
        priority: 1000,
        async onLoadDocument({ documentName }: { documentName: string }) {
          loadStarted.set(documentName, performance.now());
        },
        async afterLoadDocument({ documentName }: { documentName: string }) {
          const started = loadStarted.get(documentName);
          loadStarted.delete(documentName);
          if (started !== undefined) recordLoad(performance.now() - started);
        },
      },
      new SQLite({ database: path.join(dataDir, 'hocuspocus.db') }),
    ],
  });
  await server.listen();
  return { port: server.address.port, close: () => server.destroy() };
});
