import { ParleyError } from '@parley/shared/protocol/errors';
import {
  JOIN_CODE_LENGTH,
  PAIR_CODE_LENGTH,
  type CreateWorkshopResponse,
  type JoinWorkshopResponse,
  type RoomWorkshopView,
  type WorkshopState,
} from '@parley/shared/protocol/workshop';
import type { Template } from '@parley/shared/template/schema';
import type { FastifyBaseLogger } from 'fastify';
import type { RoomBroadcaster } from '../lib/broadcaster';
import type { RoomLock } from '../lib/room-lock';
import { hashToken, looksLikeToken, newId, newToken, sameHash } from '../lib/tokens';
import type { PresenceStore } from '../presence/presence-store';
import type { RevealService } from '../reveal/reveal-service';
import type { RoomService } from '../rooms/room-service';
import type { TemplateCatalog } from '../templates/template-catalog';
import type { ParticipantRecord, RoomStore } from '../store/room-store';
import type { PairRecord, WorkshopRecord, WorkshopStore } from '../store/workshop-store';
import type { RoomDocs } from '../rooms/room-docs';
import type { DocHub } from '../yjs/doc-hub';
import { MemoryGuessThrottle, randomCode, type GuessThrottle, type GuessThrottleFactory } from './codes';
import { DEMO_PARTNER_NAME, DemoPartner } from './demo-partner';
import { Pairing } from './pairing';
import { buildWorkshopState } from './progress';

export interface WorkshopDeps {
  workshops: WorkshopStore;
  rooms: RoomStore;
  roomService: RoomService;
  reveal: RevealService;
  /** built-in templates and the workshops' own */
  templates: TemplateCatalog;
  /** the room lock: completing a pairing runs under the lock of the room that stays */
  lock: RoomLock;
  presence: PresenceStore;
  events: RoomBroadcaster;
  /** only for moving a waiting person's own private doc and the practice partner's doc */
  hub: DocHub;
  /** a message to one pair is kept in its room doc, so a reload or a late arrival still reads it */
  roomDocs: RoomDocs;
  publicUrl: string;
  now: () => number;
  log: FastifyBaseLogger;
  /** where wrong-code counters live (default: in memory on this node) */
  guesses?: GuessThrottleFactory;
  /** runs after workshops were erased (SQLite: checkpoint so erased text leaves the WAL) */
  afterErase?: () => Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** An ended workshop's row (title, facilitator name, last message) is erased this long after. */
const KEEP_AFTER_END_DAYS = 7;

/** Dashboard updates of one workshop are coalesced over this long (contract: within a second). */
const PUBLISH_DELAY_MS = 100;
/** Wrong join or pair codes allowed per client IP, and wrong pair codes per workshop, per window. */
const GUESSES_PER_IP = 20;
const GUESSES_PER_WORKSHOP = 60;
const GUESS_WINDOW_MS = 5 * 60_000;

const notFound = () => new ParleyError('not_found', 'No running workshop has this join code.', 'workshop_not_found');
const noPair = () => new ParleyError('not_found', 'No pair of this workshop has this pair code.', 'pair_not_found');
const limited = () => new ParleyError('rate_limited', 'Too many wrong codes. Please wait a few minutes and try again.');
const busy = () => new ParleyError('room_full', 'This person is already confirming a partner. Try again in a minute.');

/**
 * Workshops: creating them, joining pairs by code, the facilitator's pacing commands, and the
 * live dashboard. The dashboard is rebuilt from rows and presence (see `progress.ts`) whenever
 * a pair's readiness, reveal, presence or hand changes, on whichever node saw the change; the
 * socket.io adapter carries it to the facilitator's node.
 */
export class WorkshopService {
  private dashboard: ((workshopId: string, state: WorkshopState) => void) | null = null;
  /** roomId → its pair row (null: not a workshop room), so every presence change need not ask the store */
  private readonly pairOf = new Map<string, PairRecord | null>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly ipGuesses: GuessThrottle;
  private readonly pairGuesses: GuessThrottle;
  private readonly demo: DemoPartner;
  private readonly pairing: Pairing;
  private destroyed = false;

