import { AgreementQuery, CreateRoomBody, JoinRoomBody, RoomIdParams } from '@parley/shared/protocol/http';
import { ParleyError } from '@parley/shared/protocol/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearer, participantOf as participantOfRoom } from '../lib/request-auth';
import { validate } from '../lib/validate';

/** The rooms API of the contract. Thin: validate, authorize, call the service. */
export async function roomRoutes(app: FastifyInstance, opts: { rateLimit: { max: number; timeWindow: string } | false }): Promise<void> {
  const { roomService, access, agreement, metrics } = app.parley;
  const limited = opts.rateLimit ? { config: { rateLimit: opts.rateLimit } } : {};

  const participantOf = (request: FastifyRequest) => participantOfRoom(access, request);

  app.post('/api/rooms', limited, async (request, reply) => {
    const body = validate(CreateRoomBody, request.body);
    const created = await roomService.create(body);
    metrics.roomsCreated.inc();
    request.log.info({ roomId: created.roomId }, 'room created');
    return reply.code(201).send(created);
  });

  app.post('/api/rooms/:roomId/join', limited, async (request, reply) => {
    const params = RoomIdParams.safeParse(request.params);
    const body = validate(JoinRoomBody, request.body);
    if (!params.success) throw new ParleyError('not_found', 'This invite link is not valid.');
    const joined = await roomService.join(params.data.roomId, body);
    request.log.info({ roomId: joined.roomId }, 'partner joined');
    return reply.code(201).send(joined);
  });

  app.get('/api/rooms/:roomId/invite', limited, async (request, reply) => {
    const params = RoomIdParams.safeParse(request.params);
    if (!params.success) throw new ParleyError('not_found', 'This invite link is not valid.');
    const preview = await roomService.invitePreview(params.data.roomId, bearer(request));
    return reply.header('cache-control', 'no-store').send(preview);
  });

  app.get('/api/rooms/:roomId', async (request) => {
    const me = await participantOf(request);
    return roomService.view(me);
  });

  app.delete('/api/rooms/:roomId', async (request, reply) => {
    const me = await participantOf(request);
    await roomService.erase(me.roomId);
    request.log.info({ roomId: me.roomId }, 'room deleted');
    return reply.code(204).send();
  });

  app.get('/api/rooms/:roomId/agreement', async (request, reply) => {
    const me = await participantOf(request);
    const { format, tz } = validate(AgreementQuery, request.query, 'query');
    const { body, contentType } = await agreement.export(me, format, tz);
    const file = `parley-agreement.${format === 'md' ? 'md' : 'json'}`;
    return reply.type(contentType).header('content-disposition', `attachment; filename="${file}"`).header('cache-control', 'no-store').send(body);
  });
}
