import { storedTextColumns, storedTextFields, type EncryptionStore, type StoredText } from '../encryption-store';
import type { PostgresDatabase } from './database';

/** The key check and the walk over stored secrets, in the Postgres schema of the other stores. */
export class PostgresEncryptionStore implements EncryptionStore {
  constructor(private readonly database: PostgresDatabase) {}

  async readKeyCheck(): Promise<Uint8Array | null> {
    const { rows } = await this.database.pool.query<{ value: Buffer }>('SELECT value FROM data_key_check WHERE id = 1');
    return rows[0]?.value ?? null;
  }

  async insertKeyCheck(value: Uint8Array, at: number): Promise<boolean> {
    const { rowCount } = await this.database.pool.query(
      'INSERT INTO data_key_check (id, value, written_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING',
      [value, at],
    );
    return rowCount === 1;
  }

  async replaceKeyCheck(value: Uint8Array, at: number): Promise<void> {
    await this.database.pool.query(
      `INSERT INTO data_key_check (id, value, written_at) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET value = excluded.value, written_at = excluded.written_at`,
      [value, at],
    );
  }

  async hasContent(): Promise<boolean> {
    const { rows } = await this.database.pool.query<{ yes: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM rooms) OR EXISTS (SELECT 1 FROM participants)
         OR EXISTS (SELECT 1 FROM workshops)
         OR EXISTS (SELECT 1 FROM doc_updates) OR EXISTS (SELECT 1 FROM doc_snapshots) AS yes`,
    );
    return rows[0]?.yes === true;
  }

  async listDocNames(): Promise<string[]> {
    const { rows } = await this.database.pool.query<{ doc_name: string }>(
      `SELECT doc_name FROM (SELECT doc_name FROM doc_snapshots UNION SELECT doc_name FROM doc_updates) AS docs
       ORDER BY doc_name COLLATE "C"`,
    );
    return rows.map((row) => row.doc_name);
  }

  async listTexts(): Promise<StoredText[]> {
    const texts: StoredText[] = [];
    for (const field of storedTextFields) {
      // Table and column names come from `storedTextColumns`, never from input.
      const { table, column } = storedTextColumns[field];
      const { rows } = await this.database.pool.query<{ id: string; value: string }>(
        `SELECT id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL ORDER BY id COLLATE "C"`,
      );
      texts.push(...rows.map((row): StoredText => ({ field, ...row })));
    }
    return texts;
  }

  async hasPlainText(sealedPrefix: string): Promise<boolean> {
    const plain = storedTextFields.map((field) => {
      const { table, column } = storedTextColumns[field];
      return `EXISTS (SELECT 1 FROM ${table} WHERE left(${column}, length($1::text)) <> $1::text)`;
    });
    const { rows } = await this.database.pool.query<{ yes: boolean }>(`SELECT ${plain.join(' OR ')} AS yes`, [sealedPrefix]);
    return rows[0]?.yes === true;
  }

  async replaceText(text: StoredText, to: string): Promise<boolean> {
    const { table, column } = storedTextColumns[text.field];
    const { rowCount } = await this.database.pool.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2 AND ${column} = $3`, [to, text.id, text.value]);
    return rowCount === 1;
  }
}
