import { templateKey, type TemplateRecord, type TemplateStore } from '../template-store';
import type { SqliteDatabase } from './database';

interface TemplateRow {
  template_id: string;
  version: number;
  workshop_id: string;
  body: string;
  created_at: number;
}

const toRecord = (r: TemplateRow): TemplateRecord => ({
  templateId: r.template_id,
  version: r.version,
  workshopId: r.workshop_id,
  body: r.body,
  createdAt: r.created_at,
});

/** A workshop's own templates in SQLite, in the same `parley.db` as the workshop store. */
export class SqliteTemplateStore implements TemplateStore {
  private readonly stmt;
  private readonly addTx;

  constructor(database: SqliteDatabase) {
    const { db } = database;
    this.stmt = {
      insert: db.prepare<[string, string, number, string, string, number]>(
        `INSERT INTO workshop_templates (id, template_id, version, workshop_id, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      point: db.prepare<[string, number, string]>('UPDATE workshops SET template_id = ?, template_version = ? WHERE id = ?'),
      select: db.prepare<[string], TemplateRow>('SELECT * FROM workshop_templates WHERE id = ?'),
      latest: db.prepare<[string], { version: number | null }>('SELECT max(version) AS version FROM workshop_templates WHERE template_id = ?'),
      deleteOrphans: db.prepare(
        `DELETE FROM workshop_templates
         WHERE workshop_id NOT IN (SELECT id FROM workshops) AND template_id NOT IN (SELECT template_id FROM rooms)`,
      ),
    };
    this.addTx = db.transaction((r: TemplateRecord): 'ok' | 'exists' => {
      const id = templateKey(r.templateId, r.version);
      if (this.stmt.insert.run(id, r.templateId, r.version, r.workshopId, r.body, r.createdAt).changes === 0) return 'exists';
      this.stmt.point.run(r.templateId, r.version, r.workshopId);
      return 'ok';
    });
  }

  async addTemplateVersion(record: TemplateRecord): Promise<'ok' | 'exists'> {
    return this.addTx.immediate(record);
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null> {
    const row = this.stmt.select.get(templateKey(templateId, version));
    return row ? toRecord(row) : null;
  }

  async latestTemplateVersion(templateId: string): Promise<number | null> {
    return this.stmt.latest.get(templateId)?.version ?? null;
  }

  async deleteOrphanTemplates(): Promise<number> {
    return this.stmt.deleteOrphans.run().changes;
  }
}
