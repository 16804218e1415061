import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { SectionState } from '@parley/shared/protocol/room-doc';

/**
 * Room metadata: rooms, participants (hashed tokens only), single-use invites and the
 * authoritative per-section state (round, readiness, revealed). The `room` Yjs doc mirrors
 * the section rows for clients; the rows are what the server decides on.
 */
export interface RoomRecord {
  id: string;
  title: string | null;
  revealMode: RevealMode;
  templateId: string;
  templateVersion: number;
  /** ms since epoch */
  createdAt: number;
  /** ms since epoch of the last activity (for ROOM_TTL_DAYS) */
  touchedAt: number;
  /** set for pair rooms of a workshop */
  workshopId: string | null;
  /**
   * A sealed room (issue 16): its participants' tokens were made by their clients, each holds an
   * X25519 public key and binding, and its title and display names are the clients' sealed
   * strings, stored verbatim.
   */
  sealed: boolean;
}

export interface ParticipantRecord {
  id: string;
  roomId: string;
  seat: Seat;
  displayName: string;
  /** SHA-256 of the participant token (32 bytes) */
  tokenHash: Uint8Array;
  createdAt: number;
  /** sealed rooms: the seat's X25519 public key (32 bytes); null in a standard room */
  publicKey: Uint8Array | null;
  /** sealed rooms: HMAC-SHA-256 of the public key under the invite's binding key (32 bytes); null in a standard room */
  binding: Uint8Array | null;
}

export interface SectionRecord {
  roomId: string;
  sectionId: string;
  state: SectionState;
  round: number;
  readyA: boolean;
  readyB: boolean;
  revealedAt: number | null;
}

/**
 * A sealed room's escrow (issue 16, docs/sealed-rooms.md §5): what `seat` left for the partner
 * in a section's round, an envelope the server cannot open. One per seat and section: it is the
 * seat's readiness until the release, and what `reconcile` re-writes a missed release from.
 */
export interface EscrowRecord {
  roomId: string;
  sectionId: string;
  seat: Seat;
  round: number;
  envelope: Uint8Array;
}

/** Escrow rows to write with section rows: `put` inserts or replaces, `drop` deletes (a seat's, or with `seat: null` both). */
export interface EscrowChange {
  put?: readonly EscrowRecord[];
  drop?: readonly { roomId: string; sectionId: string; seat: Seat | null }[];
}

/** A creator or joiner fits its room: a public key and binding in a sealed room, neither in a standard one. */
export function fitsRoom(sealed: boolean, p: ParticipantRecord): boolean {
  return sealed ? p.publicKey !== null && p.binding !== null : p.publicKey === null && p.binding === null;
}

/**
 * `wrong_kind`: the joiner does not fit the room (a public key for a standard room, none for a
 * sealed one); `token_in_use`: the joiner's token hash is already in use (see `TokenInUseError`).
 * Both are only answered to someone holding the right invite, and change nothing.
 */
export type ClaimInviteResult = 'ok' | 'used' | 'not_found' | 'wrong_kind' | 'token_in_use';

/**
 * Thrown by `createRoom` when a token hash it was given is already in use: a participant's, an
 * invite's or a tombstone's, or the creator's and the invite's are the same. The server's own
 * tokens never collide; a sealed room's client makes its own, and one that reuses a secret (a
 * retried create, a bug) must not share a seat with anyone. Nothing is written.
 */
export class TokenInUseError extends Error {
  constructor() {
    super('token hash already in use');
    this.name = 'TokenInUseError';
  }
}

export interface RoomStore {
  /**
   * Creates room, first participant (seat a), invite and section rows in one transaction. Throws
   * `TokenInUseError` (writing nothing) if the creator's token hash or the invite's is in use.
   * A sealed room's creator carries a public key and binding; a standard room's none.
   */
  createRoom(input: {
    room: RoomRecord;
    creator: ParticipantRecord;
    inviteHash: Uint8Array;
    sections: SectionRecord[];
  }): Promise<void>;
  /**
   * Atomically uses the invite of `roomId` whose hash is `inviteHash` and inserts `joiner`
   * (seat b). `not_found` for an unknown room (or one being erased) or wrong invite; then
   * `wrong_kind` when the joiner does not fit the room (sealed or not); `used` when already
   * claimed; `token_in_use` when the joiner's token hash is in use.
   */
  claimInvite(roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): Promise<ClaimInviteResult>;
  /**
   * What the invite of `roomId` with hash `inviteHash` is, without using it: `open`, `used`,
   * or `not_found` (unknown room, room being erased, wrong invite — indistinguishable, as in
   * `claimInvite`).
   */
  inviteState(roomId: string, inviteHash: Uint8Array): Promise<'open' | 'used' | 'not_found'>;
  getRoom(roomId: string): Promise<RoomRecord | null>;
  /** Looks a participant up by token hash (unique index); null if none. */
  findParticipantByTokenHash(tokenHash: Uint8Array): Promise<ParticipantRecord | null>;
  listParticipants(roomId: string): Promise<ParticipantRecord[]>;
  listSections(roomId: string): Promise<SectionRecord[]>;
  /** One section row (what every ready command reads); null if the room or section is unknown. */
  getSection(roomId: string, sectionId: string): Promise<SectionRecord | null>;
  /**
   * Writes the given section rows (insert or replace) and, if given, the escrow change, in one
   * transaction: a ready mark and its escrow are stored together or not at all.
   */
  saveSections(rows: readonly SectionRecord[], escrow?: EscrowChange): Promise<void>;
  /** A section's escrow rows (seat order); none in a standard room. */
  listEscrow(roomId: string, sectionId: string): Promise<EscrowRecord[]>;
  touchRoom(roomId: string, at: number): Promise<void>;
  /**
   * The first step of erasing: marks the room as being erased in its own committed statement
   * (keeping the first mark if there is one). From then on it is a deleted room to every node:
   * `isRoomLive` is false, invites are not claimed, and the doc store refuses its writes.
   * Returns false if there is no such room.
   */
  markErasing(roomId: string, at: number): Promise<boolean>;
  /** Lifts the mark again: the erase that set it gave up before deleting anything. */
  clearErasing(roomId: string): Promise<void>;
  /** True while the room has its row and no erasing mark. */
  isRoomLive(roomId: string): Promise<boolean>;
  /** Rooms marked as being erased before `before`: an erase that stopped half-way. */
  listErasingBefore(before: number): Promise<string[]>;
  /**
   * Deletes the room and all its rows (a sealed room's public keys and bindings with its
   * participants, and its escrow), keeping only a tombstone of its participants' token
   * hashes (random, content-free) so that a later connection with such a token learns the
   * room is gone (4410) rather than unknown. Returns false if it did not exist. Its docs are
   * the doc store's to delete (`DocStore.deleteRoomDocs`), and the checkpoint the database's.
   */
  deleteRoom(roomId: string, at: number): Promise<boolean>;
  /** True if the token hash belonged to a participant of a deleted room. */
  isDeletedToken(tokenHash: Uint8Array): Promise<boolean>;
  /** Forgets tombstones older than `before`. */
  purgeTombstones(before: number): Promise<void>;
  /** Room ids untouched since `before` (ms since epoch). */
  listRoomsUntouchedSince(before: number): Promise<string[]>;
}
