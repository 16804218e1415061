import type pg from 'pg';
import { sameHash } from '../../lib/tokens';
import { fitsRoom, TokenInUseError, type ClaimInviteResult, type EscrowChange, type EscrowRecord, type ParticipantRecord, type RoomRecord, type RoomStore, type SectionRecord } from '../room-store';
import { escrowRows, insertSql, participantRows, roomRows, sectionRows, toEscrow, toParticipant, toRoom, toSection, upsertEscrowSql, upsertSectionSql, type EscrowRow, type ParticipantRow, type RoomRow, type SectionRow } from '../rows';
import { postgresFlag, postgresPlaceholder, type PostgresDatabase } from './database';

const PARTICIPANT_COLUMNS = participantRows.columns.join(', ');
const SECTION_COLUMNS = sectionRows.columns.join(', ');
const INSERT_ROOM = insertSql(roomRows, postgresPlaceholder);
const INSERT_PARTICIPANT = insertSql(participantRows, postgresPlaceholder);
const UPSERT_SECTION = upsertSectionSql(postgresPlaceholder);
const UPSERT_ESCROW = upsertEscrowSql(postgresPlaceholder);

const insertParticipant = (client: pg.ClientBase, p: ParticipantRecord) => client.query(INSERT_PARTICIPANT, participantRows.values(p, postgresFlag));

const upsertSection = (client: pg.ClientBase, s: SectionRecord) => client.query(UPSERT_SECTION, sectionRows.values(s, postgresFlag));

/** A token hash is in use if any participant, invite or tombstone has it (each indexed). */
const tokenInUse = async (client: pg.ClientBase, hash: Uint8Array): Promise<boolean> =>
  ((
    await client.query(
      `SELECT 1 FROM participants WHERE token_hash = $1
       UNION ALL SELECT 1 FROM invites WHERE token_hash = $1
       UNION ALL SELECT 1 FROM deleted_tokens WHERE token_hash = $1 LIMIT 1`,
      [hash],
    )
  ).rowCount ?? 0) > 0;

/**
 * Two transactions inserting the same participant token hash at once both pass `tokenInUse`; the
 * unique index stops the second (unique_violation).
 */
const isTokenClash = (error: unknown): boolean =>
  error instanceof Error && (error as { code?: unknown }).code === '23505' && String((error as { constraint?: unknown }).constraint ?? '').includes('token_hash');

/**
 * Takes the room row as the room's mutex until COMMIT. NO KEY UPDATE, not UPDATE: it must
 * not block the foreign-key checks of concurrent section writes, which would deadlock
 * against deleteRoom's cascade. Returns false if the room does not exist.
 */
const lockRoom = async (client: pg.ClientBase, roomId: string): Promise<boolean> => {
  const { rowCount } = await client.query('SELECT 1 FROM rooms WHERE id = $1 FOR NO KEY UPDATE', [roomId]);
  return rowCount === 1;
};

/** Room metadata in Postgres; shares its pool (and database) with `PostgresDocStore`. */
export class PostgresRoomStore implements RoomStore {
  constructor(private readonly database: PostgresDatabase) {}

  private get pool(): pg.Pool {
    return this.database.pool;
  }

  async createRoom({ room, creator, inviteHash, sections }: Parameters<RoomStore['createRoom']>[0]): Promise<void> {
    if (!fitsRoom(room.sealed, creator)) throw new Error("a sealed room's creator has a public key and binding, a standard room's none");
    if (sameHash(creator.tokenHash, inviteHash)) throw new TokenInUseError();
    await this.database.transaction(async (client) => {
      if ((await tokenInUse(client, creator.tokenHash)) || (await tokenInUse(client, inviteHash))) throw new TokenInUseError();
      await client.query(INSERT_ROOM, roomRows.values(room, postgresFlag));
      await insertParticipant(client, creator);
      await client.query('INSERT INTO invites (room_id, token_hash) VALUES ($1, $2)', [room.id, inviteHash]);
      // One at a time, in template order: ord follows insertion order.
      for (const row of sections) await upsertSection(client, row);
    }).catch((error: unknown) => {
      throw isTokenClash(error) ? new TokenInUseError() : error;
    });
  }

  async claimInvite(roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): Promise<ClaimInviteResult> {
    return this.claimInviteTx(roomId, inviteHash, joiner).catch((error: unknown) => {
      if (isTokenClash(error)) return 'token_in_use';
      throw error;
    });
  }

  private claimInviteTx(roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): Promise<ClaimInviteResult> {
    return this.database.transaction(async (client): Promise<ClaimInviteResult> => {
      // Two nodes claiming at once queue on the room lock; the second then reads the invite
      // (a new statement, so a fresh view) as used.
      if (!(await lockRoom(client, roomId))) return 'not_found';
      const { rows } = await client.query<{ token_hash: Buffer; used_at: string | null; sealed: boolean }>(
        'SELECT i.token_hash, i.used_at, r.sealed FROM invites i JOIN rooms r ON r.id = i.room_id WHERE i.room_id = $1 AND r.erasing_at IS NULL',
        [roomId],
      );
      const invite = rows[0];
      // A wrong hash answers not_found even for a used invite, so a guesser learns nothing.
      if (!invite || !sameHash(invite.token_hash, inviteHash)) return 'not_found';
      if (!fitsRoom(invite.sealed, joiner)) return 'wrong_kind';
      if (invite.used_at !== null) return 'used';
      if (await tokenInUse(client, joiner.tokenHash)) return 'token_in_use';
      await client.query('UPDATE invites SET used_at = $1 WHERE room_id = $2', [joiner.createdAt, roomId]);
      await insertParticipant(client, joiner);
      return 'ok';
    });
  }

