import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson } from '@parley/shared/agreement/build';
import type { Answers } from '@parley/shared/protocol/answers';
import type { RoomDocState, SealedRevealedSection } from '@parley/shared/protocol/room-doc';
import type { Ack, AckFailure } from '@parley/shared/protocol/socket';
import { shrinkTags } from '@parley/shared/sealed/discreet';
import type { SectionTags } from '@parley/shared/sealed/discreet-slots';
import { openEscrow } from '@parley/shared/sealed/escrow';
import { DISCREET_TAG_BYTES } from '@parley/shared/sealed/sizes';
import type { PrivateState } from '../room-doc';
import type { SnapshotStore } from '../snapshot-store';
import { sectionRevealMode } from './open-revealed';
import { escrowUpload, ownSideJson, readyUpload, type ReadyPayload, type SealedSeat } from './own-side';

/**
 * Keeps a sealed room's escrows in step with this person's answers (docs/sealed-rooms.md §5.4,
 * §6): while a section is marked ready and not yet revealed, every change of their own side
 * re-uploads it; after a full reveal the same upload mirrors the change to the partner; after a
 * discreet reveal a change towards no withdraws its tag at once (`section:tags`), and a change
 * towards yes waits for the next round. Whether an upload is due is decided from what was sent
 * last (or, after a reload, from the own envelope the room doc holds), so a change made offline
 * goes up once the room doc is back.
 */

export interface SealedCommands {
  ready(payload: ReadyPayload): Promise<Ack>;
  escrow(payload: { sectionId: string; round: number; escrow: Uint8Array }): Promise<Ack>;
  tags(payload: { sectionId: string; round: number; tags: Uint8Array }): Promise<Ack>;
}

export interface SealedUploadsOptions extends SealedSeat {
  room: SnapshotStore<RoomDocState>;
  privateStore: SnapshotStore<PrivateState>;
  commands: SealedCommands;
  /** how long a burst of changes is gathered before one upload */
  debounceMs?: number;
  /** how long a failed upload waits before it is tried again */
  retryMs?: number;
}

/** What was last sent for one section's round. */
interface Sent {
  round: number;
  /** the own side the last escrow (or, discreet, always envelope) carried, as canonical JSON */
  escrowSide: string | null;
  /** discreet, before the reveal: the section's own answers the last tag set was built from */
  rawAnswers?: string;
  /** discreet matching: the tag set as uploaded and as last sent, and what its real tags stand for */
  tags?: { uploaded: Uint8Array; current: Uint8Array; mine: SectionTags['mine'] };
  /** discreet, after the reveal: the released tags and own answers last checked for withdrawals */
  tagsChecked?: string;
}

const localFailure = (message: string): AckFailure => ({ ok: false, error: { code: 'bad_request', message } });

