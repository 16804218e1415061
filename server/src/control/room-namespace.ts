import { ParleyError, type ErrorCode } from '@parley/shared/protocol/errors';
import { RoomCommand, RoomHandshake, type Ack, type RoomCommandName, type RoomServerEvents } from '@parley/shared/protocol/socket';
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import type { Services } from '../services';
import { listenForCommands } from './command-dispatch';
import type { ParticipantRecord } from '../store/room-store';

interface SocketData {
  participant: ParticipantRecord;
}
type RoomSocket = Socket<Record<string, never>, RoomServerEvents, Record<string, never>, SocketData>;
type Handler = (p: ParticipantRecord, payload: never) => Promise<unknown>;

export const socketRoom = (roomId: string) => `room:${roomId}`;

/** What each command does; payloads arrive validated against `RoomCommand`. */
function commandHandlers(s: Services): { [K in RoomCommandName]: (p: ParticipantRecord, payload: ReturnType<(typeof RoomCommand)[K]['parse']>) => Promise<unknown> } {
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
    'presence:update': (p, { focus }) => s.presence.focus(p, focus),
    'workshop:hand': (p, { raised }) => s.workshops.raiseHand(p, raised),
    'workshop:confirm-partner': (p, { confirmed }) => s.workshops.confirmPartner(p, confirmed),
  };
}

/**
 * The `/room` control namespace: handshake with `{roomId, token}`, one socket.io room per
 * Parley room, commands with acks that always answer `{ok}` or `{ok:false, error}`.
 */
export function attachRoomNamespace(nsp: Namespace, services: Services, log: FastifyBaseLogger): void {
  const handlers = commandHandlers(services);

  nsp.use((socket, next) => {
    const auth = RoomHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('unauthorized'));
    services.access.participant(auth.data.roomId, auth.data.token).then(
      (participant) => {
        if (!participant) return next(new Error('unauthorized'));
        const release = services.limits.acquire(participant.roomId, clientIp(socket, services.config.trustProxy));
        if (!release) return next(new Error('rate_limited'));
        socket.once('disconnect', release);
        (socket.data as SocketData).participant = participant;
        next();
      },
      () => next(new Error('unavailable')),
    );
  });

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as RoomSocket;
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

    listenForCommands(socket as unknown as Parameters<typeof listenForCommands>[0], RoomCommand, (name, payload, ack) => {
      void admitted.then((live) => (live ? runCommand(name, payload, ack, participant, handlers[name] as Handler, log) : undefined));
    });

    socket.on('disconnect', () => {
      services.metrics.socketConnections.dec();
      void services.presence.disconnected(participant, socket.id).catch(() => undefined);
    });
  });
}

async function runCommand(name: RoomCommandName, payload: unknown, ack: unknown, participant: ParticipantRecord, handler: Handler, log: FastifyBaseLogger): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (a: Ack) => void) : () => undefined;
  const parsed = RoomCommand[name].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reply(failure('bad_request', `Invalid ${name} payload${issue ? `: ${issue.path.join('.') || 'payload'} ${issue.message}` : ''}.`));
  }
  try {
    const data = await handler(participant, parsed.data as never);
    reply(data === undefined ? { ok: true } : { ok: true, data });
  } catch (error) {
    if (error instanceof ParleyError) return reply(failure(error.code, error.message));
    log.error({ err: error, command: name }, 'command failed');
    reply(failure('internal', 'Something went wrong on our side.'));
  }
}

/** The client's address: behind a trusted proxy, the first X-Forwarded-For entry. */
export function clientIp(socket: { handshake: { address: string; headers: Record<string, string | string[] | undefined> } }, trustProxy: boolean | string): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return trustProxy && first ? first : socket.handshake.address;
}

const failure = (code: ErrorCode, message: string): Ack => ({ ok: false, error: { code, message } });
