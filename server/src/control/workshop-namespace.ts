import { ParleyError } from '@parley/shared/protocol/errors';
import { WorkshopCommand, WorkshopHandshake, type WorkshopClientEvents, type WorkshopCommandData, type WorkshopServerEvents } from '@parley/shared/protocol/workshop';
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace } from 'socket.io';
import { projectorView } from '@parley/shared/workshop/pace';
import { ackFailure, handshakeError } from '../lib/wire-errors';
import type { Services } from '../services';
import type { WorkshopRecord } from '../store/workshop-store';
import type { WorkshopService } from '../workshops/workshop-service';
import { serveCommands, type CommandHandlers } from './serve-commands';

interface SocketData {
  workshopId: string;
  /** a projector connection receives `workshop:projector` only and sends no commands */
  projector: boolean;
}
export type WorkshopNamespace = Namespace<WorkshopClientEvents, WorkshopServerEvents, Record<never, never>, SocketData>;

export const workshopSocketRoom = (workshopId: string) => `workshop:${workshopId}`;
export const projectorSocketRoom = (workshopId: string) => `workshop-projector:${workshopId}`;

function commandHandlers(s: WorkshopService): CommandHandlers<typeof WorkshopCommand, WorkshopCommandData, WorkshopRecord> {
  return {
    'workshop:unlock': (w, { sectionId }) => s.unlock(w, sectionId),
    'workshop:relock': (w, { sectionId }) => s.relock(w, sectionId),
    'workshop:broadcast': (w, { message }) => s.broadcast(w, message),
    'workshop:message-pair': (w, { roomId, message }) => s.messagePair(w, roomId, message),
    'workshop:remove-pair': (w, { roomId, confirmed }) => s.removePair(w, roomId, confirmed === true),
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
export function attachWorkshopNamespace(nsp: WorkshopNamespace, services: Services, log: FastifyBaseLogger): void {
  const workshops = services.workshops;
  const handlers = commandHandlers(workshops);
  // The projector hears only of changes it shows (a pair moving on changes nothing there); per node, bounded.
  const shown = new Map<string, string>();
  workshops.bindDashboard((workshopId, state) => {
    nsp.to(workshopSocketRoom(workshopId)).emit('workshop:state', state);
    const view = projectorView(state);
    const json = JSON.stringify(view);
    if (shown.get(workshopId) === json) return;
    if (shown.size > 10_000) shown.clear();
    shown.set(workshopId, json);
    nsp.to(projectorSocketRoom(workshopId)).emit('workshop:projector', view);
  });

  nsp.use((socket, next) => {
    const refused = () => handshakeError(new ParleyError('unauthorized', 'A valid facilitator token is required.'));
    const auth = WorkshopHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(refused());
    workshops.facilitator(auth.data.workshopId, auth.data.token).then(
      (workshop) => {
        if (!workshop) return next(refused());
        socket.data.workshopId = workshop.id;
        socket.data.projector = auth.data.view === 'projector';
        next();
      },
      (e: unknown) => {
        log.warn({ err: (e as Error).message }, 'workshop handshake failed');
        next(handshakeError(new ParleyError('unavailable', 'The workshop cannot be checked right now.')));
      },
    );
  });

  nsp.on('connection', (socket) => {
    const { workshopId, projector } = socket.data;
    // A projector is a screen everyone looks at: it gets a view without pairs or names, and no commands.
    void socket.join(projector ? projectorSocketRoom(workshopId) : workshopSocketRoom(workshopId));
    workshops.state(workshopId).then(
      (state) => (projector ? socket.emit('workshop:projector', projectorView(state)) : socket.emit('workshop:state', state)),
      (e: unknown) => log.warn({ err: (e as Error).message }, 'workshop state failed'),
    );
    if (projector) {
      const refused = ackFailure(new ParleyError('forbidden', 'The projector view is read-only.'));
      socket.onAny((...args: unknown[]) => {
        const ack = args[args.length - 1];
        if (typeof ack === 'function') ack(refused);
      });
      return;
    }
    // Re-read on every command: another node may have ended or changed the workshop meanwhile.
    serveCommands(socket, { commands: WorkshopCommand, handlers, context: () => workshops.stateRecord(workshopId), log });
  });
}
