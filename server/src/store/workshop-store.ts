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
   * The stored hash of a pair room's (never handed out) invite: the partner who brings the pair
   * code is seated through `RoomStore.claimInvite` with it, so seating stays the room store's
   * one atomic operation. Null if the room is not a pair.
   */
  pairInviteHash(roomId: string): Promise<Uint8Array | null>;
  /**
   * Moves the person waiting alone (seat a) in pair room `from` into pair room `into` as seat b,
   * and deletes room `from` with its rows and docs, atomically. Both must be pairs of the same
   * workshop with nobody in seat b. Returns the moved participant's id, or null if that does not
   * hold. The participant keeps its id and token hash.
   */
  movePartner(from: string, into: string, at: number): Promise<string | null>;
  /** Marks the workshop ended, deletes its pair rows and unlinks their rooms; returns their ids. */
  endWorkshop(id: string, at: number): Promise<string[]>;
  /** Workshops that ended before `endedBefore`, or still run but were created before `createdBefore`. */
  listExpiredWorkshops(endedBefore: number, createdBefore: number): Promise<string[]>;
  /** Erases an ended workshop's row (its pairs went when it ended); false if it is not ended. */
  deleteWorkshop(id: string): Promise<boolean>;
}
