import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite } from '@parley/server/store/sqlite/database';
import { SqliteDocStore } from '@parley/server/store/sqlite/doc-store';
import { SqliteRoomStore } from '@parley/server/store/sqlite/room-store';
import { SqliteWorkshopStore } from '@parley/server/store/sqlite/workshop-store';
import { describeWorkshopStoreContract } from './workshop-store.contract';

describeWorkshopStoreContract('SQLite', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-'));
  const database = openSqlite({ dataDir, syncWrites: 'normal' });
  return {
    workshops: new SqliteWorkshopStore(database),
    rooms: new SqliteRoomStore(database),
    docs: new SqliteDocStore(database),
    cleanup: async () => {
      database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
