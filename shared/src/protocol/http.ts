import { z } from 'zod';
import { Id } from './ids';
import type { Seat } from './ids';
import type { SectionState } from './room-doc';

/** Characters that may not appear in names and titles: C0/C1 controls, bidi overrides. */
export const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const DisplayName = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'displayName must not be empty')
      .max(40, 'displayName is at most 40 characters')
      .refine((s) => !CONTROL_RE.test(s), 'displayName must not contain control characters'),
  );

export const Title = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .max(80, 'title is at most 80 characters')
      .refine((s) => !CONTROL_RE.test(s), 'title must not contain control characters'),
  );

export const RevealMode = z.enum(['full', 'discreet']);
export type RevealMode = z.infer<typeof RevealMode>;

const TemplateId = z.string().regex(/^[a-z0-9-]{1,40}$/).default('default');

export const CreateRoomBody = z.strictObject({
  /** absent or false: a standard room (a sealed room has its own body, `CreateSealedRoomBody`) */
  sealed: z.literal(false).optional(),
  displayName: DisplayName,
  template: TemplateId,
  revealMode: RevealMode.default('full'),
  title: Title.optional(),
});
export type CreateRoomBody = z.input<typeof CreateRoomBody>;

export const JoinRoomBody = z.strictObject({
  inviteToken: z.string().min(1).max(200),
  displayName: DisplayName,
});
export type JoinRoomBody = z.input<typeof JoinRoomBody>;

/**
 * Exactly 32 bytes in canonical base64url: 43 characters, the last of which carries 4 bits and
 * two zero bits (so one value has one spelling). What a sealed room's client sends for its auth
 * tokens (the shape of the server's own tokens), its X25519 public key and its binding.
 */
const BYTES_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const Bytes32 = (what: string) => z.string().regex(BYTES_32, `${what} must be 32 bytes of base64url (43 characters)`);

/**
 * The longest sealed title or display name, in characters. The server never opens one: the
 * client seals it (sealed-rooms.md §9) and the server stores and returns it verbatim. A name of
 * 40 characters or a title of 80 fits an envelope of the 512-byte bucket (554 bytes, 739
 * characters).
 */
export const SEALED_TEXT_MAX = 1024;
const SealedText = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(SEALED_TEXT_MAX, `${what} is at most ${SEALED_TEXT_MAX} characters`)
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url (a sealed room's ${what} is sealed by the client)`);

/** What a sealed room's client sends for a seat, at creation (seat a) and join (seat b). */
const SealedSeatFields = {
  displayName: SealedText('displayName'),
  /** the seat's own auth token */
  token: Bytes32('token'),
  /** the invite's auth token: made by seat a at creation, presented by seat b at the join */
  inviteToken: Bytes32('inviteToken'),
  publicKey: Bytes32('publicKey'),
  binding: Bytes32('binding'),
};
const differentTokens = (body: { token: string; inviteToken: string }) => body.token !== body.inviteToken;
const DIFFERENT_TOKENS = { message: 'token and inviteToken must differ', path: ['inviteToken'] };

/**
 * `POST /api/rooms {sealed: true, …}` (issue 16, behind the `sealedRooms` build option): the
 * client made seat a's secret, so it sends what the server needs and nothing it must not have —
 * seat a's auth token and the invite's (stored hashed, as the server's own), seat a's X25519
 * public key and its binding under the invite's key.
 */
export const CreateSealedRoomBody = z
  .strictObject({ sealed: z.literal(true), template: TemplateId, revealMode: RevealMode.default('full'), title: SealedText('title').optional(), ...SealedSeatFields })
  .refine(differentTokens, DIFFERENT_TOKENS);
export type CreateSealedRoomBody = z.input<typeof CreateSealedRoomBody>;

/** `POST /api/rooms/:roomId/join` of a sealed room: seat b's own auth token, public key and binding. */
export const JoinSealedRoomBody = z.strictObject(SealedSeatFields).refine(differentTokens, DIFFERENT_TOKENS);
export type JoinSealedRoomBody = z.input<typeof JoinSealedRoomBody>;

export const RoomIdParams = z.strictObject({ roomId: Id });

export interface ParticipantCredentials {
  id: string;
  seat: Seat;
  token: string;
}

export interface CreateRoomResponse {
  roomId: string;
  participant: ParticipantCredentials;
  invite: { token: string; url: string };
  resumeUrl: string;
}

export interface JoinRoomResponse {
  roomId: string;
  participant: ParticipantCredentials;
  resumeUrl: string;
}

/** A sealed room's create or join: no token and no link, since the client made them. */
export interface SealedSeatResponse<S extends Seat> {
  roomId: string;
  participant: { id: string; seat: S };
  sealed: true;
}
export type CreateSealedRoomResponse = SealedSeatResponse<'a'>;
export type JoinSealedRoomResponse = SealedSeatResponse<'b'>;

/** A seat's X25519 public key and its binding under the invite's key (both base64url, 32 bytes). */
export interface SealedSeatKey {
  publicKey: string;
  binding: string;
}

/**
 * `GET /api/rooms/:roomId/invite` (Bearer invite token): what the join page says before anyone
 * types a name. A used invite says only that: its room's title and names are no longer the
 * link holder's business.
 */
export type InvitePreview =
  | { status: 'open'; title: string | null; inviterName: string }
  /** a sealed room: title and name as the client sealed them, and seat a's key for the joiner to check before joining */
  | ({ status: 'open'; sealed: true; title: string | null; inviterName: string } & SealedSeatKey)
  | { status: 'used' };

export interface ParticipantView {
  id: string;
  seat: Seat;
  displayName: string;
}

export interface SectionSummary {
  id: string;
  state: SectionState;
  round: number;
  ready: { a: boolean; b: boolean };
}

export interface RoomView {
  roomId: string;
  title: string | null;
  revealMode: RevealMode;
  template: { id: string; version: number };
  me: ParticipantView;
  partner: ParticipantView | null;
  sections: SectionSummary[];
  paused: boolean;
  createdAt: string;
  /** addition (issue 16): in a sealed room, title and display names are the client's sealed strings */
  sealed: boolean;
  /** sealed rooms only: both seats' public keys and bindings (b null until the join) */
  keys?: { a: SealedSeatKey; b: SealedSeatKey | null };
}

/** True if `timeZone` is an IANA zone this runtime knows ("Europe/Berlin", "UTC"). */
function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const AgreementQuery = z.strictObject({
  format: z.enum(['json', 'md']).default('json'),
  /** the IANA time zone confirmation times are written in (the reader's; UTC when absent) */
  tz: z.string().max(64).refine((tz) => isTimeZone(tz), 'not a known time zone').optional(),
});

export interface TemplateListEntry {
  id: string;
  version: number;
  title: string;
  description: string;
}
