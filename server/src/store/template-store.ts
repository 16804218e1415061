/**
 * A workshop's own worksheets (issue 14): every saved version of a template a facilitator made,
 * as validated JSON. A version never changes once stored, so a room keeps the one it was made
 * with. Templates hold the facilitator's text only, never anyone's answers.
 */
export interface TemplateRecord {
  /** `w-…` (see `CUSTOM_TEMPLATE_PREFIX`), one per workshop */
  templateId: string;
  version: number;
  /** the workshop that made it (the row outlives the workshop while a room uses it) */
  workshopId: string;
  /** the template's JSON, validated by the shared schema before it was stored */
  body: string;
  createdAt: number;
}

/** The key of one stored version: what the row's `id` holds and what encryption binds the body to. */
export const templateKey = (templateId: string, version: number): string => `${templateId}@${version}`;

export interface TemplateStore {
  /**
   * Stores a new version and points the workshop at it (`workshops.template_id/version`) in one
   * transaction; `exists` when that version is already stored (a concurrent save: retry with the next).
   */
  addTemplateVersion(record: TemplateRecord): Promise<'ok' | 'exists'>;
  getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null>;
  /** The highest stored version of the template, or null. */
  latestTemplateVersion(templateId: string): Promise<number | null>;
  /** Deletes the versions of templates whose workshop is gone and that no room uses; returns how many. */
  deleteOrphanTemplates(): Promise<number>;
}
