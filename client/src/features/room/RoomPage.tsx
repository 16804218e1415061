import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { RoomView } from '@parley/shared/protocol/http';
import type { Template } from '@parley/shared/template/schema';
import { Notice } from '../../components/Notice';
import { api, ApiError } from '../../lib/api';
import { errorWords } from '../../lib/error-words';
import { forgetRoom, loadCredentials, roomKindRefusal, roomWasDeleted, updateCredentials } from '../../lib/credentials';
import type { RoomCredentials } from '../../lib/credentials';
import { loadOfflineRoom, saveOfflineRoom } from '../../lib/offline-room';
import { createStores, RoomContext } from '../../lib/room-context';
import type { RoomContextValue, SealedRoomKeys, SectionRenderers } from '../../lib/room-context';
import { RoomSession } from '../../lib/room-session';
import { openSealedRoom, type SealedOpenProblem } from '../../lib/sealed-room';
import { strings } from '../../lib/strings';
import { restoreReplaced, saveSealedLink, saveTokenLink, takeLink } from './room-link';
import { useSealedPartner } from './use-sealed-partner';
import { DeletedNotice } from './RoomGone';
import { RoomShell } from './RoomShell';

type Load =
  | { status: 'loading' }
  | { status: 'missing' }
  | { status: 'unauthorized' }
  | { status: 'deleted' }
  | { status: 'error'; message: string }
  /** a sealed room this browser will not open: the partner's key did not check out, or it lacks the invite secret */
  | { status: 'refused'; problem: SealedOpenProblem | 'broken link' | 'not sealed' }
  | { status: 'ready'; token: string; view: RoomView; template: Template; session: RoomSession; sealed: SealedRoomKeys | null; creds: RoomCredentials };

/** The room's view and template from the server; offline (nothing answered), the last ones this browser saw. */
async function loadRoom(roomId: string, token: string): Promise<{ view: RoomView; template: Template }> {
  try {
    const view = await api.getRoom(roomId, token);
    const template = await api.getRoomTemplate(roomId, token);
    saveOfflineRoom(roomId, { view, template });
    return { view, template };
  } catch (err) {
    const saved = err instanceof ApiError && err.code === 'network' ? loadOfflineRoom(roomId) : null;
    if (saved) return saved;
    throw err;
  }
}

/** Takes the token from the link (or this browser's storage), loads the room and connects. */
export function RoomPage({ roomId, renderers }: { roomId: string; renderers: SectionRenderers }) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const link = takeLink(roomId);
    if (link.t) saveTokenLink(roomId, link.t);
    let cancelled = false;
    let session: RoomSession | null = null;
    void (async () => {
      if (link.sealed.kind === 'broken') return setLoad({ status: 'refused', problem: 'broken link' });
      if (link.sealed.kind === 'sealed' && !(await saveSealedLink(roomId, link.sealed))) return setLoad({ status: 'refused', problem: 'broken link' });
      const creds = loadCredentials(roomId);
      if (cancelled) return;
      if (!creds) return setLoad({ status: roomWasDeleted(roomId) ? 'deleted' : 'missing' });
      try {
        const loaded = await loadRoom(roomId, creds.token);
        let { view } = loaded;
        let sealed: SealedRoomKeys | null = null;
        const downgrade = roomKindRefusal(creds, view);
        if (downgrade) return setLoad({ status: 'refused', problem: downgrade });
        if (view.sealed) {
          if (!creds.seatSecret) return setLoad({ status: 'unauthorized' });
          const opened = await openSealedRoom({ roomId, view, seatSecret: creds.seatSecret, inviteSecret: creds.inviteSecret ?? null });
          if (cancelled) return;
          if (!opened.ok) return setLoad({ status: 'refused', problem: opened.reason });
          ({ view, keys: sealed } = opened);
        }
        if (cancelled) return;
        updateCredentials(roomId, { participantId: view.me.id, seat: view.me.seat });
        session = new RoomSession({
          roomId,
          participantId: view.me.id,
          token: creds.token,
          seat: view.me.seat,
          displayName: view.me.displayName,
          ...(sealed ? { sealed } : {}),
        });
        setLoad({ status: 'ready', token: creds.token, view, template: loaded.template, session, sealed, creds });
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.reason === 'room_deleted') {
          // the partner deleted it while this browser was away: drop the dead key, keep the mark
          forgetRoom(roomId, { deleted: true });
          setLoad({ status: 'deleted' });
        } else if (err instanceof ApiError && (err.code === 'unauthorized' || err.code === 'not_found')) {
          // a link that does not open the room must not have erased the key this browser had
          if (restoreReplaced(roomId, creds.token)) setAttempt((n) => n + 1);
          else setLoad({ status: 'unauthorized' });
        } else {
          setLoad({
            status: 'error',
            message: errorWords(err, { network: strings.common.network }),
          });
        }
      }
    })();
    return () => {
      cancelled = true;
      session?.destroy();
    };
  }, [roomId, attempt]);

  switch (load.status) {
    case 'loading':
      return (
        <main id="main" className="page page--narrow loading" aria-busy="true">
          <p role="status">{strings.common.loading}</p>
        </main>
      );
    case 'missing':
      return (
        <Notice heading={strings.appName}>
          <p>{strings.room.missingToken}</p>
          <a className="button button--secondary" href="/">
            {strings.common.backHome}
          </a>
        </Notice>
      );
    case 'unauthorized':
      return (
        <Notice heading={strings.appName}>
          <p>{strings.room.unauthorized}</p>
          <a className="button button--secondary" href="/">
            {strings.common.backHome}
          </a>
        </Notice>
      );
    case 'deleted':
      return <DeletedNotice />;
    case 'refused':
      return (
        <Notice heading={strings.appName}>
          <p role="alert">{REFUSALS[load.problem]}</p>
          <a className="button button--secondary" href="/">
            {strings.common.backHome}
          </a>
        </Notice>
      );
    case 'error':
      return (
        <Notice heading={strings.appName}>
          <p role="alert">{load.message}</p>
          <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
            {strings.common.retry}
          </button>
        </Notice>
      );
    case 'ready':
      return <RoomProvider roomId={roomId} load={load} renderers={renderers} />;
  }
}