  constructor(private readonly deps: WorkshopDeps) {
    const throttle: GuessThrottleFactory = deps.guesses ?? ((_, limit, windowMs) => new MemoryGuessThrottle(limit, windowMs, deps.now));
    this.ipGuesses = throttle('join-ip', GUESSES_PER_IP, GUESS_WINDOW_MS);
    this.pairGuesses = throttle('pair-code', GUESSES_PER_WORKSHOP, GUESS_WINDOW_MS);
    this.demo = new DemoPartner({ rooms: deps.rooms, hub: deps.hub, reveal: deps.reveal, now: deps.now });
    this.pairing = new Pairing(deps);
    this.pairing.proposalChanged.on((workshopId) => this.schedule(workshopId));
    this.pairing.seated.on((into, from) => {
      this.pairOf.set(from, null);
      this.changed(into);
    });
  }

  /** The socket.io plugin binds where `workshop:state` goes (every node's facilitator sockets). */
  bindDashboard(emit: (workshopId: string, state: WorkshopState) => void): void {
    this.dashboard = emit;
  }

  joinUrl(code: string): string {
    return `${this.deps.publicUrl}/j/${code}`;
  }

  /** `template`: a built-in's id, or a worksheet of the facilitator's own (validated), saved as the workshop's version 1. */
  async create(input: { title: string; facilitatorName: string; template: string | Template; lockSections: boolean }): Promise<CreateWorkshopResponse> {
    const id = newId();
    const template =
      typeof input.template === 'string' ? this.deps.templates.builtin(input.template) : await this.deps.templates.save({ id, templateId: '' }, input.template);
    const token = newToken();
    const base: Omit<WorkshopRecord, 'joinCode'> = {
      id,
      title: input.title,
      facilitatorName: input.facilitatorName,
      facilitatorHash: hashToken(token),
      templateId: template.id,
      templateVersion: template.version,
      lockSections: input.lockSections,
      unlocked: [],
      timerEndsAt: null,
      message: null,
      createdAt: this.deps.now(),
      endedAt: null,
    };
    for (let attempt = 0; attempt < 20; attempt++) {
      const joinCode = randomCode(JOIN_CODE_LENGTH);
      if ((await this.deps.workshops.createWorkshop({ ...base, joinCode })) === 'code_taken') continue;
      return {
        workshopId: base.id,
        facilitator: { token },
        joinCode,
        joinUrl: this.joinUrl(joinCode),
        dashboardUrl: `${this.deps.publicUrl}/w/${base.id}#f=${token}`,
      };
    }
    throw new ParleyError('unavailable', 'Could not find a free join code. Please try again.');
  }

  /** The workshop whose facilitator token this is, or null (constant-time hash comparison). */
  async facilitator(workshopId: string, token: unknown): Promise<WorkshopRecord | null> {
    if (!looksLikeToken(token)) return null;
    const workshop = await this.deps.workshops.getWorkshop(workshopId);
    return workshop && sameHash(workshop.facilitatorHash, hashToken(token)) ? workshop : null;
  }

  async requireFacilitator(workshopId: string, token: unknown): Promise<WorkshopRecord> {
    const workshop = await this.facilitator(workshopId, token);
    if (!workshop) throw new ParleyError('unauthorized', 'A valid facilitator token is required.');
    return workshop;
  }

  /** The current record (commands re-read it: another node may have changed it). */
  async stateRecord(workshopId: string): Promise<WorkshopRecord> {
    const workshop = await this.deps.workshops.getWorkshop(workshopId);
    if (!workshop) throw new ParleyError('not_found', 'This workshop does not exist.');
    return workshop;
  }

  async state(workshopId: string): Promise<WorkshopState> {
    const workshop = await this.deps.workshops.getWorkshop(workshopId);
    if (!workshop) throw new ParleyError('not_found', 'This workshop does not exist.');
    const state = await buildWorkshopState(this.deps, workshop, await this.deps.templates.require(workshop.templateId, workshop.templateVersion), this.joinUrl(workshop.joinCode));
    return state;
  }

