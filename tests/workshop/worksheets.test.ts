import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoomView } from '@parley/shared/protocol/http';
import type { CreateWorkshopResponse } from '@parley/shared/protocol/workshop';
import { firstConversationTemplate } from '@parley/shared/template/builtin/first-conversation';
import { defaultTemplate } from '@parley/shared/template/default';
import { TEMPLATE_LIMITS, type Template } from '@parley/shared/template/schema';
import { http } from '../helpers/api';
import { until } from '../helpers/clients';
import { DATABASE_URL } from '../helpers/cluster';
import { closeAfterEach, useServer } from '../helpers/fixtures';
import { joinAs } from '../helpers/partner';
import { dropSchema, freshSchema } from '../helpers/pg-schema';
import { startServer, tempDir } from '../helpers/server';
import { joinWorkshop, workshopPair } from '../helpers/workshop';
import { loadConfig } from '@parley/server/config';
import { rotateKey } from '@parley/server/tools/rotate-key';

/**
 * Issue 14 "Their own worksheet": a facilitator builds a workshop's worksheet from a built-in one,
 * saves versions of it, exports and imports it as JSON; rooms keep the version they were made
 * with; bad input gets a 400 naming the first wrong path. On both durable stores.
 */

const copy = (t: Template): Template => JSON.parse(JSON.stringify(t)) as Template;

/** First conversation, reordered, one item removed, an activity added and guidance edited. */
function customWorksheet(): Template {
  const t = copy(firstConversationTemplate);
  const [arrival, draws, ...rest] = t.sections;
  draws!.items = draws!.items.filter((i) => i.id !== 'draws_verbal');
  draws!.items.push({ id: 'draws_rope_basics', type: 'dual_rating', label: 'A rope basics class together', experience: true, note: true });
  draws!.why = 'Our workshop’s own words: broad strokes first.';
  t.guidance.primer = ['Our primer: go gently.', ...t.guidance.primer];
  t.guidance.revealReminder = 'Our reminder: listen before answering.';
  t.sections = [draws!, arrival!, ...rest];
  t.title = 'Rope night';
  return t;
}

