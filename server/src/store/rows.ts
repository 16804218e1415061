import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { SectionState } from '@parley/shared/protocol/room-doc';
import type { EscrowRecord, ParticipantRecord, RoomRecord, SectionRecord } from './room-store';
import type { PairRecord, ProposalRecord, WorkshopRecord } from './workshop-store';

/**
 * Rows ⇄ records for both engines. The SQLite and the Postgres schemas have the same tables and
 * columns; they differ only in how values come back, which these types allow for:
 * - `Int`: Postgres hands BIGINT back as a string (it may exceed 2^53; ms timestamps never do),
 *   SQLite as a number;
 * - `Flag`: SQLite has no boolean and stores 0/1, so a flag is written through the engine's
 *   `FlagOf` and read with `flag`.
 * Rows are written only from typed records, so enum columns hold valid values.
 */
type Int = number | string;
type Flag = number | boolean;
/** how an engine stores a boolean */
export type FlagOf = (value: boolean) => Flag;

const int = (v: Int): number => Number(v);
const intOrNull = (v: Int | null): number | null => (v === null ? null : Number(v));
const flag = (v: Flag): boolean => v === true || v === 1;

export interface RoomRow {
  id: string;
  title: string | null;
  reveal_mode: RevealMode;
  template_id: string;
  template_version: number;
  created_at: Int;
  touched_at: Int;
  workshop_id: string | null;
  sealed: Flag;
}

export interface ParticipantRow {
  id: string;
  room_id: string;
  seat: Seat;
  display_name: string;
  token_hash: Uint8Array;
  created_at: Int;
  public_key: Uint8Array | null;
  binding: Uint8Array | null;
}

export interface SectionRow {
  room_id: string;
  section_id: string;
  state: SectionState;
  round: number;
  ready_a: Flag;
  ready_b: Flag;
  revealed_at: Int | null;
}

export interface EscrowRow {
  room_id: string;
  section_id: string;
  seat: Seat;
  round: Int;
  envelope: Uint8Array;
}

export interface WorkshopRow {
  id: string;
  title: string;
  facilitator_name: string;
  facilitator_hash: Uint8Array;
  join_code: string;
  template_id: string;
  template_version: number;
  lock_sections: Flag;
  /** JSON array of section ids */
  unlocked: string;
  timer_ends_at: Int | null;
  message: string | null;
  message_at: Int | null;
  created_at: Int;
  ended_at: Int | null;
}

export interface PairRow {
  workshop_id: string;
  room_id: string;
  pair_code: string;
  hand_raised: Flag;
  practice: Flag;
  created_at: Int;
}

export interface ProposalRow {
  into_room: string;
  from_room: string;
  workshop_id: string;
  proposed_by: 'code' | 'facilitator';
  seed: string;
  into_confirmed: Flag;
  from_confirmed: Flag;
  created_at: Int;
}

export const toRoom = (r: RoomRow): RoomRecord => ({
  id: r.id,
  title: r.title,
  revealMode: r.reveal_mode,
  templateId: r.template_id,
  templateVersion: r.template_version,
  createdAt: int(r.created_at),
  touchedAt: int(r.touched_at),
  workshopId: r.workshop_id,
  sealed: flag(r.sealed),
});

export const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id,
  roomId: r.room_id,
  seat: r.seat,
  displayName: r.display_name,
  tokenHash: r.token_hash,
  createdAt: int(r.created_at),
  publicKey: r.public_key,
  binding: r.binding,
});

export const toSection = (r: SectionRow): SectionRecord => ({
  roomId: r.room_id,
  sectionId: r.section_id,
  state: r.state,
  round: r.round,
  readyA: flag(r.ready_a),
  readyB: flag(r.ready_b),
  revealedAt: intOrNull(r.revealed_at),
});

export const toEscrow = (r: EscrowRow): EscrowRecord => ({
  roomId: r.room_id,
  sectionId: r.section_id,
  seat: r.seat,
  round: int(r.round),
  envelope: new Uint8Array(r.envelope),
});

export const toWorkshop = (r: WorkshopRow): WorkshopRecord => ({
  id: r.id,
  title: r.title,
  facilitatorName: r.facilitator_name,
  facilitatorHash: r.facilitator_hash,
  joinCode: r.join_code,
  templateId: r.template_id,
  templateVersion: r.template_version,
  lockSections: flag(r.lock_sections),
  unlocked: JSON.parse(r.unlocked) as string[],
  timerEndsAt: intOrNull(r.timer_ends_at),
  message: r.message !== null && r.message_at !== null ? { message: r.message, at: int(r.message_at) } : null,
  createdAt: int(r.created_at),
  endedAt: intOrNull(r.ended_at),
});

