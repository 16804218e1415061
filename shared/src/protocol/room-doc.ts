import * as Y from 'yjs';
import type { Answer } from './answers';
import type { Seat } from './ids';

/** Content of the server-written `<roomId>/room` doc. Plain JSON values inside Y.Maps. */

export type SectionState = 'open' | 'revealed';

/** `room.sections[sectionId]` */
export interface SectionStatus {
  state: SectionState;
  round: number;
  ready: { a: boolean; b: boolean };
  /** ms since epoch, null while open */
  revealedAt: number | null;
}

/**
 * A revealed answer: the fields of an answer the reveal shows. In full mode, the whole
 * (re-validated) answer; in a discreet room, only the ratings of shared directions (with their
 * conditions, and the note when every direction is shared) and the seat's own hard limits.
 */
export type RevealedAnswer = Answer;

/** `room.revealed[sectionId]` */
export interface RevealedSection {
  round: number;
  /** seat → itemId → what is shown of that seat's answer; items with nothing shown are absent */
  a: Record<string, RevealedAnswer>;
  b: Record<string, RevealedAnswer>;
  /**
   * Discreet rooms, sections that are not `alwaysFull`: how many yes/no items share no
   * direction (answered or not: "12 items not shared"). Absent in full rooms.
   */
  notShared?: number;
  /**
   * itemId → who changed it after the reveal and when. In discreet rooms `seat` is null:
   * naming who moved an item off the table would undo the point of the mode.
   */
  changed: Record<string, { seat: Seat | null; at: number }>;
}

/**
 * `room.revealed[sectionId]` in a sealed room (issue 16, docs/sealed-rooms.md §5): the two
 * escrow envelopes the server released, still sealed. Seat a's opens with the pair's `escrow.a`
 * key for the slot `<roomId>/escrow/<sectionId>/<round>/a` (`openEscrow`), seat b's likewise.
 * After the release each seat's re-upload replaces its own envelope.
 */
export interface SealedRevealedSection {
  sealed: true;
  round: number;
  /** full mode: the seat's escrow; discreet mode: its always envelope (own hard limits, written answers), same slot */
  a: Uint8Array;
  b: Uint8Array;
  /**
   * Discreet mode (docs/sealed-rooms.md §6): the tags both seats uploaded (k × 32 bytes, sorted)
   * and, in their order, each seat's k pieces (all of one size per seat). Seat a's piece of a
   * tag opens with `escrow.a` for `<roomId>/piece/<sectionId>/<round>/a/<tag hex>` (`openDiscreet`).
   */
  discreet?: { tags: Uint8Array; a: Uint8Array; b: Uint8Array };
}

function isDiscreetRelease(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.tags instanceof Uint8Array && v.tags.length % 32 === 0 && v.a instanceof Uint8Array && v.b instanceof Uint8Array;
}

/** A `revealed` value of the sealed shape (anything else in a sealed room's doc is ignored). */
export function isSealedRevealed(value: unknown): value is SealedRevealedSection {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.sealed === true && Number.isSafeInteger(v.round) && (v.round as number) >= 1 && v.a instanceof Uint8Array && v.b instanceof Uint8Array && (v.discreet === undefined || isDiscreetRelease(v.discreet));
}

export interface PauseState {
  by: Seat;
  at: number;
  note: string | null;
  /** when the partner who did not pause asked to resume (ms since epoch); absent in older rooms */
  resumeAskedAt?: number | null;
}

export interface Confirmation {
  hash: string;
  at: number;
  /**
   * The confirmed agreement as plain lines (`agreementLines`), so both partners can see what
   * changed since; absent in confirmations written before issue 13.
   */
  lines?: string[];
}

/**
 * `meta.leftOut[seat]`: itemId → the round of that item's section in which this seat chose to
 * leave it out of the agreement. An item is left out only while both seats chose it in the
 * section's current round; a new round brings it back.
 */
export type LeftOutChoices = Record<string, number>;

/** `room.meta` keys */
export interface RoomMeta {
  paused: PauseState | null;
  confirmations: { a: Confirmation | null; b: Confirmation | null };
  /** ISO date (YYYY-MM-DD) or null */
  reviewDate: string | null;
  /** what each seat chose to leave out of the agreement (empty in older rooms) */
  leftOut: { a: LeftOutChoices; b: LeftOutChoices };
}

export type HistoryEventType =
  | 'ready'
  | 'unready'
  | 'revealed'
  | 'reopened'
  | 'paused'
  | 'resumed'
  | 'confirmed'
  | 'review_date'
  | 'left_out'
  | 'put_back';

