import { sameHash } from '../../lib/tokens';
import { fitsRoom, TokenInUseError, type ClaimInviteResult, type EscrowChange, type EscrowRecord, type ParticipantRecord, type RoomRecord, type RoomStore, type SectionRecord } from '../room-store';
import { escrowRows, insertSql, participantRows, roomRows, sectionRows, toEscrow, toParticipant, toRoom, toSection, upsertEscrowSql, upsertSectionSql, type EscrowRow, type ParticipantRow, type RoomRow, type SectionRow } from '../rows';
import { sqliteFlag, sqlitePlaceholder, type SqliteDatabase } from './database';

interface InviteRow {
  token_hash: Uint8Array;
  used_at: number | null;
  sealed: number;
}

/** Room metadata in SQLite; shares its database (and transactions) with `SqliteDocStore`. */
export class SqliteRoomStore implements RoomStore {
  private readonly stmt;
  private readonly createRoomTx;
  private readonly claimInviteTx;
  private readonly saveSectionsTx;
  private readonly deleteRoomTx;

  constructor(database: SqliteDatabase) {
    const { db } = database;
    this.stmt = {
      insertRoom: db.prepare<unknown[]>(insertSql(roomRows, sqlitePlaceholder)),
      insertParticipant: db.prepare<unknown[]>(insertSql(participantRows, sqlitePlaceholder)),
      insertInvite: db.prepare<[string, Uint8Array]>('INSERT INTO invites (room_id, token_hash) VALUES (?, ?)'),
      selectInvite: db.prepare<[string], InviteRow>(
        'SELECT i.token_hash, i.used_at, r.sealed FROM invites i JOIN rooms r ON r.id = i.room_id WHERE i.room_id = ? AND r.erasing_at IS NULL',
      ),
      // A token hash is in use if any participant, invite or tombstone has it (each indexed).
      selectTokenInUse: db.prepare<[Uint8Array, Uint8Array, Uint8Array], { ok: number }>(
        `SELECT 1 AS ok FROM participants WHERE token_hash = ?
         UNION ALL SELECT 1 FROM invites WHERE token_hash = ?
         UNION ALL SELECT 1 FROM deleted_tokens WHERE token_hash = ? LIMIT 1`,
      ),
      useInvite: db.prepare<[number, string]>('UPDATE invites SET used_at = ? WHERE room_id = ? AND used_at IS NULL'),
      // Upsert rather than INSERT OR REPLACE: REPLACE deletes the row and gives it a new
      // rowid, which would shuffle the template order that listSections relies on.
      upsertSection: db.prepare<unknown[]>(upsertSectionSql(sqlitePlaceholder)),
      upsertEscrow: db.prepare<unknown[]>(upsertEscrowSql(sqlitePlaceholder)),
      deleteEscrow: db.prepare<[string, string, string | null, string | null]>('DELETE FROM escrow WHERE room_id = ? AND section_id = ? AND (? IS NULL OR seat = ?)'),
      selectEscrow: db.prepare<[string, string], EscrowRow>('SELECT * FROM escrow WHERE room_id = ? AND section_id = ? ORDER BY seat'),
      selectRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
      selectParticipantByHash: db.prepare<[Uint8Array], ParticipantRow>(
        'SELECT * FROM participants WHERE token_hash = ?',
      ),
      selectParticipants: db.prepare<[string], ParticipantRow>(
        'SELECT * FROM participants WHERE room_id = ? ORDER BY seat',
      ),
      selectSections: db.prepare<[string], SectionRow>('SELECT * FROM sections WHERE room_id = ? ORDER BY rowid'),
      selectSection: db.prepare<[string, string], SectionRow>('SELECT * FROM sections WHERE room_id = ? AND section_id = ?'),
      // Never move touched_at backwards: two nodes may report activity out of order.
      touchRoom: db.prepare<[number, string]>('UPDATE rooms SET touched_at = max(touched_at, ?) WHERE id = ?'),
      markErasing: db.prepare<[number, string]>('UPDATE rooms SET erasing_at = coalesce(erasing_at, ?) WHERE id = ?'),
      clearErasing: db.prepare<[string]>('UPDATE rooms SET erasing_at = NULL WHERE id = ?'),
      selectLive: db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM rooms WHERE id = ? AND erasing_at IS NULL'),
      selectErasing: db.prepare<[number], { id: string }>('SELECT id FROM rooms WHERE erasing_at < ? ORDER BY erasing_at, id'),
      tombstoneTokens: db.prepare<[number, string]>(
        'INSERT OR IGNORE INTO deleted_tokens (token_hash, deleted_at) SELECT token_hash, ? FROM participants WHERE room_id = ?',
      ),
      deleteRoom: db.prepare<[string]>('DELETE FROM rooms WHERE id = ?'),
      selectTombstone: db.prepare<[Uint8Array], { ok: number }>('SELECT 1 AS ok FROM deleted_tokens WHERE token_hash = ?'),
      purgeTombstones: db.prepare<[number]>('DELETE FROM deleted_tokens WHERE deleted_at < ?'),
      selectUntouched: db.prepare<[number], { id: string }>(
        'SELECT id FROM rooms WHERE touched_at < ? ORDER BY touched_at, id',
      ),
    };
    const s = this.stmt;
    const insertParticipant = (p: ParticipantRecord) => s.insertParticipant.run(...participantRows.values(p, sqliteFlag));
    const upsertSection = (row: SectionRecord) => s.upsertSection.run(...sectionRows.values(row, sqliteFlag));
    const inUse = (hash: Uint8Array) => s.selectTokenInUse.get(hash, hash, hash) !== undefined;

    this.createRoomTx = db.transaction((input: Parameters<RoomStore['createRoom']>[0]) => {
      if (!fitsRoom(input.room.sealed, input.creator)) throw new Error('a sealed room\'s creator has a public key and binding, a standard room\'s none');
      if (sameHash(input.creator.tokenHash, input.inviteHash) || inUse(input.creator.tokenHash) || inUse(input.inviteHash)) throw new TokenInUseError();
      s.insertRoom.run(...roomRows.values(input.room, sqliteFlag));
      insertParticipant(input.creator);
      s.insertInvite.run(input.room.id, input.inviteHash);
      for (const row of input.sections) upsertSection(row);
    });

    this.claimInviteTx = db.transaction(
      (roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): ClaimInviteResult => {
        const invite = s.selectInvite.get(roomId);
        // A wrong hash answers not_found even for a used invite, so a guesser learns nothing.
        if (!invite || !sameHash(invite.token_hash, inviteHash)) return 'not_found';
        if (!fitsRoom(invite.sealed === 1, joiner)) return 'wrong_kind';
        if (invite.used_at !== null) return 'used';
        if (inUse(joiner.tokenHash)) return 'token_in_use';
        s.useInvite.run(joiner.createdAt, roomId);
        insertParticipant(joiner);
        return 'ok';
      },
    );

    this.saveSectionsTx = db.transaction((rows: readonly SectionRecord[], escrow: EscrowChange) => {
      for (const row of rows) upsertSection(row);
      for (const d of escrow.drop ?? []) s.deleteEscrow.run(d.roomId, d.sectionId, d.seat, d.seat);
      for (const e of escrow.put ?? []) s.upsertEscrow.run(...escrowRows.values(e, sqliteFlag));
    });

    this.deleteRoomTx = db.transaction((roomId: string, at: number): boolean => {
      s.tombstoneTokens.run(at, roomId);
      const { changes } = s.deleteRoom.run(roomId); // cascades to participants, invites, sections, escrow
      return changes > 0;
    });
  }

