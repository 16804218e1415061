import { ParleyError } from '@parley/shared/protocol/errors';
import { WorkshopIdParams } from '@parley/shared/protocol/workshop';
import { TEMPLATE_LIMITS, Template } from '@parley/shared/template/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearer } from '../lib/request-auth';
import { validate } from '../lib/validate';

/**
 * A workshop's own worksheet (issue 14), for its facilitator only: read the current version
 * (to edit or export it as JSON) and save a new one (an edit or an import). Saving never
 * changes a room that exists: pairs that join afterwards get the new version.
 */
export async function workshopTemplateRoutes(app: FastifyInstance, opts: { rateLimit: { max: number; timeWindow: string } | false }): Promise<void> {
  const { workshops } = app.parley;
  const limited = opts.rateLimit ? { config: { rateLimit: opts.rateLimit } } : {};

  const facilitatorOf = async (request: FastifyRequest) => {
    const params = WorkshopIdParams.safeParse(request.params);
    // Unknown or malformed ids look the same as a wrong token: 401.
    if (!params.success) throw new ParleyError('unauthorized', 'A valid facilitator token is required.');
    return workshops.requireFacilitator(params.data.id, bearer(request));
  };

  app.get('/api/workshops/:id/template', async (request, reply) => {
    const workshop = await facilitatorOf(request);
    return reply.header('cache-control', 'no-store').send(await workshops.workshopTemplate(workshop));
  });

  app.put('/api/workshops/:id/template', { ...limited, bodyLimit: TEMPLATE_LIMITS.bodyBytes }, async (request, reply) => {
    const workshop = await facilitatorOf(request);
    const draft = validate(Template, request.body, 'template');
    const saved = await workshops.saveTemplate(workshop, draft);
    request.log.info({ workshopId: workshop.id, templateId: saved.id, version: saved.version }, 'workshop template saved');
    return reply.code(201).send({ id: saved.id, version: saved.version });
  });
}
