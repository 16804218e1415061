import type { CreateSealedRoomBody, JoinSealedRoomBody, RevealMode, RoomView, SealedSeatKey } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { Verdict } from '@parley/shared/protocol/verdict';
import { fromBase64Url, toBase64Url } from '@parley/shared/sealed/bytes';
import {
  bindPublicKey,
  decodeLinkSecret,
  deriveInviteKeys,
  deriveSeatKeys,
  encodeLinkSecret,
  generateLinkSecret,
  inviteSecretOf,
  verifyPublicKeyBinding,
  type InviteKeys,
  type SeatKeys,
} from '@parley/shared/sealed/keys';
import { openName, sealName } from '@parley/shared/sealed/names';
import { derivePairKeys } from '@parley/shared/sealed/pair';
import type { SealedRoomKeys } from './room-context';

/**
 * What a sealed room's client does with its secrets (docs/sealed-rooms.md §2): makes them at
 * creation and join, checks the partner's public key against the invite's binding key before
 * using it, derives the pair keys and opens the title and names. Everything the server returns
 * is untrusted here; a key that does not check out is a refusal, never a fallback.
 */

/** Seat a's secrets and the create body, which carries none of them (tokens are derived, one-way). */
export interface SealedCreate {
  body: CreateSealedRoomBody;
  seatSecret: string;
  inviteSecret: string;
  token: string;
}

const otherSeat = (seat: Seat): Seat => (seat === 'a' ? 'b' : 'a');

/** What create (seat a) and join (seat b) send for a seat: derived token, public key, binding, sealed name. */
async function seatFields(seat: Seat, keys: SeatKeys, invite: InviteKeys, displayName: string): Promise<Verdict<{ fields: Omit<JoinSealedRoomBody, 'inviteToken'> }>> {
  const name = await sealName(invite.preview, seat, displayName);
  if (!name.ok) return name;
  const fields = {
    displayName: name.sealed,
    token: keys.authToken,
    publicKey: toBase64Url(keys.identity.publicKey),
    binding: toBase64Url(await bindPublicKey(invite.binding, seat, keys.identity.publicKey)),
  };
  return { ok: true, fields };
}

export async function prepareSealedCreate(input: { displayName: string; title: string; template: string; revealMode: RevealMode }): Promise<Verdict<SealedCreate>> {
  const secret = generateLinkSecret();
  const keys = await deriveSeatKeys(secret);
  const inviteSecret = await inviteSecretOf(secret);
  const invite = await deriveInviteKeys(inviteSecret);
  const seat = await seatFields('a', keys, invite, input.displayName);
  if (!seat.ok) return seat;
  const title = input.title.trim() ? await sealName(invite.preview, 'title', input.title) : null;
  if (title && !title.ok) return title;
  return {
    ok: true,
    body: { sealed: true, template: input.template, revealMode: input.revealMode, inviteToken: invite.authToken, ...seat.fields, ...(title ? { title: title.sealed } : {}) },
    seatSecret: encodeLinkSecret(secret),
    inviteSecret: encodeLinkSecret(inviteSecret),
    token: keys.authToken,
  };
}

/** Whether `key` is the one `seat` bound with the invite's binding key. */
async function checkedPublicKey(invite: InviteKeys, seat: Seat, key: SealedSeatKey): Promise<Uint8Array | null> {
  const publicKey = fromBase64Url(key.publicKey, 32);
  const binding = fromBase64Url(key.binding, 32);
  if (!publicKey.ok || !binding.ok) return null;
  return (await verifyPublicKeyBinding(invite.binding, seat, publicKey.bytes, binding.bytes)) ? publicKey.bytes : null;
}

/** The join page's preview opened, once seat a's key has been checked against the invite. */
export interface OpenedInvite {
  invite: InviteKeys;
  title: string | null;
  inviterName: string | null;
}

export async function openSealedInvite(inviteSecret: string, preview: { title: string | null; inviterName: string } & SealedSeatKey): Promise<Verdict<OpenedInvite, 'partner key'>> {
  const secret = decodeLinkSecret(inviteSecret);
  if (!secret.ok) return { ok: false, reason: 'partner key' };
  const invite = await deriveInviteKeys(secret.secret);
  if (!(await checkedPublicKey(invite, 'a', preview))) return { ok: false, reason: 'partner key' };
  const title = preview.title === null ? null : await openName(invite.preview, 'title', preview.title);
  const name = await openName(invite.preview, 'a', preview.inviterName);
  return { ok: true, invite, title: title?.ok ? title.text : null, inviterName: name.ok ? name.text : null };
}

