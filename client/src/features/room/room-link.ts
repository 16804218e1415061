import { loadCredentials, saveCredentials, takeFragment, type RoomCredentials } from '../../lib/credentials';
import { parseSealedFragment, type SealedFragment } from '../../lib/sealed-links';
import { tokenOf } from '../../lib/sealed-room';

/**
 * A room link's fragment, taken into this browser's storage. Anyone who knows a room's id can
 * make a link to it (a hostile partner: `/r/<room>#s=<any secret>` or `#t=<anything>`), and
 * opening one replaces this browser's key to the room. So the key it had is kept aside until the
 * server has accepted the link's: a link that does not open the room gives the old key back
 * (`restoreReplaced`) rather than locking its holder out of their seat, which in a sealed room
 * nothing could ever recover.
 */
export interface TakenLink {
  t: string | null;
  sealed: ReturnType<typeof parseSealedFragment>;
  /** this browser's credentials for the room before the link replaced them */
  previous: RoomCredentials | null;
}

/**
 * Read once per room and tab: the fragment is stripped at once, and the effect that reads it may
 * run twice (React's strict mode) before the derived token is saved.
 */
const taken = new Map<string, TakenLink>();

export function takeLink(roomId: string): TakenLink {
  const hash = takeFragment();
  if (hash) {
    const t = new URLSearchParams(hash.replace(/^#/, '')).get('t')?.trim() || null;
    taken.set(roomId, { t, sealed: parseSealedFragment(hash), previous: loadCredentials(roomId) });
  }
  return taken.get(roomId) ?? { t: null, sealed: { kind: 'none' }, previous: null };
}

/** Saves what a sealed resume link carries: the seat secret, seat b's invite secret, and the token they derive. */
export async function saveSealedLink(roomId: string, link: SealedFragment): Promise<boolean> {
  const token = await tokenOf(link.secret);
  if (!token) return false;
  const existing = loadCredentials(roomId);
  const same = existing?.seatSecret === link.secret;
  saveCredentials(roomId, {
    ...(same ? existing : {}),
    token,
    seatSecret: link.secret,
    ...(link.invite ? { inviteSecret: link.invite } : same && existing?.inviteSecret ? { inviteSecret: existing.inviteSecret } : {}),
  });
  return true;
}

/** Saves a standard link's token (`#t=`). */
export function saveTokenLink(roomId: string, token: string): void {
  const existing = loadCredentials(roomId);
  saveCredentials(roomId, existing?.token === token ? existing : { token });
}

/**
 * The server refused the token a link gave (`unauthorized` / `not_found`): puts back the key this
 * browser had before that link, if it had another one, and forgets the link. True when there is
 * one to try again with.
 */
export function restoreReplaced(roomId: string, refusedToken: string): boolean {
  const link = taken.get(roomId);
  const previous = link?.previous;
  if (!previous || previous.token === refusedToken) return false;
  taken.delete(roomId);
  saveCredentials(roomId, previous);
  return true;
}
