import type Database from 'better-sqlite3';
import { storedTextColumns, storedTextFields, type EncryptionStore, type StoredText } from '../encryption-store';
import type { SqliteDatabase } from './database';

interface TextStatements {
  list: Database.Statement<[], { id: string; value: string }>;
  replace: Database.Statement<[string, string, string]>;
  anyWithout: Database.Statement<[{ prefix: string }], { yes: number }>;
}

/** The key check and the walk over stored secrets, in the SQLite database of the other stores. */
export class SqliteEncryptionStore implements EncryptionStore {
  private readonly stmt;
  private readonly texts: Readonly<Record<StoredText['field'], TextStatements>>;

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
           OR EXISTS (SELECT 1 FROM workshops)
           OR EXISTS (SELECT 1 FROM doc_updates) OR EXISTS (SELECT 1 FROM doc_snapshots) AS yes`,
      ),
      docNames: db.prepare<[], { doc_name: string }>(
        'SELECT doc_name FROM doc_snapshots UNION SELECT doc_name FROM doc_updates ORDER BY doc_name',
      ),
    };
    // Table and column names come from `storedTextColumns`, never from input.
    this.texts = Object.fromEntries(
      storedTextFields.map((field) => {
        const { table, column } = storedTextColumns[field];
        const statements: TextStatements = {
          list: db.prepare(`SELECT id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL ORDER BY id`),
          replace: db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ? AND ${column} = ?`),
          anyWithout: db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE substr(${column}, 1, length(@prefix)) <> @prefix) AS yes`),
        };
        return [field, statements];
      }),
    ) as Record<StoredText['field'], TextStatements>;
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
    return storedTextFields.flatMap((field) => this.texts[field].list.all().map((row): StoredText => ({ field, ...row })));
  }

  async hasPlainText(sealedPrefix: string): Promise<boolean> {
    return storedTextFields.some((field) => this.texts[field].anyWithout.get({ prefix: sealedPrefix })?.yes === 1);
  }

  async replaceText(text: StoredText, to: string): Promise<boolean> {
    return this.texts[text.field].replace.run(to, text.id, text.value).changes === 1;
  }
}
