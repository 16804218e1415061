import { ParleyError } from '../protocol/errors';
import type { TemplateListEntry } from '../protocol/http';
import { defaultTemplate, defaultTemplateV1 } from './default';
import type { Template } from './schema';

/** Every template version the server can serve. A room keeps the version it was created with. */
export const templates: readonly Template[] = [defaultTemplateV1, defaultTemplate];

/** The given version of template `id`, or its latest version when `version` is omitted. */
export function findTemplate(id: string, version?: number): Template | undefined {
  let found: Template | undefined;
  for (const template of templates) {
    if (template.id !== id) continue;
    if (version !== undefined) {
      if (template.version === version) return template;
    } else if (!found || template.version > found.version) {
      found = template;
    }
  }
  return found;
}

/**
 * The version a room or workshop was made with. It must exist: a record naming a template
 * the server no longer carries is our fault, not the caller's.
 */
export function requireTemplate(id: string, version: number): Template {
  const template = findTemplate(id, version);
  if (!template) throw new ParleyError('internal', `Template ${id}@${version} is not available.`);
  return template;
}

/** The latest version of each template, in registry order, for `GET /api/templates`. */
export function listTemplates(): TemplateListEntry[] {
  const ids = [...new Set(templates.map((t) => t.id))];
  return ids.flatMap((id) => {
    const latest = findTemplate(id);
    return latest
      ? [{ id: latest.id, version: latest.version, title: latest.title, description: latest.description }]
      : [];
  });
}
