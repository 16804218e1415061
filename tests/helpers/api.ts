import { noteTokens } from './suite-artifacts';
import type { CreateRoomResponse, JoinRoomResponse, RoomView } from '@parley/shared/protocol/http';
import { fromBase64Url, toBase64Url, utf8Bytes } from '@parley/shared/sealed/bytes';
import { bindPublicKey, deriveInviteKeys, deriveSeatKeys, generateLinkSecret, inviteSecretOf, verifyPublicKeyBinding, type InviteKeys, type SeatKeys } from '@parley/shared/sealed/keys';
import { derivePairKeys, type PairKeys } from '@parley/shared/sealed/pair';

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

export interface SealedPair extends Pair {
  /** what each seat's client derived from its link secret (the server saw only the auth tokens) */
  keys: { a: SeatKeys; b: SeatKeys; invite: InviteKeys };
}

/**
 * A sealed room (server built with `sealedRooms`) created as Alex and joined as Blake, each with
 * secrets their client made: the same `Pair` shape, plus the keys the clients hold. The names are
 * opaque to the server (a real client seals them; here they are just base64url).
 */
export async function createSealedPair(base: string, opts: { revealMode?: 'full' | 'discreet' } = {}): Promise<SealedPair> {
  const secretA = generateLinkSecret();
  const a = await deriveSeatKeys(secretA);
  const invite = await deriveInviteKeys(await inviteSecretOf(secretA));
  const b = await deriveSeatKeys(generateLinkSecret());
  const seatBody = async (seat: 'a' | 'b', keys: SeatKeys, name: string) => ({
    token: keys.authToken,
    displayName: toBase64Url(utf8Bytes(name)),
    publicKey: toBase64Url(keys.identity.publicKey),
    binding: toBase64Url(await bindPublicKey(invite.binding, seat, keys.identity.publicKey)),
  });
  noteTokens({ token: a.authToken, inviteToken: invite.authToken, partnerToken: b.authToken });
  const created = await http<{ roomId: string; participant: { id: string } }>(base, 'POST', '/api/rooms', {
    body: { sealed: true, inviteToken: invite.authToken, ...(opts.revealMode ? { revealMode: opts.revealMode } : {}), ...(await seatBody('a', a, 'Alex')) },
  });
  if (created.status !== 201) throw new Error(`sealed create failed: ${created.status} ${created.text}`);
  const { roomId } = created.body;
  const joined = await http<{ participant: { id: string } }>(base, 'POST', `/api/rooms/${roomId}/join`, {
    body: { inviteToken: invite.authToken, ...(await seatBody('b', b, 'Blake')) },
  });
  if (joined.status !== 201) throw new Error(`sealed join failed: ${joined.status} ${joined.text}`);
  return {
    roomId,
    a: { id: created.body.participant.id, token: a.authToken, name: 'Alex' },
    b: { id: joined.body.participant.id, token: b.authToken, name: 'Blake' },
    inviteToken: invite.authToken,
    keys: { a, b, invite },
  };
}

/** A seat's pair keys from both seats' own keys (the binding check is the SJ tests' and `servedPairKeysOf`'s). */
export async function pairKeysOf(pair: SealedPair, seat: 'a' | 'b'): Promise<PairKeys> {
  const [own, partner] = seat === 'a' ? [pair.keys.a, pair.keys.b] : [pair.keys.b, pair.keys.a];
  const derived = await derivePairKeys({ roomId: pair.roomId, seat, identity: own.identity, partnerPublic: partner.identity.publicKey });
  if (!derived.ok) throw new Error(derived.reason);
  return derived.keys;
}

/**
 * A seat's pair keys as its client gets them: the partner's key from `GET /api/rooms/:id`,
 * checked against its binding with the invite's binding key, then agreed.
 */
export async function servedPairKeysOf(base: string, pair: SealedPair, seat: 'a' | 'b'): Promise<PairKeys> {
  const own = pair.keys[seat];
  const other = seat === 'a' ? 'b' : 'a';
  const view = await http<RoomView>(base, 'GET', `/api/rooms/${pair.roomId}`, { token: own.authToken });
  const served = view.body.keys?.[other];
  if (!served) throw new Error('no partner key');
  const publicKey = fromBase64Url(served.publicKey, 32);
  const binding = fromBase64Url(served.binding, 32);
  if (!publicKey.ok || !binding.ok || !(await verifyPublicKeyBinding(pair.keys.invite.binding, other, publicKey.bytes, binding.bytes))) throw new Error('partner key does not verify');
  const derived = await derivePairKeys({ roomId: pair.roomId, seat, identity: own.identity, partnerPublic: publicKey.bytes });
  if (!derived.ok) throw new Error(derived.reason);
  return derived.keys;
}

export async function getRoom(base: string, roomId: string, token: string): Promise<RoomView> {
  const res = await http<RoomView>(base, 'GET', `/api/rooms/${roomId}`, { token });
  if (res.status !== 200) throw new Error(`get room failed: ${res.status}`);
  return res.body;
}
