import { ParleyError } from '@parley/shared/protocol/errors';
import { RoomCommand, RoomHandshake, type RoomClientEvents, type RoomCommandData, type RoomServerEvents } from '@parley/shared/protocol/socket';
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace } from 'socket.io';
import type { Seat } from '@parley/shared/protocol/ids';
import { handshakeError } from '../lib/wire-errors';
import type { Services } from '../services';
import type { ParticipantRecord } from '../store/room-store';
import { CommandBudget } from '../lib/command-budget';
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
/** one partner's devices: signals go here, never to the whole room */
export const seatRoom = (roomId: string, seat: Seat) => `seat:${roomId}:${seat}`;

/**
 * Commands that write the room doc (and its history) or the store on a person's tap. Scene
 * signals, acknowledgements and presence are not here: a red is never refused for a budget.
 */
const BUDGETED = new Set<keyof typeof RoomCommand>([
  'section:ready',
  'section:reopen',
  'room:pause',
  'room:resume-request',
  'agreement:confirm',
  'agreement:review-date',
  'agreement:leave-out',
  'workshop:hand',
  'workshop:confirm-partner',
  'scene:start',
  'scene:end',
  'scene:log-delete',
]);
/** far above what anyone taps; a loop is held to a few history entries a second */
export const COMMAND_BUDGET = { burst: 100, perSecond: 5 };
/**
 * A sealed seat's escrow re-uploads (`section:escrow`, one per edit after a 50 ms debounce) write
 * no history, but each is a durable write: held to the sealed channel's write rate.
 */
export const ESCROW_BUDGET = { burst: 200, perSecond: 50 };

type RoomHandlers = CommandHandlers<typeof RoomCommand, RoomCommandData, ParticipantRecord>;

/** What each command does; payloads arrive validated against `RoomCommand`. */
function commandHandlers(s: Services): RoomHandlers {
  return {
    'section:ready': async (p, { sectionId, ready, escrow, discreet }) => {
      if (ready) await s.workshops.assertMayMarkReady(p, sectionId);
      return s.reveal.markReady(p, sectionId, ready, escrow, discreet);
    },
    'section:escrow': (p, { sectionId, round, escrow }) => s.reveal.uploadEscrow(p, sectionId, round, escrow),
    'section:tags': (p, { sectionId, round, tags }) => s.reveal.withdrawTags(p, sectionId, round, tags),
    'section:reopen': (p, { sectionId, note }) => s.reveal.reopen(p, sectionId, note ?? null),
    'room:pause': (p, { paused, note }) => s.roomService.pause(p, paused, note ?? null),
    'room:resume-request': (p) => s.roomService.askToResume(p),
    'agreement:confirm': (p, { hash }) => s.agreement.confirm(p, hash),
    'agreement:review-date': (p, { date }) => s.agreement.setReviewDate(p, date),
    'agreement:leave-out': (p, { itemId, out }) => s.agreement.leaveOut(p, itemId, out),
    'presence:update': (p, { focus }) => s.presence.focus(p, focus),
    'workshop:hand': (p, { raised }) => s.workshops.raiseHand(p, raised),
    'workshop:confirm-partner': (p, { confirmed }) => s.workshops.confirmPartner(p, confirmed),
    'scene:start': async (p) => ({ scene: await s.scene.start(p) }),
    'scene:end': async (p) => ({ scene: await s.scene.end(p) }),
    'signal:send': (p, { level, id }) => s.scene.send(p, level, id),
    'signal:ack': (p, { id }) => s.scene.ack(p, id),
    'checkin:answer': (p, { level, id }) => s.scene.answerCheckin(p, level, id),
    'scene:log-delete': (p) => s.scene.deleteLog(p),
  };
}

/**
 * The `/room` control namespace: handshake with `{roomId, token}`, one socket.io room per
 * Parley room, commands with acks that always answer `{ok}` or `{ok:false, error}`.
 */
export function attachRoomNamespace(nsp: RoomNamespace, services: Services, log: FastifyBaseLogger): void {
  const handlers = commandHandlers(services);
  const budget = new CommandBudget({ ...COMMAND_BUDGET, now: Date.now });
  const escrowBudget = new CommandBudget({ ...ESCROW_BUDGET, now: Date.now });
  const gate = (name: keyof typeof RoomCommand, p: ParticipantRecord): void => {
    const spent = BUDGETED.has(name) ? !budget.take(p.id) : (name === 'section:escrow' || name === 'section:tags') && !escrowBudget.take(p.id);
    if (spent) throw new ParleyError('rate_limited', 'Too many changes at once. Wait a moment, then try again.');
  };

  nsp.use((socket, next) => {
    const auth = RoomHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(handshakeError(new ParleyError('unauthorized', 'A room id and a participant token are required.')));
    services.access.admit(auth.data.roomId, auth.data.token).then(
      (admitted) => {
        if (admitted instanceof ParleyError) return next(handshakeError(admitted));
        const release = services.limits.acquire(admitted.roomId, admitted.id, clientIp(socket, services.config.trustProxy));
        if (!release) return next(handshakeError(new ParleyError('rate_limited', 'Too many connections for this room or address.')));
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
    void socket.join([socketRoom(participant.roomId), seatRoom(participant.roomId, participant.seat)]);
    services.metrics.socketConnections.inc();
    // Asked again now that the socket is in its room: an erase that began after the handshake's
    // check has either disconnected it (it was in the room by then) or is visible to this read.
    const admitted = services.access.roomIsLive(participant.roomId).catch(() => false);
    void admitted.then((live) => {
      if (!live) return void socket.disconnect(true);
      if (!socket.connected) return;
      void services.presence.connected(participant, socket.id).catch((e: unknown) => log.warn({ err: (e as Error).message }, 'presence connect failed'));
      void services.roomService.touch(participant.roomId).catch(() => undefined);
      // Signals still waiting for this partner, and acknowledgements they may have missed while away.
      void services.scene.pending(participant).then(
        ({ incoming, acked }) => {
          for (const signal of incoming) socket.emit('signal', signal);
          for (const id of acked) socket.emit('signal:acked', { id });
        },
        (e: unknown) => log.warn({ err: (e as Error).message }, 'pending signals not read'),
      );
    });

    serveCommands(socket, { commands: RoomCommand, handlers, context: () => participant, gate, admitted, log });

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
