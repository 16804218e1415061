import type { PairRecord, ProposalRecord, WorkshopPatch, WorkshopRecord, WorkshopStore } from '../workshop-store';
import { insertSql, pairRows, proposalRows, toPair, toProposal, toWorkshop, workshopRows, type PairRow, type ProposalRow, type WorkshopRow } from '../rows';
import { sqliteFlag, sqlitePlaceholder, type SqliteDatabase } from './database';
import { ROOM_UPDATES_DELETE, roomUpdatesRange } from './doc-store';

interface ParticipantRow {
  id: string;
  seat: 'a' | 'b';
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** Workshops in SQLite, in the same `parley.db` (and transactions) as the room store. */
export class SqliteWorkshopStore implements WorkshopStore {
  private readonly stmt;
  private readonly movePartnerTx;
  private readonly endTx;
  private readonly proposeTx;
  private readonly confirmTx;
  private readonly deleteProposalTx;

  constructor(database: SqliteDatabase) {
    const { db } = database;
    this.stmt = {
      insertWorkshop: db.prepare<unknown[]>(insertSql(workshopRows, sqlitePlaceholder)),
      selectWorkshop: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE id = ?'),
      selectByCode: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE join_code = ? AND ended_at IS NULL'),
      updateWorkshop: db.prepare<[string, number | null, string | null, number | null, string]>(
        'UPDATE workshops SET unlocked = ?, timer_ends_at = ?, message = ?, message_at = ? WHERE id = ?',
      ),
      insertPair: db.prepare<unknown[]>(insertSql(pairRows, sqlitePlaceholder)),
      selectPairs: db.prepare<[string], PairRow>('SELECT * FROM workshop_pairs WHERE workshop_id = ? ORDER BY created_at, rowid'),
      selectPair: db.prepare<[string], PairRow>('SELECT * FROM workshop_pairs WHERE room_id = ?'),
      selectPairByCode: db.prepare<[string, string], PairRow>('SELECT * FROM workshop_pairs WHERE workshop_id = ? AND pair_code = ?'),
      setHand: db.prepare<[number, string]>('UPDATE workshop_pairs SET hand_raised = ? WHERE room_id = ?'),
      selectParticipants: db.prepare<[string], ParticipantRow>('SELECT id, seat FROM participants WHERE room_id = ? ORDER BY seat'),
      useInvite: db.prepare<[number, string]>('UPDATE invites SET used_at = ? WHERE room_id = ? AND used_at IS NULL'),
      moveParticipant: db.prepare<[string, string]>("UPDATE participants SET room_id = ?, seat = 'b' WHERE id = ?"),
      deleteRoom: db.prepare<[string]>('DELETE FROM rooms WHERE id = ?'),
      deleteRoomUpdates: db.prepare<[{ from: string; to: string; roomId: string }]>(ROOM_UPDATES_DELETE),
      deleteRoomSnapshots: db.prepare<[string]>('DELETE FROM doc_snapshots WHERE room_id = ?'),
      endWorkshop: db.prepare<[number, string]>('UPDATE workshops SET ended_at = ?, timer_ends_at = NULL WHERE id = ? AND ended_at IS NULL'),
      unlinkRooms: db.prepare<[string]>('UPDATE rooms SET workshop_id = NULL WHERE workshop_id = ?'),
      deletePairs: db.prepare<[string]>('DELETE FROM workshop_pairs WHERE workshop_id = ?'),
      selectExpired: db.prepare<[number, number], { id: string }>(
        'SELECT id FROM workshops WHERE (ended_at IS NOT NULL AND ended_at < ?) OR (ended_at IS NULL AND created_at < ?)',
      ),
      deleteWorkshop: db.prepare<[string]>('DELETE FROM workshops WHERE id = ? AND ended_at IS NOT NULL'),
      insertProposal: db.prepare<unknown[]>(insertSql(proposalRows, sqlitePlaceholder)),
      selectProposal: db.prepare<[string, string], ProposalRow>('SELECT * FROM pair_proposals WHERE into_room = ? OR from_room = ?'),
      selectProposals: db.prepare<[string], ProposalRow>('SELECT * FROM pair_proposals WHERE workshop_id = ? ORDER BY created_at, rowid'),
      confirmInto: db.prepare<[string]>('UPDATE pair_proposals SET into_confirmed = 1 WHERE into_room = ?'),
      confirmFrom: db.prepare<[string]>('UPDATE pair_proposals SET from_confirmed = 1 WHERE from_room = ?'),
      deleteProposal: db.prepare<[string, string]>('DELETE FROM pair_proposals WHERE into_room = ? OR from_room = ?'),
      deleteProposals: db.prepare<[string]>('DELETE FROM pair_proposals WHERE workshop_id = ?'),
    };
    const s = this.stmt;

    this.movePartnerTx = db.transaction((from: string, into: string, at: number): string | null => {
      const a = s.selectPair.get(from);
      const b = s.selectPair.get(into);
      if (!a || !b || from === into || a.workshop_id !== b.workshop_id || a.practice || b.practice) return null;
      const moving = s.selectParticipants.all(from);
      const staying = s.selectParticipants.all(into);
      if (moving.length !== 1 || staying.length !== 1) return null;
      const person = moving[0] as ParticipantRow;
      s.useInvite.run(at, into);
      s.moveParticipant.run(into, person.id);
      s.deleteRoom.run(from); // cascades to its sections, invite and pair row
      s.deleteRoomUpdates.run(roomUpdatesRange(from));
      s.deleteRoomSnapshots.run(from);
      return person.id;
    });

    this.endTx = db.transaction((id: string, at: number): string[] => {
      const rooms = s.selectPairs.all(id).map((p) => p.room_id);
      if (s.endWorkshop.run(at, id).changes === 0) return [];
      s.deleteProposals.run(id);
      s.unlinkRooms.run(id);
      s.deletePairs.run(id);
      return rooms;
    });

    this.proposeTx = db.transaction((p: ProposalRecord): 'ok' | 'busy' => {
      const into = s.selectPair.get(p.into);
      const from = s.selectPair.get(p.from);
      if (!into || !from || into.workshop_id !== p.workshopId || from.workshop_id !== p.workshopId) return 'busy';
      if (s.selectProposal.get(p.into, p.into) || s.selectProposal.get(p.from, p.from)) return 'busy';
      s.insertProposal.run(...proposalRows.values(p, sqliteFlag));
      return 'ok';
    });
    this.confirmTx = db.transaction((roomId: string): ProposalRecord | null => {
      s.confirmInto.run(roomId);
      s.confirmFrom.run(roomId);
      const row = s.selectProposal.get(roomId, roomId);
      return row ? toProposal(row) : null;
    });
    this.deleteProposalTx = db.transaction((roomId: string): ProposalRecord | null => {
      const row = s.selectProposal.get(roomId, roomId);
      if (!row) return null;
      s.deleteProposal.run(roomId, roomId);
      return toProposal(row);
    });
  }