  async inviteState(roomId: string, inviteHash: Uint8Array): Promise<'open' | 'used' | 'not_found'> {
    const invite = this.stmt.selectInvite.get(roomId);
    if (!invite || !sameHash(invite.token_hash, inviteHash)) return 'not_found';
    return invite.used_at === null ? 'open' : 'used';
  }

  async createRoom(input: Parameters<RoomStore['createRoom']>[0]): Promise<void> {
    this.createRoomTx(input);
  }

  async claimInvite(roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): Promise<ClaimInviteResult> {
    // IMMEDIATE takes the write lock before the read, so two processes cannot both see
    // the invite unused.
    return this.claimInviteTx.immediate(roomId, inviteHash, joiner);
  }

  async getRoom(roomId: string): Promise<RoomRecord | null> {
    const row = this.stmt.selectRoom.get(roomId);
    return row ? toRoom(row) : null;
  }

  async findParticipantByTokenHash(tokenHash: Uint8Array): Promise<ParticipantRecord | null> {
    const row = this.stmt.selectParticipantByHash.get(tokenHash);
    return row ? toParticipant(row) : null;
  }

  async listParticipants(roomId: string): Promise<ParticipantRecord[]> {
    return this.stmt.selectParticipants.all(roomId).map(toParticipant);
  }

  async listSections(roomId: string): Promise<SectionRecord[]> {
    return this.stmt.selectSections.all(roomId).map(toSection);
  }

  async getSection(roomId: string, sectionId: string): Promise<SectionRecord | null> {
    const row = this.stmt.selectSection.get(roomId, sectionId);
    return row ? toSection(row) : null;
  }

  async saveSections(rows: readonly SectionRecord[], escrow: EscrowChange = {}): Promise<void> {
    this.saveSectionsTx(rows, escrow);
  }

  async listEscrow(roomId: string, sectionId: string): Promise<EscrowRecord[]> {
    return this.stmt.selectEscrow.all(roomId, sectionId).map(toEscrow);
  }

  async touchRoom(roomId: string, at: number): Promise<void> {
    this.stmt.touchRoom.run(at, roomId);
  }

  async markErasing(roomId: string, at: number): Promise<boolean> {
    return this.stmt.markErasing.run(at, roomId).changes > 0;
  }

  async clearErasing(roomId: string): Promise<void> {
    this.stmt.clearErasing.run(roomId);
  }

  async isRoomLive(roomId: string): Promise<boolean> {
    return this.stmt.selectLive.get(roomId) !== undefined;
  }

  async listErasingBefore(before: number): Promise<string[]> {
    return this.stmt.selectErasing.all(before).map((row) => row.id);
  }

  async deleteRoom(roomId: string, at: number): Promise<boolean> {
    return this.deleteRoomTx.immediate(roomId, at);
  }

  async isDeletedToken(tokenHash: Uint8Array): Promise<boolean> {
    return this.stmt.selectTombstone.get(tokenHash) !== undefined;
  }

  async purgeTombstones(before: number): Promise<void> {
    this.stmt.purgeTombstones.run(before);
  }

  async listRoomsUntouchedSince(before: number): Promise<string[]> {
    return this.stmt.selectUntouched.all(before).map((row) => row.id);
  }
}
