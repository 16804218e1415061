import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import { LocalRoomLock, type RoomLock } from './lib/room-lock';
import { MemoryPresenceStore, type PresenceStore } from './presence/presence-store';
import type { StoreDatabase } from './store/database';
import type { DocStore } from './store/doc-store';
import { EncryptedDocStore } from './store/encrypted/doc-store';
import { verifyDataKey } from './store/encrypted/key-check';
import { EncryptedRoomStore } from './store/encrypted/room-store';
import { EncryptedTemplateStore } from './store/encrypted/template-store';
import { EncryptedWorkshopStore } from './store/encrypted/workshop-store';
import type { EncryptionStore } from './store/encryption-store';
import type { RoomStore } from './store/room-store';
import type { TemplateStore } from './store/template-store';
import type { WorkshopStore } from './store/workshop-store';
import { SqliteWorkshopStore } from './store/sqlite/workshop-store';
import { PostgresWorkshopStore } from './store/postgres/workshop-store';
import { PostgresTemplateStore } from './store/postgres/template-store';
import { SqliteTemplateStore } from './store/sqlite/template-store';
import { openPostgres } from './store/postgres/database';
import { PostgresDocStore } from './store/postgres/doc-store';
import { PostgresEncryptionStore } from './store/postgres/encryption-store';
import { PostgresRoomStore } from './store/postgres/room-store';
import { openSqlite } from './store/sqlite/database';
import { SqliteDocStore } from './store/sqlite/doc-store';
import { SqliteEncryptionStore } from './store/sqlite/encryption-store';
import { SqliteRoomStore } from './store/sqlite/room-store';
import type { GuessThrottleFactory } from './workshops/codes';
import type { DocBus } from './yjs/doc-bus';
import { openCoordination, type AdapterFactory } from './redis/coordination';


/**
 * The engines Parley runs on, chosen by configuration: SQLite + in-memory presence on one
 * node (the embedded default), or Postgres + Redis for several identical nodes.
 */
export interface Infrastructure {
  nodeId: string;
  docs: DocStore;
  rooms: RoomStore;
  workshops: WorkshopStore;
  /** a workshop's own templates */
  templates: TemplateStore;
  presence: PresenceStore;
  lock: RoomLock;
  bus: DocBus | null;
  /** socket.io adapter factory for fan-out across nodes (null: in-memory) */
  adapter: AdapterFactory | null;
  /** wrong-code counters shared by every node (null: each node counts in memory) */
  guesses: GuessThrottleFactory | null;
  /** what every erase runs last, once: the database's checkpoint (SQLite: erased content leaves the WAL) */
  afterErase: () => Promise<void>;
  /** throws if a dependency does not answer (for /readyz) */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Postgres schema (tests isolate themselves in one) */
  pgSchema?: string;
  /** prefix of every Redis key and channel (tests isolate themselves; nodes of one deployment share it) */
  redisPrefix?: string;
}

export async function openInfrastructure(config: Config, log: FastifyBaseLogger, now: () => number, opts: InfrastructureOptions = {}): Promise<Infrastructure> {
  const nodeId = randomBytes(6).toString('base64url');
  const stores = await openStores(config, opts, log, now);
  if (!config.redisUrl) {
    return {
      nodeId,
      ...stores,
      presence: new MemoryPresenceStore(),
      lock: new LocalRoomLock(),
      bus: null,
      adapter: null,
      guesses: null,
      checkReady: () => stores.docs.ping(),
      close: () => stores.database.close(),
    };
  }
  const redis = await openCoordination(config.redisUrl, nodeId, opts.redisPrefix ?? 'parley', log, now);
  return {
    nodeId,
    ...stores,
    presence: redis.presence,
    lock: redis.lock,
    bus: redis.bus,
    adapter: redis.adapter,
    guesses: redis.guesses,
    checkReady: async () => {
      await stores.docs.ping();
      await redis.checkReady();
    },
    close: async () => {
      await redis.close();
      await stores.database.close();
    },
  };
}

interface Stores {
  /** the one database the stores share; only it checkpoints and closes */
  database: StoreDatabase;
  docs: DocStore;
  rooms: RoomStore;
  workshops: WorkshopStore;
  templates: TemplateStore;
  afterErase: () => Promise<void>;
}

/**
 * The configured stores with DATA_KEY applied: the key is checked against the stored key
 * check before anything else is read (a wrong key stops start-up, see `verifyDataKey`), and
 * with a key every doc, title, name, workshop message and workshop worksheet is encrypted on its way to storage.
 */
async function openStores(config: Config, opts: InfrastructureOptions, log: FastifyBaseLogger, now: () => number): Promise<Stores> {
  const { encryption, ...stores } = await openDurableStores(config, opts, log);
  const keys = { current: config.dataKey, previous: config.dataKeyPrevious };
  const cipher = await verifyDataKey(encryption, keys, now).catch(async (error: unknown) => {
    await stores.database.close();
    throw error;
  });
  if (!cipher) return stores;
  return {
    ...stores,
    docs: new EncryptedDocStore(stores.docs, cipher),
    rooms: new EncryptedRoomStore(stores.rooms, cipher),
    workshops: new EncryptedWorkshopStore(stores.workshops, cipher),
    templates: new EncryptedTemplateStore(stores.templates, cipher),
  };
}

/** The stores as configured, without encryption (`npm run rotate-key` works on these). */
export async function openDurableStores(config: Config, opts: InfrastructureOptions, log: FastifyBaseLogger): Promise<Stores & { encryption: EncryptionStore }> {
  if (config.databaseUrl) {
    let reported = false;
    const database = await openPostgres({
      url: config.databaseUrl,
      ...(opts.pgSchema ? { schema: opts.pgSchema } : {}),
      onError: (error) => {
        // One line per outage burst, not one per pooled connection.
        if (reported) return;
        reported = true;
        setTimeout(() => (reported = false), 10_000).unref();
        log.error({ err: error.message }, 'postgres connection error');
      },
    });
    return {
      database,
      docs: new PostgresDocStore(database),
      rooms: new PostgresRoomStore(database),
      workshops: new PostgresWorkshopStore(database),
      templates: new PostgresTemplateStore(database),
      encryption: new PostgresEncryptionStore(database),
      afterErase: afterEraseOf(database),
    };
  }
  const sqlite = openSqlite({ dataDir: config.dataDir, syncWrites: config.syncWrites });
  return {
    database: sqlite,
    docs: new SqliteDocStore(sqlite),
    rooms: new SqliteRoomStore(sqlite),
    workshops: new SqliteWorkshopStore(sqlite),
    templates: new SqliteTemplateStore(sqlite),
    encryption: new SqliteEncryptionStore(sqlite),
    afterErase: afterEraseOf(sqlite),
  };
}

/** Best effort by design (see `checkpointFully`): an erase does not fail over a busy WAL. */
const afterEraseOf = (database: StoreDatabase) => async (): Promise<void> => {
  await database.checkpointFully();
};
