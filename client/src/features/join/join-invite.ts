import type { InvitePreview } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import { api } from '../../lib/api';
import { parseSealedFragment } from '../../lib/sealed-links';
import type { OpenedInvite } from '../../lib/sealed-room';
import { strings } from '../../lib/strings';

/**
 * What the join page does with its link and the server's answers, apart from the screen. A sealed
 * invite (`#s=`) only ever joins as a sealed room: a preview that says standard (a hostile
 * server), or none at all (the check failed), must not turn it into a standard join, which would
 * send the joiner's name in plaintext and put their answers on a channel the server reads.
 */

/** What the link carries: a standard invite token (`#i=`) or a sealed room's invite secret (`#s=`). */
export type Invite = { kind: 'standard'; token: string } | { kind: 'sealed'; secret: string };

export function inviteFromHash(hash: string): Invite | null {
  const sealed = parseSealedFragment(hash);
  if (sealed.kind === 'sealed') return { kind: 'sealed', secret: sealed.secret };
  if (sealed.kind === 'broken') return null;
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('i')?.trim();
  return token ? { kind: 'standard', token } : null;
}

/** Loaded on demand: the start page's bundle (which holds the join page) stays without the sealed-room crypto. */
const sealedRoom = () => import('../../lib/sealed-room');

/** The invite's auth token: the link's own, or the one a sealed invite secret derives. */
async function inviteToken(invite: Invite): Promise<string | null> {
  if (invite.kind === 'standard') return invite.token;
  return (await sealedRoom()).inviteTokenOf(invite.secret);
}

export type Preview = InvitePreview | 'loading' | 'not_found' | 'unknown' | 'partner_key';

/** The preview as the page shows it: a sealed one opened (and seat a's key checked) first. */
export async function loadPreview(roomId: string, invite: Invite): Promise<{ preview: Preview; sealed: OpenedInvite | null }> {
  const token = await inviteToken(invite);
  if (!token) return { preview: 'not_found', sealed: null };
  const preview = await api.invitePreview(roomId, token);
  const sealedPreview = preview.status === 'open' && 'sealed' in preview;
  // A sealed link's room is sealed: an open preview without seat a's key is no room to join.
  if (invite.kind === 'sealed' && preview.status === 'open' && !sealedPreview) return { preview: 'partner_key', sealed: null };
  if (preview.status !== 'open' || !('sealed' in preview)) return { preview, sealed: null };
  if (invite.kind !== 'sealed') return { preview: 'not_found', sealed: null };
  const opened = await (await sealedRoom()).openSealedInvite(invite.secret, preview);
  if (!opened.ok) return { preview: 'partner_key', sealed: null };
  return {
    preview: { status: 'open', title: opened.title, inviterName: opened.inviterName ?? strings.common.partnerFallback },
    sealed: opened,
  };
}

/** What joining stores in this browser (`saveCredentials`). */
export interface Joined {
  roomId: string;
  token: string;
  participantId: string;
  seat: Seat;
  seatSecret?: string;
  inviteSecret?: string;
}

/**
 * Joins with the name typed. A sealed invite needs its opened preview (seat a's key checked):
 * without it nothing is sent, since the only other way in is a standard join, in plaintext.
 */
export async function joinWith(roomId: string, invite: Invite, sealed: OpenedInvite | null, name: string): Promise<Joined> {
  if (invite.kind === 'sealed') {
    if (!sealed) throw new Error(strings.sealedRoom.partnerKeyUnchecked);
    const prepared = await (await sealedRoom()).prepareSealedJoin(sealed.invite, name);
    if (!prepared.ok) throw new Error(prepared.reason);
    const res = await api.joinSealedRoom(roomId, prepared.body);
    return { roomId: res.roomId, token: prepared.token, seatSecret: prepared.seatSecret, inviteSecret: invite.secret, participantId: res.participant.id, seat: res.participant.seat };
  }
  const res = await api.joinRoom(roomId, { inviteToken: invite.token, displayName: name.trim() });
  return { roomId: res.roomId, token: res.participant.token, participantId: res.participant.id, seat: res.participant.seat };
}
