import { useEffect, useMemo, useState } from 'react';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import type { WorkshopClientEvents, WorkshopServerEvents, WorkshopState } from '@parley/shared/protocol/workshop';
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

export type DashboardConnection = 'connecting' | 'live' | 'offline' | 'unauthorized';

export interface Dashboard {
  state: WorkshopState | null;
  connection: DashboardConnection;
  command: CommandSender<WorkshopServerEvents, WorkshopClientEvents>;
}

type DashboardSocket = Socket<WorkshopServerEvents, WorkshopClientEvents>;

/** The live `/workshop` connection: `workshop:state` on every change; commands with acks. */
export function useDashboard(workshopId: string, token: string): Dashboard {
  const [state, setState] = useState<WorkshopState | null>(null);
  const [connection, setConnection] = useState<DashboardConnection>('connecting');
  // Made here, connected by the effect below: the command sender needs the socket from the first render.
  const socket = useMemo<DashboardSocket>(
    () =>
      io(`${window.location.origin}${SOCKET_NAMESPACES.workshop}`, {
        path: '/socket.io',
        transports: ['websocket'],
        auth: { workshopId, token },
        reconnectionDelayMax: 4_000,
        autoConnect: false,
      }),
    [workshopId, token],
  );
  const command = useMemo(() => commandSender(socket), [socket]);

  useEffect(() => {
    socket.on('connect', () => setConnection('live'));
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', (err) => setConnection(handshakeRefusal(err)?.code === 'unauthorized' ? 'unauthorized' : 'offline'));
    socket.on('workshop:state', (next) => setState(next));
    socket.connect();
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [socket]);

  return { state, connection, command };
}
