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

export const CreateRoomBody = z.strictObject({
  displayName: DisplayName,
  template: z.string().regex(/^[a-z0-9-]{1,40}$/).default('default'),
  revealMode: RevealMode.default('full'),
  title: Title.optional(),
});
export type CreateRoomBody = z.input<typeof CreateRoomBody>;

export const JoinRoomBody = z.strictObject({
  inviteToken: z.string().min(1).max(200),
  displayName: DisplayName,
});
export type JoinRoomBody = z.input<typeof JoinRoomBody>;

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

/**
 * `GET /api/rooms/:roomId/invite` (Bearer invite token): what the join page says before anyone
 * types a name. A used invite says only that: its room's title and names are no longer the
 * link holder's business.
 */
export type InvitePreview = { status: 'open'; title: string | null; inviterName: string } | { status: 'used' };

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
