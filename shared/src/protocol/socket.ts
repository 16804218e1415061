import { z } from 'zod';
import { Slug } from './ids';
import type { Seat } from './ids';
import { ErrorCode, ErrorReasons, type WireError } from './errors';
import { DISCREET_TAG_BYTES, MAX_DISCREET_SLOTS, MAX_ESCROW_BYTES, MAX_PIECE_BYTES } from '../sealed/sizes';
import { CheckinLevel, SignalId, SignalLevel, type SceneState, type SignalEvent } from './scene';

/** 2027-02-31 matches the pattern but is no date: it must survive a round trip. */
function isCalendarDate(d: string): boolean {
  const time = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === d;
}

/**
 * A sealed room's escrow envelope, as socket.io delivers binary (a Buffer in Node, which is a
 * Uint8Array). Only its size is checked here; the server then checks its header (`parseEnvelope`).
 */
export const EscrowBytes = z.instanceof(Uint8Array).refine((b) => b.length <= MAX_ESCROW_BYTES, `an escrow is at most ${MAX_ESCROW_BYTES} bytes`);

const bytesAtMost = (max: number, what: string) => z.instanceof(Uint8Array).refine((b) => b.length <= max, `${what} is at most ${max} bytes`);
/** A sealed discreet section's tags: N × 32 bytes, sorted and distinct (the server checks the rest). */
export const TagBytes = bytesAtMost(MAX_DISCREET_SLOTS * DISCREET_TAG_BYTES, 'a tag set');
/**
 * What `section:ready` carries in a sealed room in discreet mode (docs/sealed-rooms.md §6):
 * the padded tag set, one piece per tag (concatenated, all one size) and the always envelope.
 */
export const DiscreetUploadBytes = z.strictObject({
  tags: TagBytes,
  pieces: bytesAtMost(MAX_DISCREET_SLOTS * MAX_PIECE_BYTES, 'the pieces'),
  always: EscrowBytes,
});

/** socket.io `/room` namespace: client → server commands and their payload schemas. */
export const RoomCommand = {
  /**
   * `escrow`: required in a sealed room with `ready:true` (docs/sealed-rooms.md §5), refused
   * otherwise; in a sealed discreet room's sections that are not `alwaysFull`, `discreet` instead (§6)
   */
  'section:ready': z.strictObject({ sectionId: Slug, ready: z.boolean(), escrow: EscrowBytes.optional(), discreet: DiscreetUploadBytes.optional() }),
  /**
   * sealed rooms: this seat's new escrow for the section's current round (while ready, or after
   * the release); in a discreet section its new always envelope
   */
  'section:escrow': z.strictObject({ sectionId: Slug, round: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), escrow: EscrowBytes }),
  /**
   * sealed rooms in discreet mode, after the release: this seat's tag set for the round, which may
   * only shrink (a subset of the one stored); each withdrawn tag takes both seats' pieces of it
   */
  'section:tags': z.strictObject({ sectionId: Slug, round: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), tags: TagBytes }),
  /** a new round; `note` tells the partner why (optional) */
  'section:reopen': z.strictObject({ sectionId: Slug, note: z.string().max(500).nullable().optional() }),
  'room:pause': z.strictObject({
    paused: z.boolean(),
    note: z.string().max(500).nullable().optional(),
  }),
  /** the partner who did not pause asks the one who did to resume (only they can) */
  'room:resume-request': z.strictObject({}),
  'agreement:confirm': z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  'agreement:review-date': z.strictObject({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
      .refine((d) => isCalendarDate(d), 'not a calendar date')
      .nullable(),
  }),
  /**
   * this seat's choice to leave an item of the agreement out (`out:true`) or to take that choice
   * back; the item is left out only while both chose it
   */
  'agreement:leave-out': z.strictObject({ itemId: Slug, out: z.boolean() }),
  'presence:update': z.strictObject({ focus: Slug.nullable() }),
  'workshop:hand': z.strictObject({ raised: z.boolean() }),
  /** answers a pending pairing: true "this is my partner", false "not my partner" (declines it) */
  'workshop:confirm-partner': z.strictObject({ confirmed: z.boolean() }),
  /** scene mode (issue 15): either partner starts it, either ends it */
  'scene:start': z.strictObject({}),
  'scene:end': z.strictObject({}),
  /** a live signal to the partner; `id` (optional, the client's) makes a resend after a lost ack the same signal */
  'signal:send': z.strictObject({ level: SignalLevel, id: SignalId.optional() }),
  /** the partner saw a signal */
  'signal:ack': z.strictObject({ id: SignalId }),
  /** one tap answering "how are you?": during a scene a check-in the partner sees, after it "how are you now" */
  'checkin:answer': z.strictObject({ level: CheckinLevel, id: SignalId.optional() }),
  /** erases the log of ended scenes (times and levels) for both */
  'scene:log-delete': z.strictObject({}),
} as const;
export type RoomCommandName = keyof typeof RoomCommand;
export type RoomCommandPayload<K extends RoomCommandName> = z.infer<(typeof RoomCommand)[K]>;

