import { z } from 'zod';
import { DisplayName, Title, type ParticipantCredentials } from './http';
import { Id, Slug } from './ids';
import type { SectionState } from './room-doc';
import type { CommandData, CommandEvents } from './socket';

/**
 * Workshops: a facilitator paces many pairs and sees their progress and presence only.
 * Nothing in this file may ever carry an answer, a note, agreement text or a match result.
 */

/** Join and pair codes use an alphabet without look-alikes (no 0/O, 1/I/L, U/V). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;
export const PAIR_CODE_LENGTH = 4;

/** What people type: case, spaces and dashes are forgiven. */
export const normalizeCode = (raw: string): string => raw.toUpperCase().replace(/[\s-]+/g, '');

const codeOf = (length: number) =>
  z
    .string()
    .max(40)
    .transform(normalizeCode)
    .pipe(z.string().regex(new RegExp(`^[${CODE_ALPHABET}]{${length}}$`), `must be ${length} characters from the code alphabet`));

export const JoinCode = codeOf(JOIN_CODE_LENGTH);
export const PairCode = codeOf(PAIR_CODE_LENGTH);

export const WorkshopTitle = Title.pipe(z.string().min(1, 'title must not be empty'));

export const CreateWorkshopBody = z.strictObject({
  title: WorkshopTitle,
  facilitatorName: DisplayName,
  /** a built-in's id, or a worksheet of the facilitator's own (a template object, checked against the template schema) */
  template: z.union([z.string().regex(/^[a-z0-9-]{1,40}$/), z.record(z.string(), z.unknown())]).default('default'),
  /** sections stay locked until the facilitator unlocks them (deviation: not in contract v1) */
  lockSections: z.boolean().default(false),
});
export type CreateWorkshopBody = z.input<typeof CreateWorkshopBody>;

export const JoinWorkshopBody = z.strictObject({
  joinCode: JoinCode,
  displayName: DisplayName,
  pairCode: PairCode.optional(),
});
export type JoinWorkshopBody = z.input<typeof JoinWorkshopBody>;

export const WorkshopIdParams = z.strictObject({ id: Id });

export interface CreateWorkshopResponse {
  workshopId: string;
  facilitator: { token: string };
  joinCode: string;
  joinUrl: string;
  dashboardUrl: string;
}

export interface JoinWorkshopResponse {
  roomId: string;
  participant: ParticipantCredentials;
  resumeUrl: string;
  /** this room's own pair code: give it to the partner */
  pairCode: string;
  /**
   * True when the join brought a partner's pair code: the joiner has a room of their own and a
   * pending pairing with that partner, which both confirm on their own devices (deviation from
   * contract v1, where the code seated the joiner at once).
   */
  confirming: boolean;
}

/**
 * How far a pair is with one section, without saying who: `partly_ready` means one of the two
 * marked it ready (the facilitator needs pace, not pressure on a person).
 */
export type SectionProgress = 'open' | 'partly_ready' | 'revealed';

/** Progress of one section of one pair (deviation from contract v1: no per-seat readiness). */
export interface PairSectionProgress {
  id: string;
  state: SectionState;
  round: number;
  progress: SectionProgress;
}

export interface PairProgress {
  roomId: string;
  names: { a: string | null; b: string | null };
  /** the other waiting pair this person is confirming as their partner, if any */
  confirmingWith: string | null;
  online: { a: boolean; b: boolean };
  /** which section each partner is looking at (presence), or null */
  focus: { a: string | null; b: string | null };
  sections: PairSectionProgress[];
  hand: boolean;
  /** the facilitator's practice pair with a scripted demo partner */
  practice: boolean;
  /** ms since epoch */
  createdAt: number;
  /**
   * ms since epoch: the latest change the facilitator can see anyway — the pair joined, a
   * partner connected, left or moved to another section, a section was revealed. Never derived
   * from answers (typing moves nothing here). "Idle" on the dashboard is this, 10 minutes old.
   */
  activeAt: number;
}

/** `GET /api/workshops/:id` and the `workshop:state` event: progress and presence only. */
export interface WorkshopState {
  workshopId: string;
  title: string;
  facilitatorName: string;
  joinCode: string;
  joinUrl: string;
  template: { id: string; version: number };
  /** the template's sections in order, for column headings */
  sectionList: { id: string; title: string; kind: string }[];
  lockSections: boolean;
  unlocked: string[];
  timerEndsAt: number | null;
  message: { message: string; at: number } | null;
  ended: boolean;
  pairs: PairProgress[];
}

