import { noteTokens } from './suite-artifacts';
import type { CreateRoomResponse, JoinRoomResponse, RoomView } from '@parley/shared/protocol/http';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function http<T = unknown>(base: string, method: string, path: string, opts: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(base + path, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
    noteTokens(body);
  } catch {
    // not JSON (Markdown export, empty 204)
  }
  return { status: res.status, body: body as T, text, headers: res.headers };
}

export interface Pair {
  roomId: string;
  a: { id: string; token: string; name: string };
  b: { id: string; token: string; name: string };
  inviteToken: string;
}

/** Creates a room as Alex and joins it as Blake. */
export async function createPair(base: string, opts: { revealMode?: 'full' | 'discreet'; title?: string } = {}): Promise<Pair> {
  const created = await http<CreateRoomResponse>(base, 'POST', '/api/rooms', {
    body: { displayName: 'Alex', ...(opts.revealMode ? { revealMode: opts.revealMode } : {}), ...(opts.title ? { title: opts.title } : {}) },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const joined = await http<JoinRoomResponse>(base, 'POST', `/api/rooms/${created.body.roomId}/join`, {
    body: { inviteToken: created.body.invite.token, displayName: 'Blake' },
  });
  if (joined.status !== 201) throw new Error(`join failed: ${joined.status} ${joined.text}`);
  return {
    roomId: created.body.roomId,
    a: { id: created.body.participant.id, token: created.body.participant.token, name: 'Alex' },
    b: { id: joined.body.participant.id, token: joined.body.participant.token, name: 'Blake' },
    inviteToken: created.body.invite.token,
  };
}

export async function getRoom(base: string, roomId: string, token: string): Promise<RoomView> {
  const res = await http<RoomView>(base, 'GET', `/api/rooms/${roomId}`, { token });
  if (res.status !== 200) throw new Error(`get room failed: ${res.status}`);
  return res.body;
}