  async inviteState(roomId: string, inviteHash: Uint8Array): Promise<'open' | 'used' | 'not_found'> {
    const { rows } = await this.pool.query<{ token_hash: Buffer; used_at: string | null }>(
      'SELECT i.token_hash, i.used_at FROM invites i JOIN rooms r ON r.id = i.room_id WHERE i.room_id = $1 AND r.erasing_at IS NULL',
      [roomId],
    );
    const invite = rows[0];
    if (!invite || !sameHash(invite.token_hash, inviteHash)) return 'not_found';
    return invite.used_at === null ? 'open' : 'used';
  }

  async getRoom(roomId: string): Promise<RoomRecord | null> {
    const { rows } = await this.pool.query<RoomRow>('SELECT * FROM rooms WHERE id = $1', [roomId]);
    return rows[0] ? toRoom(rows[0]) : null;
  }

  async findParticipantByTokenHash(tokenHash: Uint8Array): Promise<ParticipantRecord | null> {
    const { rows } = await this.pool.query<ParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ? toParticipant(rows[0]) : null;
  }

  async listParticipants(roomId: string): Promise<ParticipantRecord[]> {
    const { rows } = await this.pool.query<ParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE room_id = $1 ORDER BY seat`,
      [roomId],
    );
    return rows.map(toParticipant);
  }

  async listSections(roomId: string): Promise<SectionRecord[]> {
    const { rows } = await this.pool.query<SectionRow>(
      `SELECT ${SECTION_COLUMNS} FROM sections WHERE room_id = $1 ORDER BY ord`,
      [roomId],
    );
    return rows.map(toSection);
  }

  async getSection(roomId: string, sectionId: string): Promise<SectionRecord | null> {
    const { rows } = await this.pool.query<SectionRow>(
      `SELECT ${SECTION_COLUMNS} FROM sections WHERE room_id = $1 AND section_id = $2`,
      [roomId, sectionId],
    );
    return rows[0] ? toSection(rows[0]) : null;
  }

  async saveSections(rows: readonly SectionRecord[], escrow: EscrowChange = {}): Promise<void> {
    const drop = escrow.drop ?? [];
    const put = escrow.put ?? [];
    if (rows.length === 0 && drop.length === 0 && put.length === 0) return;
    await this.database.transaction(async (client) => {
      for (const row of rows) await upsertSection(client, row);
      for (const d of drop) {
        await client.query('DELETE FROM escrow WHERE room_id = $1 AND section_id = $2 AND ($3::text IS NULL OR seat = $3)', [d.roomId, d.sectionId, d.seat]);
      }
      for (const e of put) await client.query(UPSERT_ESCROW, escrowRows.values(e, postgresFlag));
    });
  }

  async listEscrow(roomId: string, sectionId: string): Promise<EscrowRecord[]> {
    const { rows } = await this.pool.query<EscrowRow>(
      `SELECT ${escrowRows.columns.join(', ')} FROM escrow WHERE room_id = $1 AND section_id = $2 ORDER BY seat`,
      [roomId, sectionId],
    );
    return rows.map(toEscrow);
  }

  async touchRoom(roomId: string, at: number): Promise<void> {
    // Never move touched_at backwards: two nodes may report activity out of order.
    await this.pool.query('UPDATE rooms SET touched_at = GREATEST(touched_at, $1) WHERE id = $2', [at, roomId]);
  }

  async markErasing(roomId: string, at: number): Promise<boolean> {
    return this.database.transaction(async (client) => {
      // FOR UPDATE, which the UPDATE alone would not take: it waits for every doc write in
      // flight (each holds KEY SHARE on its room row until it commits, see PostgresDocStore),
      // and each later one finds the mark.
      const { rowCount } = await client.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', [roomId]);
      if (rowCount !== 1) return false;
      await client.query('UPDATE rooms SET erasing_at = COALESCE(erasing_at, $1) WHERE id = $2', [at, roomId]);
      return true;
    });
  }

  async clearErasing(roomId: string): Promise<void> {
    await this.pool.query('UPDATE rooms SET erasing_at = NULL WHERE id = $1', [roomId]);
  }

  async isRoomLive(roomId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM rooms WHERE id = $1 AND erasing_at IS NULL', [roomId]);
    return rowCount === 1;
  }

  async listErasingBefore(before: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM rooms WHERE erasing_at < $1 ORDER BY erasing_at, id COLLATE "C"',
      [before],
    );
    return rows.map((row) => row.id);
  }

  async deleteRoom(roomId: string, at: number): Promise<boolean> {
    return this.database.transaction(async (client) => {
      // Locked first, so a claim on another node either finished (its joiner is tombstoned
      // below) or will find no room.
      const existed = await lockRoom(client, roomId);
      if (existed) {
        await client.query(
          `INSERT INTO deleted_tokens (token_hash, deleted_at)
           SELECT token_hash, $1 FROM participants WHERE room_id = $2
           ON CONFLICT (token_hash) DO NOTHING`,
          [at, roomId],
        );
        await client.query('DELETE FROM rooms WHERE id = $1', [roomId]); // cascades to participants, invites, sections, escrow
      }
      return existed;
    });
  }

  async isDeletedToken(tokenHash: Uint8Array): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM deleted_tokens WHERE token_hash = $1', [tokenHash]);
    return rowCount === 1;
  }

  async purgeTombstones(before: number): Promise<void> {
    await this.pool.query('DELETE FROM deleted_tokens WHERE deleted_at < $1', [before]);
  }

  async listRoomsUntouchedSince(before: number): Promise<string[]> {
    // COLLATE "C": byte order, as in SQLite, whatever the database's locale.
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM rooms WHERE touched_at < $1 ORDER BY touched_at, id COLLATE "C"',
      [before],
    );
    return rows.map((row) => row.id);
  }
}
