import { ParleyError } from '@parley/shared/protocol/errors';
import { RoomCommand, RoomHandshake, type RoomClientEvents, type RoomCommandData, type RoomServerEvents } from '@parley/shared/protocol/socket';
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace } from 'socket.io';
import { handshakeError } from '../lib/wire-errors';
import type { Services } from '../services';
import type { ParticipantRecord } from '../store/room-store';
import { serveCommands, type CommandHandlers } from './serve-commands';

/** server-to-server event: a room was erased on another node */
export const ROOM_ERASED = 'parley:room-erased';
interface RoomServerSideEvents {
  [ROOM_ERASED]: (roomId: string) => void;
}
interface SocketData {
  participant: ParticipantRecord;
}
export type RoomNamespace = Namespace<RoomClientEvents, RoomServerEvents, RoomServerSideEvents, SocketData>;

export const socketRoom = (roomId: string) => `room:${roomId}`;

/** What each command does; payloads arrive validated against `RoomCommand`. */
function commandHandlers(s: Services): CommandHandlers<typeof RoomCommand, RoomCommandData, ParticipantRecord> {
  return {
    'section:ready': async (p, { sectionId, ready }) => {
      if (ready) await s.workshops.assertMayMarkReady(p, sectionId);
      return s.reveal.markReady(p, sectionId, ready);
    },
    'section:reopen': (p, { sectionId, note }) => s.reveal.reopen(p, sectionId, note ?? null),
    'room:pause': (p, { paused, note }) => s.roomService.pause(p, paused, note ?? null),
    'room:resume-request': (p) => s.roomService.askToResume(p),
    'agreement:confirm': (p, { hash }) => s.agreement.confirm(p, hash),
    'agreement:review-date': (p, { date }) => s.agreement.setReviewDate(p, date),
    'agreement:leave-out': (p, { itemId, out }) => s.agreement.leaveOut(p, itemId, out),
    'presence:update': (p, { focus }) => s.presence.focus(p, focus),
    'workshop:hand': (p, { raised }) => s.workshops.raiseHand(p, raised),
    'workshop:confirm-partner': (p, { confirmed }) => s.workshops.confirmPartner(p, confirmed),
  };
}

/**
 * The `/room` control namespace: handshake with `{roomId, token}`, one socket.io room per
 * Parley room, commands with acks that always answer `{ok}` or `{ok:false, error}`.
 */
export function attachRoomNamespace(nsp: RoomNamespace, services: Services, log: FastifyBaseLogger): void {
  const handlers = commandHandlers(services);

  nsp.use((socket, next) => {
    const auth = RoomHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(handshakeError(new ParleyError('unauthorized', 'A room id and a participant token are required.')));
    services.access.admit(auth.data.roomId, auth.data.token).then(
      (admitted) => {
        if (admitted instanceof ParleyError) return next(handshakeError(admitted));
        const release = services.limits.acquire(admitted.roomId, clientIp(socket, services.config.trustProxy));
        if (!release) return next(handshakeError(new ParleyError('rate_limited', 'Too many connections from this address.')));
        socket.once('disconnect', release);
        socket.data.participant = admitted;
        next();
      },
      (e: unknown) => {
        log.warn({ err: (e as Error).message }, 'room handshake failed');
        next(handshakeError(new ParleyError('unavailable', 'The room cannot be checked right now.')));
      },
    );
  });

  nsp.on('connection', (socket) => {
    const { participant } = socket.data;
    void socket.join(socketRoom(participant.roomId));
    services.metrics.socketConnections.inc();
    // Asked again now that the socket is in its room: an erase that began after the handshake's
    // check has either disconnected it (it was in the room by then) or is visible to this read.
    const admitted = services.access.roomIsLive(participant.roomId).catch(() => false);
    void admitted.then((live) => {
      if (!live) return void socket.disconnect(true);
      if (!socket.connected) return;
      void services.presence.connected(participant, socket.id).catch((e: unknown) => log.warn({ err: (e as Error).message }, 'presence connect failed'));
      void services.roomService.touch(participant.roomId).catch(() => undefined);
    });

    serveCommands(socket, { commands: RoomCommand, handlers, context: () => participant, admitted, log });

    socket.on('disconnect', () => {
      services.metrics.socketConnections.dec();
      void services.presence.disconnected(participant, socket.id).catch(() => undefined);
    });
  });
}

/** The client's address: behind a trusted proxy, the first X-Forwarded-For entry. */
export function clientIp(socket: { handshake: { address: string; headers: Record<string, string | string[] | undefined> } }, trustProxy: boolean | string): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return trustProxy && first ? first : socket.handshake.address;
}
