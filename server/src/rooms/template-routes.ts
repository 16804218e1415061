import { ParleyError } from '@parley/shared/protocol/errors';
import { findTemplate, isCustomTemplateId, listTemplates } from '@parley/shared/template/registry';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { participantOf } from '../lib/request-auth';
import { validate } from '../lib/validate';

const TemplateParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,40}$/) });
const TemplateQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

export async function templateRoutes(app: FastifyInstance): Promise<void> {
  const { access, roomService } = app.parley;

  // The built-ins only: a workshop's own worksheet is served to its rooms and its facilitator.
  app.get('/api/templates', async () => ({ templates: listTemplates() }));

  app.get('/api/templates/:id', async (request) => {
    const { id } = validate(TemplateParams, request.params, 'path');
    const { version } = validate(TemplateQuery, request.query, 'query');
    const template = isCustomTemplateId(id) ? undefined : findTemplate(id, version);
    if (!template) throw new ParleyError('not_found', `No template "${id}".`);
    return template;
  });

  /** The exact version the room was made with, built-in or the workshop's own. */
  app.get('/api/rooms/:roomId/template', async (request, reply) => {
    const me = await participantOf(access, request);
    return reply.header('cache-control', 'no-store').send(await roomService.template(me));
  });
}