/** Seat b's own secret and the join body. */
export async function prepareSealedJoin(invite: InviteKeys, displayName: string): Promise<Verdict<{ body: JoinSealedRoomBody; seatSecret: string; token: string }>> {
  const secret = generateLinkSecret();
  const keys = await deriveSeatKeys(secret);
  const seat = await seatFields('b', keys, invite, displayName);
  if (!seat.ok) return seat;
  return { ok: true, body: { inviteToken: invite.authToken, ...seat.fields }, seatSecret: encodeLinkSecret(secret), token: keys.authToken };
}

const secretBytes = (text: string | null): Uint8Array | null => {
  const decoded = text === null ? null : decodeLinkSecret(text);
  return decoded?.ok ? decoded.secret : null;
};

/** The auth token a seat secret gives (what the server knows this seat by), or null for a malformed secret. */
export async function tokenOf(seatSecret: string): Promise<string | null> {
  const secret = decodeLinkSecret(seatSecret);
  return secret.ok ? (await deriveSeatKeys(secret.secret)).authToken : null;
}

/** The invite's auth token (what claims seat b), or null for a malformed secret. */
export async function inviteTokenOf(inviteSecret: string): Promise<string | null> {
  const secret = decodeLinkSecret(inviteSecret);
  return secret.ok ? (await deriveInviteKeys(secret.secret)).authToken : null;
}

export type SealedOpenProblem = 'no invite secret' | 'partner key';

/** A sealed room as this browser sees it: its keys, and the view with title and names opened. */
export interface OpenedSealedRoom {
  keys: SealedRoomKeys;
  view: RoomView;
}

/**
 * Derives a seat's keys, checks the partner's public key (if they joined) and derives the pair
 * keys, and opens the title and names. Seat a has the invite secret from its own; seat b keeps
 * it from the invite (`inviteSecret`). Run again when the partner joins later.
 */
export async function openSealedRoom(input: { roomId: string; view: RoomView; seatSecret: string; inviteSecret: string | null }): Promise<Verdict<OpenedSealedRoom, SealedOpenProblem>> {
  const { view } = input;
  const seat = view.me.seat;
  const secret = decodeLinkSecret(input.seatSecret);
  if (!secret.ok) return { ok: false, reason: 'partner key' };
  const seatKeys = await deriveSeatKeys(secret.secret);
  const inviteBytes = seat === 'a' ? await inviteSecretOf(secret.secret) : secretBytes(input.inviteSecret);
  if (!inviteBytes) return { ok: false, reason: 'no invite secret' };
  const invite = await deriveInviteKeys(inviteBytes);

  const partnerSeat = otherSeat(seat);
  const partnerKey = view.keys?.[partnerSeat] ?? null;
  let pair: SealedRoomKeys['pair'] = null;
  if (partnerKey) {
    const partnerPublic = await checkedPublicKey(invite, partnerSeat, partnerKey);
    if (!partnerPublic) return { ok: false, reason: 'partner key' };
    const derived = await derivePairKeys({ roomId: input.roomId, seat, identity: seatKeys.identity, partnerPublic });
    if (!derived.ok) return { ok: false, reason: 'partner key' };
    pair = derived.keys;
  }

  const title = view.title === null ? null : await openName(invite.preview, 'title', view.title);
  const me = await openName(invite.preview, seat, view.me.displayName);
  const partner = view.partner && (await openName(invite.preview, partnerSeat, view.partner.displayName));
  return {
    ok: true,
    keys: { seat: seatKeys, pair },
    view: {
      ...view,
      title: title?.ok ? title.text : null,
      me: { ...view.me, displayName: me.ok ? me.text : '' },
      partner: view.partner && { ...view.partner, displayName: partner?.ok ? partner.text : '' },
    },
  };
}

/** Opens a partner's sealed name as the "room is ready" page hears it (presence): null if it does not open. */
export async function openPartnerName(seatASecret: string, sealed: string): Promise<string | null> {
  const secret = decodeLinkSecret(seatASecret);
  if (!secret.ok) return null;
  const invite = await deriveInviteKeys(await inviteSecretOf(secret.secret));
  const name = await openName(invite.preview, 'b', sealed);
  return name.ok ? name.text : null;
}

/** The title as seat a's "room is ready" page shows it. */
export async function openTitle(seatASecret: string, sealed: string | null): Promise<string | null> {
  const secret = decodeLinkSecret(seatASecret);
  if (!secret.ok || sealed === null) return null;
  const invite = await deriveInviteKeys(await inviteSecretOf(secret.secret));
  const title = await openName(invite.preview, 'title', sealed);
  return title.ok ? title.text : null;
}