export const toPair = (r: PairRow): PairRecord => ({
  workshopId: r.workshop_id,
  roomId: r.room_id,
  pairCode: r.pair_code,
  handRaised: flag(r.hand_raised),
  practice: flag(r.practice),
  createdAt: int(r.created_at),
});

export const toProposal = (r: ProposalRow): ProposalRecord => ({
  workshopId: r.workshop_id,
  into: r.into_room,
  from: r.from_room,
  proposedBy: r.proposed_by,
  seed: r.seed,
  intoConfirmed: flag(r.into_confirmed),
  fromConfirmed: flag(r.from_confirmed),
  createdAt: int(r.created_at),
});

/** A table's columns in insert order and a record's values in that order. */
interface Insertable<R> {
  table: string;
  columns: readonly string[];
  values(record: R, flagOf: FlagOf): unknown[];
}

export const roomRows: Insertable<RoomRecord> = {
  table: 'rooms',
  columns: ['id', 'title', 'reveal_mode', 'template_id', 'template_version', 'created_at', 'touched_at', 'workshop_id', 'sealed'],
  values: (r, flagOf) => [r.id, r.title, r.revealMode, r.templateId, r.templateVersion, r.createdAt, r.touchedAt, r.workshopId, flagOf(r.sealed)],
};

export const participantRows: Insertable<ParticipantRecord> = {
  table: 'participants',
  columns: ['id', 'room_id', 'seat', 'display_name', 'token_hash', 'created_at', 'public_key', 'binding'],
  values: (p) => [p.id, p.roomId, p.seat, p.displayName, p.tokenHash, p.createdAt, p.publicKey, p.binding],
};

export const sectionRows: Insertable<SectionRecord> = {
  table: 'sections',
  columns: ['room_id', 'section_id', 'state', 'round', 'ready_a', 'ready_b', 'revealed_at'],
  values: (s, flagOf) => [s.roomId, s.sectionId, s.state, s.round, flagOf(s.readyA), flagOf(s.readyB), s.revealedAt],
};

export const escrowRows: Insertable<EscrowRecord> = {
  table: 'escrow',
  columns: ['room_id', 'section_id', 'seat', 'round', 'envelope'],
  values: (e) => [e.roomId, e.sectionId, e.seat, e.round, e.envelope],
};

/** Insert or replace a seat's escrow of a section (one per seat and section). */
export const upsertEscrowSql = (placeholder: (index: number) => string): string =>
  `${insertSql(escrowRows, placeholder)}
   ON CONFLICT (room_id, section_id, seat) DO UPDATE SET round = excluded.round, envelope = excluded.envelope`;

export const workshopRows: Insertable<WorkshopRecord> = {
  table: 'workshops',
  columns: [
    'id', 'title', 'facilitator_name', 'facilitator_hash', 'join_code', 'template_id', 'template_version',
    'lock_sections', 'unlocked', 'timer_ends_at', 'message', 'message_at', 'created_at', 'ended_at',
  ],
  values: (w, flagOf) => [
    w.id, w.title, w.facilitatorName, w.facilitatorHash, w.joinCode, w.templateId, w.templateVersion,
    flagOf(w.lockSections), JSON.stringify(w.unlocked), w.timerEndsAt, w.message?.message ?? null, w.message?.at ?? null, w.createdAt, w.endedAt,
  ],
};

export const pairRows: Insertable<PairRecord> = {
  table: 'workshop_pairs',
  columns: ['room_id', 'workshop_id', 'pair_code', 'hand_raised', 'practice', 'created_at'],
  values: (p, flagOf) => [p.roomId, p.workshopId, p.pairCode, flagOf(p.handRaised), flagOf(p.practice), p.createdAt],
};

export const proposalRows: Insertable<ProposalRecord> = {
  table: 'pair_proposals',
  columns: ['into_room', 'from_room', 'workshop_id', 'proposed_by', 'seed', 'into_confirmed', 'from_confirmed', 'created_at'],
  values: (p, flagOf) => [p.into, p.from, p.workshopId, p.proposedBy, p.seed, flagOf(p.intoConfirmed), flagOf(p.fromConfirmed), p.createdAt],
};

/**
 * `INSERT INTO <table> (<columns>) VALUES (<placeholders>)`, with the engine's placeholder for
 * the i-th value (`?` in SQLite, `$1…` in Postgres).
 */
export const insertSql = (rows: { table: string; columns: readonly string[] }, placeholder: (index: number) => string): string =>
  `INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES (${rows.columns.map((_, i) => placeholder(i)).join(', ')})`;

/** A section row is written by key: the same upsert in both engines. */
export const upsertSectionSql = (placeholder: (index: number) => string): string =>
  `${insertSql(sectionRows, placeholder)}
   ON CONFLICT (room_id, section_id) DO UPDATE SET state = excluded.state, round = excluded.round,
     ready_a = excluded.ready_a, ready_b = excluded.ready_b, revealed_at = excluded.revealed_at`;
