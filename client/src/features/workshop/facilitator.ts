import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { Ack } from '@parley/shared/protocol/socket';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import type { WorkshopCommandName, WorkshopCommandPayload, WorkshopState } from '@parley/shared/protocol/workshop';

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
  command: <K extends WorkshopCommandName>(name: K, payload: WorkshopCommandPayload<K>) => Promise<Ack>;
}

/** The live `/workshop` connection: `workshop:state` on every change; commands with acks. */
export function useDashboard(workshopId: string, token: string): Dashboard {
  const [state, setState] = useState<WorkshopState | null>(null);
  const [connection, setConnection] = useState<DashboardConnection>('connecting');
  const [socket, setSocket] = useState<Socket | null>(null);

  useEffect(() => {
    const s = io(`${window.location.origin}${SOCKET_NAMESPACES.workshop}`, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { workshopId, token },
      reconnectionDelayMax: 4_000,
    });
    s.on('connect', () => setConnection('live'));
    s.on('disconnect', () => setConnection('offline'));
    s.on('connect_error', (err: Error) => setConnection(err.message === 'unauthorized' ? 'unauthorized' : 'offline'));
    s.on('workshop:state', (next: WorkshopState) => setState(next));
    setSocket(s);
    return () => {
      s.removeAllListeners();
      s.disconnect();
    };
  }, [workshopId, token]);

  const command = <K extends WorkshopCommandName>(name: K, payload: WorkshopCommandPayload<K>) =>
    new Promise<Ack>((resolve) => {
      if (!socket?.connected) return resolve({ ok: false, error: { code: 'unavailable', message: 'not connected' } });
      socket.timeout(8_000).emit(name, payload, (err: Error | null, ack: Ack) => resolve(err ? { ok: false, error: { code: 'unavailable', message: 'timeout' } } : ack));
    });

  return { state, connection, command };
}
