/**
 * Workshops and the pair rooms linked to them. A pair is an ordinary room (rows in the room
 * store) plus a pair row here; the facilitator's token is kept only as its SHA-256. Nothing in
 * this store holds answers, notes or agreement text.
 */
export interface WorkshopRecord {
  id: string;
  title: string;
  facilitatorName: string;
  /** SHA-256 of the facilitator token */
  facilitatorHash: Uint8Array;
  /** unique among workshops that have not ended */
  joinCode: string;
  templateId: string;
  templateVersion: number;
  lockSections: boolean;
  /** section ids the facilitator unlocked, in unlock order */
  unlocked: string[];
  /** ms since epoch, or null when no timer runs */
  timerEndsAt: number | null;
  message: { message: string; at: number } | null;
  createdAt: number;
  endedAt: number | null;
}

export interface PairRecord {
  workshopId: string;
  roomId: string;
  /** unique within the workshop */
  pairCode: string;
  handRaised: boolean;
  practice: boolean;
  createdAt: number;
}

/**
 * A pairing of two people waiting alone, proposed by one of them (bringing the other's pair
 * code) or by the facilitator. Nobody is seated with anyone until both have confirmed on their
 * own devices; then `from`'s person moves into `into` (`movePartner`), which erases the row.
 */
export interface ProposalRecord {
  workshopId: string;
  /** the room that stays: its person keeps seat a */
  into: string;
  /** the room whose person moves into `into` as seat b, once both confirmed */
  from: string;
  proposedBy: 'code' | 'facilitator';
  /** random, so that every proposal shows its own verification phrase */
  seed: string;
  intoConfirmed: boolean;
  fromConfirmed: boolean;
  createdAt: number;
}

export type WorkshopPatch = Partial<Pick<WorkshopRecord, 'unlocked' | 'timerEndsAt' | 'message'>>;

export interface WorkshopStore {
  /** `code_taken` when an active workshop already uses the join code (the caller retries). */
  createWorkshop(workshop: WorkshopRecord): Promise<'ok' | 'code_taken'>;
  getWorkshop(id: string): Promise<WorkshopRecord | null>;
  /** The active (not ended) workshop with this join code. */
  findByJoinCode(joinCode: string): Promise<WorkshopRecord | null>;
  updateWorkshop(id: string, patch: WorkshopPatch): Promise<void>;
  /** `code_taken` when the workshop already has a pair with this code. The room must exist. */
  addPair(pair: PairRecord): Promise<'ok' | 'code_taken'>;
  /** Pairs in creation order. */
  listPairs(workshopId: string): Promise<PairRecord[]>;
  getPair(roomId: string): Promise<PairRecord | null>;
  findPairByCode(workshopId: string, pairCode: string): Promise<PairRecord | null>;
  setHand(roomId: string, raised: boolean): Promise<void>;
  /**
   * Moves the person waiting alone (seat a) in pair room `from` into pair room `into` as seat b,
   * and deletes room `from` with its rows and docs, atomically. Both must be pairs of the same
   * workshop with nobody in seat b. Returns the moved participant's id, or null if that does not
   * hold. The participant keeps its id and token hash.
   */
  movePartner(from: string, into: string, at: number): Promise<string | null>;
  /**
   * Records a proposal; `busy` if either room is already part of one (each person confirms one
   * partner at a time). Both rooms must be pairs of the proposal's workshop.
   */
  proposePair(proposal: ProposalRecord): Promise<'ok' | 'busy'>;
  /** The proposal that `roomId` is part of (on either side), or null. */
  getProposal(roomId: string): Promise<ProposalRecord | null>;
  /** The workshop's proposals, oldest first. */
  listProposals(workshopId: string): Promise<ProposalRecord[]>;
  /** Marks `roomId`'s side of its proposal confirmed; returns the proposal after that, or null. */
  confirmProposal(roomId: string): Promise<ProposalRecord | null>;
  /** Removes the proposal `roomId` is part of; returns what was removed, or null. */
  deleteProposal(roomId: string): Promise<ProposalRecord | null>;
  /**
   * Takes one pair out of its workshop: deletes its pair row and any proposal it is part of and
   * unlinks its room (the room stays with its people, as when a workshop ends); false if it was
   * no pair.
   */
  removePair(roomId: string): Promise<boolean>;
  /** Marks the workshop ended, deletes its pair rows and proposals and unlinks their rooms; returns their ids. */
  endWorkshop(id: string, at: number): Promise<string[]>;
  /** Workshops that ended before `endedBefore`, or still run but were created before `createdBefore`. */
  listExpiredWorkshops(endedBefore: number, createdBefore: number): Promise<string[]>;
  /** Erases an ended workshop's row (its pairs went when it ended); false if it is not ended. */
  deleteWorkshop(id: string): Promise<boolean>;
}
