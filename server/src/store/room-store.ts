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
}

export interface ParticipantRecord {
  id: string;
  roomId: string;
  seat: Seat;
  displayName: string;
  /** SHA-256 of the participant token (32 bytes) */
  tokenHash: Uint8Array;
  createdAt: number;
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

export type ClaimInviteResult = 'ok' | 'used' | 'not_found';

export interface RoomStore {
  /** Creates room, first participant (seat a), invite and section rows in one transaction. */
  createRoom(input: {
    room: RoomRecord;
    creator: ParticipantRecord;
    inviteHash: Uint8Array;
    sections: SectionRecord[];
  }): Promise<void>;
  /**
   * Atomically uses the invite of `roomId` whose hash is `inviteHash` and inserts `joiner`
   * (seat b). `not_found` for an unknown room (or one being erased) or wrong invite; `used`
   * when already claimed.
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
  /** Writes the given section rows (insert or replace) in one transaction. */
  saveSections(rows: readonly SectionRecord[]): Promise<void>;
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
   * Deletes the room and all its rows, keeping only a tombstone of its participants' token
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
