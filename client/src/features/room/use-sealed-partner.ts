import { useEffect, useState } from 'react';
import type { RoomView } from '@parley/shared/protocol/http';
import { api } from '../../lib/api';
import type { RoomCredentials } from '../../lib/credentials';
import type { SealedRoomKeys } from '../../lib/room-context';
import type { RoomSession } from '../../lib/room-session';
import { openSealedRoom } from '../../lib/sealed-room';

interface Loaded {
  token: string;
  view: RoomView;
  session: RoomSession;
  sealed: SealedRoomKeys | null;
  creds: RoomCredentials;
}

export interface SealedPartner {
  view: RoomView;
  sealed: SealedRoomKeys | null;
  /** the partner's key, fetched after they joined, did not check out: the room must not be used */
  refused: boolean;
}

/**
 * In a sealed room created before the partner joined, the pair keys come later: once presence
 * shows the partner, the room is read again, the partner's key checked against the invite, the
 * pair keys derived, their name opened, and the shared doc connected. A standard room (or one
 * whose pair is known) passes through unchanged.
 */
export function useSealedPartner({ roomId, load, partnerPresent }: { roomId: string; load: Loaded; partnerPresent: boolean }): SealedPartner {
  const [state, setState] = useState<SealedPartner & { session: RoomSession }>({ view: load.view, sealed: load.sealed, refused: false, session: load.session });
  const current = state.session === load.session ? state : { view: load.view, sealed: load.sealed, refused: false, session: load.session };
  const waiting = !!current.sealed && !current.sealed.pair && !current.refused;
  const { seatSecret, inviteSecret } = load.creds;

  useEffect(() => {
    if (!waiting || !partnerPresent || !seatSecret) return;
    let live = true;
    void (async () => {
      try {
        const fresh = await api.getRoom(roomId, load.token);
        if (!fresh.keys?.b && !fresh.keys?.a) return;
        const opened = await openSealedRoom({ roomId, view: fresh, seatSecret, inviteSecret: inviteSecret ?? null });
        if (!live) return;
        if (!opened.ok) {
          setState({ view: load.view, sealed: load.sealed, refused: true, session: load.session });
          return;
        }
        if (!opened.keys.pair) return;
        load.session.connectShared(opened.keys.pair);
        setState({ view: opened.view, sealed: opened.keys, refused: false, session: load.session });
      } catch {
        // offline or the server busy: the next presence change tries again
      }
    })();
    return () => {
      live = false;
    };
  }, [waiting, partnerPresent, roomId, load.token, load.session, seatSecret, inviteSecret]);

  return { view: current.view, sealed: current.sealed, refused: current.refused };
}