  /**
   * Without `pairCode`: a new pair room, seat a. With it: also a new room of one's own, plus a
   * proposal to pair with the person waiting behind that code. Nobody is seated with anyone on
   * the strength of a code alone (a code can be read off a screen or guessed): both confirm on
   * their own devices first (`confirmPartner`).
   */
  async join(input: { joinCode: string; displayName: string; pairCode?: string | undefined }, ip: string): Promise<JoinWorkshopResponse> {
    if (await this.ipGuesses.blocked(ip)) throw limited();
    const workshop = await this.deps.workshops.findByJoinCode(input.joinCode);
    if (!workshop) {
      await this.ipGuesses.fail(ip);
      throw notFound();
    }
    if (input.pairCode === undefined) return this.startPair(workshop, input.displayName, false);
    if (await this.pairGuesses.blocked(workshop.id)) throw limited();
    const pair = await this.deps.workshops.findPairByCode(workshop.id, input.pairCode);
    if (!pair || pair.practice) {
      await Promise.all([this.ipGuesses.fail(ip), this.pairGuesses.fail(workshop.id)]);
      throw noPair();
    }
    if ((await this.deps.rooms.listParticipants(pair.roomId)).length !== 1) {
      throw new ParleyError('room_full', 'This pair already has two people. Start a new pair, or check the code.');
    }
    if (await this.deps.workshops.getProposal(pair.roomId)) throw busy();
    const own = await this.startPair(workshop, input.displayName, true);
    if ((await this.pairing.propose(workshop.id, pair.roomId, own.roomId, 'code')) === 'busy') {
      await this.deps.roomService.erase(own.roomId);
      throw busy();
    }
    return own;
  }

  /** What a pair's room shows of its workshop; null for ordinary rooms. */
  async roomView(participant: ParticipantRecord): Promise<RoomWorkshopView | null> {
    const pair = await this.deps.workshops.getPair(participant.roomId);
    const workshop = pair && (await this.deps.workshops.getWorkshop(pair.workshopId));
    if (!pair || !workshop || workshop.endedAt !== null) return null;
    return {
      title: workshop.title,
      pairCode: pair.pairCode,
      pairing: await this.pairing.view(participant),
      lockSections: workshop.lockSections && !pair.practice,
      unlocked: workshop.unlocked,
      practice: pair.practice,
      timerEndsAt: workshop.timerEndsAt,
      message: workshop.message,
      pairMessage: await this.deps.roomDocs.read(participant.roomId, (doc) => doc.pairMessage),
      hand: pair.handRaised,
    };
  }

  /**
   * Refuses a ready mark in a workshop pair that is not complete yet (a person waiting alone,
   * or confirming a partner: a ready mark made then would reveal to whoever is seated next),
   * and on a section the facilitator has not unlocked yet (lockSections).
   */
  async assertMayMarkReady(participant: ParticipantRecord, sectionId: string): Promise<void> {
    // Read afresh, not from the cache: another node may have taken this pair out of its workshop.
    const pair = await this.deps.workshops.getPair(participant.roomId);
    this.pairOf.set(participant.roomId, pair);
    if (!pair || pair.practice) return;
    const workshop = await this.deps.workshops.getWorkshop(pair.workshopId);
    if (!workshop || workshop.endedAt !== null) return;
    if ((await this.deps.rooms.listParticipants(participant.roomId)).length < 2) {
      throw new ParleyError('forbidden', 'Sections can be marked ready once your partner has joined and you have both confirmed each other.');
    }
    if (workshop.lockSections && !workshop.unlocked.includes(sectionId)) {
      throw new ParleyError('forbidden', 'Section not unlocked by the facilitator yet.', 'section_locked');
    }
  }

  /** "This is my partner" or "not my partner" on the pending proposal of this person's room (see `Pairing`). */
  async confirmPartner(participant: ParticipantRecord, confirmed: boolean): Promise<void> {
    await this.pairing.answer(participant, confirmed, async (workshopId) => this.assertRunning(await this.stateRecord(workshopId)));
  }

  async raiseHand(participant: ParticipantRecord, raised: boolean): Promise<void> {
    const pair = await this.deps.workshops.getPair(participant.roomId);
    if (!pair) throw new ParleyError('forbidden', 'This room is not part of a workshop.');
    await this.setHand(pair, raised);
  }

  /** The facilitator lowers a pair's hand (they came over); only a pair of their own workshop. */
  async lowerHand(workshop: WorkshopRecord, roomId: string): Promise<void> {
    this.assertRunning(workshop);
    await this.setHand(await this.ownPair(workshop, roomId), false);
  }

