import { findQuestion, findSection, sectionOfItem, type Template } from '@parley/shared/template/schema';
import { countNotShared, projectItem, projectSection, readRevealedAnswer, sharedWays, type UntrustedAnswers } from '@parley/shared/reveal/project';
import { ParleyError } from '@parley/shared/protocol/errors';
import { docName } from '@parley/shared/protocol/ids';
import { PRIVATE_DOC_KEYS, type RevealedSection, type SealedRevealedSection } from '@parley/shared/protocol/room-doc';
import type { Seat } from '@parley/shared/protocol/ids';
import { EnvelopeKind, MAX_ESCROW_BYTES, parseEnvelope } from '@parley/shared/sealed/envelope';
import { slotCount } from '@parley/shared/sealed/discreet-slots';
import { checkDiscreetUpload, decodeDiscreetSet, encodeDiscreetSet, releaseDiscreet, shrinkDiscreetSet, type DiscreetSet, type DiscreetUpload } from '@parley/shared/sealed/discreet-release';
import type { FastifyBaseLogger } from 'fastify';
import type * as Y from 'yjs';
import type { RoomBroadcaster } from '../lib/broadcaster';
import { Signal } from '../lib/signal';
import type { RoomDocs } from '../rooms/room-docs';
import type { TemplateResolver } from '../templates/template-catalog';
import type { EscrowChange, EscrowRecord, ParticipantRecord, RoomRecord, RoomStore, SectionRecord } from '../store/room-store';
import type { DocHub } from '../yjs/doc-hub';
import { originOf, type LiveDoc } from '../yjs/live-doc';
import { readAnswers } from './room-doc';

/** After the reveal, a partner's change reaches `revealed` within this (contract: 250 ms). */
const MIRROR_DELAY_MS = 50;

export interface RevealDeps {
  rooms: RoomStore;
  hub: DocHub;
  roomDocs: RoomDocs;
  events: RoomBroadcaster;
  templates: TemplateResolver;
  log: FastifyBaseLogger;
  now: () => number;
}

/**
 * The core promise: each side's answers stay in its private doc until both partners marked a
 * section ready; then, in one step under the room lock, the section's answers are projected
 * into the room doc. After that, changes to revealed items are mirrored and marked `changed`.
 */