  async createWorkshop(w: WorkshopRecord): Promise<'ok' | 'code_taken'> {
    try {
      this.stmt.insertWorkshop.run(...workshopRows.values(w, sqliteFlag));
      return 'ok';
    } catch (error) {
      if (isUniqueViolation(error) && String((error as Error).message).includes('join_code')) return 'code_taken';
      throw error;
    }
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | null> {
    const row = this.stmt.selectWorkshop.get(id);
    return row ? toWorkshop(row) : null;
  }

  async findByJoinCode(joinCode: string): Promise<WorkshopRecord | null> {
    const row = this.stmt.selectByCode.get(joinCode);
    return row ? toWorkshop(row) : null;
  }

  async updateWorkshop(id: string, patch: WorkshopPatch): Promise<void> {
    // Read and write without yielding, so no other call interleaves.
    const row = this.stmt.selectWorkshop.get(id);
    if (!row) return;
    const next = { ...toWorkshop(row), ...patch };
    this.stmt.updateWorkshop.run(JSON.stringify(next.unlocked), next.timerEndsAt, next.message?.message ?? null, next.message?.at ?? null, id);
  }

  async addPair(pair: PairRecord): Promise<'ok' | 'code_taken'> {
    try {
      this.stmt.insertPair.run(...pairRows.values(pair, sqliteFlag));
      return 'ok';
    } catch (error) {
      if (isUniqueViolation(error) && String((error as Error).message).includes('pair_code')) return 'code_taken';
      throw error;
    }
  }

  async listPairs(workshopId: string): Promise<PairRecord[]> {
    return this.stmt.selectPairs.all(workshopId).map(toPair);
  }

  async getPair(roomId: string): Promise<PairRecord | null> {
    const row = this.stmt.selectPair.get(roomId);
    return row ? toPair(row) : null;
  }

  async findPairByCode(workshopId: string, pairCode: string): Promise<PairRecord | null> {
    const row = this.stmt.selectPairByCode.get(workshopId, pairCode);
    return row ? toPair(row) : null;
  }

  async setHand(roomId: string, raised: boolean): Promise<void> {
    this.stmt.setHand.run(raised ? 1 : 0, roomId);
  }

  async movePartner(from: string, into: string, at: number): Promise<string | null> {
    return this.movePartnerTx.immediate(from, into, at);
  }

  async endWorkshop(id: string, at: number): Promise<string[]> {
    return this.endTx.immediate(id, at);
  }

  async proposePair(proposal: ProposalRecord): Promise<'ok' | 'busy'> {
    return this.proposeTx.immediate(proposal);
  }

  async getProposal(roomId: string): Promise<ProposalRecord | null> {
    const row = this.stmt.selectProposal.get(roomId, roomId);
    return row ? toProposal(row) : null;
  }

  async listProposals(workshopId: string): Promise<ProposalRecord[]> {
    return this.stmt.selectProposals.all(workshopId).map(toProposal);
  }

  async confirmProposal(roomId: string): Promise<ProposalRecord | null> {
    return this.confirmTx.immediate(roomId);
  }

  async deleteProposal(roomId: string): Promise<ProposalRecord | null> {
    return this.deleteProposalTx.immediate(roomId);
  }

  async listExpiredWorkshops(endedBefore: number, createdBefore: number): Promise<string[]> {
    return this.stmt.selectExpired.all(endedBefore, createdBefore).map((r) => r.id);
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    return this.stmt.deleteWorkshop.run(id).changes === 1;
  }
}
