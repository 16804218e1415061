import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import type { RoomClientEvents, RoomServerEvents } from '@parley/shared/protocol/socket';
import { api, ApiError } from '../../lib/api';
import { updateCredentials, type RoomCredentials } from '../../lib/credentials';
import { openPartnerName, openTitle } from '../../lib/sealed-room';
import { strings } from '../../lib/strings';

export type InviteState =
  | { status: 'loading' }
  | { status: 'gone' }
  | { status: 'ready'; title: string | null; partner: { displayName: string; online: boolean } | null };

/**
 * The room as the "room is ready" page needs it: its title and whether the partner has joined,
 * first from `GET /api/rooms/:id`, then live from the `/room` channel's `presence`, so the page
 * says so the moment the partner joins. Once they have, the used invite is forgotten (as the
 * room does). `gone`: the token no longer opens the room (deleted, or not this browser's).
 * In a sealed room the title and the partner's name arrive sealed and are opened here.
 */
export function usePartnerJoined(roomId: string, creds: RoomCredentials): InviteState {
  const [state, setState] = useState<InviteState>({ status: 'loading' });
  const { token, seatSecret } = creds;

  useEffect(() => {
    let stopped = false;
    let me: string | null = creds.participantId ?? null;
    const partnerName = async (shown: string) => (seatSecret ? ((await openPartnerName(seatSecret, shown)) ?? strings.common.partnerFallback) : shown);
    api.getRoom(roomId, token).then(
      async (view) => {
        const title = seatSecret ? await openTitle(seatSecret, view.title) : view.title;
        const partner = view.partner && { displayName: await partnerName(view.partner.displayName), online: false };
        if (stopped) return;
        me = view.me.id;
        setState((s) => ({
          status: 'ready',
          title,
          // presence may have come first and knows more (online)
          partner: s.status === 'ready' && s.partner ? s.partner : partner,
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
    socket.on('presence', async ({ participants }) => {
      const partner = participants.find((p) => (me ? p.id !== me : p.seat !== creds.seat));
      if (!partner) return;
      const displayName = await partnerName(partner.displayName);
      if (stopped) return;
      setState((s) => ({
        status: 'ready',
        title: s.status === 'ready' ? s.title : null,
        partner: { displayName, online: partner.online },
      }));
    });
    socket.on('room:deleted', () => setState({ status: 'gone' }));
    return () => {
      stopped = true;
      socket.disconnect();
    };
  }, [roomId, token, seatSecret, creds.participantId, creds.seat]);

  const joined = state.status === 'ready' && !!state.partner;
  useEffect(() => {
    if (joined) updateCredentials(roomId, { inviteUrl: undefined });
  }, [joined, roomId]);

  return state;
}
