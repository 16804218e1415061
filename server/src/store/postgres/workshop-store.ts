import type pg from 'pg';
import type { PairRecord, ProposalRecord, WorkshopPatch, WorkshopRecord, WorkshopStore } from '../workshop-store';
import { insertSql, pairRows, proposalRows, toPair, toProposal, toWorkshop, workshopRows, type PairRow, type ProposalRow, type WorkshopRow } from '../rows';
import { postgresFlag, postgresPlaceholder, type PostgresDatabase } from './database';

interface ParticipantRow {
  id: string;
  seat: 'a' | 'b';
}

/** unique_violation on the named constraint or index */
const isUniqueViolation = (error: unknown, what: string): boolean =>
  error instanceof Error &&
  (error as { code?: unknown }).code === '23505' &&
  String((error as { constraint?: unknown }).constraint ?? '').includes(what);

const selectPairForUpdate = async (client: pg.ClientBase, roomId: string): Promise<PairRow | undefined> =>
  (await client.query<PairRow>('SELECT * FROM workshop_pairs WHERE room_id = $1 FOR UPDATE', [roomId])).rows[0];

const participantsOf = async (client: pg.ClientBase, roomId: string): Promise<ParticipantRow[]> =>
  (await client.query<ParticipantRow>('SELECT id, seat FROM participants WHERE room_id = $1 ORDER BY seat', [roomId])).rows;

/** Workshops in Postgres, sharing the pool (and database) of the room store. */
export class PostgresWorkshopStore implements WorkshopStore {
  constructor(private readonly database: PostgresDatabase) {}

  private get pool(): pg.Pool {
    return this.database.pool;
  }

  async createWorkshop(w: WorkshopRecord): Promise<'ok' | 'code_taken'> {
    try {
      await this.pool.query(insertSql(workshopRows, postgresPlaceholder), workshopRows.values(w, postgresFlag));
      return 'ok';
    } catch (error) {
      if (isUniqueViolation(error, 'join_code')) return 'code_taken';
      throw error;
    }
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | null> {
    const { rows } = await this.pool.query<WorkshopRow>('SELECT * FROM workshops WHERE id = $1', [id]);
    return rows[0] ? toWorkshop(rows[0]) : null;
  }

  async findByJoinCode(joinCode: string): Promise<WorkshopRecord | null> {
    const { rows } = await this.pool.query<WorkshopRow>('SELECT * FROM workshops WHERE join_code = $1 AND ended_at IS NULL', [joinCode]);
    return rows[0] ? toWorkshop(rows[0]) : null;
  }

  async updateWorkshop(id: string, patch: WorkshopPatch): Promise<void> {
    // Each field is set only when given, so two nodes changing different fields do not undo each other.
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.unlocked !== undefined) set('unlocked', JSON.stringify(patch.unlocked));
    if (patch.timerEndsAt !== undefined) set('timer_ends_at', patch.timerEndsAt);
    if (patch.message !== undefined) {
      set('message', patch.message?.message ?? null);
      set('message_at', patch.message?.at ?? null);
    }
    if (sets.length === 0) return;
    values.push(id);
    await this.pool.query(`UPDATE workshops SET ${sets.join(', ')} WHERE id = $${values.length}`, values);
  }

  async addPair(pair: PairRecord): Promise<'ok' | 'code_taken'> {
    try {
      await this.pool.query(insertSql(pairRows, postgresPlaceholder), pairRows.values(pair, postgresFlag));
      return 'ok';
    } catch (error) {
      if (isUniqueViolation(error, 'pair_code')) return 'code_taken';
      throw error;
    }
  }

  async listPairs(workshopId: string): Promise<PairRecord[]> {
    const { rows } = await this.pool.query<PairRow>(
      'SELECT * FROM workshop_pairs WHERE workshop_id = $1 ORDER BY created_at, room_id COLLATE "C"',
      [workshopId],
    );
    return rows.map(toPair);
  }

  async getPair(roomId: string): Promise<PairRecord | null> {
    const { rows } = await this.pool.query<PairRow>('SELECT * FROM workshop_pairs WHERE room_id = $1', [roomId]);
    return rows[0] ? toPair(rows[0]) : null;
  }

  async findPairByCode(workshopId: string, pairCode: string): Promise<PairRecord | null> {
    const { rows } = await this.pool.query<PairRow>('SELECT * FROM workshop_pairs WHERE workshop_id = $1 AND pair_code = $2', [workshopId, pairCode]);
    return rows[0] ? toPair(rows[0]) : null;
  }

  async setHand(roomId: string, raised: boolean): Promise<void> {
    await this.pool.query('UPDATE workshop_pairs SET hand_raised = $1 WHERE room_id = $2', [raised, roomId]);
  }

