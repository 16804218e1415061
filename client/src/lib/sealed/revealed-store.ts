import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { HistoryEvent, RevealedSection, RoomDocState, SealedRevealedSection } from '@parley/shared/protocol/room-doc';
import type { PairKeys } from '@parley/shared/sealed/pair';
import type { Template } from '@parley/shared/template/schema';
import type { PrivateState } from '../room-doc';
import type { SnapshotStore } from '../snapshot-store';
import { openSealedSection, sectionRevealMode, type OpenedSection } from './open-revealed';

/**
 * A sealed room's room doc as every screen reads it: the server's `readRoomDoc` state with its
 * released envelopes (`sealedRevealed`) opened into `revealed`, in exactly the standard shape,
 * so the reveal view, the agreement, scene mode and signals work unchanged. Opening is
 * asynchronous (WebCrypto): a section shows its last opened state until the new one is ready,
 * and each result is kept per envelope bytes, so an update of another section opens nothing
 * again.
 */
export interface SealedRoomState extends RoomDocState {
  /** sectionId → how many of its envelopes could not be read (absent when all opened) */
  unreadable: Record<string, number>;
}

export interface SealedRevealedOptions {
  base: SnapshotStore<RoomDocState>;
  privateStore: SnapshotStore<PrivateState>;
  pair: Pick<PairKeys, 'escrow' | 'roundKey'>;
  roomId: string;
  seat: Seat;
  template: Template;
  revealMode: RevealMode;
  /** when a change is first seen (the escrow carries which items changed, not when) */
  now?: () => number;
}

type Source = { kind: 'section'; sectionId: string } | { kind: 'history'; sectionId: string; index: number };

export class SealedRevealedStore implements SnapshotStore<SealedRoomState> {
  private readonly listeners = new Set<() => void>();
  private readonly opened = new Map<string, OpenedSection>();
  private readonly pending = new Set<string>();
  /** the last opened result per section, shown while a newer envelope is being opened */
  private readonly lastShown = new Map<string, { round: number; opened: OpenedSection }>();
  /** `<section>/<round>/<seat>/<item>` → when this browser first saw it marked changed */
  private readonly firstSeen = new Map<string, number>();
  /** `<section>/<round>/<seat>/<sender>` → the highest escrow seq opened there (full mode) */
  private readonly highestSeq = new Map<string, number>();
  private stops: (() => void)[] = [];
  private cached: { base: RoomDocState; own: PrivateState; version: number; state: SealedRoomState } | null = null;
  private version = 0;
  private stopped = false;

  constructor(private readonly opts: SealedRevealedOptions) {}

  subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) {
      this.stops = [this.opts.base.subscribe(this.notify), this.opts.privateStore.subscribe(this.notify)];
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unsubscribe();
    };
  };

  getSnapshot = (): SealedRoomState => {
    const base = this.opts.base.getSnapshot();
    const own = this.opts.privateStore.getSnapshot();
    const c = this.cached;
    if (c && c.base === base && c.own === own && c.version === this.version) return c.state;
    const state = this.compose(base, own);
    this.cached = { base, own, version: this.version, state };
    return state;
  };

  /** Resolves once every envelope of the current state is opened (tests, and the agreement's hash). */
  async settled(): Promise<SealedRoomState> {
    for (;;) {
      const state = this.getSnapshot();
      if (this.pending.size === 0) return state;
      await new Promise<void>((resolve) => {
        const stop = this.subscribe(() => {
          stop();
          resolve();
        });
      });
    }
  }

  destroy(): void {
    this.stopped = true;
    this.unsubscribe();
    this.listeners.clear();
  }

  private unsubscribe(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
  }

  private notify = (): void => {
    for (const listener of [...this.listeners]) listener();
  };

  private compose(base: RoomDocState, own: PrivateState): SealedRoomState {
    const used = new Set<string>();
    // Only what opened with the pair's keys is shown. A plain `revealed` value in a sealed room's
    // doc can only have been written by the server, which must not put words in a partner's mouth.
    const revealed: Record<string, RevealedSection> = {};
    const unreadable: Record<string, number> = {};
    for (const [sectionId, released] of Object.entries(base.sealedRevealed ?? {})) {
      const opened = this.openedOf({ kind: 'section', sectionId }, released, own, used);
      if (!opened) continue;
      revealed[sectionId] = this.withChanged(sectionId, opened, base.sections[sectionId]?.revealedAt ?? null);
      if (opened.unreadable > 0) unreadable[sectionId] = opened.unreadable;
    }
    // Leave-out and put-back cannot travel sealed yet and the server refuses them: any such event is the server's own.
    const history = base.history.filter((event) => event.type !== 'left_out' && event.type !== 'put_back').map((event, index): HistoryEvent => {
      // Likewise an ended round's plain `revealed`: only the opened envelopes count.
      // So is a plain note: a sealed room's notes cannot travel yet, and the server refuses them.
      const { revealed: _plain, note, ...rest } = event;
      const sealedOnly: HistoryEvent = note === undefined ? rest : { ...rest, note: null };
      // An ended discreet round opens only against the answers of that round, which are gone: it stays sealed.
      if (!event.sealedRevealed || event.sealedRevealed.discreet || !event.sectionId) return sealedOnly;
      const opened = this.openedOf({ kind: 'history', sectionId: event.sectionId, index }, event.sealedRevealed, own, used);
      return opened ? { ...sealedOnly, revealed: opened.revealed } : sealedOnly;
    });
    for (const key of this.opened.keys()) if (!used.has(key)) this.opened.delete(key);
    // The same for what the server could add to the agreement itself: a review date, or items left
    // out (both refused in a sealed room until they travel sealed, sealed-rooms.md §7), or a pause note.
    const meta = { ...base.meta, paused: base.meta.paused && { ...base.meta.paused, note: null }, reviewDate: null, leftOut: { a: {}, b: {} } };
    return { ...base, meta, revealed, history, unreadable };
  }

  /** The opened section for these envelopes: cached, or being opened (then the last one shown, if any). */
  private openedOf(source: Source, released: SealedRevealedSection, own: PrivateState, used: Set<string>): OpenedSection | null {
    const key = this.keyOf(source.sectionId, released, own);
    used.add(key);
    const shownKey = source.kind === 'section' ? source.sectionId : `${source.sectionId}#${source.index}`;
    const done = this.opened.get(key);
    if (done) {
      this.lastShown.set(shownKey, { round: released.round, opened: done });
      return done;
    }
    if (!this.pending.has(key)) {
      this.pending.add(key);
      const { pair, roomId, template, seat } = this.opts;
      // openSealedSection does not throw; a WebCrypto failure all the same counts as unreadable, never as pending for ever
      const unreadable: OpenedSection = { revealed: { round: released.round, a: {}, b: {}, changed: {} }, changedBy: { a: [], b: [] }, unreadable: 1 };
      void openSealedSection({ pair, roomId, template, seat, sectionId: source.sectionId, released, ownAnswers: own.answers }).catch(() => unreadable).then((opened) => {
        this.pending.delete(key);
        if (this.stopped) return;
        this.opened.set(key, source.kind === 'section' ? this.notOlder(source.sectionId, opened) : opened);
        this.version += 1;
        this.notify();
      });
    }
    const last = this.lastShown.get(shownKey);
    return last && last.round === released.round ? last.opened : null;
  }

  /**
   * A seat's escrow of a sender and seq below one already opened for the same slot is an older one
   * served again (a hostile server withholding a change): that side is not shown, and counts as
   * "could not be read". Seqs of one sender only grow (`SealWriter`); another sender (a reload, a
   * second device) starts afresh, so an older session's escrow served after a newer one's is not
   * caught here.
   */
  private notOlder(sectionId: string, opened: OpenedSection): OpenedSection {
    const written = opened.written;
    if (!written) return opened;
    let result = opened;
    for (const side of ['a', 'b'] as const) {
      const w = written[side];
      if (!w) continue;
      const slot = `${sectionId}/${opened.revealed.round}/${side}/${w.sender}`;
      const highest = this.highestSeq.get(slot) ?? 0;
      if (w.seq >= highest) {
        this.highestSeq.set(slot, w.seq);
        continue;
      }
      result = {
        ...result,
        revealed: { ...result.revealed, [side]: {} },
        changedBy: { ...result.changedBy, [side]: [] },
        unreadable: result.unreadable + 1,
      };
    }
    return result;
  }

  /**
   * What identifies an opening: the section, its round and envelope bytes, and in discreet mode
   * this seat's own answers to the section (its tags decide which pieces open).
   */
  private keyOf(sectionId: string, released: SealedRevealedSection, own: PrivateState): string {
    const parts: Uint8Array[] = [released.a, released.b];
    if (released.discreet) parts.push(released.discreet.tags, released.discreet.a, released.discreet.b);
    const hash = sha256.create();
    for (const part of parts) {
      hash.update(new Uint8Array(new Uint32Array([part.length]).buffer));
      hash.update(part);
    }
    let ownPart = '';
    if (released.discreet && sectionRevealMode(this.opts.template, sectionId, this.opts.revealMode) === 'discreet') {
      const section = this.opts.template.sections.find((s) => s.id === sectionId);
      ownPart = JSON.stringify(section?.items.map((q) => (Object.hasOwn(own.answers, q.id) ? own.answers[q.id] : null)) ?? []);
    }
    return `${sectionId}/${released.round}/${bytesToHex(hash.digest())}/${ownPart}`;
  }

  /** The escrow's `changed` lists as the standard `changed` map: who, and when this browser first saw it. */
  private withChanged(sectionId: string, opened: OpenedSection, revealedAt: number | null): RevealedSection {
    const now = this.opts.now ?? Date.now;
    const changed: RevealedSection['changed'] = { ...opened.revealed.changed };
    for (const seat of ['a', 'b'] as const) {
      for (const itemId of opened.changedBy[seat]) {
        const key = `${sectionId}/${opened.revealed.round}/${seat}/${itemId}`;
        let at = this.firstSeen.get(key);
        if (at === undefined) {
          at = Math.max(now(), revealedAt ?? 0);
          this.firstSeen.set(key, at);
        }
        const earlier = changed[itemId];
        if (!earlier || earlier.at < at) changed[itemId] = { seat, at };
      }
    }
    return { ...opened.revealed, changed };
  }
}
