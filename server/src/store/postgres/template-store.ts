import { templateKey, type TemplateRecord, type TemplateStore } from '../template-store';
import type { PostgresDatabase } from './database';

interface TemplateRow {
  template_id: string;
  version: number;
  workshop_id: string;
  body: string;
  /** BIGINT arrives as a string */
  created_at: string;
}

/** A workshop's own templates in Postgres, sharing the pool of the workshop store. */
export class PostgresTemplateStore implements TemplateStore {
  constructor(private readonly database: PostgresDatabase) {}

  async addTemplateVersion(r: TemplateRecord): Promise<'ok' | 'exists'> {
    return this.database.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO workshop_templates (id, template_id, version, workshop_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [templateKey(r.templateId, r.version), r.templateId, r.version, r.workshopId, r.body, r.createdAt],
      );
      if (inserted.rowCount === 0) return 'exists';
      await client.query('UPDATE workshops SET template_id = $1, template_version = $2 WHERE id = $3', [r.templateId, r.version, r.workshopId]);
      return 'ok';
    });
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null> {
    const { rows } = await this.database.pool.query<TemplateRow>('SELECT * FROM workshop_templates WHERE id = $1', [templateKey(templateId, version)]);
    const r = rows[0];
    return r ? { templateId: r.template_id, version: r.version, workshopId: r.workshop_id, body: r.body, createdAt: Number(r.created_at) } : null;
  }

  async latestTemplateVersion(templateId: string): Promise<number | null> {
    const { rows } = await this.database.pool.query<{ version: number | null }>('SELECT max(version) AS version FROM workshop_templates WHERE template_id = $1', [templateId]);
    return rows[0]?.version ?? null;
  }

  async deleteOrphanTemplates(): Promise<number> {
    const result = await this.database.pool.query(
      `DELETE FROM workshop_templates
       WHERE workshop_id NOT IN (SELECT id FROM workshops) AND template_id NOT IN (SELECT template_id FROM rooms)`,
    );
    return result.rowCount ?? 0;
  }
}