  async movePartner(from: string, into: string, at: number): Promise<string | null> {
    if (from === into) return null;
    return this.database.transaction(async (client): Promise<string | null> => {
      // Lock both pair rows in a fixed order so two opposite merges cannot deadlock.
      const [first, second] = [from, into].sort();
      const rowFirst = await selectPairForUpdate(client, first as string);
      const rowSecond = await selectPairForUpdate(client, second as string);
      const a = from === first ? rowFirst : rowSecond;
      const b = into === first ? rowFirst : rowSecond;
      if (!a || !b || a.workshop_id !== b.workshop_id || a.practice || b.practice) return null;
      const moving = await participantsOf(client, from);
      const staying = await participantsOf(client, into);
      if (moving.length !== 1 || staying.length !== 1) return null;
      const person = moving[0] as ParticipantRow;
      await client.query('UPDATE invites SET used_at = $1 WHERE room_id = $2 AND used_at IS NULL', [at, into]);
      await client.query("UPDATE participants SET room_id = $1, seat = 'b' WHERE id = $2", [into, person.id]);
      await client.query('DELETE FROM rooms WHERE id = $1', [from]); // cascades to sections, invite, pair row
      await client.query('DELETE FROM doc_updates WHERE room_id = $1', [from]);
      await client.query('DELETE FROM doc_snapshots WHERE room_id = $1', [from]);
      return person.id;
    });
  }

  async removePair(roomId: string): Promise<boolean> {
    return this.database.transaction(async (client) => {
      await client.query('DELETE FROM pair_proposals WHERE into_room = $1 OR from_room = $1', [roomId]);
      const removed = await client.query('DELETE FROM workshop_pairs WHERE room_id = $1', [roomId]);
      if (removed.rowCount !== 1) return false;
      await client.query('UPDATE rooms SET workshop_id = NULL WHERE id = $1', [roomId]);
      return true;
    });
  }

  async endWorkshop(id: string, at: number): Promise<string[]> {
    return this.database.transaction(async (client) => {
      const ended = await client.query('UPDATE workshops SET ended_at = $1, timer_ends_at = NULL WHERE id = $2 AND ended_at IS NULL', [at, id]);
      if (ended.rowCount !== 1) return [];
      await client.query('DELETE FROM pair_proposals WHERE workshop_id = $1', [id]);
      const { rows } = await client.query<{ room_id: string }>('DELETE FROM workshop_pairs WHERE workshop_id = $1 RETURNING room_id', [id]);
      await client.query('UPDATE rooms SET workshop_id = NULL WHERE workshop_id = $1', [id]);
      return rows.map((r) => r.room_id);
    });
  }

  async proposePair(p: ProposalRecord): Promise<'ok' | 'busy'> {
    if (p.into === p.from) return 'busy';
    return this.database.transaction(async (client): Promise<'ok' | 'busy'> => {
      // The pair rows are locked in a fixed order, so two proposals touching the same rooms
      // serialize here and the second sees the first.
      const [first, second] = [p.into, p.from].sort() as [string, string];
      const rows = [await selectPairForUpdate(client, first), await selectPairForUpdate(client, second)];
      if (rows.some((r) => !r || r.workshop_id !== p.workshopId)) return 'busy';
      const { rowCount } = await client.query('SELECT 1 FROM pair_proposals WHERE into_room IN ($1, $2) OR from_room IN ($1, $2)', [p.into, p.from]);
      if (rowCount) return 'busy';
      await client.query(insertSql(proposalRows, postgresPlaceholder), proposalRows.values(p, postgresFlag));
      return 'ok';
    });
  }

  async getProposal(roomId: string): Promise<ProposalRecord | null> {
    const { rows } = await this.pool.query<ProposalRow>('SELECT * FROM pair_proposals WHERE into_room = $1 OR from_room = $1', [roomId]);
    return rows[0] ? toProposal(rows[0]) : null;
  }

  async listProposals(workshopId: string): Promise<ProposalRecord[]> {
    const { rows } = await this.pool.query<ProposalRow>('SELECT * FROM pair_proposals WHERE workshop_id = $1 ORDER BY created_at, into_room COLLATE "C"', [workshopId]);
    return rows.map(toProposal);
  }

  async confirmProposal(roomId: string): Promise<ProposalRecord | null> {
    // One statement: each side sets only its own flag, and the row comes back as committed.
    const { rows } = await this.pool.query<ProposalRow>(
      `UPDATE pair_proposals SET into_confirmed = into_confirmed OR into_room = $1, from_confirmed = from_confirmed OR from_room = $1
       WHERE into_room = $1 OR from_room = $1 RETURNING *`,
      [roomId],
    );
    return rows[0] ? toProposal(rows[0]) : null;
  }

  async deleteProposal(roomId: string): Promise<ProposalRecord | null> {
    const { rows } = await this.pool.query<ProposalRow>('DELETE FROM pair_proposals WHERE into_room = $1 OR from_room = $1 RETURNING *', [roomId]);
    return rows[0] ? toProposal(rows[0]) : null;
  }

  async listExpiredWorkshops(endedBefore: number, createdBefore: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM workshops WHERE (ended_at IS NOT NULL AND ended_at < $1) OR (ended_at IS NULL AND created_at < $2)',
      [endedBefore, createdBefore],
    );
    return rows.map((r) => r.id);
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM workshops WHERE id = $1 AND ended_at IS NOT NULL', [id]);
    return rowCount === 1;
  }
}
