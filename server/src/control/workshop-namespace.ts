import { ParleyError, type ErrorCode } from '@parley/shared/protocol/errors';
import type { Ack } from '@parley/shared/protocol/socket';
import { WorkshopCommand, WorkshopHandshake, type WorkshopCommandName, type WorkshopServerEvents } from '@parley/shared/protocol/workshop';
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import type { Services } from '../services';
import type { WorkshopRecord } from '../store/workshop-store';
import type { WorkshopService } from '../workshops/workshop-service';
import { listenForCommands } from './command-dispatch';

interface SocketData {
  workshopId: string;
}
type WorkshopSocket = Socket<Record<string, never>, WorkshopServerEvents, Record<string, never>, SocketData>;
type Parsed<K extends WorkshopCommandName> = ReturnType<(typeof WorkshopCommand)[K]['parse']>;
type Handler = (w: WorkshopRecord, payload: never) => Promise<unknown>;

export const workshopSocketRoom = (workshopId: string) => `workshop:${workshopId}`;

function commandHandlers(s: WorkshopService): { [K in WorkshopCommandName]: (w: WorkshopRecord, payload: Parsed<K>) => Promise<unknown> } {
  return {
    'workshop:unlock': (w, { sectionId }) => s.unlock(w, sectionId),
    'workshop:broadcast': (w, { message }) => s.broadcast(w, message),
    'workshop:timer': (w, { seconds }) => s.timer(w, seconds),
    'workshop:end': (w) => s.end(w),
    'workshop:pair': (w, { into, from }) => s.pair(w, into, from),
    'workshop:practice': (w) => s.practice(w),
    'workshop:lower-hand': (w, { roomId }) => s.lowerHand(w, roomId),
  };
}

/**
 * The facilitator's `/workshop` namespace: handshake `{workshopId, token}` with the facilitator
 * token, `workshop:state` on connect and on every change, pacing commands with acks.
 */
export function attachWorkshopNamespace(nsp: Namespace, services: Services, log: FastifyBaseLogger): void {
  const workshops = services.workshops;
  const handlers = commandHandlers(workshops);
  workshops.bindDashboard((workshopId, state) => {
    nsp.to(workshopSocketRoom(workshopId)).emit('workshop:state', state);
  });

  nsp.use((socket, next) => {
    const auth = WorkshopHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('unauthorized'));
    workshops.facilitator(auth.data.workshopId, auth.data.token).then(
      (workshop) => {
        if (!workshop) return next(new Error('unauthorized'));
        (socket.data as SocketData).workshopId = workshop.id;
        next();
      },
      () => next(new Error('unavailable')),
    );
  });

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as WorkshopSocket;
    const { workshopId } = socket.data;
    void socket.join(workshopSocketRoom(workshopId));
    workshops.state(workshopId).then(
      (state) => socket.emit('workshop:state', state),
      (e: unknown) => log.warn({ err: (e as Error).message }, 'workshop state failed'),
    );

    listenForCommands(socket as unknown as Parameters<typeof listenForCommands>[0], WorkshopCommand, (name, payload, ack) => {
      void runCommand(name, payload, ack, workshopId, workshops, handlers[name] as Handler, log);
    });
  });
}

async function runCommand(name: WorkshopCommandName, payload: unknown, ack: unknown, workshopId: string, workshops: WorkshopService, handler: Handler, log: FastifyBaseLogger): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (a: Ack) => void) : () => undefined;
  const parsed = WorkshopCommand[name].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reply(failure('bad_request', `Invalid ${name} payload${issue ? `: ${issue.path.join('.') || 'payload'} ${issue.message}` : ''}.`));
  }
  try {
    // Re-read on every command: another node may have ended or changed the workshop meanwhile.
    const workshop = await workshops.stateRecord(workshopId);
    const data = await handler(workshop, parsed.data as never);
    reply(data === undefined ? { ok: true } : { ok: true, data });
  } catch (error) {
    if (error instanceof ParleyError) return reply(failure(error.code, error.message));
    log.error({ err: error, command: name }, 'workshop command failed');
    reply(failure('internal', 'Something went wrong on our side.'));
  }
}

const failure = (code: ErrorCode, message: string): Ack => ({ ok: false, error: { code, message } });
