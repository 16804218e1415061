/**
 * A base64url run longer than an id (`newId`: 22 characters) is treated as a secret: every
 * token (`newToken`: 43 characters) is one, while room, participant and workshop ids stay
 * readable in the logs.
 */
const TOKEN_SHAPED = /[A-Za-z0-9_-]{23,}/g;

/**
 * A request URL as it may be logged: without its query string (WebSocket URLs carry
 * `?token=`) and with every token-shaped piece of the path (a broken client's
 * `/r/<token>`) replaced by `[redacted]`.
 */
export function redactUrl(url: string | undefined): string {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return path.replace(TOKEN_SHAPED, '[redacted]');
}
