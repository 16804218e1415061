import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres } from '@parley/server/store/postgres/database';
import { PostgresDocStore } from '@parley/server/store/postgres/doc-store';
import { PostgresRoomStore } from '@parley/server/store/postgres/room-store';
import { PostgresWorkshopStore } from '@parley/server/store/postgres/workshop-store';
import { describeWorkshopStoreContract } from './workshop-store.contract';

// Runs against the machine's PostgreSQL; every test gets its own schema, dropped afterwards.
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describeWorkshopStoreContract('Postgres', async () => {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const database = await openPostgres({ url: DATABASE_URL, schema });
  return {
    workshops: new PostgresWorkshopStore(database),
    rooms: new PostgresRoomStore(database),
    docs: new PostgresDocStore(database),
    cleanup: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
});
