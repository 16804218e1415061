import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataCipher } from '@parley/server/store/encrypted/cipher';
import { EncryptedTemplateStore } from '@parley/server/store/encrypted/template-store';
import { openPostgres } from '@parley/server/store/postgres/database';
import { PostgresRoomStore } from '@parley/server/store/postgres/room-store';
import { PostgresTemplateStore } from '@parley/server/store/postgres/template-store';
import { PostgresWorkshopStore } from '@parley/server/store/postgres/workshop-store';
import { openSqlite } from '@parley/server/store/sqlite/database';
import { SqliteRoomStore } from '@parley/server/store/sqlite/room-store';
import { SqliteTemplateStore } from '@parley/server/store/sqlite/template-store';
import { SqliteWorkshopStore } from '@parley/server/store/sqlite/workshop-store';
import { DATABASE_URL, dropSchema, freshSchema } from '../helpers/pg-schema';
import { describeTemplateStoreContract } from './template-store.contract';

function sqlite(encrypted: boolean) {
  return async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-'));
    const database = openSqlite({ dataDir, syncWrites: 'normal' });
    const plain = new SqliteTemplateStore(database);
    return {
      templates: encrypted ? new EncryptedTemplateStore(plain, new DataCipher(randomBytes(32))) : plain,
      workshops: new SqliteWorkshopStore(database),
      rooms: new SqliteRoomStore(database),
      cleanup: async () => {
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
}

describeTemplateStoreContract('SQLite', sqlite(false));
describeTemplateStoreContract('encrypted SQLite', sqlite(true));
describeTemplateStoreContract('Postgres', async () => {
  const schema = freshSchema();
  const database = await openPostgres({ url: DATABASE_URL, schema });
  return {
    templates: new PostgresTemplateStore(database),
    workshops: new PostgresWorkshopStore(database),
    rooms: new PostgresRoomStore(database),
    cleanup: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
});