export type AckFailure = { ok: false; error: WireError };
export type Ack<T = unknown> = { ok: true; data?: T } | AckFailure;

/** A namespace's commands: event name → payload schema. */
export type CommandMap = Record<string, z.ZodType>;
/** What each command's ack carries on success: nothing unless listed in `Some`. */
export type CommandData<C extends CommandMap, Some extends { [K in keyof C]?: unknown } = Record<never, never>> = {
  [K in keyof C]: K extends keyof Some ? Some[K] : void;
};
/**
 * The socket.io client → server event map of a command map: every command is an emit of its
 * payload with an ack. Server and client type their sockets with it, so the zod schemas are
 * the one definition of the control channel.
 */
export type CommandEvents<C extends CommandMap, D extends { [K in keyof C]: unknown }> = {
  [K in keyof C]: (payload: z.input<C[K]>, ack: (reply: Ack<D[K]>) => void) => void;
};

export type RoomCommandData = CommandData<
  typeof RoomCommand,
  {
    'agreement:confirm': { hash: string };
    'scene:start': { scene: SceneState };
    'scene:end': { scene: SceneState };
    'signal:send': { id: string };
    'checkin:answer': { id: string };
  }
>;
export type RoomClientEvents = CommandEvents<typeof RoomCommand, RoomCommandData>;

export const RoomHandshake = z.object({ roomId: z.string(), token: z.string() });

/** `connect_error`'s `data` when the server refuses a handshake (its `message` is the code, as contract v1 says). */
export const HandshakeRefusal = z.object({
  code: z.enum(ErrorCode),
  reason: z.enum(Object.values(ErrorReasons).flat()).optional(),
});
export type HandshakeRefusal = z.infer<typeof HandshakeRefusal>;

export interface PresenceParticipant {
  id: string;
  seat: Seat;
  displayName: string;
  online: boolean;
  focus: string | null;
  /** ms since epoch */
  lastSeen: number | null;
}

/** server → client events on `/room` (a type, not an interface: event maps need its implicit index signature) */
export type RoomServerEvents = {
  presence: (p: { participants: PresenceParticipant[] }) => void;
  'section:revealed': (p: { sectionId: string; round: number }) => void;
  'room:paused': (p: { paused: boolean; by: Seat; note: string | null }) => void;
  /** the partner who did not pause asked to resume; shown on the pauser's pause screen */
  'room:resume-requested': (p: { by: Seat; at: number }) => void;
  'room:deleted': (p: Record<string, never>) => void;
  /** `toPair`: sent to this pair only, not to every pair */
  'workshop:message': (p: { message: string; at: number; toPair?: boolean }) => void;
  'workshop:timer': (p: { endsAt: number | null }) => void;
  'workshop:unlocked': (p: { sectionIds: string[] }) => void;
  /** the workshop ended: the room is an ordinary room from now on (deviation: not in contract v1) */
  'workshop:ended': (p: Record<string, never>) => void;
  /** the facilitator took this pair out of the workshop: an ordinary room from now on, like `workshop:ended` */
  'workshop:removed': (p: Record<string, never>) => void;
  /** both confirmed the pairing: this person now sits in another room; reconnect there, same token */
  'workshop:paired': (p: { roomId: string }) => void;
  /** a pairing was proposed, confirmed by one, declined or completed: fetch the room's workshop view */
  'workshop:pairing': (p: Record<string, never>) => void;
  /** the pair's hand went up or down (either partner, or the facilitator lowering it) */
  'workshop:hand': (p: { raised: boolean }) => void;
  /** scene mode started or ended (to both partners) */
  scene: (p: { scene: SceneState }) => void;
  /** a signal from the partner (only to the partner's seat; again on every reconnect until acknowledged) */
  signal: (p: SignalEvent) => void;
  /** the partner acknowledged my signal (also resent on reconnect for the current scene) */
  'signal:acked': (p: { id: string }) => void;
  /** my signal was not acknowledged in time (10 s): use the agreed backup */
  'signal:unseen': (p: { id: string }) => void;
  /** the scene log was deleted */
  'scene:log-deleted': (p: { by: Seat }) => void;
};

export const SOCKET_NAMESPACES = { room: '/room', workshop: '/workshop' } as const;
