import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateRoomResponse, JoinRoomResponse, RoomView } from '@parley/shared/protocol/http';
import type { RoomWorkshopView, WorkshopState } from '@parley/shared/protocol/workshop';
import { loadConfig } from '@parley/server/config';
import { dataKeyMessages } from '@parley/server/store/encrypted/key-check';
import { rotateKey } from '@parley/server/tools/rotate-key';
import { http } from '../helpers/api';
import { until } from '../helpers/clients';
import { DATABASE_URL } from '../helpers/cluster';
import { joinAs, type PartnerSession } from '../helpers/partner';
import { freePort, startServer, type TestServer } from '../helpers/server';
import { connectFacilitator, createWorkshop, workshopPair } from '../helpers/workshop';

/**
 * Issue 8 "DATA_KEY at-rest encryption": with a key, no canary is stored in plain text;
 * a wrong or missing key stops start-up with one clear line and changes nothing; a key
 * rotation (DATA_KEY_PREVIOUS + `npm run rotate-key`) leaves everything readable by the new
 * key alone. Real servers, real clients, real SQLite files and Postgres tables.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const newKey = (): string => randomBytes(32).toString('base64');
const newCanary = (): string => `CANARY${randomBytes(4).toString('hex')}`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const later = (fn: () => unknown) => cleanups.push(fn);
/** Tests that spawn `node --import tsx` or `npm` need more than the default 30 s on a busy CI machine. */
const SPAWNING = { timeout: 90_000 };

interface Written {
  canary: string;
  roomId: string;
  a: { id: string; token: string };
  b: { id: string; token: string };
  workshop: WrittenWorkshop;
}

interface WrittenWorkshop {
  workshopId: string;
  facilitatorToken: string;
  pair: Awaited<ReturnType<typeof workshopPair>>;
}

/** A facilitator with a canary title and name broadcasts a canary message to a pair with canary names. */
async function writeWorkshopCanaries(server: TestServer, canary: string): Promise<WrittenWorkshop> {
  const workshop = await createWorkshop(server.url, { title: `${canary}-WS-TITLE`, facilitatorName: `${canary}-FACILITATOR` });
  const pair = await workshopPair(server.url, workshop.joinCode, [`${canary}-PAIR-A`, `${canary}-PAIR-B`]);
  const facilitator = await connectFacilitator(server.url, workshop.workshopId, workshop.facilitator.token);
  try {
    // Acknowledged means stored: the service writes the message before it tells the pairs.
    expect(await facilitator.send('workshop:broadcast', { message: `${canary}-BROADCAST` })).toEqual({ ok: true });
  } finally {
    facilitator.close();
  }
  return { workshopId: workshop.workshopId, facilitatorToken: workshop.facilitator.token, pair };
}

/**
 * Partners write canary names, a title, answers, private notes and shared notes, and reveal a
 * section; a workshop holds a canary title, facilitator name, broadcast and pair names.
 */
async function writeCanaries(server: TestServer, canary: string): Promise<Written> {
  const created = await http<CreateRoomResponse>(server.url, 'POST', '/api/rooms', {
    body: { displayName: `${canary}-NAME-A`, title: `${canary}-TITLE` },
  });
  expect(created.status).toBe(201);
  const { roomId } = created.body;
  const joined = await http<JoinRoomResponse>(server.url, 'POST', `/api/rooms/${roomId}/join`, {
    body: { inviteToken: created.body.invite.token, displayName: `${canary}-NAME-B` },
  });
  expect(joined.status).toBe(201);
  const workshop = await writeWorkshopCanaries(server, canary);
  const written = { canary, roomId, a: created.body.participant, b: joined.body.participant, workshop };

  const a = await joinAs(server, roomId, written.a);
  const b = await joinAs(server, roomId, written.b);
  try {
    a.answer('arrival_feeling', { text: `${canary}-ANSWER-A` });
    b.answer('arrival_feeling', { text: `${canary}-ANSWER-B` });
    a.answer('impact_hand', { giving: 'yes', note: `${canary}-NOTE-A` });
    a.note('arrival', `${canary}-PRIVATE-A`);
    b.shared.doc.getText('notes').insert(0, `${canary}-SHARED`);
    // Relayed means stored (durability before relay).
    await until(() => a.shared.doc.getText('notes').toString() === `${canary}-SHARED`, 5_000, 'shared notes relayed');
    expect(await a.control.send('section:ready', { sectionId: 'arrival', ready: true })).toEqual({ ok: true });
    expect(await b.control.send('section:ready', { sectionId: 'arrival', ready: true })).toEqual({ ok: true });
    await until(() => b.revealed('arrival') !== undefined, 5_000, 'arrival revealed');
  } finally {
    a.close();
    b.close();
  }
  return written;
}