  private async ownPair(workshop: WorkshopRecord, roomId: string): Promise<PairRecord> {
    const pair = await this.deps.workshops.getPair(roomId);
    if (!pair || pair.workshopId !== workshop.id) throw new ParleyError('not_found', 'This pair is not part of the workshop.');
    return pair;
  }

  /** Both partners and the dashboard learn the new state, wherever they are connected. */
  private async setHand(pair: PairRecord, raised: boolean): Promise<void> {
    await this.deps.workshops.setHand(pair.roomId, raised);
    this.pairOf.set(pair.roomId, { ...pair, handRaised: raised });
    this.deps.events.emit(pair.roomId, 'workshop:hand', { raised });
    this.schedule(pair.workshopId);
  }

  async unlock(workshop: WorkshopRecord, sectionId: string): Promise<void> {
    this.assertRunning(workshop);
    const template = await this.deps.templates.require(workshop.templateId, workshop.templateVersion);
    if (!template.sections.some((s) => s.id === sectionId)) throw new ParleyError('bad_request', `Unknown section "${sectionId}".`);
    if (workshop.unlocked.includes(sectionId)) return;
    const unlocked = [...workshop.unlocked, sectionId];
    await this.deps.workshops.updateWorkshop(workshop.id, { unlocked });
    await this.toPairs(workshop.id, (roomId) => this.deps.events.emit(roomId, 'workshop:unlocked', { sectionIds: unlocked }));
    this.schedule(workshop.id);
  }

  /**
   * Takes an unlocked section back (locked workshops only). Pairs that have not revealed it
   * cannot mark it ready again until it is unlocked (`assertMayMarkReady`); a pair that revealed
   * it keeps its reveal, and a ready mark already made stays (it can be taken back).
   */
  async relock(workshop: WorkshopRecord, sectionId: string): Promise<void> {
    this.assertRunning(workshop);
    if (!workshop.lockSections) throw new ParleyError('bad_request', 'Sections are not locked in this workshop.');
    if (!workshop.unlocked.includes(sectionId)) return;
    const unlocked = workshop.unlocked.filter((id) => id !== sectionId);
    await this.deps.workshops.updateWorkshop(workshop.id, { unlocked });
    await this.toPairs(workshop.id, (roomId) => this.deps.events.emit(roomId, 'workshop:unlocked', { sectionIds: unlocked }));
    this.schedule(workshop.id);
  }

  /** A message to one pair: only that pair's room receives it; it is not kept (a reload shows the last message to all). */
  async messagePair(workshop: WorkshopRecord, roomId: string, message: string): Promise<void> {
    this.assertRunning(workshop);
    const pair = await this.ownPair(workshop, roomId);
    const sent = { message, at: this.deps.now() };
    await this.deps.roomDocs.change(pair.roomId, (doc) => doc.write((d) => d.setPairMessage(sent)));
    this.deps.events.emit(pair.roomId, 'workshop:message', { ...sent, toPair: true });
  }

  /**
   * Takes a pair out of the workshop; its room stays with its people as an ordinary room. Only
   * an empty pair goes without `confirmed` (one person, not connected, not confirming anyone —
   * what a retried join leaves behind); otherwise `pair_occupied`, so the dashboard warns first.
   */
  async removePair(workshop: WorkshopRecord, roomId: string, confirmed: boolean): Promise<void> {
    this.assertRunning(workshop);
    await this.ownPair(workshop, roomId);
    if (!confirmed) {
      const [participants, presence, proposal] = await Promise.all([this.deps.rooms.listParticipants(roomId), this.deps.presence.list(roomId), this.deps.workshops.getProposal(roomId)]);
      const someoneIn = participants.length > 1 || participants.some((p) => presence.get(p.id)?.online) || proposal !== null;
      if (someoneIn) throw new ParleyError('forbidden', 'Someone is in this pair: confirm to remove it.', 'pair_occupied');
    }
    const proposal = await this.deps.workshops.getProposal(roomId);
    if (!(await this.deps.workshops.removePair(roomId))) return;
    this.pairOf.set(roomId, null);
    this.deps.events.emit(roomId, 'workshop:removed', {});
    const other = proposal && (proposal.into === roomId ? proposal.from : proposal.into);
    if (other) this.deps.events.emit(other, 'workshop:pairing', {});
    this.deps.log.info({ workshopId: workshop.id, roomId }, 'pair removed from workshop');
    this.schedule(workshop.id);
  }

