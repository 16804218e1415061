import { randomBytes } from 'node:crypto';
import { ParleyError } from '@parley/shared/protocol/errors';
import { deepFreeze } from '@parley/shared/template/freeze';
import { CUSTOM_TEMPLATE_PREFIX, findTemplate, isCustomTemplateId } from '@parley/shared/template/registry';
import { parseTemplate, type Template } from '@parley/shared/template/schema';
import type { TemplateStore } from '../store/template-store';

/** Versions one workshop may save (each is kept while a room uses it). */
export const MAX_TEMPLATE_VERSIONS = 100;
/** Stored versions kept parsed in memory; a version never changes, so any node may cache it. */
const CACHE_SIZE = 200;

/** How services find the template a room or workshop was made with. */
export interface TemplateResolver {
  /** That version of a built-in or of a workshop's own template; `internal` if it is not stored. */
  require(id: string, version: number): Promise<Template>;
  /** The latest version of a built-in, for a room or workshop being made; `bad_request` for anything else. */
  builtin(id: string): Template;
}

/**
 * The built-in templates of the shared registry, and the workshops' own, from the store. A
 * workshop's template gets an id of its own (`w-…`) on its first save and a new version on
 * every save after that; rooms keep the version they were made with.
 */
export class TemplateCatalog implements TemplateResolver {
  private readonly cache = new Map<string, Template>();

  constructor(private readonly deps: { store: TemplateStore; now: () => number }) {}

  async require(id: string, version: number): Promise<Template> {
    const template = isCustomTemplateId(id) ? await this.stored(id, version) : findTemplate(id, version);
    if (!template) throw new ParleyError('internal', `Template ${id}@${version} is not available.`);
    return template;
  }

  builtin(id: string): Template {
    const template = isCustomTemplateId(id) ? undefined : findTemplate(id);
    if (!template) throw new ParleyError('bad_request', `Unknown template "${id}".`);
    return template;
  }

  /**
   * Saves `draft` (already validated by the shared schema) as the next version of the
   * workshop's own template and points the workshop at it. Its `id` and `version` are the
   * server's to give: a draft built from `default` or imported from another workshop becomes
   * this workshop's.
   */
  async save(workshop: { id: string; templateId: string }, draft: Template): Promise<Template> {
    const templateId = isCustomTemplateId(workshop.templateId) ? workshop.templateId : `${CUSTOM_TEMPLATE_PREFIX}${randomBytes(12).toString('hex')}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const version = ((await this.deps.store.latestTemplateVersion(templateId)) ?? 0) + 1;
      if (version > MAX_TEMPLATE_VERSIONS) {
        throw new ParleyError('forbidden', `This workshop has saved ${MAX_TEMPLATE_VERSIONS} versions of its worksheet, the most it can keep.`);
      }
      const template = deepFreeze(parseTemplate({ ...draft, id: templateId, version }));
      const body = JSON.stringify(template);
      const saved = await this.deps.store.addTemplateVersion({ templateId, version, workshopId: workshop.id, body, createdAt: this.deps.now() });
      if (saved === 'ok') {
        this.remember(templateId, version, template);
        return template;
      }
    }
    throw new ParleyError('unavailable', 'The worksheet is being saved elsewhere at the same time. Please try again.');
  }

  private async stored(id: string, version: number): Promise<Template | undefined> {
    const key = `${id}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const record = await this.deps.store.getTemplateVersion(id, version);
    if (!record) return undefined;
    // Validated before it was stored; parsed again so what the store returns is never trusted blindly.
    const template = deepFreeze(parseTemplate(JSON.parse(record.body)));
    this.remember(id, version, template);
    return template;
  }

  private remember(id: string, version: number, template: Template): void {
    this.cache.set(`${id}@${version}`, template);
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