const stripIdentity = (t: Template) => ({ ...t, id: undefined, version: undefined });

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`a workshop's own worksheet (${store})`, () => {
    const schema = freshSchema();
    // Registered before the server's: afterAll hooks run in reverse, so the schema goes after the pool closed.
    if (store === 'postgres') afterAll(() => dropSchema(schema));
    const server = useServer(store === 'postgres' ? { env: { DATABASE_URL }, build: { pgSchema: schema } } : {});
    const close = closeAfterEach();

    const create = (template: unknown) =>
      http<CreateWorkshopResponse>(server.url, 'POST', '/api/workshops', { body: { title: 'Rope night', facilitatorName: 'Robin', template } });
    const getTemplate = (w: CreateWorkshopResponse) => http<Template>(server.url, 'GET', `/api/workshops/${w.workshopId}/template`, { token: w.facilitator.token });
    const putTemplate = (w: CreateWorkshopResponse, body: unknown) =>
      http<{ id: string; version: number }>(server.url, 'PUT', `/api/workshops/${w.workshopId}/template`, { token: w.facilitator.token, body });
    const roomTemplate = (roomId: string, token: string) => http<Template>(server.url, 'GET', `/api/rooms/${roomId}/template`, { token });
    const roomView = (roomId: string, token: string) => http<RoomView>(server.url, 'GET', `/api/rooms/${roomId}`, { token });

    it('WT1 a workshop made with a custom worksheet gives its pairs exactly that worksheet, to them and its facilitator only', async () => {
      const created = await create(customWorksheet());
      expect(created.status).toBe(201);
      const saved = await getTemplate(created.body);
      expect(saved.status).toBe(200);
      expect(saved.body.id).toMatch(/^w-[0-9a-f]{24}$/);
      expect(saved.body.version).toBe(1);
      expect(stripIdentity(saved.body)).toEqual(stripIdentity(customWorksheet()));

      const pair = await workshopPair(server.url, (await http<{ joinCode: string }>(server.url, 'GET', `/api/workshops/${created.body.workshopId}`, { token: created.body.facilitator.token })).body.joinCode, ['Ana', 'Ben']);
      const view = await roomView(pair.roomId, pair.a.token);
      expect(view.body.template).toEqual({ id: saved.body.id, version: 1 });
      expect(view.body.sections.map((s) => s.id)).toEqual(customWorksheet().sections.map((s) => s.id));
      for (const who of [pair.a, pair.b]) {
        const fetched = await roomTemplate(pair.roomId, who.token);
        expect(fetched.status).toBe(200);
        expect(fetched.body).toEqual(saved.body);
      }

      // Not a built-in: not listed, not served by id, not to another room or another facilitator.
      expect((await http<{ templates: { id: string }[] }>(server.url, 'GET', '/api/templates')).body.templates.map((t) => t.id)).toEqual([
        'default',
        'first-conversation',
        'remote-play',
        'after-scene',
      ]);
      expect((await http(server.url, 'GET', `/api/templates/${saved.body.id}`)).status).toBe(404);
      const other = await create('default');
      const stranger = await joinWorkshop(server.url, (await http<{ joinCode: string }>(server.url, 'GET', `/api/workshops/${other.body.workshopId}`, { token: other.body.facilitator.token })).body.joinCode, 'Cy');
      expect((await roomTemplate(pair.roomId, stranger.participant.token)).status).toBe(401);
      expect((await roomTemplate(pair.roomId, created.body.facilitator.token)).status).toBe(401);
      expect((await http(server.url, 'GET', `/api/workshops/${created.body.workshopId}/template`, { token: other.body.facilitator.token })).status).toBe(401);
      expect((await http(server.url, 'GET', `/api/workshops/${created.body.workshopId}/template`)).status).toBe(401);
      // A partners' room may pick a built-in, never a workshop's worksheet.
      const taken = await http(server.url, 'POST', '/api/rooms', { body: { displayName: 'Dee', template: saved.body.id } });
      expect(taken.status).toBe(400);
      const picked = await http<{ roomId: string; participant: { token: string } }>(server.url, 'POST', '/api/rooms', { body: { displayName: 'Dee', template: 'after-scene' } });
      expect(picked.status).toBe(201);
      expect((await roomTemplate(picked.body.roomId, picked.body.participant.token)).body.title).toBe('After a scene');
    });

    it('WT2 an edit is a new version: rooms made before keep theirs (view, template, reveal, agreement), new pairs get the new one', async () => {
      const created = await create('default');
      const joinCode = (await http<{ joinCode: string }>(server.url, 'GET', `/api/workshops/${created.body.workshopId}`, { token: created.body.facilitator.token })).body.joinCode;
      const before = await workshopPair(server.url, joinCode, ['Ana', 'Ben']);

      const first = await putTemplate(created.body, customWorksheet());
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ id: expect.stringMatching(/^w-/), version: 1 });
      const middle = await workshopPair(server.url, joinCode, ['Cy', 'Dee']);
      const edited = customWorksheet();
      edited.sections = edited.sections.filter((s) => s.id !== 'arrival');
      edited.sections[0]!.why = 'Version two.';
      const second = await putTemplate(created.body, edited);
      expect(second.body).toEqual({ id: first.body.id, version: 2 });
      const after = await joinWorkshop(server.url, joinCode, 'Eve');

      expect((await roomView(before.roomId, before.a.token)).body.template).toEqual({ id: 'default', version: defaultTemplate.version });
      expect((await roomTemplate(before.roomId, before.a.token)).body).toEqual(JSON.parse(JSON.stringify(defaultTemplate)));
      expect((await roomView(middle.roomId, middle.a.token)).body.template).toEqual({ id: first.body.id, version: 1 });
      const middleTemplate = (await roomTemplate(middle.roomId, middle.b.token)).body;
      expect(middleTemplate.sections.map((s) => s.id)).toContain('arrival');
      expect(middleTemplate.sections[0]?.why).toBe('Our workshop’s own words: broad strokes first.');
      expect((await roomView(after.roomId, after.participant.token)).body.template).toEqual({ id: first.body.id, version: 2 });
      expect((await roomTemplate(after.roomId, after.participant.token)).body.sections[0]?.why).toBe('Version two.');
      expect((await getTemplate(created.body)).body.version).toBe(2);

      // The middle room reveals a section that version 2 no longer has, on version 1's items.
      const a = close(await joinAs(server, middle.roomId, middle.a));
      const b = close(await joinAs(server, middle.roomId, middle.b));
      a.answer('arrival_talk_only', { choice: 'talk_only' });
      b.answer('arrival_talk_only', { choice: 'not_sure' });
      await Promise.all([a.private.stored(), b.private.stored()]);
      for (const p of [a, b]) expect((await p.control.send('section:ready', { sectionId: 'arrival', ready: true })).ok).toBe(true);
      await until(() => a.revealed('arrival') !== undefined, 5000, 'the reveal of arrival');
      expect(JSON.stringify(a.revealed('arrival'))).toContain('talk_only');
      const agreement = await http<{ templateId: string; templateVersion: number }>(server.url, 'GET', `/api/rooms/${middle.roomId}/agreement?format=json`, { token: middle.a.token });
      expect(agreement.status).toBe(200);
      expect(agreement.body).toMatchObject({ templateId: first.body.id, templateVersion: 1 });
      expect(agreement.text).toContain('Arriving');
    });

    it('WT3 export then import: the JSON of one workshop makes another workshop’s worksheet, as its own version 1', async () => {
      const source = await create(customWorksheet());
      const exported = (await getTemplate(source.body)).body;
      const json = JSON.stringify(exported);
      const imported = await create(JSON.parse(json));
      expect(imported.status).toBe(201);
      const theirs = (await getTemplate(imported.body)).body;
      expect(theirs.id).not.toBe(exported.id);
      expect(theirs.version).toBe(1);
      expect(stripIdentity(theirs)).toEqual(stripIdentity(exported));
      // Importing into a running workshop is a save: the next version.
      const again = await putTemplate(imported.body, JSON.parse(json));
      expect(again.body).toEqual({ id: theirs.id, version: 2 });
    });

    it('WT4 bad input: a 400 naming the first wrong path, caps (413 past the body cap), and nothing saved', async () => {
      const created = await create(customWorksheet());
      const bogus = copy(defaultTemplate) as unknown as { sections: { items: { type: string }[] }[] };
      bogus.sections[3]!.items[7]!.type = 'bogus';
      const put = await putTemplate(created.body, bogus);
      expect(put.status).toBe(400);
      expect(put.body).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('template.sections[3].items[7].type') } });
      const post = await create(bogus);
      expect(post.status).toBe(400);
      expect(post.text).toContain('body.template.sections[3].items[7].type');

      const control = copy(customWorksheet());
      (control.sections[1]!.items[0] as { label: string }).label = 'ring\u0007bell';
      expect((await putTemplate(created.body, control)).text).toContain('sections[1].items[0].label: must not contain control characters');
      const answers = { ...copy(customWorksheet()), answers: { draws_impact: { giving: 'yes' } } };
      expect((await putTemplate(created.body, answers)).text).toContain('unknown field(s): answers');
      const long = copy(customWorksheet());
      (long.sections[0] as { why: string }).why = 'x'.repeat(TEMPLATE_LIMITS.help + 1);
      expect((await putTemplate(created.body, long)).text).toContain(`sections[0].why: at most ${TEMPLATE_LIMITS.help} characters`);
      expect((await create('no-such-template')).status).toBe(400);

      const huge = copy(customWorksheet());
      huge.description = 'x'.repeat(TEMPLATE_LIMITS.bodyBytes);
      const tooBig = await putTemplate(created.body, huge);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body).toMatchObject({ error: { code: 'payload_too_large' } });
      expect((await getTemplate(created.body)).body.version).toBe(1);
    });

    it('WT5 the stored worksheet holds the facilitator’s text only, never an answer given in its rooms', async () => {
      const created = await create(customWorksheet());
      const joinCode = (await http<{ joinCode: string }>(server.url, 'GET', `/api/workshops/${created.body.workshopId}`, { token: created.body.facilitator.token })).body.joinCode;
      const pair = await workshopPair(server.url, joinCode, ['Ana', 'Ben']);
      const canary = `CANARY${randomBytes(4).toString('hex')}`;
      const a = close(await joinAs(server, pair.roomId, pair.a));
      a.answer('draws_in_words', { text: canary });
      a.answer('draws_rope_basics', { giving: 'yes', receiving: 'curious', note: canary });
      await a.private.stored();
      expect((await putTemplate(created.body, (await getTemplate(created.body)).body)).status).toBe(201);
      expect((await getTemplate(created.body)).text).not.toContain(canary);
      expect((await roomTemplate(pair.roomId, pair.a.token)).text).not.toContain(canary);
      const rows = store === 'sqlite' ? sqliteRows(server.dataDir) : await postgresRows(schema);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) expect(row).not.toContain(canary);
    });

    // The cap is the catalog's, the same on either store: once is enough.
    if (store === 'sqlite') it('WT7 a workshop keeps at most 100 versions of its worksheet; the next save is refused and changes nothing', async () => {
      const created = await create(firstConversationTemplate);
      const small = copy(firstConversationTemplate);
      for (let v = 2; v <= 100; v++) expect((await putTemplate(created.body, small)).status).toBe(201);
      const refused = await putTemplate(created.body, small);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('100 versions') } });
      expect((await getTemplate(created.body)).body.version).toBe(100);
    });
  });
}

