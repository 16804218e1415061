import type { ErrorCode, ErrorReason } from '@parley/shared/protocol/errors';
import type {
  CreateRoomBody,
  CreateRoomResponse,
  CreateSealedRoomBody,
  CreateSealedRoomResponse,
  InvitePreview,
  JoinRoomBody,
  JoinRoomResponse,
  JoinSealedRoomBody,
  JoinSealedRoomResponse,
  RoomView,
  TemplateListEntry,
} from '@parley/shared/protocol/http';
import type { Template } from '@parley/shared/template/schema';
import type {
  CreateWorkshopBody,
  CreateWorkshopResponse,
  JoinWorkshopBody,
  JoinWorkshopResponse,
  RoomWorkshopView,
  WorkshopState,
} from '@parley/shared/protocol/workshop';

/** An HTTP failure as data: the contract's error code (and reason, if any), or `network` when nothing answered. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    readonly status: number,
    message: string,
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  token?: string;
}

async function send(path: string, { method = 'GET', body, token }: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network', 0, 'network error');
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: ErrorCode; message?: string; reason?: ErrorReason } };
    if (body.error?.code) return new ApiError(body.error.code, res.status, body.error.message ?? '', body.error.reason);
  } catch {
    // not JSON: fall through to a status-derived code
  }
  const code: ErrorCode =
    res.status === 401 ? 'unauthorized'
    : res.status === 403 ? 'forbidden'
    : res.status === 404 ? 'not_found'
    : res.status === 429 ? 'rate_limited'
    : res.status === 503 ? 'unavailable'
    : 'internal';
  return new ApiError(code, res.status, res.statusText);
}

async function json<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts);
  return (await res.json()) as T;
}

export const api = {
  createRoom: (body: CreateRoomBody) => json<CreateRoomResponse>('/api/rooms', { method: 'POST', body }),
  joinRoom: (roomId: string, body: JoinRoomBody) =>
    json<JoinRoomResponse>(`/api/rooms/${encodeURIComponent(roomId)}/join`, { method: 'POST', body }),
  /** a sealed room (issue 16): the body carries derived tokens, public keys and sealed strings only */
  createSealedRoom: (body: CreateSealedRoomBody) => json<CreateSealedRoomResponse>('/api/rooms', { method: 'POST', body }),
  joinSealedRoom: (roomId: string, body: JoinSealedRoomBody) =>
    json<JoinSealedRoomResponse>(`/api/rooms/${encodeURIComponent(roomId)}/join`, { method: 'POST', body }),
  invitePreview: (roomId: string, inviteToken: string) =>
    json<InvitePreview>(`/api/rooms/${encodeURIComponent(roomId)}/invite`, { token: inviteToken }),
  getRoom: (roomId: string, token: string) =>
    json<RoomView>(`/api/rooms/${encodeURIComponent(roomId)}`, { token }),
  deleteRoom: async (roomId: string, token: string) => {
    await send(`/api/rooms/${encodeURIComponent(roomId)}`, { method: 'DELETE', token });
  },
  createWorkshop: (body: CreateWorkshopBody) => json<CreateWorkshopResponse>('/api/workshops', { method: 'POST', body }),
  joinWorkshop: (body: JoinWorkshopBody) => json<JoinWorkshopResponse>('/api/workshops/join', { method: 'POST', body }),
  getWorkshop: (id: string, token: string) => json<WorkshopState>(`/api/workshops/${encodeURIComponent(id)}`, { token }),
  getRoomWorkshop: (roomId: string, token: string) =>
    json<{ workshop: RoomWorkshopView | null }>(`/api/rooms/${encodeURIComponent(roomId)}/workshop`, { token }),
  listTemplates: () => json<{ templates: TemplateListEntry[] }>('/api/templates'),
  getTemplate: (id: string) => json<Template>(`/api/templates/${encodeURIComponent(id)}`),
  /** The template version the room was made with (a workshop's own worksheet included). */
  getRoomTemplate: (roomId: string, token: string) => json<Template>(`/api/rooms/${encodeURIComponent(roomId)}/template`, { token }),
  getWorkshopTemplate: (id: string, token: string) => json<Template>(`/api/workshops/${encodeURIComponent(id)}/template`, { token }),
  saveWorkshopTemplate: (id: string, token: string, template: Template) =>
    json<{ id: string; version: number }>(`/api/workshops/${encodeURIComponent(id)}/template`, { method: 'PUT', token, body: template }),
  /** The agreement export as a Blob, ready to download. */
  /** `timeZone`: the reader's, in which the file words confirmation times */
  exportAgreement: async (roomId: string, token: string, format: 'md' | 'json', timeZone: string) => {
    const res = await send(`/api/rooms/${encodeURIComponent(roomId)}/agreement?format=${format}&tz=${encodeURIComponent(timeZone)}`, { token });
    return res.blob();
  },
};
