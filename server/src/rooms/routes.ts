import { AgreementQuery, CreateRoomBody, CreateSealedRoomBody, JoinRoomBody, JoinSealedRoomBody, RoomIdParams } from '@parley/shared/protocol/http';
import { ParleyError } from '@parley/shared/protocol/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearer, participantOf as participantOfRoom } from '../lib/request-auth';
import { validate } from '../lib/validate';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
/** A create asks for a sealed room with `sealed: true`; a join is a sealed room's when it carries any field only that one has. */
const asksSealedCreate = (body: unknown): boolean => isObject(body) && body.sealed === true;
const asksSealedJoin = (body: unknown): boolean => isObject(body) && ['token', 'publicKey', 'binding'].some((field) => field in body);
const sealedOff = () => new ParleyError('bad_request', 'Sealed rooms are not enabled on this server.');

/**
 * The rooms API of the contract. Thin: validate, authorize, call the service. `sealedRooms`
 * (the build option, off by default) lets creates and joins of sealed rooms through; without it
 * they are `bad_request` and change nothing.
 */
export async function roomRoutes(app: FastifyInstance, opts: { rateLimit: { max: number; timeWindow: string } | false; sealedRooms: boolean }): Promise<void> {
  const { roomService, access, agreement, metrics } = app.parley;
  const limited = opts.rateLimit ? { config: { rateLimit: opts.rateLimit } } : {};

  const participantOf = (request: FastifyRequest) => participantOfRoom(access, request);

  app.post('/api/rooms', limited, async (request, reply) => {
    let created;
    if (asksSealedCreate(request.body)) {
      if (!opts.sealedRooms) throw sealedOff();
      created = await roomService.createSealed(validate(CreateSealedRoomBody, request.body));
    } else {
      created = await roomService.create(validate(CreateRoomBody, request.body));
    }
    metrics.roomsCreated.inc();
    request.log.info({ roomId: created.roomId }, 'room created');
    return reply.code(201).send(created);
  });

  app.post('/api/rooms/:roomId/join', limited, async (request, reply) => {
    const params = RoomIdParams.safeParse(request.params);
    // The body is checked first: a malformed one is the same 400 whatever the room.
    const roomId = () => {
      if (!params.success) throw new ParleyError('not_found', 'This invite link is not valid.');
      return params.data.roomId;
    };
    let joined;
    if (asksSealedJoin(request.body)) {
      if (!opts.sealedRooms) throw sealedOff();
      const body = validate(JoinSealedRoomBody, request.body);
      joined = await roomService.joinSealed(roomId(), body);
    } else {
      const body = validate(JoinRoomBody, request.body);
      joined = await roomService.join(roomId(), body);
    }
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