describe('a workshop’s own worksheet at rest (DATA_KEY)', () => {
  it('WT6 is stored sealed, served in the clear, and re-encrypted by a key rotation', async () => {
    const [keyA, keyB] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const canary = `CANARY${randomBytes(4).toString('hex')}`;
    const dataDir = tempDir();
    const first = await startServer({ dataDir, env: { DATA_KEY: keyA } });
    let created: CreateWorkshopResponse;
    try {
      const worksheet = { ...customWorksheet(), title: `${canary} title` };
      const res = await http<CreateWorkshopResponse>(first.url, 'POST', '/api/workshops', { body: { title: 'Rope night', facilitatorName: 'Robin', template: worksheet } });
      created = res.body;
      expect((await http<Template>(first.url, 'GET', `/api/workshops/${created.workshopId}/template`, { token: created.facilitator.token })).body.title).toBe(`${canary} title`);
    } finally {
      await first.close();
    }
    const bytes = () => ['parley.db', 'parley.db-wal'].map((f) => path.join(dataDir, f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('');
    expect(bytes()).not.toContain(canary);
    expect(sqliteRows(dataDir)).toHaveLength(1);

    const report = await rotateKey(loadConfig({ DATA_DIR: dataDir, DATA_KEY: keyB, DATA_KEY_PREVIOUS: keyA, LOG_LEVEL: 'warn' }));
    // workshop title, facilitator name, the worksheet's body
    expect(report).toMatchObject({ mode: 'rotate', texts: 3, textsRewritten: 3 });
    const second = await startServer({ dataDir, env: { DATA_KEY: keyB } });
    try {
      expect((await http<Template>(second.url, 'GET', `/api/workshops/${created.workshopId}/template`, { token: created.facilitator.token })).body.title).toBe(`${canary} title`);
    } finally {
      await second.close();
    }
  });
});

function sqliteRows(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'parley.db'), { readonly: true });
  try {
    return db.prepare<[], { body: string }>('SELECT body FROM workshop_templates').all().map((r) => r.body);
  } finally {
    db.close();
  }
}

async function postgresRows(schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<{ body: string }>(`SELECT body FROM "${schema}".workshop_templates`)).rows.map((r) => r.body);
  } finally {
    await client.end();
  }
}