  async broadcast(workshop: WorkshopRecord, message: string): Promise<void> {
    this.assertRunning(workshop);
    const sent = { message, at: this.deps.now() };
    await this.deps.workshops.updateWorkshop(workshop.id, { message: sent });
    await this.toPairs(workshop.id, (roomId) => this.deps.events.emit(roomId, 'workshop:message', sent));
    this.schedule(workshop.id);
  }

  async timer(workshop: WorkshopRecord, seconds: number | null): Promise<void> {
    this.assertRunning(workshop);
    const endsAt = seconds === null ? null : this.deps.now() + seconds * 1000;
    await this.deps.workshops.updateWorkshop(workshop.id, { timerEndsAt: endsAt });
    await this.toPairs(workshop.id, (roomId) => this.deps.events.emit(roomId, 'workshop:timer', { endsAt }));
    this.schedule(workshop.id);
  }

  /** Ends the workshop: every pair keeps its room, which becomes an ordinary room. */
  async end(workshop: WorkshopRecord): Promise<void> {
    const rooms = await this.deps.workshops.endWorkshop(workshop.id, this.deps.now());
    for (const roomId of rooms) {
      this.pairOf.set(roomId, null);
      this.deps.events.emit(roomId, 'workshop:ended', {});
    }
    this.schedule(workshop.id);
  }

  /**
   * Erases workshops that ended more than a week ago, and ends, then erases, workshops still
   * running `ttlDays` after they were made (abandoned), so that no title, facilitator name or
   * message outlives its use. The pairs' rooms stay with the pairs; ROOM_TTL_DAYS sweeps them.
   * Returns how many were erased.
   */
  async sweepExpired(ttlDays: number): Promise<number> {
    const now = this.deps.now();
    const ids = await this.deps.workshops.listExpiredWorkshops(now - KEEP_AFTER_END_DAYS * DAY_MS, now - ttlDays * DAY_MS);
    let erased = 0;
    for (const id of ids) {
      const workshop = await this.deps.workshops.getWorkshop(id);
      if (!workshop) continue;
      if (workshop.endedAt === null) await this.end(workshop);
      if (await this.deps.workshops.deleteWorkshop(id)) erased++;
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
    }
    if (erased > 0) await this.deps.afterErase?.();
    return erased;
  }

  /**
   * The facilitator proposes the person waiting alone in `from` as the partner of the person
   * waiting alone in `into`. Nothing is shared until both confirm on their own devices, so a
   * facilitator cannot seat someone they control next to a participant.
   */
  async pair(workshop: WorkshopRecord, into: string, from: string): Promise<void> {
    this.assertRunning(workshop);
    const [pairInto, pairFrom] = await Promise.all([this.deps.workshops.getPair(into), this.deps.workshops.getPair(from)]);
    if (!pairInto || !pairFrom || into === from || pairInto.workshopId !== workshop.id || pairFrom.workshopId !== workshop.id || pairInto.practice || pairFrom.practice) {
      throw new ParleyError('bad_request', 'Both must be pairs of this workshop.');
    }
    const counts = await Promise.all([into, from].map(async (id) => (await this.deps.rooms.listParticipants(id)).length));
    if (counts.some((n) => n !== 1)) throw new ParleyError('bad_request', 'Both people must be waiting alone.');
    if ((await this.pairing.propose(workshop.id, into, from, 'facilitator')) === 'busy') throw busy();
  }

  /** A practice pair: the facilitator's demo seat plus a scripted partner with made-up answers. */
  async practice(workshop: WorkshopRecord): Promise<{ roomId: string; resumeUrl: string }> {
    this.assertRunning(workshop);
    for (const old of (await this.deps.workshops.listPairs(workshop.id)).filter((p) => p.practice)) {
      await this.deps.roomService.erase(old.roomId);
    }
    const created = await this.deps.roomService.create({ displayName: `${workshop.facilitatorName} (demo)`.slice(0, 40), template: await this.workshopTemplate(workshop), revealMode: 'full', workshopId: workshop.id });
    const demo: ParticipantRecord = { id: newId(), roomId: created.roomId, seat: 'b', displayName: DEMO_PARTNER_NAME, tokenHash: hashToken(newToken()), createdAt: this.deps.now(), publicKey: null, binding: null };
    await this.deps.rooms.claimInvite(created.roomId, hashToken(created.invite.token), demo);
    await this.addPair(workshop.id, created.roomId, true);
    this.changed(created.roomId);
    return { roomId: created.roomId, resumeUrl: created.resumeUrl };
  }

