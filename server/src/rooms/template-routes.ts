import { ParleyError } from '@parley/shared/protocol/errors';
import { findTemplate, listTemplates } from '@parley/shared/template/registry';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validate } from '../lib/validate';

const TemplateParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,40}$/) });
const TemplateQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

export async function templateRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/templates', async () => ({ templates: listTemplates() }));

  app.get('/api/templates/:id', async (request) => {
    const { id } = validate(TemplateParams, request.params, 'path');
    const { version } = validate(TemplateQuery, request.query, 'query');
    const template = findTemplate(id, version);
    if (!template) throw new ParleyError('not_found', `No template "${id}".`);
    return template;
  });
}
