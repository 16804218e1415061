import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Store tests run against the machine's PostgreSQL; every test gets its own schema, dropped afterwards. */
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const freshSchema = (): string => `t_${randomBytes(8).toString('hex')}`;

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