/** `room.history[]`. A `reopened` event carries the closed round's revealed answers. */
export interface HistoryEvent {
  type: HistoryEventType;
  /** `reopened`: why, in the words of the one who reopened it (optional) */
  note?: string | null;
  sectionId?: string;
  /** `left_out` / `put_back`: the item a seat chose to leave out of the agreement, or took back */
  itemId?: string;
  round?: number;
  seat?: Seat;
  at: number;
  /** on `reopened`: what the round that ended had revealed */
  revealed?: RevealedSection;
  /** on `reopened` in a sealed room: the ended round's released envelopes, still sealed */
  sealedRevealed?: SealedRevealedSection;
}

/** The whole room doc as plain data (what `Y.Doc#toJSON` style readers produce). */
export interface RoomDocState {
  sections: Record<string, SectionStatus>;
  revealed: Record<string, RevealedSection>;
  /**
   * A sealed room's released sections (`SealedRevealedSection`), which the client opens; a
   * standard room has none. Always set by `readRoomDoc`.
   */
  sealedRevealed?: Record<string, SealedRevealedSection>;
  meta: RoomMeta;
  history: HistoryEvent[];
}

export const ROOM_DOC_KEYS = {
  sections: 'sections',
  revealed: 'revealed',
  meta: 'meta',
  history: 'history',
} as const;

export const PRIVATE_DOC_KEYS = { answers: 'answers', privateNotes: 'privateNotes' } as const;
export const SHARED_DOC_KEYS = { notes: 'notes', agreementText: 'agreementText' } as const;

const toPlain = (value: unknown): unknown => (value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value);

function mapToRecord<T>(map: Y.Map<unknown>): Record<string, T> {
  const out: Record<string, T> = {};
  map.forEach((value, key) => {
    out[key] = toPlain(value) as T;
  });
  return out;
}

/** `room.meta` as plain data; keys an older room lacks read as their empty value. */
export function readRoomMeta(doc: Y.Doc): RoomMeta {
  const meta = doc.getMap<unknown>(ROOM_DOC_KEYS.meta);
  const confirmations = toPlain(meta.get('confirmations')) as Partial<RoomMeta['confirmations']> | undefined;
  const leftOut = toPlain(meta.get('leftOut')) as Partial<Record<Seat, unknown>> | undefined;
  return {
    paused: (toPlain(meta.get('paused')) as RoomMeta['paused'] | undefined) ?? null,
    confirmations: { a: confirmations?.a ?? null, b: confirmations?.b ?? null },
    reviewDate: (toPlain(meta.get('reviewDate')) as string | null | undefined) ?? null,
    leftOut: { a: readChoices(leftOut?.a), b: readChoices(leftOut?.b) },
  };
}

/** A seat's left-out choices: own keys with a round number, nothing else. */
function readChoices(value: unknown): LeftOutChoices {
  const out: LeftOutChoices = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [itemId, round] of Object.entries(value)) {
    if (Number.isInteger(round)) out[itemId] = round as number;
  }
  return out;
}

/**
 * The one reader of the room doc, used by the server (agreement, reconcile) and the client
 * (every screen), so both see the same state.
 */
export function readRoomDoc(doc: Y.Doc): RoomDocState {
  const revealed: Record<string, RevealedSection> = {};
  const sealedRevealed: Record<string, SealedRevealedSection> = {};
  for (const [sectionId, value] of Object.entries(mapToRecord<unknown>(doc.getMap(ROOM_DOC_KEYS.revealed)))) {
    if (isSealedRevealed(value)) sealedRevealed[sectionId] = value;
    else if (!isSealedShaped(value)) revealed[sectionId] = value as RevealedSection;
  }
  return {
    sections: mapToRecord<SectionStatus>(doc.getMap(ROOM_DOC_KEYS.sections)),
    revealed,
    sealedRevealed,
    meta: readRoomMeta(doc),
    history: doc
      .getArray<unknown>(ROOM_DOC_KEYS.history)
      .toArray()
      .map((e) => readHistoryEvent(toPlain(e) as HistoryEvent)),
  };
}

/** Marked sealed, whether or not well-formed: never read as a standard section. */
const isSealedShaped = (value: unknown): boolean => typeof value === 'object' && value !== null && (value as { sealed?: unknown }).sealed !== undefined;

/** A `reopened` event's ended round: a sealed one only under `sealedRevealed`, and only well-formed. */
function readHistoryEvent(event: HistoryEvent): HistoryEvent {
  if (!isSealedShaped(event.revealed) && (event.sealedRevealed === undefined || isSealedRevealed(event.sealedRevealed))) return event;
  const { revealed, sealedRevealed, ...rest } = event;
  return { ...rest, ...(isSealedShaped(revealed) ? {} : revealed ? { revealed } : {}), ...(isSealedRevealed(sealedRevealed) ? { sealedRevealed } : {}) };
}
