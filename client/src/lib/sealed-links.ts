import { decodeLinkSecret } from '@parley/shared/sealed/keys';

/**
 * A sealed room's links (docs/sealed-rooms.md §2), built by the client since the server never
 * sees a secret: `/r/<room>#s=<seat secret>` to resume, `/join/<room>#s=<invite secret>` to
 * join. Seat b's resume link also carries the invite secret (`&i=`): b's other devices need it
 * to check seat a's key and to open the names (the §2 deviation from one secret per link).
 */
export interface SealedFragment {
  /** `s`: the seat secret on a resume link, the invite secret on an invite */
  secret: string;
  /** `i`: the invite secret on seat b's resume link */
  invite: string | null;
}

const roomPath = (roomId: string) => encodeURIComponent(roomId);

export function sealedResumeUrl(origin: string, roomId: string, seatSecret: string, inviteSecret?: string): string {
  return `${origin}/r/${roomPath(roomId)}#s=${seatSecret}${inviteSecret ? `&i=${inviteSecret}` : ''}`;
}

export function sealedInviteUrl(origin: string, roomId: string, inviteSecret: string): string {
  return `${origin}/join/${roomPath(roomId)}#s=${inviteSecret}`;
}

/**
 * Reads a sealed link's fragment. `none`: not a sealed link (no `s`, e.g. a standard `#t=`);
 * `broken`: a sealed link cut short or altered (a secret that is not 43 base64url characters).
 */
export function parseSealedFragment(hash: string): { kind: 'none' } | { kind: 'broken' } | ({ kind: 'sealed' } & SealedFragment) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const secret = params.get('s');
  if (secret === null) return { kind: 'none' };
  const invite = params.get('i');
  if (!decodeLinkSecret(secret.trim()).ok) return { kind: 'broken' };
  if (invite !== null && !decodeLinkSecret(invite.trim()).ok) return { kind: 'broken' };
  return { kind: 'sealed', secret: secret.trim(), invite: invite === null ? null : invite.trim() };
}
