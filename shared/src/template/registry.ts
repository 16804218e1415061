import type { TemplateListEntry } from '../protocol/http';
import { afterSceneTemplate } from './builtin/after-scene';
import { firstConversationTemplate } from './builtin/first-conversation';
import { remotePlayTemplate } from './builtin/remote-play';
import { defaultTemplate, defaultTemplateV1 } from './default';
import type { Template } from './schema';

/**
 * Every built-in template version, in the order a picker offers them (a picker offers each
 * id's latest). A room keeps the version it was created with. A workshop's own templates are
 * not here: they live in the server's store under ids starting with `CUSTOM_TEMPLATE_PREFIX`,
 * which no built-in uses.
 */
export const templates: readonly Template[] = [defaultTemplateV1, defaultTemplate, firstConversationTemplate, remotePlayTemplate, afterSceneTemplate];

export const CUSTOM_TEMPLATE_PREFIX = 'w-';
export const isCustomTemplateId = (id: string): boolean => id.startsWith(CUSTOM_TEMPLATE_PREFIX);

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
