import { useEffect, useMemo, useState } from 'react';
import { takeFragmentParam } from '../../lib/credentials';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import type { ProjectorState, WorkshopClientEvents, WorkshopServerEvents, WorkshopState } from '@parley/shared/protocol/workshop';
import { commandSender, handshakeRefusal, type CommandSender } from '../../lib/control-socket';

const key = (workshopId: string) => `parley:workshop:${workshopId}`;

/** The facilitator token lives in this browser's storage, like room tokens (never in the URL after the first visit). */
export function loadFacilitatorToken(workshopId: string): string | null {
  try {
    return localStorage.getItem(key(workshopId));
  } catch {
    return null;
  }
}

export function saveFacilitatorToken(workshopId: string, token: string): void {
  try {
    localStorage.setItem(key(workshopId), token);
  } catch {
    // storage disabled: the dashboard works until the tab closes
  }
}

/** Takes the facilitator token from the link's fragment (or this browser's storage). */
export function useFacilitatorToken(workshopId: string): string | null {
  const [token] = useState(() => {
    const fromLink = takeFragmentParam('f');
    if (fromLink) saveFacilitatorToken(workshopId, fromLink);
    return fromLink ?? loadFacilitatorToken(workshopId);
  });
  return token;
}

export type DashboardConnection = 'connecting' | 'live' | 'offline' | 'unauthorized';

export interface Dashboard {
  state: WorkshopState | null;
  connection: DashboardConnection;
  command: CommandSender<WorkshopServerEvents, WorkshopClientEvents>;
}

type DashboardSocket = Socket<WorkshopServerEvents, WorkshopClientEvents>;
type View = 'dashboard' | 'projector';

/** The live `/workshop` connection: `workshop:state` on every change; commands with acks. */
export function useDashboard(workshopId: string, token: string): Dashboard {
  const { state, connection, command } = useWorkshopChannel(workshopId, token, 'dashboard');
  return { state, connection, command };
}

/** The projector's connection: `workshop:projector` only — no pairs and no names reach this screen. */
export function useProjector(workshopId: string, token: string): { projector: ProjectorState | null; connection: DashboardConnection } {
  const { projector, connection } = useWorkshopChannel(workshopId, token, 'projector');
  return { projector, connection };
}

function useWorkshopChannel(workshopId: string, token: string, view: View) {
  const [state, setState] = useState<WorkshopState | null>(null);
  const [projector, setProjector] = useState<ProjectorState | null>(null);
  const [connection, setConnection] = useState<DashboardConnection>('connecting');
  // Made here, connected by the effect below: the command sender needs the socket from the first render.
  const socket = useMemo<DashboardSocket>(
    () =>
      io(`${window.location.origin}${SOCKET_NAMESPACES.workshop}`, {
        path: '/socket.io',
        transports: ['websocket'],
        auth: { workshopId, token, view },
        reconnectionDelayMax: 4_000,
        autoConnect: false,
      }),
    [workshopId, token, view],
  );
  const command = useMemo(() => commandSender(socket), [socket]);

  useEffect(() => {
    socket.on('connect', () => setConnection('live'));
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', (err) => setConnection(handshakeRefusal(err)?.code === 'unauthorized' ? 'unauthorized' : 'offline'));
    socket.on('workshop:state', (next) => setState(next));
    socket.on('workshop:projector', (next) => setProjector(next));
    socket.connect();
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [socket]);

  return { state, projector, connection, command };
}