/** What the partners wrote is all there after a restart. */
async function expectEverythingBack(server: TestServer, w: Written, extraShared = ''): Promise<void> {
  const view = await http<RoomView>(server.url, 'GET', `/api/rooms/${w.roomId}`, { token: w.a.token });
  expect(view.status).toBe(200);
  expect(view.body.title).toBe(`${w.canary}-TITLE`);
  expect(view.body.me.displayName).toBe(`${w.canary}-NAME-A`);
  expect(view.body.partner?.displayName).toBe(`${w.canary}-NAME-B`);
  expect(view.body.sections.find((s) => s.id === 'arrival')).toMatchObject({ state: 'revealed' });

  const sessions: PartnerSession[] = [];
  try {
    const a = await joinAs(server, w.roomId, w.a);
    sessions.push(a);
    const b = await joinAs(server, w.roomId, w.b);
    sessions.push(b);
    const answers = a.private.doc.getMap('answers');
    expect(answers.get('arrival_feeling')).toMatchObject({ text: `${w.canary}-ANSWER-A` });
    expect(answers.get('impact_hand')).toMatchObject({ giving: 'yes', note: `${w.canary}-NOTE-A` });
    expect(a.private.doc.getMap('privateNotes').get('arrival')).toBe(`${w.canary}-PRIVATE-A`);
    expect(b.private.doc.getMap('answers').get('arrival_feeling')).toMatchObject({ text: `${w.canary}-ANSWER-B` });
    expect(b.shared.doc.getText('notes').toString()).toBe(`${extraShared}${w.canary}-SHARED`);
    const revealed = b.revealed('arrival');
    expect(revealed?.a.arrival_feeling).toMatchObject({ text: `${w.canary}-ANSWER-A` });
    expect(revealed?.b.arrival_feeling).toMatchObject({ text: `${w.canary}-ANSWER-B` });
  } finally {
    for (const s of sessions) s.close();
  }
  await expectWorkshopBack(server, w);
}

/** The workshop's title, facilitator name, message and pair names are all there after a restart. */
async function expectWorkshopBack(server: TestServer, w: Written): Promise<void> {
  const { workshopId, facilitatorToken, pair } = w.workshop;
  const dashboard = await http<WorkshopState>(server.url, 'GET', `/api/workshops/${workshopId}`, { token: facilitatorToken });
  expect(dashboard.status).toBe(200);
  expect(dashboard.body).toMatchObject({
    title: `${w.canary}-WS-TITLE`,
    facilitatorName: `${w.canary}-FACILITATOR`,
    message: { message: `${w.canary}-BROADCAST` },
  });
  expect(dashboard.body.pairs.map((p) => p.names)).toEqual([{ a: `${w.canary}-PAIR-A`, b: `${w.canary}-PAIR-B` }]);
  const view = await http<{ workshop: RoomWorkshopView }>(server.url, 'GET', `/api/rooms/${pair.roomId}/workshop`, { token: pair.b.token });
  expect(view.status).toBe(200);
  expect(view.body.workshop).toMatchObject({ title: `${w.canary}-WS-TITLE`, message: { message: `${w.canary}-BROADCAST` } });
}

