import { useSyncExternalStore } from 'react';

/** A tiny history router: the app has a handful of pages, no library needed. */
export type Route =
  | { name: 'home' }
  | { name: 'join'; roomId: string }
  | { name: 'room'; roomId: string }
  | { name: 'invite'; roomId: string }
  | { name: 'workshopNew' }
  | { name: 'workshopJoin'; code: string | null }
  | { name: 'dashboard'; workshopId: string }
  | { name: 'notFound' };

const ROOM_ID = '([A-Za-z0-9_-]{10,64})';
const JOIN_RE = new RegExp(`^/join/${ROOM_ID}/?$`);
const ROOM_RE = new RegExp(`^/r/${ROOM_ID}/?$`);
const INVITE_RE = new RegExp(`^/r/${ROOM_ID}/invite/?$`);
const DASHBOARD_RE = new RegExp(`^/w/${ROOM_ID}/?$`);
const WORKSHOP_JOIN_RE = /^\/j(?:\/([A-Za-z0-9-]{1,12}))?\/?$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const join = JOIN_RE.exec(pathname);
  if (join?.[1]) return { name: 'join', roomId: join[1] };
  const room = ROOM_RE.exec(pathname);
  if (room?.[1]) return { name: 'room', roomId: room[1] };
  const invite = INVITE_RE.exec(pathname);
  if (invite?.[1]) return { name: 'invite', roomId: invite[1] };
  if (pathname === '/workshop' || pathname === '/workshop/') return { name: 'workshopNew' };
  const dashboard = DASHBOARD_RE.exec(pathname);
  if (dashboard?.[1]) return { name: 'dashboard', workshopId: dashboard[1] };
  const workshopJoin = WORKSHOP_JOIN_RE.exec(pathname);
  if (workshopJoin) return { name: 'workshopJoin', code: workshopJoin[1] ?? null };
  return { name: 'notFound' };
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(path: string): void {
  history.pushState(null, '', path);
  notify();
  window.scrollTo(0, 0);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
