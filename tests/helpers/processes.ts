import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { until } from './clients';
import { DATABASE_URL } from './cluster';
import { freePort, tempDir } from './server';
import { logFile } from './suite-artifacts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A private redis-server on a free port, which a test may stop and start again. */
export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const ping = async () => {
    const { createClient } = await import('redis');
    const c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false, connectTimeout: 500 } });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.ping();
      return true;
    } catch {
      return false;
    } finally {
      // a client whose connect failed is already closed, and destroy() would throw
      if (c.isOpen) c.destroy();
    }
  };
  const redis: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await until(ping, 10_000, 'redis up');
    },
    stop: async () => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
  };
  await redis.start();
  return redis;
}

/** A Parley server process (`server/src/server.ts`), as production runs it. */
export interface NodeProcess {
  port: number;
  url: string;
  wsUrl: string;
  child: ChildProcess;
  /** stdout + stderr (pino JSON lines) */
  output: string[];
  /** its DATA_DIR (unless `env` named another) */
  dataDir: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Writes a V8 heap snapshot of the process (spawned with `{ heapSnapshots: true }`) and resolves
   * with its path, once the file is complete. Each takes seconds and blocks the server meanwhile.
   */
  heapSnapshot(): Promise<string>;
}

export interface SpawnOptions {
  /**
   * Start with `--heapsnapshot-signal=SIGUSR2` and a diagnostic dir of its own, so `heapSnapshot()`
   * works; strings are kept whole in snapshots (V8 cuts them at 1024 characters by default).
   */
  heapSnapshots?: boolean;
}

/** The flags that let a test take a heap snapshot of a node process from outside. */
const snapshotFlags = (dir: string): string[] => ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`, '--heap-snapshot-string-limit=100000000'];

export async function spawnNode(env: Record<string, string>, port?: number, opts: SpawnOptions = {}): Promise<NodeProcess> {
  const p = port ?? (await freePort());
  const output: string[] = [];
  const dataDir = env.DATA_DIR ?? tempDir();
  const diagnostics = opts.heapSnapshots ? tempDir() : null;
  const child = spawn(process.execPath, [...(diagnostics ? snapshotFlags(diagnostics) : []), '--import', 'tsx', path.join(root, 'server/src/server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile(`node-${p}`));
  child.stdout?.on('data', (d: Buffer) => (output.push(d.toString()), log.write(d)));
  child.stderr?.on('data', (d: Buffer) => (output.push(d.toString()), log.write(d)));
  child.once('exit', () => log.end());
  await until(async () => (await fetch(`http://127.0.0.1:${p}/healthz`).catch(() => null))?.ok === true, 45_000, 'node up');
  return {
    port: p,
    url: `http://127.0.0.1:${p}`,
    wsUrl: `ws://127.0.0.1:${p}`,
    child,
    output,
    dataDir,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    heapSnapshot: async () => {
      if (!diagnostics) throw new Error('spawnNode(…, { heapSnapshots: true }) first');
      const before = new Set(fs.readdirSync(diagnostics));
      child.kill('SIGUSR2');
      let file = '';
      await until(() => {
        file = fs.readdirSync(diagnostics).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)) ?? '';
        return file !== '';
      }, 60_000, 'the heap snapshot file');
      // V8 writes the snapshot on the main thread: the server answers again once it is written
      await until(async () => (await fetch(`http://127.0.0.1:${p}/healthz`).catch(() => null))?.ok === true, 120_000, 'node back after the snapshot');
      const full = path.join(diagnostics, file);
      const tail = fs.readFileSync(full).subarray(-64).toString('utf8').trimEnd();
      if (!tail.endsWith('}')) throw new Error(`heap snapshot ${full} is incomplete`);
      return full;
    },
  };
}

/**
 * Two killable node processes sharing their own Redis and their own Postgres database (so a
 * test may kill either, or the Redis). Everything is handed to `later` to stop, newest first.
 */
export async function spawnTwoNodes(later: (stop: () => unknown) => void): Promise<{ one: NodeProcess; two: NodeProcess; redis: Awaited<ReturnType<typeof spawnRedis>>; env: Record<string, string> }> {
  const redis = await spawnRedis();
  later(() => redis.stop());
  const db = await createDatabase();
  later(() => db.drop());
  const env = { REDIS_URL: redis.url, DATABASE_URL: db.url };
  const one = await spawnNode(env);
  later(() => one.kill());
  const two = await spawnNode(env);
  later(() => two.kill());
  return { one, two, redis, env };
}

/** A fresh Postgres database on the machine's server, dropped by `drop()`. */
export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A private PostgreSQL server (initdb into a temp dir, run as the `postgres` user) that a test may restart. */
export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnPostgres(): Promise<PrivatePostgres> {
  const bin = fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`)[0];
  if (!bin) throw new Error('no PostgreSQL binaries');
  const dir = tempDir();
  fs.chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/initdb`, '-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync'], { stdio: 'ignore' });
  const port = await freePort();
  let child: ChildProcess | null = null;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 500 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  const server: PrivatePostgres = {
    url,
    start: async () => {
      child = spawn('runuser', ['-u', 'postgres', '--', `${bin}/postgres`, '-D', dir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { stdio: 'ignore' });
      await until(ready, 20_000, 'postgres up');
    },
    stop: async () => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      // pg_ctl's fast shutdown: active sessions are cut, as in a real restart.
      const exited = new Promise((r) => c.once('exit', r));
      execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`, 'stop', '-D', dir, '-m', 'fast', '-w'], { stdio: 'ignore' });
      await exited;
      await until(async () => !(await ready()), 10_000, 'postgres down');
    },
  };
  await server.start();
  return server;
}