/**
 * What the projector shows (`workshop:projector`): nothing about any pair, no names. The
 * section in play is the latest unlocked one (locked workshops) or where most people are.
 */
export interface ProjectorState {
  title: string;
  joinCode: string;
  joinUrl: string;
  timerEndsAt: number | null;
  /** the last message to every pair (a message to one pair never shows here) */
  message: { message: string; at: number } | null;
  /** `number` is the section's place in the worksheet, as the rooms number it */
  section: { id: string; number: number; title: string } | null;
  ended: boolean;
}

/** What a participant's room knows about its workshop (`GET /api/rooms/:roomId/workshop`). */
export interface RoomWorkshopView {
  title: string;
  /** this room's pair code (only its own people ever see it) */
  pairCode: string;
  /** a pending pairing this person is asked to confirm, or null */
  pairing: PairingView | null;
  lockSections: boolean;
  unlocked: string[];
  /** true for the practice pair: sections are never locked there */
  practice: boolean;
  timerEndsAt: number | null;
  message: { message: string; at: number } | null;
  /** the facilitator's last message to this pair only (kept in the room doc) */
  pairMessage: { message: string; at: number } | null;
  hand: boolean;
}

/**
 * A proposed pairing as one of its two people sees it. Both screens show the same phrase; the
 * two compare it in person or on their call and each confirms on their own device. Until both
 * have, neither room holds the other person.
 */
export interface PairingView {
  partnerName: string;
  /** three words, the same on both screens, different for every proposal */
  phrase: string[];
  confirmedByMe: boolean;
  confirmedByPartner: boolean;
  /** who proposed it: the partner brought this pair's code, or the facilitator matched you */
  proposedBy: 'code' | 'facilitator';
}

/** socket.io `/workshop` namespace: facilitator → server commands. */
const FacilitatorMessage = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'message must not be empty').max(280, 'message is at most 280 characters'));

export const WorkshopCommand = {
  'workshop:unlock': z.strictObject({ sectionId: Slug }),
  /** takes an unlocked section back: pairs that have not revealed it cannot mark it ready until it is unlocked again */
  'workshop:relock': z.strictObject({ sectionId: Slug }),
  'workshop:broadcast': z.strictObject({ message: FacilitatorMessage }),
  /** a message to one pair only (not kept: it reaches whoever of the pair is connected) */
  'workshop:message-pair': z.strictObject({ roomId: Id, message: FacilitatorMessage }),
  /**
   * takes a pair out of the workshop; its room stays with its people. Without `confirmed` only
   * an empty pair goes (one person, never or no longer connected: what a retried join leaves);
   * a pair with someone in it answers `forbidden` / `pair_occupied`.
   */
  'workshop:remove-pair': z.strictObject({ roomId: Id, confirmed: z.boolean().optional() }),
  'workshop:timer': z.strictObject({ seconds: z.number().int().min(1).max(4 * 3600).nullable() }),
  'workshop:end': z.strictObject({}),
  /** proposes the person waiting alone in `from` as the partner of the one in `into`; both confirm */
  'workshop:pair': z.strictObject({ into: Id, from: Id }),
  /** opens (or returns) the practice pair; answers `{resumeUrl}` for the facilitator's demo seat */
  'workshop:practice': z.strictObject({}),
  /** the facilitator came over: lowers the pair's raised hand (deviation: not in contract v1) */
  'workshop:lower-hand': z.strictObject({ roomId: Id }),
} as const;
export type WorkshopCommandName = keyof typeof WorkshopCommand;
export type WorkshopCommandPayload<K extends WorkshopCommandName> = z.input<(typeof WorkshopCommand)[K]>;
export type WorkshopCommandData = CommandData<typeof WorkshopCommand, { 'workshop:practice': { roomId: string; resumeUrl: string } }>;
export type WorkshopClientEvents = CommandEvents<typeof WorkshopCommand, WorkshopCommandData>;

/** `view: "projector"`: a read-only connection that receives `workshop:projector` only (no pairs, no names) */
export const WorkshopHandshake = z.object({ workshopId: z.string(), token: z.string(), view: z.enum(['dashboard', 'projector']).optional() });

/** server → facilitator events on `/workshop` (a type: event maps need its implicit index signature) */
export type WorkshopServerEvents = {
  'workshop:state': (state: WorkshopState) => void;
  'workshop:projector': (state: ProjectorState) => void;
};
