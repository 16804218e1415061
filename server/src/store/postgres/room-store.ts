import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { SectionState } from '@parley/shared/protocol/room-doc';
import type {
  ClaimInviteResult,
  ParticipantRecord,
  RoomRecord,
  RoomStore,
  SectionRecord,
} from '../room-store';
import type { PostgresDatabase } from './database';

// BIGINT columns arrive as strings (they may exceed 2^53); ms timestamps never do.
interface RoomRow {
  id: string;
  title: string | null;
  reveal_mode: RevealMode;
  template_id: string;
  template_version: number;
  created_at: string;
  touched_at: string;
  workshop_id: string | null;
}

interface ParticipantRow {
  id: string;
  room_id: string;
  seat: Seat;
  display_name: string;
  token_hash: Buffer;
  created_at: string;
}

interface SectionRow {
  room_id: string;
  section_id: string;
  state: SectionState;
  round: number;
  ready_a: boolean;
  ready_b: boolean;
  revealed_at: string | null;
}

// Rows are written only by this store from typed records, so enum columns hold valid values.
const toRoom = (r: RoomRow): RoomRecord => ({
  id: r.id,
  title: r.title,
  revealMode: r.reveal_mode,
  templateId: r.template_id,
  templateVersion: r.template_version,
  createdAt: Number(r.created_at),
  touchedAt: Number(r.touched_at),
  workshopId: r.workshop_id,
});

const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id,
  roomId: r.room_id,
  seat: r.seat,
  displayName: r.display_name,
  tokenHash: r.token_hash,
  createdAt: Number(r.created_at),
});

const toSection = (r: SectionRow): SectionRecord => ({
  roomId: r.room_id,
  sectionId: r.section_id,
  state: r.state,
  round: r.round,
  readyA: r.ready_a,
  readyB: r.ready_b,
  revealedAt: r.revealed_at === null ? null : Number(r.revealed_at),
});

const PARTICIPANT_COLUMNS = 'id, room_id, seat, display_name, token_hash, created_at';
const SECTION_COLUMNS = 'room_id, section_id, state, round, ready_a, ready_b, revealed_at';

const insertParticipant = (client: pg.ClientBase, p: ParticipantRecord) =>
  client.query(`INSERT INTO participants (${PARTICIPANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
    p.id,
    p.roomId,
    p.seat,
    p.displayName,
    p.tokenHash,
    p.createdAt,
  ]);

const upsertSection = (client: pg.ClientBase, s: SectionRecord) =>
  client.query(
    `INSERT INTO sections (${SECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (room_id, section_id) DO UPDATE SET state = excluded.state, round = excluded.round,
       ready_a = excluded.ready_a, ready_b = excluded.ready_b, revealed_at = excluded.revealed_at`,
    [s.roomId, s.sectionId, s.state, s.round, s.readyA, s.readyB, s.revealedAt],
  );

/**
 * Takes the room row as the room's mutex until COMMIT. NO KEY UPDATE, not UPDATE: it must
 * not block the foreign-key checks of concurrent section writes, which would deadlock
 * against deleteRoom's cascade. Returns false if the room does not exist.
 */
const lockRoom = async (client: pg.ClientBase, roomId: string): Promise<boolean> => {
  const { rowCount } = await client.query('SELECT 1 FROM rooms WHERE id = $1 FOR NO KEY UPDATE', [roomId]);
  return rowCount === 1;
};

/** Constant-time so response timing does not reveal how much of an invite hash matched. */
const sameHash = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && timingSafeEqual(a, b);

/** Room metadata in Postgres; shares its pool (and database) with `PostgresDocStore`. */
export class PostgresRoomStore implements RoomStore {
  constructor(private readonly database: PostgresDatabase) {}

  private get pool(): pg.Pool {
    return this.database.pool;
  }

  async createRoom({ room, creator, inviteHash, sections }: Parameters<RoomStore['createRoom']>[0]): Promise<void> {
    await this.database.transaction(async (client) => {
      await client.query(
        `INSERT INTO rooms (id, title, reveal_mode, template_id, template_version, created_at, touched_at, workshop_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          room.id,
          room.title,
          room.revealMode,
          room.templateId,
          room.templateVersion,
          room.createdAt,
          room.touchedAt,
          room.workshopId,
        ],
      );
      await insertParticipant(client, creator);
      await client.query('INSERT INTO invites (room_id, token_hash) VALUES ($1, $2)', [room.id, inviteHash]);
      // One at a time, in template order: ord follows insertion order.
      for (const row of sections) await upsertSection(client, row);
    });
  }

  async claimInvite(roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): Promise<ClaimInviteResult> {
    return this.database.transaction(async (client): Promise<ClaimInviteResult> => {
      // Two nodes claiming at once queue on the room lock; the second then reads the invite
      // (a new statement, so a fresh view) as used.
      if (!(await lockRoom(client, roomId))) return 'not_found';
      const { rows } = await client.query<{ token_hash: Buffer; used_at: string | null }>(
        'SELECT i.token_hash, i.used_at FROM invites i JOIN rooms r ON r.id = i.room_id WHERE i.room_id = $1 AND r.erasing_at IS NULL',
        [roomId],
      );
      const invite = rows[0];
      // A wrong hash answers not_found even for a used invite, so a guesser learns nothing.
      if (!invite || !sameHash(invite.token_hash, inviteHash)) return 'not_found';
      if (invite.used_at !== null) return 'used';
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

  async saveSections(rows: readonly SectionRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.database.transaction(async (client) => {
      for (const row of rows) await upsertSection(client, row);
    });
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
        await client.query('DELETE FROM rooms WHERE id = $1', [roomId]); // cascades to participants, invites, sections
      }
      // Docs go even without a room row: a half-created or already-deleted room leaves none.
      await client.query('DELETE FROM doc_updates WHERE room_id = $1', [roomId]);
      await client.query('DELETE FROM doc_snapshots WHERE room_id = $1', [roomId]);
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
