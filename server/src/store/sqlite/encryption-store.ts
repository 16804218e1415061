import type { EncryptionStore, StoredText } from '../encryption-store';
import type { SqliteDatabase } from './database';

/** The key check and the walk over stored secrets, in the SQLite database of the other stores. */
export class SqliteEncryptionStore implements EncryptionStore {
  private readonly stmt;

  constructor(database: SqliteDatabase) {
    const { db } = database;
    this.stmt = {
      selectCheck: db.prepare<[], { value: Uint8Array }>('SELECT value FROM data_key_check WHERE id = 1'),
      insertCheck: db.prepare<[Uint8Array, number]>(
        'INSERT INTO data_key_check (id, value, written_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING',
      ),
      upsertCheck: db.prepare<[Uint8Array, number]>(
        `INSERT INTO data_key_check (id, value, written_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET value = excluded.value, written_at = excluded.written_at`,
      ),
      hasContent: db.prepare<[], { yes: number }>(
        `SELECT EXISTS (SELECT 1 FROM rooms) OR EXISTS (SELECT 1 FROM participants)
           OR EXISTS (SELECT 1 FROM doc_updates) OR EXISTS (SELECT 1 FROM doc_snapshots) AS yes`,
      ),
      docNames: db.prepare<[], { doc_name: string }>(
        'SELECT doc_name FROM doc_snapshots UNION SELECT doc_name FROM doc_updates ORDER BY doc_name',
      ),
      titles: db.prepare<[], { id: string; value: string }>(
        'SELECT id, title AS value FROM rooms WHERE title IS NOT NULL ORDER BY id',
      ),
      names: db.prepare<[], { id: string; value: string }>(
        'SELECT id, display_name AS value FROM participants ORDER BY id',
      ),
      replaceTitle: db.prepare<[string, string, string]>('UPDATE rooms SET title = ? WHERE id = ? AND title = ?'),
      replaceName: db.prepare<[string, string, string]>(
        'UPDATE participants SET display_name = ? WHERE id = ? AND display_name = ?',
      ),
    };
  }

  async readKeyCheck(): Promise<Uint8Array | null> {
    return this.stmt.selectCheck.get()?.value ?? null;
  }

  async insertKeyCheck(value: Uint8Array, at: number): Promise<boolean> {
    return this.stmt.insertCheck.run(value, at).changes === 1;
  }

  async replaceKeyCheck(value: Uint8Array, at: number): Promise<void> {
    this.stmt.upsertCheck.run(value, at);
  }

  async hasContent(): Promise<boolean> {
    return this.stmt.hasContent.get()?.yes === 1;
  }

  async listDocNames(): Promise<string[]> {
    return this.stmt.docNames.all().map((row) => row.doc_name);
  }

  async listTexts(): Promise<StoredText[]> {
    return [
      ...this.stmt.titles.all().map((row): StoredText => ({ field: 'room.title', ...row })),
      ...this.stmt.names.all().map((row): StoredText => ({ field: 'participant.displayName', ...row })),
    ];
  }

  async replaceText(text: StoredText, to: string): Promise<boolean> {
    const statement = text.field === 'room.title' ? this.stmt.replaceTitle : this.stmt.replaceName;
    return statement.run(to, text.id, text.value).changes === 1;
  }
}