export class RevealService {
  /** `${roomId}/${participantId}` → item ids changed in that private doc, waiting to be mirrored */
  private readonly dirty = new Map<string, { roomId: string; participantId: string; items: Set<string> }>();
  private mirrorTimer: NodeJS.Timeout | null = null;
  /** a section was revealed */
  readonly revealed = new Signal<[roomId: string, sectionId: string]>();
  /** a section's readiness, reveal or round changed (workshop dashboards listen) */
  readonly sectionsChanged = new Signal<[roomId: string]>();
  private mirroring: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RevealDeps) {
    deps.hub.loaded.on((live) => this.watchPrivateDoc(live));
  }

  /**
   * A ready mark, or its withdrawal. In a sealed room (full mode) `ready:true` carries the seat's
   * escrow, stored with the mark in one transaction; when both are ready, the two envelopes are
   * released into `revealed` (docs/sealed-rooms.md §5). In a sealed discreet section it carries
   * the tags, pieces and always envelope instead, stored as one row; the release is then the
   * blind intersection (§6). `ready:false` withdraws the escrow.
   */
  async markReady(participant: ParticipantRecord, sectionId: string, ready: boolean, escrow?: Uint8Array, discreet?: DiscreetUpload): Promise<void> {
    const { roomId } = participant;
    const revealedRound = await this.deps.roomDocs.change(roomId, async (doc) => {
      const { room, row } = await this.section(roomId, sectionId);
      const envelope = await this.readyUpload(room, sectionId, ready, escrow, discreet);
      if (row.state === 'revealed') {
        if (ready) return null; // already revealed: nothing left to be ready for
        throw new ParleyError('bad_request', 'This section is already revealed; reopen it for a new round.');
      }
      if (ready && doc.paused !== null) throw new ParleyError('forbidden', 'The room is paused. Resume it first.');
      const seat = participant.seat;
      const next: SectionRecord = { ...row, readyA: seat === 'a' ? ready : row.readyA, readyB: seat === 'b' ? ready : row.readyB };
      const own: EscrowRecord | null = envelope ? { roomId, sectionId, seat, round: row.round, envelope } : null;
      if (next.readyA === row.readyA && next.readyB === row.readyB) {
        // ready again while ready: a sealed seat's new escrow replaces its row, nothing else moves
        if (own) await this.deps.rooms.saveSections([], { put: [own] });
        return null;
      }
      const at = this.deps.now();
      let revealed: RevealedSection | null = null;
      let sealedRevealed: SealedRevealedSection | null = null;
      if (next.readyA && next.readyB) {
        if (room.sealed) {
          sealedRevealed = await this.release(room, sectionId, next.round, own);
        } else {
          const participants = await this.deps.rooms.listParticipants(room.id);
          revealed = await this.project(room, sectionId, next.round, participants);
        }
        next.state = 'revealed';
        next.revealedAt = at;
      }
      const change: EscrowChange = !room.sealed ? {} : own ? { put: [own] } : { drop: [{ roomId, sectionId, seat }] };
      await this.deps.rooms.saveSections([next], change);
      doc.write((d) => {
        d.setSection(next);
        d.addHistory({ type: ready ? 'ready' : 'unready', sectionId, round: next.round, seat, at });
        if (revealed) d.setRevealed(sectionId, revealed);
        if (sealedRevealed) d.setSealedRevealed(sectionId, sealedRevealed);
        if (revealed || sealedRevealed) d.addHistory({ type: 'revealed', sectionId, round: next.round, at });
      });
      return revealed || sealedRevealed ? next.round : null;
    });
    if (revealedRound !== null) {
      this.revealed.emit(roomId, sectionId);
      this.deps.events.emit(roomId, 'section:revealed', { sectionId, round: revealedRound });
    }
    this.sectionsChanged.emit(roomId);
  }

  /**
   * A sealed seat's new escrow for the section's current `round`: while it is ready and before
   * the release it replaces the stored one; after the release it replaces the seat's envelope in
   * `revealed` at once, so the partner has it within one durable write and relay. In a discreet
   * section it is the seat's new always envelope; its tags and pieces stay as they are.
   */
  async uploadEscrow(participant: ParticipantRecord, sectionId: string, round: number, escrow: Uint8Array): Promise<void> {
    const { roomId, seat } = participant;
    await this.deps.roomDocs.change(roomId, async (doc) => {
      const { room, row } = await this.section(roomId, sectionId);
      const envelope = sealedEscrow(room, escrow);
      if (round !== row.round) throw new ParleyError('stale', `This section is in round ${row.round}; seal the escrow for that round.`);
      const ownReady = row.state === 'revealed' || (seat === 'a' ? row.readyA : row.readyB);
      if (!ownReady) throw new ParleyError('bad_request', 'Mark the section ready (with its escrow) before sending a new escrow.');
      let own: EscrowRecord = { roomId, sectionId, seat, round, envelope };
      if ((await this.discreetSlots(room, sectionId)) !== null) {
        const stored = await this.ownSet(roomId, sectionId, seat, round);
        if (!stored) throw new Error(`no discreet set of seat ${seat} for a ready section`);
        own = { ...own, envelope: encodeDiscreetSet({ ...stored, always: envelope }) };
      }
      if (row.state === 'revealed') {
        const current = doc.getSealedRevealed(sectionId) ?? (await this.release(room, sectionId, round, own));
        await this.deps.rooms.saveSections([], { put: [own] });
        doc.write((d) => d.setSealedRevealed(sectionId, { ...current, [seat]: envelope }));
        return;
      }
      await this.deps.rooms.saveSections([], { put: [own] });
    });
  }

  /**
   * A sealed discreet seat's tag set for the section's current `round` after the release: it may
   * only shrink (docs/sealed-rooms.md §6, no probing within a round), checked blind by byte
   * equality. Each withdrawn tag takes both seats' pieces of it out of `revealed` in the same
   * step; a tag that was not in the set is refused until the next round.
   */
  async withdrawTags(participant: ParticipantRecord, sectionId: string, round: number, tags: Uint8Array): Promise<void> {
    const { roomId, seat } = participant;
    await this.deps.roomDocs.change(roomId, async (doc) => {
      const { room, row } = await this.section(roomId, sectionId);
      if ((await this.discreetSlots(room, sectionId)) === null) throw new ParleyError('bad_request', 'Only a section of a sealed room in discreet mode has tags.');
      if (round !== row.round) throw new ParleyError('stale', `This section is in round ${row.round}; send the tags of that round.`);
      if (row.state !== 'revealed') throw new ParleyError('bad_request', 'Before the release, mark the section ready again with the whole tag set.');
      const stored = await this.ownSet(roomId, sectionId, seat, round);
      if (!stored) throw new Error(`no discreet set of seat ${seat} for a revealed section`);
      const shrunk = shrinkDiscreetSet(stored, tags);
      if (!shrunk.ok) throw new ParleyError('bad_request', `${capitalise(shrunk.reason)}.`);
      if (shrunk.set.count === stored.count) return;
      const own: EscrowRecord = { roomId, sectionId, seat, round, envelope: encodeDiscreetSet(shrunk.set) };
      await this.deps.rooms.saveSections([], { put: [own] });
      const released = await this.release(room, sectionId, round, own);
      doc.write((d) => d.setSealedRevealed(sectionId, released));
    });
  }

  /** This seat's stored discreet set of the section's round, if it has one. */
  private async ownSet(roomId: string, sectionId: string, seat: Seat, round: number): Promise<DiscreetSet | null> {
    const row = (await this.deps.rooms.listEscrow(roomId, sectionId)).find((e) => e.seat === seat && e.round === round);
    return row ? decodeDiscreetSet(row.envelope) : null;
  }

  /**
   * The slot count of a section that is matched blind (a sealed room in discreet mode, a section
   * that is not `alwaysFull`), or null for one revealed by its full escrow.
   */
  private async discreetSlots(room: RoomRecord, sectionId: string): Promise<number | null> {
    if (!room.sealed || room.revealMode !== 'discreet') return null;
    const template = await this.deps.templates.require(room.templateId, room.templateVersion);
    const section = findSection(template, sectionId);
    return !section || section.alwaysFull ? null : slotCount(section);
  }

  /**
   * What `section:ready` may carry: in a sealed room with `ready:true`, the escrow, or in a
   * discreet section the tags, pieces and always envelope (checked strictly, stored as one row);
   * nothing otherwise (standard rooms keep their contract).
   */
  private async readyUpload(room: RoomRecord, sectionId: string, ready: boolean, escrow: Uint8Array | undefined, discreet: DiscreetUpload | undefined): Promise<Uint8Array | null> {
    if (!room.sealed) {
      if (escrow || discreet) throw new ParleyError('bad_request', 'Only a sealed room takes an escrow.');
      return null;
    }
    if (!ready) {
      if (escrow || discreet) throw new ParleyError('bad_request', 'ready:false takes no escrow: it withdraws the one stored.');
      return null;
    }
    const slots = await this.discreetSlots(room, sectionId);
    if (slots === null) {
      if (discreet) throw new ParleyError('bad_request', 'This section is revealed by its escrow: ready:true carries the escrow, not tags.');
      if (!escrow) throw new ParleyError('bad_request', 'In a sealed room, ready:true carries the escrow.');
      return sealedEscrow(room, escrow);
    }
    if (escrow || !discreet) throw new ParleyError('bad_request', 'In discreet mode, ready:true carries the tags, pieces and always envelope (discreet), not an escrow.');
    const checked = checkDiscreetUpload(discreet, slots);
    if (!checked.ok) throw new ParleyError('bad_request', `The discreet upload is malformed: ${checked.reason}.`);
    return encodeDiscreetSet(checked.set);
  }

  /**
   * Both seats' escrow of a sealed section's round, `own` in place of the stored one of its seat.
   * In a discreet section: both always envelopes and the blind intersection of the two tag sets
   * with both seats' pieces of every common tag.
   */
  private async release(room: RoomRecord, sectionId: string, round: number, own: EscrowRecord | null): Promise<SealedRevealedSection> {
    const stored = await this.deps.rooms.listEscrow(room.id, sectionId);
    const of = (seat: Seat): Uint8Array => {
      const found = own?.seat === seat ? own : stored.find((e) => e.seat === seat && e.round === round);
      // Ready marks and escrow rows are written in one transaction, so this is a broken store.
      if (!found) throw new Error(`no escrow of seat ${seat} for a ready section`);
      return found.envelope;
    };
    if ((await this.discreetSlots(room, sectionId)) === null) return { sealed: true, round, a: of('a'), b: of('b') };
    const a = decodeDiscreetSet(of('a'));
    const b = decodeDiscreetSet(of('b'));
    if (!a || !b) throw new Error('a discreet escrow row that holds no tag set');
    return { sealed: true, round, a: new Uint8Array(a.always), b: new Uint8Array(b.always), discreet: releaseDiscreet(a, b) };
  }

  /** A new round of a revealed section; the partner sees who reopened it and, if given, why. */
  async reopen(participant: ParticipantRecord, sectionId: string, note: string | null = null): Promise<void> {
    await this.deps.roomDocs.change(participant.roomId, async (doc) => {
      const { room, row } = await this.section(participant.roomId, sectionId);
      // A reopen note is content (sealed-rooms.md §1, §9): until it can travel sealed, a sealed room takes none.
      if (room.sealed && note?.trim()) throw new ParleyError('bad_request', 'A reopen note cannot be sent in a sealed room yet: it would reach the server unsealed.');
      if (row.state !== 'revealed') throw new ParleyError('bad_request', 'Only a revealed section can be reopened.');
      const next: SectionRecord = { ...row, state: 'open', round: row.round + 1, readyA: false, readyB: false, revealedAt: null };
      // A sealed round's escrow ends with it: the released envelopes move into history below.
      await this.deps.rooms.saveSections([next], room.sealed ? { drop: [{ roomId: room.id, sectionId, seat: null }] } : {});
      const at = this.deps.now();
      doc.write((d) => {
        const ended = d.getRevealed(sectionId);
        const endedSealed = d.getSealedRevealed(sectionId);
        const why = note?.trim() ? note.trim() : null;
        d.addHistory({ type: 'reopened', sectionId, round: next.round, seat: participant.seat, at, note: why, ...(ended ? { revealed: ended } : {}), ...(endedSealed ? { sealedRevealed: endedSealed } : {}) });
        d.deleteRevealed(sectionId);
        d.setSection(next);
      });
    });
    this.sectionsChanged.emit(participant.roomId);
  }

  /** Brings the room doc's section entries in line with the authoritative rows (after a crash). */
  async reconcile(roomId: string): Promise<void> {
    await this.deps.roomDocs.change(roomId, async (doc) => {
      const room = await this.deps.rooms.getRoom(roomId);
      if (!room) return;
      const rows = await this.deps.rooms.listSections(roomId);
      const participants = await this.deps.rooms.listParticipants(roomId);
      const missing: { row: SectionRecord; revealed: RevealedSection }[] = [];
      const missingSealed: { row: SectionRecord; revealed: SealedRevealedSection }[] = [];
      for (const row of rows) {
        if (row.state !== 'revealed') continue;
        if (room.sealed) {
          if (!doc.getSealedRevealed(row.sectionId)) missingSealed.push({ row, revealed: await this.release(room, row.sectionId, row.round, null) });
        } else if (!doc.getRevealed(row.sectionId)) {
          missing.push({ row, revealed: await this.project(room, row.sectionId, row.round, participants) });
        }
      }
      doc.write((d) => {
        for (const row of rows) d.setSection(row);
        for (const m of missing) d.setRevealed(m.row.sectionId, m.revealed);
        for (const m of missingSealed) d.setSealedRevealed(m.row.sectionId, m.revealed);
      });
    });
  }

  private async section(roomId: string, sectionId: string): Promise<{ room: RoomRecord; row: SectionRecord }> {
    const room = await this.deps.rooms.getRoom(roomId);
    if (!room) throw new ParleyError('not_found', 'This room no longer exists.');
    const row = await this.deps.rooms.getSection(roomId, sectionId);
    if (!row) throw new ParleyError('bad_request', `Unknown section "${sectionId}".`);
    return { room, row };
  }

  /** Reads both private docs and projects one section of them. */
  private async project(room: RoomRecord, sectionId: string, round: number, participants: ParticipantRecord[]): Promise<RevealedSection> {
    const template = await this.deps.templates.require(room.templateId, room.templateVersion);
    const itemIds = findSection(template, sectionId)?.items.map((q) => q.id) ?? [];
    const answers = await this.answersBySeat(room.id, participants, itemIds);
    return projectSection({ template, sectionId, round, mode: room.revealMode, a: answers.a, b: answers.b });
  }

  /** Each seat's answers to `itemIds`; values are untrusted, the projection re-validates them. */
  private async answersBySeat(roomId: string, participants: ParticipantRecord[], itemIds: readonly string[]): Promise<{ a: UntrustedAnswers; b: UntrustedAnswers }> {
    const result: { a: UntrustedAnswers; b: UntrustedAnswers } = { a: {}, b: {} };
    for (const p of participants) {
      result[p.seat] = await this.deps.hub.read(docName.private(roomId, p.id), (live) => readAnswers(live.doc, itemIds));
    }
    return result;
  }

  private watchPrivateDoc(live: LiveDoc): void {
    if (live.ref.kind !== 'private') return;
    const { roomId, participantId } = live.ref;
    const answers: Y.Map<unknown> = live.doc.getMap(PRIVATE_DOC_KEYS.answers);
    answers.observe((event) => {
      if (originOf(event.transaction.origin).source === 'load') return;
      this.markDirty(roomId, participantId, event.keysChanged);
    });
  }

  /**
   * Runs on every answer a partner types, so it reads nothing: whether the participant still
   * holds a seat in the room is checked once per batch, when the change is mirrored.
   */
  private markDirty(roomId: string, participantId: string, itemIds: Iterable<string>): void {
    const key = `${roomId}/${participantId}`;
    const entry = this.dirty.get(key) ?? { roomId, participantId, items: new Set<string>() };
    for (const id of itemIds) entry.items.add(id);
    this.dirty.set(key, entry);
    this.mirrorTimer ??= setTimeout(() => {
      this.mirrorTimer = null;
      this.mirroring = this.mirroring.then(() => this.mirrorDirty());
    }, MIRROR_DELAY_MS);
  }

  /** Copies changed answers of revealed sections into `revealed` and marks them `changed`. */
  private async mirrorDirty(): Promise<void> {
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    for (const { roomId, participantId, items } of batch) {
      try {
        await this.mirrorRoom(roomId, participantId, items);
      } catch (error) {
        this.deps.log.warn({ err: (error as Error).message, roomId }, 'could not mirror a change after reveal');
      }
    }
  }

  /** The room and which of `items` belong to revealed sections, or null if none do. */
  private async revealedAmong(roomId: string, items: Set<string>): Promise<{ room: RoomRecord; template: Template; touched: string[] } | null> {
    const room = await this.deps.rooms.getRoom(roomId);
    if (!room) return null;
    const template = await this.deps.templates.require(room.templateId, room.templateVersion);
    const revealed = new Set((await this.deps.rooms.listSections(roomId)).filter((r) => r.state === 'revealed').map((r) => r.sectionId));
    const touched = [...items].filter((id) => {
      const section = sectionOfItem(template, id);
      return section !== undefined && revealed.has(section.id);
    });
    return touched.length > 0 ? { room, template, touched } : null;
  }

  private async mirrorRoom(roomId: string, participantId: string, items: Set<string>): Promise<void> {
    // Most typing happens before any reveal: that is answered without the lock or the room doc.
    if (!(await this.revealedAmong(roomId, items))) return;
    await this.deps.roomDocs.change(roomId, async (doc) => {
      const found = await this.revealedAmong(roomId, items);
      if (!found) return;
      const { room, template, touched } = found;
      const participants = await this.deps.rooms.listParticipants(roomId);
      // A doc whose owner left the room (moved to another pair) mirrors nothing.
      const seat = participants.find((p) => p.id === participantId)?.seat;
      if (!seat) return;
      const answers = await this.answersBySeat(roomId, participants, touched);
      const at = this.deps.now();
      doc.write((d) => {
        for (const itemId of touched) {
          const section = sectionOfItem(template, itemId);
          const current = section && d.getRevealed(section.id);
          if (!section || !current) continue;
          const discreet = room.revealMode === 'discreet';
          // Discreet: a way shared only now waits for the next round, so flipping to yes probes nothing.
          const question = findQuestion(template, itemId);
          const sharedBefore = discreet && question ? sharedWays(question, readRevealedAnswer(question, current.a[itemId]), readRevealedAnswer(question, current.b[itemId])) : undefined;
          const projected = projectItem({ template, itemId, mode: room.revealMode, a: answers.a[itemId], b: answers.b[itemId], ...(sharedBefore ? { sharedBefore } : {}) });
          const next: RevealedSection = { ...current, a: { ...current.a }, b: { ...current.b }, changed: { ...current.changed } };
          setOrDelete(next.a, itemId, projected.a);
          setOrDelete(next.b, itemId, projected.b);
          if (JSON.stringify(next.a[itemId]) === JSON.stringify(current.a[itemId]) && JSON.stringify(next.b[itemId]) === JSON.stringify(current.b[itemId])) continue;
          next.changed[itemId] = { seat: discreet ? null : seat, at };
          if (discreet && !section.alwaysFull) next.notShared = countNotShared(section, next);
          d.setRevealed(section.id, next);
        }
      });
    });
  }

  /** Resolves when pending mirror work is done (tests, shutdown). */
  async settled(): Promise<void> {
    await this.mirroring;
  }

  destroy(): void {
    if (this.mirrorTimer) clearTimeout(this.mirrorTimer);
    this.mirrorTimer = null;
  }
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Checks a sealed room's escrow envelope (its header only: the server has no key) and copies it. */
function sealedEscrow(room: RoomRecord, escrow: Uint8Array): Uint8Array {
  if (!room.sealed) throw new ParleyError('bad_request', 'Only a sealed room takes an escrow.');
  const parsed = parseEnvelope(escrow, { kinds: [EnvelopeKind.escrow], maxBytes: MAX_ESCROW_BYTES });
  if (!parsed.ok) throw new ParleyError('bad_request', `The escrow is not a well-formed envelope: ${parsed.reason}.`);
  return new Uint8Array(escrow);
}

function setOrDelete<V>(record: Record<string, V>, key: string, value: V | undefined): void {
  if (value === undefined) delete record[key];
  else record[key] = value;
}
