import type { Seat } from '@parley/shared/protocol/ids';
import type {
  HistoryEvent,
  PauseState,
  RevealedSection,
  RoomDocState,
  RoomMeta,
  SealedRevealedSection,
  SectionStatus,
} from '@parley/shared/protocol/room-doc';
import { isSealedRevealed, PRIVATE_DOC_KEYS, readRoomDoc, readRoomMeta, ROOM_DOC_KEYS, SHARED_DOC_KEYS } from '@parley/shared/protocol/room-doc';
import * as Y from 'yjs';
import { readScene, SCENE_DOC_KEYS, type SceneLogEntry, type SceneState } from '@parley/shared/protocol/scene';
import type { SectionRecord } from '../store/room-store';
import { Origin } from '../yjs/live-doc';

/** Typed reads and writes of the server-written room doc. Writes carry the 'server' origin. */
export class RoomDoc {
  constructor(private readonly doc: Y.Doc) {}

  private get sections(): Y.Map<SectionStatus> {
    return this.doc.getMap(ROOM_DOC_KEYS.sections);
  }
  private get revealed(): Y.Map<RevealedSection | SealedRevealedSection> {
    return this.doc.getMap(ROOM_DOC_KEYS.revealed);
  }
  private get meta(): Y.Map<unknown> {
    return this.doc.getMap(ROOM_DOC_KEYS.meta);
  }
  private get history(): Y.Array<HistoryEvent> {
    return this.doc.getArray(ROOM_DOC_KEYS.history);
  }

  /** All writes of one command in one transaction, so clients see them as one update. */
  write(fn: (doc: RoomDoc) => void): void {
    this.doc.transact(() => fn(this), Origin.server);
  }

  setSection(row: SectionRecord): void {
    const status: SectionStatus = {
      state: row.state,
      round: row.round,
      ready: { a: row.readyA, b: row.readyB },
      revealedAt: row.revealedAt,
    };
    const current = this.sections.get(row.sectionId);
    if (!current || JSON.stringify(current) !== JSON.stringify(status)) this.sections.set(row.sectionId, status);
  }

  /** A standard room's revealed section (a sealed room's entries read as undefined here). */
  getRevealed(sectionId: string): RevealedSection | undefined {
    const value = this.revealed.get(sectionId);
    return value && !isSealedRevealed(value) ? value : undefined;
  }
  setRevealed(sectionId: string, value: RevealedSection): void {
    this.revealed.set(sectionId, value);
  }
  /** A sealed room's released escrow envelopes of a section. */
  getSealedRevealed(sectionId: string): SealedRevealedSection | undefined {
    const value = this.revealed.get(sectionId);
    return isSealedRevealed(value) ? value : undefined;
  }
  setSealedRevealed(sectionId: string, value: SealedRevealedSection): void {
    this.revealed.set(sectionId, value);
  }
  deleteRevealed(sectionId: string): void {
    this.revealed.delete(sectionId);
  }

  get paused(): PauseState | null {
    return readRoomMeta(this.doc).paused;
  }
  setPaused(value: PauseState | null): void {
    this.meta.set('paused', value);
  }

  get confirmations(): RoomMeta['confirmations'] {
    return readRoomMeta(this.doc).confirmations;
  }
  /** `lines` only in a standard room: a sealed room's confirmation is its keyed hash and time, nothing else. */
  setConfirmation(seat: Seat, hash: string, at: number, lines?: string[]): void {
    this.meta.set('confirmations', { ...this.confirmations, [seat]: { hash, at, ...(lines ? { lines } : {}) } });
  }

  get leftOut(): RoomMeta['leftOut'] {
    return readRoomMeta(this.doc).leftOut;
  }
  /** this seat's choice to leave `itemId` out in `round`, or (null) the choice taken back */
  setLeftOut(seat: Seat, itemId: string, round: number | null): void {
    const choices = { ...this.leftOut[seat] };
    if (round === null) delete choices[itemId];
    else choices[itemId] = round;
    this.meta.set('leftOut', { ...this.leftOut, [seat]: choices });
  }

  setReviewDate(date: string | null): void {
    this.meta.set('reviewDate', date);
  }

  /** The facilitator's last message to this pair only (workshop rooms); only the server writes it. */
  get pairMessage(): { message: string; at: number } | null {
    const value = this.meta.get('pairMessage') as { message?: unknown; at?: unknown } | undefined;
    return value && typeof value.message === 'string' && typeof value.at === 'number' ? { message: value.message, at: value.at } : null;
  }
  setPairMessage(sent: { message: string; at: number }): void {
    this.meta.set('pairMessage', sent);
  }

  addHistory(event: HistoryEvent): void {
    this.history.push([event]);
  }

  get scene(): SceneState | null {
    return readScene(this.doc);
  }
  setScene(scene: SceneState | null): void {
    this.meta.set(SCENE_DOC_KEYS.metaScene, scene);
  }

  private get sceneLog(): Y.Map<SceneLogEntry> {
    return this.doc.getMap(SCENE_DOC_KEYS.log);
  }
  logEntry(id: string): SceneLogEntry | undefined {
    const entry = this.sceneLog.get(id) as unknown;
    return entry instanceof Y.AbstractType ? (entry.toJSON() as SceneLogEntry) : (entry as SceneLogEntry | undefined);
  }
  logEntries(): SceneLogEntry[] {
    return [...this.sceneLog.keys()].flatMap((id) => this.logEntry(id) ?? []);
  }
  get logSize(): number {
    return this.sceneLog.size;
  }
  setLogEntry(entry: SceneLogEntry): void {
    this.sceneLog.set(entry.id, entry);
  }
  deleteLogEntry(id: string): void {
    this.sceneLog.delete(id);
  }

  state(): RoomDocState {
    return readRoomDoc(this.doc);
  }
}

/**
 * The answers to `itemIds` in a private doc as plain, still-untrusted JSON (the projection
 * re-validates). Only those keys: a reveal needs one section, not the whole map.
 */
export function readAnswers(doc: Y.Doc, itemIds: Iterable<string>): Record<string, unknown> {
  const answers = doc.getMap<unknown>(PRIVATE_DOC_KEYS.answers);
  const out: Record<string, unknown> = {};
  for (const id of itemIds) {
    const value = answers.get(id);
    // Clients set plain values, but nothing stops one from nesting a Yjs type.
    if (value !== undefined) out[id] = value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value;
  }
  return out;
}

export function readAgreementText(doc: Y.Doc): string {
  return doc.getText(SHARED_DOC_KEYS.agreementText).toString();
}
