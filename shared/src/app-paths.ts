/**
 * The web client's page addresses, shared so the client's router and the server agree on
 * which paths are pages: the server answers any other path with the app shell and a 404 (the
 * client shows "no page at this address"), not a 200 for a page that is not there.
 */
const ID = '([A-Za-z0-9_-]{10,64})';

export const APP_PATHS = {
  join: new RegExp(`^/join/${ID}/?$`),
  room: new RegExp(`^/r/${ID}/?$`),
  invite: new RegExp(`^/r/${ID}/invite/?$`),
  workshopNew: /^\/workshop\/?$/,
  worksheet: new RegExp(`^/w/${ID}/worksheet/?$`),
  dashboard: new RegExp(`^/w/${ID}/?$`),
  projector: new RegExp(`^/w/${ID}/projector/?$`),
  workshopJoin: /^\/j(?:\/([A-Za-z0-9-]{1,12}))?\/?$/,
} as const;

export function isAppPath(pathname: string): boolean {
  return pathname === '/' || pathname === '' || Object.values(APP_PATHS).some((re) => re.test(pathname));
}
