import pg from 'pg';
import type { StoreDatabase } from '../database';
import type { FlagOf } from '../rows';
import { runMigrations } from './migrations';

export interface PostgresOptions {
  /** `postgres://user:pass@host:port/db` */
  url: string;
  /**
   * Schema holding Parley's tables, created if missing (default: the server's search_path,
   * usually `public`). Lets tests, or several Parley deployments, share one database.
   */
  schema?: string;
  /** Connections per node (default 10). */
  poolSize?: number;
  /**
   * Told about errors of idle pooled connections (e.g. the server restarted). The pool has
   * already dropped the connection; without a listener such an error would crash the process.
   */
  onError?: (err: Error) => void;
}

/** One connection pool, shared by the doc, room, workshop and encryption stores of a node. */
export interface PostgresDatabase extends StoreDatabase {
  readonly pool: pg.Pool;
  /** the schema given at open, or null for the connection's default */
  readonly schema: string | null;
  /** Runs `fn` in one transaction on one pooled connection: COMMIT if it resolves, else ROLLBACK. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  /** Ends the pool once every checked-out connection is back. Idempotent. */
  close(): Promise<void>;
}

export const postgresFlag: FlagOf = (value) => value;
/** `$1`, `$2`… for the values in column order */
export const postgresPlaceholder = (index: number): string => `$${index + 1}`;

const DEFAULT_POOL_SIZE = 10;
// /readyz must answer even when the database is unreachable, not hang on a connect.
const CONNECT_TIMEOUT_MS = 5_000;
// Lower-case identifiers only: the name goes into a startup option and into DDL unescaped.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
      // The connection is in an unknown state: destroy it rather than hand it to the next caller.
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Opens a pool and brings the schema up to date. Several nodes may call this at once:
 * migrations run under an advisory lock, so exactly one of them applies each version.
 */
export async function openPostgres(opts: PostgresOptions): Promise<PostgresDatabase> {
  const schema = opts.schema ?? null;
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid Postgres schema name: ${JSON.stringify(schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A startup option rather than `SET` on connect: it is in force before the first query
    // of every pooled connection, with no window where a query could run in `public`.
    ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', (err) => opts.onError?.(err));

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await pool.end();
  };

  try {
    await inTransaction(pool, (client) => runMigrations(client, { schema }));
  } catch (err) {
    await close();
    throw err;
  }

  return {
    pool,
    schema,
    transaction: (fn) => inTransaction(pool, fn),
    async ping() {
      await pool.query('SELECT 1');
    },
    // Deleted rows are Postgres's own to vacuum: there is no file of Parley's to checkpoint.
    checkpointFully: async () => true,
    close,
  };
}