export class SealedUploads {
  private readonly sent = new Map<string, Sent>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  /** sections this person took back (un-ready) and has not marked ready again since */
  private readonly withdrawn = new Set<string>();
  private stops: (() => void)[] = [];
  private lastAnswers: Answers | null = null;
  private lastRoom: RoomDocState | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: SealedUploadsOptions) {}

  start(): void {
    if (this.stops.length > 0) return;
    this.stops = [this.opts.room.subscribe(this.onChange), this.opts.privateStore.subscribe(this.onChange)];
    // a stop cleared the timers of changes not yet sent: look at every section again
    this.lastRoom = null;
    this.lastAnswers = null;
    this.onChange();
  }

  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.checkIdle();
  }

  /** Marks a section ready: seals this person's own side and sends `section:ready` with it. */
  markReady(sectionId: string, round: number): Promise<Ack> {
    this.withdrawn.delete(sectionId);
    return this.sendReady(sectionId, round);
  }

  /**
   * Called before `section:ready {ready:false}` goes out: from then on nothing re-marks the
   * section ready by itself (a discreet re-upload is a `section:ready`), not even one whose
   * sealing is under way. The escrow on the server goes with the un-ready mark.
   */
  withdraw(sectionId: string): void {
    this.withdrawn.add(sectionId);
    this.sent.delete(sectionId);
  }

  /** The un-ready did not go through: the section is still ready, and its changes go up again. */
  withdrawFailed(sectionId: string): void {
    this.withdrawn.delete(sectionId);
    this.lastRoom = null;
    this.onChange();
  }

  private async sendReady(sectionId: string, round: number): Promise<Ack> {
    const answers = this.opts.privateStore.getSnapshot().answers;
    const upload = await readyUpload(this.opts, sectionId, round, answers);
    if (!upload.ok) return localFailure(upload.reason);
    if (this.withdrawn.has(sectionId)) return { ok: true };
    const ack = await this.opts.commands.ready(upload.payload);
    if (ack.ok) {
      const discreet = upload.discreet;
      this.sent.set(sectionId, {
        round,
        escrowSide: upload.ownSide,
        ...(discreet ? { rawAnswers: rawFingerprint(this.opts, sectionId, answers), tags: { uploaded: discreet.uploaded, current: discreet.uploaded, mine: discreet.mine } } : {}),
      });
    }
    return ack;
  }

  /** Resolves once no upload is waiting or in flight (a positive barrier for tests and for leaving the room). */
  idle(): Promise<void> {
    if (this.timers.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private checkIdle(): void {
    if (this.timers.size > 0 || this.running.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private onChange = (): void => {
    const room = this.opts.room.getSnapshot();
    const answers = this.opts.privateStore.getSnapshot().answers;
    if (room === this.lastRoom && answers === this.lastAnswers) return;
    this.lastRoom = room;
    this.lastAnswers = answers;
    for (const [sectionId, status] of Object.entries(room.sections)) {
      if (status.state === 'revealed' || status.ready[this.opts.seat]) this.schedule(sectionId, this.opts.debounceMs ?? 50);
    }
  };

  private schedule(sectionId: string, ms: number): void {
    const earlier = this.timers.get(sectionId);
    if (earlier) clearTimeout(earlier);
    this.timers.set(
      sectionId,
      setTimeout(() => {
        this.timers.delete(sectionId);
        void this.sync(sectionId);
      }, ms),
    );
  }

  /** One section's upload, never two at once: a change meanwhile runs it again afterwards. */
  private async sync(sectionId: string): Promise<void> {
    if (this.running.has(sectionId)) {
      this.again.add(sectionId);
      return;
    }
    this.running.add(sectionId);
    try {
      const ok = await this.syncOnce(sectionId);
      if (!ok && this.stops.length > 0) this.schedule(sectionId, this.opts.retryMs ?? 1000);
    } finally {
      this.running.delete(sectionId);
      if (this.again.delete(sectionId) && this.stops.length > 0) this.schedule(sectionId, 0);
      this.checkIdle();
    }
  }

  /** False when an upload was due and did not go through (tried again later). */
  private async syncOnce(sectionId: string): Promise<boolean> {
    const room = this.opts.room.getSnapshot();
    const answers = this.opts.privateStore.getSnapshot().answers;
    const status = room.sections[sectionId];
    if (!status) return true;
    const { seat } = this.opts;
    let sent = this.sent.get(sectionId);
    if (sent && sent.round !== status.round) {
      this.sent.delete(sectionId);
      sent = undefined;
    }
    const mode = sectionRevealMode(this.opts.template, sectionId, this.opts.revealMode);

    if (status.state === 'open') {
      if (!status.ready[seat] || this.withdrawn.has(sectionId)) return true;
      if (mode === 'discreet') {
        // before the reveal a discreet seat re-sends its whole set (fresh decoys) with `section:ready`
        if (sent?.rawAnswers === rawFingerprint(this.opts, sectionId, answers)) return true;
        return !needsRetry(await this.sendReady(sectionId, status.round));
      }
      const own = ownSideJson(this.opts.template, sectionId, status.round, 'full', seat, answers);
      if (sent?.escrowSide === own) return true;
      return this.sendEscrow(sectionId, status.round, answers, []);
    }

    const released = room.sealedRevealed?.[sectionId];
    if (!released || released.round !== status.round) return true;
    const ownSide = ownSideJson(this.opts.template, sectionId, status.round, mode, seat, answers);
    let ok = true;
    if (sent?.escrowSide !== ownSide) {
      const mine = await this.openOwn(sectionId, released);
      if (!sent && mine && canonicalJson(mine.answers) === ownSide) {
        // nothing sent from this browser yet (a reload), and the released own side is current
        this.sent.set(sectionId, { round: status.round, escrowSide: ownSide });
      } else {
        const changed = mode === 'full' ? changedItems(this.opts, sectionId, status.round, answers, mine) : [];
        ok = await this.sendEscrow(sectionId, status.round, answers, changed);
      }
    }
    if (mode === 'discreet' && released.discreet) ok = (await this.withdrawTags(sectionId, released, answers)) && ok;
    return ok;
  }

  private async sendEscrow(sectionId: string, round: number, answers: Answers, changed: string[]): Promise<boolean> {
    const upload = await escrowUpload(this.opts, sectionId, round, answers, changed);
    if (!upload.ok) return true; // too large to seal: nothing a retry would change
    const ack = await this.opts.commands.escrow({ sectionId, round, escrow: upload.escrow });
    if (ack.ok) this.sent.set(sectionId, { ...this.sent.get(sectionId), round, escrowSide: upload.ownSide });
    return !needsRetry(ack);
  }

  /** After a discreet reveal: the tags this seat's answers no longer hold leave the set (towards no only). */
  private async withdrawTags(sectionId: string, released: SealedRevealedSection, answers: Answers): Promise<boolean> {
    const section = this.opts.template.sections.find((s) => s.id === sectionId);
    const common = released.discreet?.tags;
    if (!section || !common) return true;
    const sent = this.sent.get(sectionId) ?? { round: released.round, escrowSide: null };
    // tags are HMACs of every way of the section: recomputed only when its answers changed
    const raw = rawFingerprint(this.opts, sectionId, answers);
    const checked = `${bytesToHex(common)}/${raw}`;
    if (sent.tagsChecked === checked) return true;
    // After a reload the uploaded set (with its decoys) is gone; the released common tags are a subset of it.
    const tags = sent.tags ?? { uploaded: common, current: common, mine: new Map(splitTags(common).map((t) => [bytesToHex(t), { itemId: '', way: 'all' as const }])) };
    const roundKey = await this.opts.pair.roundKey(sectionId, released.round);
    const kept = await shrinkTags(roundKey, section, this.opts.seat, tags.current, tags.mine, answers);
    if (kept.length === tags.current.length) {
      this.sent.set(sectionId, { ...(this.sent.get(sectionId) ?? sent), tagsChecked: checked });
      return true;
    }
    const ack = await this.opts.commands.tags({ sectionId, round: released.round, tags: kept });
    if (ack.ok) this.sent.set(sectionId, { ...(this.sent.get(sectionId) ?? sent), tags: { ...tags, current: kept }, tagsChecked: checked });
    return !needsRetry(ack);
  }

  private async openOwn(sectionId: string, released: SealedRevealedSection) {
    const opened = await openEscrow({ pairKeys: this.opts.pair, roomId: this.opts.roomId, sectionId, round: released.round, seat: this.opts.seat, envelope: released[this.opts.seat], template: this.opts.template });
    return opened.ok ? opened : null;
  }
}

/**
 * Only a command that did not get through is tried again. A refusal stays one: `stale` means the
 * section moved to another round (the room doc's change takes it from there), `bad_request` that
 * sending the same again would be refused again.
 */
const needsRetry = (ack: Ack): boolean => !ack.ok && (ack.error.code === 'unavailable' || ack.error.code === 'rate_limited');

const splitTags = (tags: Uint8Array): Uint8Array[] => Array.from({ length: tags.length / DISCREET_TAG_BYTES }, (_, i) => tags.subarray(i * DISCREET_TAG_BYTES, (i + 1) * DISCREET_TAG_BYTES));

/** A discreet section's own answers as they are (its tags and pieces come from all of them). */
function rawFingerprint(s: SealedSeat, sectionId: string, answers: Answers): string {
  const section = s.template.sections.find((x) => x.id === sectionId);
  return canonicalJson(section?.items.map((q) => (Object.hasOwn(answers, q.id) ? answers[q.id] : null)) ?? []);
}

/** The items changed since the release: those the own escrow already says, and those whose answer now differs from it. */
function changedItems(s: SealedSeat, sectionId: string, round: number, answers: Answers, released: { answers: Record<string, unknown>; changed: string[] } | null): string[] {
  const section = s.template.sections.find((x) => x.id === sectionId);
  const now = JSON.parse(ownSideJson(s.template, sectionId, round, 'full', s.seat, answers)) as Record<string, unknown>;
  const out = new Set(released?.changed ?? []);
  for (const q of section?.items ?? []) {
    const before = released && Object.hasOwn(released.answers, q.id) ? canonicalJson(released.answers[q.id]) : null;
    const after = Object.hasOwn(now, q.id) ? canonicalJson(now[q.id]) : null;
    if (before !== after) out.add(q.id);
  }
  return [...out];
}

