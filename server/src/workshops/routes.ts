import { ParleyError } from '@parley/shared/protocol/errors';
import { RoomIdParams } from '@parley/shared/protocol/http';
import { CreateWorkshopBody, JoinWorkshopBody, WorkshopIdParams } from '@parley/shared/protocol/workshop';
import { TEMPLATE_LIMITS, Template } from '@parley/shared/template/schema';
import type { FastifyInstance } from 'fastify';
import { bearer } from '../lib/request-auth';
import { validate } from '../lib/validate';

/** The workshop API of the contract, plus the room's view of its workshop. Thin: validate, authorize, call the service. */
export async function workshopRoutes(app: FastifyInstance, opts: { rateLimit: { max: number; timeWindow: string } | false }): Promise<void> {
  const { workshops, access } = app.parley;
  const limited = opts.rateLimit ? { config: { rateLimit: opts.rateLimit } } : {};

  app.post('/api/workshops', { ...limited, bodyLimit: TEMPLATE_LIMITS.bodyBytes }, async (request, reply) => {
    const body = validate(CreateWorkshopBody, request.body);
    // A worksheet of the facilitator's own is checked here, so the 400 names its first wrong path.
    const template = typeof body.template === 'string' ? body.template : validate(Template, body.template, 'body.template');
    const created = await workshops.create({ ...body, template });
    request.log.info({ workshopId: created.workshopId }, 'workshop created');
    return reply.code(201).send(created);
  });

  app.post('/api/workshops/join', limited, async (request, reply) => {
    const body = validate(JoinWorkshopBody, request.body);
    const joined = await workshops.join(body, request.ip);
    request.log.info({ roomId: joined.roomId, seat: joined.participant.seat }, 'workshop participant joined');
    return reply.code(201).send(joined);
  });

  app.get('/api/workshops/:id', async (request, reply) => {
    const params = WorkshopIdParams.safeParse(request.params);
    // Unknown or malformed ids look the same as a wrong token: 401.
    if (!params.success) throw new ParleyError('unauthorized', 'A valid facilitator token is required.');
    const workshop = await workshops.requireFacilitator(params.data.id, bearer(request));
    return reply.header('cache-control', 'no-store').send(await workshops.state(workshop.id));
  });

  app.get('/api/rooms/:roomId/workshop', async (request, reply) => {
    const params = RoomIdParams.safeParse(request.params);
    if (!params.success) throw new ParleyError('unauthorized', 'A valid participant token is required.');
    const me = await access.requireParticipant(params.data.roomId, bearer(request));
    return reply.header('cache-control', 'no-store').send({ workshop: await workshops.roomView(me) });
  });
}
