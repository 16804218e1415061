import type { Seat } from '@parley/shared/protocol/ids';
import { offlineKey } from './offline-room';
import { sealedResumeUrl } from './sealed-links';

/**
 * Capability tokens arrive in the URL fragment (never sent to the server by the browser),
 * are moved to local storage per room, and the fragment is stripped from the address bar.
 */
export interface RoomCredentials {
  /** the bearer token: the server's in a standard room, derived from `seatSecret` in a sealed one */
  token: string;
  /** sealed rooms (docs/sealed-rooms.md §2): this seat's link secret, from which every key is derived */
  seatSecret?: string;
  /** sealed rooms, seat b: the invite secret, to check seat a's key and open the names */
  inviteSecret?: string;
  participantId?: string;
  seat?: Seat;
  /** Only in the creator's browser, until the partner has joined. */
  inviteUrl?: string;
}

const key = (roomId: string) => `parley:room:${roomId}`;

export function loadCredentials(roomId: string): RoomCredentials | null {
  try {
    const raw = localStorage.getItem(key(roomId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<RoomCredentials>;
    return typeof parsed.token === 'string' && parsed.token ? (parsed as RoomCredentials) : null;
  } catch {
    return null;
  }
}

export function saveCredentials(roomId: string, creds: RoomCredentials): void {
  try {
    localStorage.setItem(key(roomId), JSON.stringify(creds));
  } catch {
    // storage full or disabled: the session still works until the tab closes
  }
}

export function updateCredentials(roomId: string, patch: Partial<RoomCredentials>): void {
  const current = loadCredentials(roomId);
  if (current) saveCredentials(roomId, { ...current, ...patch });
}

const deletedKey = (roomId: string) => `parley:deleted:${roomId}`;
/**
 * How long a deleted room's mark is kept: long enough for a partner who was away to come back
 * to the link and read why it no longer opens, short enough that a shared device does not keep
 * a list of rooms that once existed.
 */
export const DELETED_MARK_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Forgets this browser's key to a room. For a deleted room it keeps one mark (no token, nothing
 * of the room but its id, and only for `DELETED_MARK_MS`), so that a reload says "this room was
 * deleted" and not "no key here".
 */
export function forgetRoom(roomId: string, { deleted = false }: { deleted?: boolean } = {}): void {
  try {
    localStorage.removeItem(key(roomId));
    localStorage.removeItem(`parley:primer:${roomId}`);
    localStorage.removeItem(offlineKey(roomId));
    if (deleted) localStorage.setItem(deletedKey(roomId), String(Date.now()));
  } catch {
    // nothing to forget
  }
}

/** Whether this browser saw the room deleted recently; an expired mark is removed. */
export function roomWasDeleted(roomId: string): boolean {
  try {
    const at = Number(localStorage.getItem(deletedKey(roomId)));
    if (Number.isFinite(at) && at > 0 && Date.now() - at < DELETED_MARK_MS) return true;
    localStorage.removeItem(deletedKey(roomId));
    return false;
  } catch {
    return false;
  }
}

/** Reads the whole fragment (`#…`, or '') and strips it from the address bar. */
export function takeFragment(): string {
  const hash = window.location.hash;
  if (hash) history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return hash;
}

/** Reads `#<name>=<value>` from the fragment and strips the fragment from the address bar. */
export function takeFragmentParam(name: string): string | null {
  const hash = takeFragment().replace(/^#/, '');
  if (!hash) return null;
  const value = new URLSearchParams(hash).get(name);
  return value && value.trim() ? value.trim() : null;
}

/**
 * Whether this browser may run the room as the server describes it. A browser holding a seat
 * secret came in by a sealed room's link: a view that says standard (a hostile or broken server)
 * would put the private doc, with every answer, on `/yjs` in plaintext, and the name and title
 * with it. That is refused, never run as a standard room. (The reverse, a sealed view without a
 * seat secret, is `unauthorized` in `RoomPage`: this browser has no key for it.)
 */
export function roomKindRefusal(creds: Pick<RoomCredentials, 'seatSecret'>, view: { sealed?: boolean }): 'not sealed' | null {
  return creds.seatSecret && view.sealed !== true ? 'not sealed' : null;
}

/** One's own link back in: `#t=` in a standard room, `#s=` (and seat b's `&i=`) in a sealed one. */
export function resumeUrlFor(roomId: string, creds: Pick<RoomCredentials, 'token' | 'seatSecret' | 'inviteSecret'>): string {
  if (creds.seatSecret) return sealedResumeUrl(window.location.origin, roomId, creds.seatSecret, creds.inviteSecret);
  return `${window.location.origin}/r/${encodeURIComponent(roomId)}#t=${creds.token}`;
}

export function primerSeen(roomId: string): boolean {
  try {
    return localStorage.getItem(`parley:primer:${roomId}`) === '1';
  } catch {
    return false;
  }
}

export function markPrimerSeen(roomId: string): void {
  try {
    localStorage.setItem(`parley:primer:${roomId}`, '1');
  } catch {
    // fine: the primer shows again next time
  }
}