const REFUSALS: Record<SealedOpenProblem | 'broken link' | 'not sealed', string> = {
  'not sealed': strings.sealedRoom.notSealed,
  'partner key': strings.sealedRoom.partnerKeyUnchecked,
  'no invite secret': strings.sealedRoom.noInviteSecret,
  'broken link': strings.sealedRoom.linkUnreadable,
};

function RoomProvider({
  roomId,
  load,
  renderers,
}: {
  roomId: string;
  load: Extract<Load, { status: 'ready' }>;
  renderers: SectionRenderers;
}) {
  const { session, template, token } = load;
  const stores = useMemo(() => createStores(session), [session]);
  const sessionState = useSyncExternalStore(session.subscribe, session.getState);
  const seat = load.view.me.seat;
  const partnerSeat = seat === 'a' ? 'b' : 'a';
  const partnerPresence = sessionState.presence.find((p) => p.seat === partnerSeat);
  // A sealed room's names arrive sealed (presence too): the opened view is the one to trust.
  const { view, sealed, refused } = useSealedPartner({ roomId, load, partnerPresent: !!partnerPresence });
  const partnerName = (sealed ? view.partner?.displayName : (partnerPresence?.displayName ?? view.partner?.displayName)) || strings.common.partnerFallback;
  const partnerJoined = !!(view.partner || partnerPresence);

  useEffect(() => {
    if (partnerJoined) updateCredentials(roomId, { inviteUrl: undefined });
  }, [partnerJoined, roomId]);

  const value = useMemo<RoomContextValue>(
    () => ({
      roomId,
      token,
      view,
      template,
      session,
      seat,
      partnerSeat,
      names: seat === 'a' ? { a: view.me.displayName, b: partnerName } : { a: partnerName, b: view.me.displayName },
      partnerJoined,
      sealed,
      ...stores,
    }),
    [roomId, token, view, template, session, seat, partnerSeat, partnerName, partnerJoined, sealed, stores],
  );

  if (refused) {
    return (
      <Notice heading={strings.appName}>
        <p role="alert">{strings.sealedRoom.partnerKeyUnchecked}</p>
      </Notice>
    );
  }
  return (
    <RoomContext.Provider value={value}>
      <RoomShell renderers={renderers} sessionState={sessionState} />
    </RoomContext.Provider>
  );
}
