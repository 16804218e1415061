import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import type { RoomClientEvents, RoomServerEvents } from '@parley/shared/protocol/socket';
import { api, ApiError } from '../../lib/api';
import { updateCredentials, type RoomCredentials } from '../../lib/credentials';

export type InviteState =
  | { status: 'loading' }
  | { status: 'gone' }
  | { status: 'ready'; title: string | null; partner: { displayName: string; online: boolean } | null };

/**
 * The room as the "room is ready" page needs it: its title and whether the partner has joined,
 * first from `GET /api/rooms/:id`, then live from the `/room` channel's `presence`, so the page
 * says so the moment the partner joins. Once they have, the used invite is forgotten (as the
 * room does). `gone`: the token no longer opens the room (deleted, or not this browser's).
 */
export function usePartnerJoined(roomId: string, creds: RoomCredentials): InviteState {
  const [state, setState] = useState<InviteState>({ status: 'loading' });
  const { token } = creds;

  useEffect(() => {
    let stopped = false;
    let me: string | null = creds.participantId ?? null;
    api.getRoom(roomId, token).then(
      (view) => {
        if (stopped) return;
        me = view.me.id;
        setState((s) => ({
          status: 'ready',
          title: view.title,
          // presence may have come first and knows more (online)
          partner: s.status === 'ready' && s.partner ? s.partner : view.partner && { displayName: view.partner.displayName, online: false },
        }));
      },
      (err: unknown) => {
        if (!stopped && err instanceof ApiError && (err.status === 401 || err.status === 404)) setState({ status: 'gone' });
        else if (!stopped) setState((s) => (s.status === 'loading' ? { status: 'ready', title: null, partner: null } : s));
      },
    );
    const socket: Socket<RoomServerEvents, RoomClientEvents> = io(`${window.location.origin}${SOCKET_NAMESPACES.room}`, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { roomId, token },
      query: { room: roomId },
      reconnectionDelayMax: 4_000,
    });
    socket.on('presence', ({ participants }) => {
      const partner = participants.find((p) => (me ? p.id !== me : p.seat !== creds.seat));
      if (!partner) return;
      setState((s) => ({
        status: 'ready',
        title: s.status === 'ready' ? s.title : null,
        partner: { displayName: partner.displayName, online: partner.online },
      }));
    });
    socket.on('room:deleted', () => setState({ status: 'gone' }));
    return () => {
      stopped = true;
      socket.disconnect();
    };
  }, [roomId, token, creds.participantId, creds.seat]);

  const joined = state.status === 'ready' && !!state.partner;
  useEffect(() => {
    if (joined) updateCredentials(roomId, { inviteUrl: undefined });
  }, [joined, roomId]);

  return state;
}
