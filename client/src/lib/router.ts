import { useSyncExternalStore } from 'react';
import { APP_PATHS } from '@parley/shared/app-paths';

/** A tiny history router: the app has a handful of pages, no library needed. */
export type Route =
  | { name: 'home' }
  | { name: 'join'; roomId: string }
  | { name: 'room'; roomId: string }
  | { name: 'invite'; roomId: string }
  | { name: 'workshopNew' }
  | { name: 'worksheet'; workshopId: string }
  | { name: 'workshopJoin'; code: string | null }
  | { name: 'dashboard'; workshopId: string }
  | { name: 'projector'; workshopId: string }
  | { name: 'notFound' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const join = APP_PATHS.join.exec(pathname);
  if (join?.[1]) return { name: 'join', roomId: join[1] };
  const room = APP_PATHS.room.exec(pathname);
  if (room?.[1]) return { name: 'room', roomId: room[1] };
  const invite = APP_PATHS.invite.exec(pathname);
  if (invite?.[1]) return { name: 'invite', roomId: invite[1] };
  if (APP_PATHS.workshopNew.test(pathname)) return { name: 'workshopNew' };
  const worksheet = APP_PATHS.worksheet.exec(pathname);
  if (worksheet?.[1]) return { name: 'worksheet', workshopId: worksheet[1] };
  const dashboard = APP_PATHS.dashboard.exec(pathname);
  if (dashboard?.[1]) return { name: 'dashboard', workshopId: dashboard[1] };
  const projector = APP_PATHS.projector.exec(pathname);
  if (projector?.[1]) return { name: 'projector', workshopId: projector[1] };
  const workshopJoin = APP_PATHS.workshopJoin.exec(pathname);
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
