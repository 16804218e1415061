import { randomBytes } from 'node:crypto';
import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ParleyError } from '@parley/shared/protocol/errors';
import { docName } from '@parley/shared/protocol/ids';
import type { PairingView } from '@parley/shared/protocol/workshop';
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { RoomBroadcaster } from '../lib/broadcaster';
import type { RoomLock } from '../lib/room-lock';
import type { PresenceStore } from '../presence/presence-store';
import type { RoomService } from '../rooms/room-service';
import type { ParticipantRecord, RoomStore } from '../store/room-store';
import type { ProposalRecord, WorkshopStore } from '../store/workshop-store';
import type { DocHub } from '../yjs/doc-hub';
import { Origin } from '../yjs/live-doc';
import { Signal } from '../lib/signal';
import { verificationPhrase } from './phrase';

export interface PairingDeps {
  workshops: WorkshopStore;
  rooms: RoomStore;
  roomService: RoomService;
  /** only for moving the moving person's own private doc */
  hub: DocHub;
  /** completing a pairing runs under the lock of the room that stays */
  lock: RoomLock;
  presence: PresenceStore;
  events: RoomBroadcaster;
  now: () => number;
  log: FastifyBaseLogger;
  /** runs after room `from` was erased (SQLite: checkpoint) */
  afterErase?: () => Promise<void>;
}

const nobodyWaiting = () => new ParleyError('bad_request', 'Nobody is waiting for your confirmation.');

/**
 * Nobody becomes anyone's partner on the strength of a code or a facilitator's choice: a
 * pairing of two people waiting alone is a proposal until both confirmed it on their own
 * devices, after comparing the same three words. Only then does the person of `from` move into
 * `into` (same token, own answers); a decline leaves each alone with their own answers.
 */
export class Pairing {
  /** a proposal of this workshop changed (the dashboard shows who is confirming) */
  readonly proposalChanged = new Signal<[workshopId: string]>();
  /** the person of `from` now sits in `into`; `from` is gone */
  readonly seated = new Signal<[into: string, from: string]>();

  constructor(private readonly deps: PairingDeps) {}

  /** Records a proposal and tells both people; `busy` if either is already confirming someone. */
  async propose(workshopId: string, into: string, from: string, proposedBy: ProposalRecord['proposedBy']): Promise<'ok' | 'busy'> {
    const proposal: ProposalRecord = {
      workshopId,
      into,
      from,
      proposedBy,
      seed: randomBytes(16).toString('base64url'),
      intoConfirmed: false,
      fromConfirmed: false,
      createdAt: this.deps.now(),
    };
    const result = await this.deps.workshops.proposePair(proposal);
    if (result === 'ok') this.changed(proposal);
    return result;
  }

  /** What a person of a pending proposal sees: the other's name and the phrase to compare. */
  async view(participant: ParticipantRecord): Promise<PairingView | null> {
    const proposal = await this.deps.workshops.getProposal(participant.roomId);
    if (!proposal) return null;
    const people = await this.people(proposal);
    if (!people) return null;
    const mine = proposal.into === participant.roomId;
    return {
      partnerName: (mine ? people.from : people.into).displayName,
      phrase: verificationPhrase(proposal, { into: people.into.id, from: people.from.id }),
      confirmedByMe: mine ? proposal.intoConfirmed : proposal.fromConfirmed,
      confirmedByPartner: mine ? proposal.fromConfirmed : proposal.intoConfirmed,
      proposedBy: proposal.proposedBy,
    };
  }

  /**
   * "This is my partner" (true) or "not my partner" (false). `assertRunning` is asked before a
   * pairing completes, so an ended workshop seats nobody.
   */
  async answer(participant: ParticipantRecord, confirmed: boolean, assertRunning: (workshopId: string) => Promise<void>): Promise<void> {
    const roomId = participant.roomId;
    if (!confirmed) {
      const removed = await this.deps.workshops.deleteProposal(roomId);
      if (!removed) throw nobodyWaiting();
      return this.changed(removed);
    }
    const proposal = await this.deps.workshops.confirmProposal(roomId);
    if (!proposal) throw nobodyWaiting();
    if (!proposal.intoConfirmed || !proposal.fromConfirmed) return this.changed(proposal);
    await assertRunning(proposal.workshopId);
    // Both may confirm at the same moment (on two nodes): the first to take the lock seats them,
    // the second finds the proposal gone with room `from`.
    const seated = await this.deps.lock.run(proposal.into, async () => {
      const current = await this.deps.workshops.getProposal(proposal.into);
      if (current?.from !== proposal.from || !current.intoConfirmed || !current.fromConfirmed) return false;
      await this.seatTogether(proposal.into, proposal.from);
      return true;
    });
    // The moved person's own "this is my partner" may be the command that got here: its ack
    // goes out as this returns (microtasks), so their connections to `from` close just after.
    if (seated) setImmediate(() => void this.closeMovedRoom(proposal.from));
  }

  /** The one person waiting in each room of a proposal; null if that no longer holds. */
  private async people(proposal: ProposalRecord): Promise<{ into: ParticipantRecord; from: ParticipantRecord } | null> {
    const [into, from] = await Promise.all([this.deps.rooms.listParticipants(proposal.into), this.deps.rooms.listParticipants(proposal.from)]);
    return into.length === 1 && from.length === 1 ? { into: into[0] as ParticipantRecord, from: from[0] as ParticipantRecord } : null;
  }

  /** Both people of a proposal (and the dashboard) learn that it changed; they fetch their own view. */
  private changed(proposal: ProposalRecord): void {
    this.deps.events.emit(proposal.into, 'workshop:pairing', {});
    this.deps.events.emit(proposal.from, 'workshop:pairing', {});
    this.proposalChanged.emit(proposal.workshopId);
  }

  /**
   * Both confirmed: the person waiting in `from` becomes seat b in `into`, keeping their token
   * and their own answers (their private doc moves with them); room `from` is erased.
   */
  private async seatTogether(into: string, from: string): Promise<void> {
    const [moving] = await this.deps.rooms.listParticipants(from);
    if (!moving) throw new ParleyError('bad_request', 'Nobody is waiting in that pair.');
    // Room `from` is closed before its rows go: from here on no node loads or stores its docs,
    // so no edit made in it during the move is left behind as rows without a room. What it
    // stored by then is what moves.
    await this.deps.roomService.beginErase(from, CloseCode.unavailable, 'moved to another pair');
    const own = await this.deps.hub.readStored(docName.private(from, moving.id));
    const moved = await this.deps.workshops.movePartner(from, into, this.deps.now());
    if (!moved) {
      await this.deps.roomService.cancelErase(from);
      throw new ParleyError('bad_request', 'Both people must be waiting alone.');
    }
    await this.deps.afterErase?.();
    await this.deps.hub.read(docName.private(into, moved), (live) => Y.applyUpdate(live.doc, own, Origin.server));
    await this.deps.hub.flushed();
    // Tell the moving person's browser where to go before its connections to `from` close.
    this.deps.events.emit(from, 'workshop:paired', { roomId: into });
    this.deps.events.emit(into, 'workshop:pairing', {});
    this.seated.emit(into, from);
  }

  /** Closes what is left of room `from` once its person moved (connections, docs, presence). */
  private async closeMovedRoom(from: string): Promise<void> {
    try {
      this.deps.events.disconnectRoom(from);
      this.deps.events.announceErase(from);
      await this.deps.hub.evictRoom(from, CloseCode.unavailable, 'moved to another pair');
      await this.deps.presence.clearRoom(from);
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message, roomId: from }, 'closing a moved pair room failed');
    }
  }
}
