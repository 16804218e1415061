import { ParleyError } from '@parley/shared/protocol/errors';
import { RoomIdParams } from '@parley/shared/protocol/http';
import type { FastifyRequest } from 'fastify';
import type { Access } from '../rooms/access';
import type { ParticipantRecord } from '../store/room-store';

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** The participant whose Bearer token opens the room of `:roomId`. */
export async function participantOf(access: Access, request: FastifyRequest): Promise<ParticipantRecord> {
  const params = RoomIdParams.safeParse(request.params);
  // Unknown, malformed or foreign room ids all look the same as a wrong token: 401.
  if (!params.success) throw new ParleyError('unauthorized', 'A valid participant token is required.');
  return access.requireParticipant(params.data.roomId, bearer(request));
}
