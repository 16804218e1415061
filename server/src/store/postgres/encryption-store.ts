import type { EncryptionStore, StoredText } from '../encryption-store';
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
    const { rows: titles } = await this.database.pool.query<{ id: string; value: string }>(
      'SELECT id, title AS value FROM rooms WHERE title IS NOT NULL ORDER BY id COLLATE "C"',
    );
    const { rows: names } = await this.database.pool.query<{ id: string; value: string }>(
      'SELECT id, display_name AS value FROM participants ORDER BY id COLLATE "C"',
    );
    return [
      ...titles.map((row): StoredText => ({ field: 'room.title', ...row })),
      ...names.map((row): StoredText => ({ field: 'participant.displayName', ...row })),
    ];
  }

  async replaceText(text: StoredText, to: string): Promise<boolean> {
    const sql =
      text.field === 'room.title'
        ? 'UPDATE rooms SET title = $1 WHERE id = $2 AND title = $3'
        : 'UPDATE participants SET display_name = $1 WHERE id = $2 AND display_name = $3';
    const { rowCount } = await this.database.pool.query(sql, [to, text.id, text.value]);
    return rowCount === 1;
  }
}