  /** A pair's readiness, reveal, presence or seats changed (called by the reveal and presence services). */
  changed(roomId: string): void {
    if (this.destroyed) return;
    void this.pairRecord(roomId)
      .then((pair) => {
        if (!pair) return;
        this.schedule(pair.workshopId);
        if (pair.practice) return this.respondAsDemo(pair);
      })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message, roomId }, 'workshop update failed'));
  }

  /** The worksheet new pairs of the workshop get: its latest version (export and edit start from it). */
  workshopTemplate(workshop: WorkshopRecord): Promise<Template> {
    return this.deps.templates.require(workshop.templateId, workshop.templateVersion);
  }

  /**
   * Saves a worksheet of the facilitator's own (validated) as the workshop's next version: pairs
   * that join from now on get it, rooms made before keep theirs.
   */
  async saveTemplate(workshop: WorkshopRecord, draft: Template): Promise<Template> {
    this.assertRunning(workshop);
    const saved = await this.deps.templates.save(workshop, draft);
    this.schedule(workshop.id);
    return saved;
  }

  destroy(): void {
    this.destroyed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async respondAsDemo(pair: PairRecord): Promise<void> {
    // The practice room's own version: the workshop's worksheet may have been edited since.
    const room = await this.deps.rooms.getRoom(pair.roomId);
    if (room) await this.demo.respond(pair.roomId, await this.deps.templates.require(room.templateId, room.templateVersion));
  }

  private async startPair(workshop: WorkshopRecord, displayName: string, confirming: boolean): Promise<JoinWorkshopResponse> {
    const created = await this.deps.roomService.create({ displayName, template: await this.workshopTemplate(workshop), revealMode: 'full', workshopId: workshop.id });
    const pairCode = await this.addPair(workshop.id, created.roomId, false);
    this.changed(created.roomId);
    return { roomId: created.roomId, participant: created.participant, resumeUrl: created.resumeUrl, pairCode, confirming };
  }

  private async addPair(workshopId: string, roomId: string, practice: boolean): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const pairCode = randomCode(PAIR_CODE_LENGTH);
      const pair: PairRecord = { workshopId, roomId, pairCode, handRaised: false, practice, createdAt: this.deps.now() };
      if ((await this.deps.workshops.addPair(pair)) === 'ok') {
        this.pairOf.set(roomId, pair);
        return pairCode;
      }
    }
    throw new ParleyError('unavailable', 'Could not find a free pair code. Please try again.');
  }

  private async pairRecord(roomId: string): Promise<PairRecord | null> {
    const cached = this.pairOf.get(roomId);
    if (cached !== undefined) return cached;
    const pair = await this.deps.workshops.getPair(roomId);
    if (this.pairOf.size > 50_000) this.pairOf.clear();
    this.pairOf.set(roomId, pair);
    return pair;
  }

  private async toPairs(workshopId: string, fn: (roomId: string) => void): Promise<void> {
    for (const pair of await this.deps.workshops.listPairs(workshopId)) fn(pair.roomId);
  }

  private schedule(workshopId: string): void {
    if (this.destroyed || this.timers.has(workshopId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(workshopId);
      void this.publish(workshopId);
    }, PUBLISH_DELAY_MS);
    this.timers.set(workshopId, timer);
  }

  private async publish(workshopId: string): Promise<void> {
    if (!this.dashboard || this.destroyed) return;
    try {
      this.dashboard(workshopId, await this.state(workshopId));
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message, workshopId }, 'workshop state not published');
    }
  }

  private assertRunning(workshop: WorkshopRecord): void {
    if (workshop.endedAt !== null) throw new ParleyError('forbidden', 'The workshop has ended; pacing commands are refused.');
  }
}