/** Every file under the data dir (parley.db, -wal, -shm …), as raw bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), fs.readFileSync(file));
  }
  return files;
}

/** Names of the files holding the needle, in UTF-8 or UTF-16. */
function filesContaining(dir: string, needle: string): string[] {
  const forms = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  return [...filesUnder(dir)].filter(([, bytes]) => forms.some((form) => bytes.includes(form))).map(([name]) => name);
}

const fileHashes = (dir: string): Record<string, string> =>
  Object.fromEntries([...filesUnder(dir)].map(([name, bytes]) => [name, createHash('sha256').update(bytes).digest('hex')]));

/** The message a start-up failed with (a start that succeeds is closed and fails the test). */
async function startupError(start: Promise<TestServer>): Promise<string> {
  try {
    const server = await start;
    await server.close();
    return 'started';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Runs a command to its end; resolves with its exit code and output. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('DATA_KEY at rest (SQLite)', () => {
  it('EK1 without DATA_KEY the canaries are on disk (control: the search below finds them)', async () => {
    const server = await startServer();
    later(() => server.close());
    const canary = newCanary();
    await writeCanaries(server, canary);
    await server.close();
    expect(filesContaining(server.dataDir, canary)).toContain('parley.db');
    for (const workshopText of ['WS-TITLE', 'FACILITATOR', 'BROADCAST', 'PAIR-A']) {
      expect(filesContaining(server.dataDir, `${canary}-${workshopText}`), workshopText).toContain('parley.db');
    }
  });

  it('EK2 with DATA_KEY no canary is in parley.db, -wal or -shm, while running or after; the same key reads everything back', async () => {
    const key = newKey();
    const server = await startServer({ env: { DATA_KEY: key } });
    later(() => server.close());
    const w = await writeCanaries(server, newCanary());
    // while running: the WAL holds the recent commits
    const live = filesUnder(server.dataDir);
    expect([...live.keys()]).toEqual(expect.arrayContaining(['parley.db', 'parley.db-wal']));
    expect(live.get('parley.db-wal')?.length ?? 0).toBeGreaterThan(0);
    expect(filesContaining(server.dataDir, w.canary)).toEqual([]);
    await server.close();
    expect(filesContaining(server.dataDir, w.canary)).toEqual([]);

    const again = await startServer({ dataDir: server.dataDir, env: { DATA_KEY: key } });
    later(() => again.close());
    await expectEverythingBack(again, w);
    await again.close();
    expect(filesContaining(server.dataDir, w.canary)).toEqual([]);
  });

  it('EK3 a wrong key or no key stops start-up with one clear line and leaves every file unchanged', SPAWNING, async () => {
    const key = newKey();
    const server = await startServer({ env: { DATA_KEY: key } });
    later(() => server.close());
    const w = await writeCanaries(server, newCanary());
    await server.close();
    const before = fileHashes(server.dataDir);
    expect(Object.keys(before)).toContain('parley.db');

    expect(await startupError(startServer({ dataDir: server.dataDir, env: { DATA_KEY: newKey() } }))).toBe(dataKeyMessages.mismatch);
    expect(fileHashes(server.dataDir)).toEqual(before);
    expect(await startupError(startServer({ dataDir: server.dataDir, env: { DATA_KEY: newKey(), DATA_KEY_PREVIOUS: newKey() } }))).toBe(dataKeyMessages.mismatchEither);
    expect(await startupError(startServer({ dataDir: server.dataDir }))).toBe(dataKeyMessages.missing);
    expect(fileHashes(server.dataDir)).toEqual(before);

    // The real process: exit code 1 and exactly one line on stderr, naming DATA_KEY.
    const port = await freePort();
    const proc = await run(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/server.ts')], {
      PORT: String(port),
      DATA_DIR: server.dataDir,
      DATA_KEY: newKey(),
    });
    expect(proc.code).toBe(1);
    expect(proc.stderr).toBe(`${dataKeyMessages.mismatch}\n`);
    expect(fileHashes(server.dataDir)).toEqual(before);

    // and nothing was lost: the right key still reads everything
    const again = await startServer({ dataDir: server.dataDir, env: { DATA_KEY: key } });
    later(() => again.close());
    await expectEverythingBack(again, w);
  });

  it('EK4 a key on unencrypted data is refused until `npm run rotate-key` encrypts it', SPAWNING, async () => {
    const plain = await startServer();
    later(() => plain.close());
    const w = await writeCanaries(plain, newCanary());
    await plain.close();
    const key = newKey();
    const before = fileHashes(plain.dataDir);
    expect(await startupError(startServer({ dataDir: plain.dataDir, env: { DATA_KEY: key } }))).toBe(dataKeyMessages.plaintext);
    expect(fileHashes(plain.dataDir)).toEqual(before);

    const encrypt = await run('npm', ['run', '--silent', 'rotate-key'], { DATA_DIR: plain.dataDir, DATA_KEY: key });
    expect(encrypt.stderr).toBe('');
    expect(encrypt.code).toBe(0);
    expect(encrypt.stdout).toContain('done: the data is now encrypted with DATA_KEY');
    expect(filesContaining(plain.dataDir, w.canary)).toEqual([]);

    const encrypted = await startServer({ dataDir: plain.dataDir, env: { DATA_KEY: key } });
    later(() => encrypted.close());
    await expectEverythingBack(encrypted, w);
  });

  it('EK5 rotation: A → B with DATA_KEY_PREVIOUS=A while serving, `npm run rotate-key`, then B alone reads everything', SPAWNING, async () => {
    const keyA = newKey();
    const keyB = newKey();
    const first = await startServer({ env: { DATA_KEY: keyA } });
    later(() => first.close());
    const w = await writeCanaries(first, newCanary());
    await first.close();

    // Restarted with the new key; it reads A's data and writes with B.
    const rotating = await startServer({ dataDir: first.dataDir, env: { DATA_KEY: keyB, DATA_KEY_PREVIOUS: keyA } });
    later(() => rotating.close());
    const a = await joinAs(rotating, w.roomId, w.a);
    later(() => a.close());
    expect(a.shared.doc.getText('notes').toString()).toBe(`${w.canary}-SHARED`);
    a.shared.doc.getText('notes').insert(0, `${w.canary}-DURING `);
    await new Promise((r) => setTimeout(r, 100));

    // The command runs next to the serving node.
    const rotation = await run('npm', ['run', '--silent', 'rotate-key'], { DATA_DIR: first.dataDir, DATA_KEY: keyB, DATA_KEY_PREVIOUS: keyA });
    expect(rotation.stderr).toBe('');
    expect(rotation.code).toBe(0);
    expect(rotation.stdout).toContain('DATA_KEY_PREVIOUS can be removed');
    a.close();
    await rotating.close();
    expect(filesContaining(first.dataDir, w.canary)).toEqual([]);

    expect(await startupError(startServer({ dataDir: first.dataDir, env: { DATA_KEY: keyA } }))).toBe(dataKeyMessages.mismatch);
    const onlyB = await startServer({ dataDir: first.dataDir, env: { DATA_KEY: keyB } });
    later(() => onlyB.close());
    await expectEverythingBack(onlyB, w, `${w.canary}-DURING `);
  });
});

describe('DATA_KEY at rest (Postgres)', () => {
  async function freshSchema(): Promise<string> {
    const schema = `t_${randomBytes(8).toString('hex')}`;
    later(async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });
    return schema;
  }

  async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** `table.column` of every text and bytea column of the schema that holds the needle. */
  const columnsContaining = (schema: string, needle: string): Promise<string[]> =>
    withClient(async (client) => {
      const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND data_type IN ('text', 'bytea')`,
        [schema],
      );
      expect(columns.length).toBeGreaterThan(10);
      const found: string[] = [];
      for (const { table_name, column_name, data_type } of columns) {
        const { rowCount } = await client.query(
          `SELECT 1 FROM "${schema}"."${table_name}" WHERE position($1::${data_type} IN "${column_name}") > 0`,
          [data_type === 'bytea' ? Buffer.from(needle) : needle],
        );
        if (rowCount) found.push(`${table_name}.${column_name}`);
      }
      return found.sort();
    });

  /** A digest of every row of every table of the schema. */
  const schemaDigest = (schema: string): Promise<Record<string, string>> =>
    withClient(async (client) => {
      const { rows: tables } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
        [schema],
      );
      const digest: Record<string, string> = {};
      for (const { table_name } of tables) {
        const { rows } = await client.query<{ h: string }>(
          `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${schema}"."${table_name}" t`,
        );
        digest[table_name] = rows[0]!.h;
      }
      return digest;
    });

  it('EK6 no canary in any table; wrong or missing key refused with tables unchanged; rotation A → B; B alone reads everything', SPAWNING, async () => {
    const schema = await freshSchema();
    const keyA = newKey();
    const keyB = newKey();
    const start = (env: Record<string, string>) => startServer({ env: { DATABASE_URL, ...env }, build: { pgSchema: schema } });

    // Control first: the search finds what a keyless server stores.
    const plainSchema = await freshSchema();
    const plain = await startServer({ env: { DATABASE_URL }, build: { pgSchema: plainSchema } });
    later(() => plain.close());
    const plainCanary = newCanary();
    await writeCanaries(plain, plainCanary);
    await plain.close();
    const plainColumns = await columnsContaining(plainSchema, plainCanary);
    expect(plainColumns).toEqual(
      expect.arrayContaining(['participants.display_name', 'rooms.title', 'workshops.title', 'workshops.facilitator_name', 'workshops.message']),
    );
    expect(plainColumns.some((column) => column.startsWith('doc_'))).toBe(true);

    const first = await start({ DATA_KEY: keyA });
    later(() => first.close());
    const w = await writeCanaries(first, newCanary());
    expect(await columnsContaining(schema, w.canary)).toEqual([]);
    await first.close();
    expect(await columnsContaining(schema, w.canary)).toEqual([]);

    const before = await schemaDigest(schema);
    expect(await startupError(start({ DATA_KEY: keyB }))).toBe(dataKeyMessages.mismatch);
    expect(await startupError(start({}))).toBe(dataKeyMessages.missing);
    expect(await schemaDigest(schema)).toEqual(before);

    const again = await start({ DATA_KEY: keyA });
    later(() => again.close());
    await expectEverythingBack(again, w);
    await again.close();

    // Rotation while a node serves with B (A as previous).
    const rotating = await start({ DATA_KEY: keyB, DATA_KEY_PREVIOUS: keyA });
    later(() => rotating.close());
    const report = await rotateKey(loadConfig({ DATABASE_URL, DATA_KEY: keyB, DATA_KEY_PREVIOUS: keyA, LOG_LEVEL: 'warn' }), { pgSchema: schema });
    // room title, 2 names, 2 pair names, workshop title, facilitator name, message
    expect(report).toMatchObject({ mode: 'rotate', texts: 8, textsRewritten: 8 });
    expect(report.docsRewritten).toBeGreaterThanOrEqual(3);
    await rotating.close();
    expect(await columnsContaining(schema, w.canary)).toEqual([]);

    expect(await startupError(start({ DATA_KEY: keyA }))).toBe(dataKeyMessages.mismatch);
    const onlyB = await start({ DATA_KEY: keyB });
    later(() => onlyB.close());
    await expectEverythingBack(onlyB, w);
  });
});
