import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '@parley/server/app';
import { loadConfig } from '@parley/server/config';
import { logFile } from './suite-artifacts';

export interface TestServer {
  url: string;
  wsUrl: string;
  port: number;
  app: FastifyInstance;
  dataDir: string;
  /** every log line the server wrote */
  logs: string[];
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));

/**
 * A real Parley server on a free port (or `port`; 0 lets the OS choose at listen, and the
 * config's PUBLIC_URL then names port 0), with its own data dir unless one is given.
 */
export async function startServer(opts: { dataDir?: string; env?: Record<string, string>; build?: BuildOptions; port?: number } = {}): Promise<TestServer> {
  const requested = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? tempDir();
  const config = loadConfig({
    PORT: String(requested),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    ...opts.env,
  });
  const logs: string[] = [];
  const file = fs.openSync(logFile(`app-${requested}`), 'a');
  const logStream = {
    write: (line: string) => {
      logs.push(line);
      fs.writeSync(file, line);
    },
  };
  const app = await buildApp(config, { logStream, idleUnloadMs: 500, ...opts.build });
  await app.listen({ port: requested, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    app,
    dataDir,
    logs,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      fs.closeSync(file);
    },
  };
}
