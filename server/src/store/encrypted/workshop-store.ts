import type { PairRecord, ProposalRecord, WorkshopPatch, WorkshopRecord, WorkshopStore } from '../workshop-store';
import { sealContext, type DataCipher } from './cipher';

/**
 * Encrypts the free text of any `WorkshopStore`: the workshop title, the facilitator's name
 * and the broadcast message, each bound to the workshop's id so it cannot be moved to another
 * workshop or column. Join and pair codes stay as they are: the server draws them at random
 * (no user content) and they are looked up by value. Pair rows hold no free text; the names of
 * the people in a pair are participants of the room store, sealed by `EncryptedRoomStore`.
 */
export class EncryptedWorkshopStore implements WorkshopStore {
  constructor(
    private readonly inner: WorkshopStore,
    private readonly cipher: DataCipher,
  ) {}

  createWorkshop(workshop: WorkshopRecord): Promise<'ok' | 'code_taken'> {
    return this.inner.createWorkshop(this.sealWorkshop(workshop));
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | null> {
    const workshop = await this.inner.getWorkshop(id);
    return workshop ? this.openWorkshop(workshop) : null;
  }

  async findByJoinCode(joinCode: string): Promise<WorkshopRecord | null> {
    const workshop = await this.inner.findByJoinCode(joinCode);
    return workshop ? this.openWorkshop(workshop) : null;
  }

  updateWorkshop(id: string, patch: WorkshopPatch): Promise<void> {
    if (!patch.message) return this.inner.updateWorkshop(id, patch);
    return this.inner.updateWorkshop(id, { ...patch, message: this.sealMessage(id, patch.message) });
  }

  addPair(pair: PairRecord): Promise<'ok' | 'code_taken'> {
    return this.inner.addPair(pair);
  }

  listPairs(workshopId: string): Promise<PairRecord[]> {
    return this.inner.listPairs(workshopId);
  }

  getPair(roomId: string): Promise<PairRecord | null> {
    return this.inner.getPair(roomId);
  }

  findPairByCode(workshopId: string, pairCode: string): Promise<PairRecord | null> {
    return this.inner.findPairByCode(workshopId, pairCode);
  }

  setHand(roomId: string, raised: boolean): Promise<void> {
    return this.inner.setHand(roomId, raised);
  }

  listExpiredWorkshops(endedBefore: number, createdBefore: number): Promise<string[]> {
    return this.inner.listExpiredWorkshops(endedBefore, createdBefore);
  }

  deleteWorkshop(id: string): Promise<boolean> {
    return this.inner.deleteWorkshop(id);
  }

  movePartner(from: string, into: string, at: number): Promise<string | null> {
    return this.inner.movePartner(from, into, at);
  }

  removePair(roomId: string): Promise<boolean> {
    return this.inner.removePair(roomId);
  }

  endWorkshop(id: string, at: number): Promise<string[]> {
    return this.inner.endWorkshop(id, at);
  }

  // Proposals hold ids, flags and a random seed: nothing to seal.
  proposePair(proposal: ProposalRecord): Promise<'ok' | 'busy'> {
    return this.inner.proposePair(proposal);
  }

  getProposal(roomId: string): Promise<ProposalRecord | null> {
    return this.inner.getProposal(roomId);
  }

  listProposals(workshopId: string): Promise<ProposalRecord[]> {
    return this.inner.listProposals(workshopId);
  }

  confirmProposal(roomId: string): Promise<ProposalRecord | null> {
    return this.inner.confirmProposal(roomId);
  }

  deleteProposal(roomId: string): Promise<ProposalRecord | null> {
    return this.inner.deleteProposal(roomId);
  }

  private sealWorkshop(w: WorkshopRecord): WorkshopRecord {
    return {
      ...w,
      title: this.cipher.sealText(w.title, sealContext.workshopTitle(w.id)),
      facilitatorName: this.cipher.sealText(w.facilitatorName, sealContext.facilitatorName(w.id)),
      message: w.message && this.sealMessage(w.id, w.message),
    };
  }

  private openWorkshop(w: WorkshopRecord): WorkshopRecord {
    return {
      ...w,
      title: this.cipher.openText(w.title, sealContext.workshopTitle(w.id)),
      facilitatorName: this.cipher.openText(w.facilitatorName, sealContext.facilitatorName(w.id)),
      message: w.message && { ...w.message, message: this.cipher.openText(w.message.message, sealContext.workshopMessage(w.id)) },
    };
  }

  private sealMessage(workshopId: string, sent: NonNullable<WorkshopRecord['message']>): NonNullable<WorkshopRecord['message']> {
    return { ...sent, message: this.cipher.sealText(sent.message, sealContext.workshopMessage(workshopId)) };
  }
}
