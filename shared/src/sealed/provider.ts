import * as Y from 'yjs';
import { validateAwarenessUpdate } from '../yjs/validate-awareness';
import { sameBytes } from './bytes';
import { EnvelopeKind, MAX_ENVELOPE_BYTES, newSender, openEnvelope, sealEnvelope, type AeadKey, type ParsedEnvelope } from './envelope';
import { encodeClientFrame, parseServerFrame, POSITION_BYTES, type ClientFrameOut, type FrameLimits } from './frames';
import { openAndValidate, type UpdateUnreadable } from './open-update';
import { SeqGuard } from './replay';
import { cryptoRandom, type Random } from './webcrypto';

/**
 * The client end of a sealed doc (docs/sealed-rooms.md §4): one Y.Doc kept in sync through the
 * `/sealed/<roomId>/<doc>` channel, where the server only ever holds envelopes.
 *
 * - Local updates are sealed in order (one sender per writing session, seq + 1 each) and sent as
 *   `append`; they stay queued until the server acknowledges them, across reconnects.
 * - Entries are opened, validated against the doc (`openAndValidate`: the same bounded validators
 *   the server runs on standard rooms) and applied with this provider as origin. One that does
 *   not open or validate is dropped whole, reported as `unreadable`, and the doc keeps working.
 * - `compact` from the server is answered with a snapshot of the doc, sealed under a sender of
 *   its own (so a reader that starts from it never takes our later appends for replays).
 */

/** The part of a browser WebSocket (or `ws`) this uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;
/** an `entry` frame: its type byte and log position come before the envelope */
/** an `entry` frame's type byte and position, before its envelope */
const ENTRY_HEADER_BYTES = 1 + POSITION_BYTES;

/** The pause between two answers to new awareness senders (`answerNewcomer`). */
const NEWCOMER_ANSWER_MS = 1000;

/** Close codes after which reconnecting cannot help (contract: 4401, 4403, 4410; 4400 is our own bug or a hostile server). */
const FINAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4410]);

/** Timers, typed here because `shared` compiles without the DOM or Node libraries (tests may pass their own). */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const host = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
const hostTimers: Timers = { set: (fn, ms) => host.setTimeout(fn, ms), clear: (handle) => host.clearTimeout(handle) };

/**
 * Awareness (cursors, who is here) on a sealed doc, sealed under its own key and never stored.
 * An adapter rather than y-protocols' `Awareness` itself, which `shared` does not depend on: the
 * web client wraps its `Awareness` (`encodeAwarenessUpdate` of its own client id,
 * `applyAwarenessUpdate`, and its `update` events of local origin, which include the 15 s renewal).
 */
export interface SealedAwareness {
  key: AeadKey;
  /** the local state as an awareness update, or null if there is none to send */
  localUpdate(): Uint8Array | null;
  /** applies a partner's update (already validated) with `origin` */
  apply(update: Uint8Array, origin: unknown): void;
  /** calls `listener` when the local state changed or was renewed; returns the unsubscribe */
  onLocalUpdate(listener: () => void): () => void;
}

export interface SealedDocOptions {
  /** the channel's full URL, token included */
  url: string;
  /** the doc name: every envelope is sealed for it */
  context: string;
  key: AeadKey;
  socket: SocketFactory;
  /**
   * The private docs, where only the seat's own devices hold the key, refuse replays; the shared
   * doc does not (a partner could poison the guard with the other's sender id, and Yjs updates
   * are idempotent: sealed-rooms.md §3).
   */
  replayGuard: boolean;
  /** kinds an entry may carry on this doc (`update`; a private doc also `keyring`, handled by its owner) */
  appendKinds?: readonly EnvelopeKind[];
  random?: Random;
  /** reconnect delays: from `minMs`, doubling, at most `maxMs` */
  backoff?: { minMs: number; maxMs: number };
  timers?: Timers;
  awareness?: SealedAwareness;
}

export type SealedStatus = 'connecting' | 'syncing' | 'live' | 'offline' | 'closed';

export interface UnreadableEntry {
  position: number;
  /** diagnostics only: what the screen says is "a message from your partner could not be read" */
  reason: UpdateUnreadable | 'local change too large';
}

interface Outgoing {
  seq: number;
  envelope: Uint8Array;
}

type Listener<T> = (value: T) => void;

export class SealedDocProvider {
  status: SealedStatus = 'connecting';
  /**
   * The log position up to which this doc has everything, with no gap: others' entries and our
   * own acknowledged appends (positions count up by one per doc, and each reaches a connection
   * as either an entry or an ack). `hello` asks for what follows; a snapshot may replace it.
   */
  position = 0;
  /** positions above `position` already had (an ack can overtake another node's entry) */
  private readonly ahead = new Set<number>();
  /** why the server closed for good (4401 and the like), if it did */
  closedWith: { code: number; reason: string } | null = null;

  private socket: SocketLike | null = null;
  private readonly sender: string;
  private seq = 0;
  /** sealed, sent or not, not yet acknowledged: re-sent after a reconnect unless the log has them */
  private readonly unacked: Outgoing[] = [];
  /** local updates whose sealing has not finished */
  private toSeal = 0;
  /** sends wait for this, so envelopes leave in seq order although sealing is async */
  private sealing: Promise<void> = Promise.resolve();
  /** entries are opened one at a time, in log order */
  private receiving: Promise<void> = Promise.resolve();
  private readonly guard: SeqGuard | undefined;
  /** awareness is latest-wins: its own sender, seq and replay guard (sealed-rooms.md §3) */
  private readonly awarenessSender: string;
  private awarenessSeq = 0;
  private readonly awarenessGuard = new SeqGuard();
  /** answers to new awareness senders are paced (`answerNewcomer`) */
  private answerTimer: unknown = null;
  private answerDue = false;
  private awarenessSending: Promise<void> = Promise.resolve();
  private readonly stopAwareness: () => void;
  private retryMs: number;
  private retryTimer: unknown = null;
  private destroyed = false;
  private readonly limits: FrameLimits;
  private readonly listeners = {
    status: new Set<Listener<SealedStatus>>(),
    unreadable: new Set<Listener<UnreadableEntry>>(),
    acked: new Set<Listener<number>>(),
  };

  constructor(
    readonly doc: Y.Doc,
    private readonly opts: SealedDocOptions,
  ) {
    this.sender = newSender(opts.random ?? cryptoRandom);
    this.guard = opts.replayGuard ? new SeqGuard() : undefined;
    this.awarenessSender = newSender(opts.random ?? cryptoRandom);
    this.stopAwareness = opts.awareness?.onLocalUpdate(() => this.sendAwareness()) ?? (() => undefined);
    this.retryMs = opts.backoff?.minMs ?? 500;
    this.limits = { maxEnvelopeBytes: MAX_ENVELOPE_BYTES, appendKinds: opts.appendKinds ?? [EnvelopeKind.update] };
    doc.on('update', this.onLocalUpdate);
    this.connect();
  }

  on<E extends keyof SealedDocProvider['listeners']>(event: E, listener: SealedDocProvider['listeners'][E] extends Set<infer L> ? L : never): () => void {
    const set = this.listeners[event] as Set<unknown>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Local updates not yet stored by the server (still being sealed, queued or sent). */
  get pending(): number {
    return this.toSeal + this.unacked.length;
  }

  /** Resolves once the doc caught up with the log (status `live`). */
  whenLive(): Promise<void> {
    return this.waitFor(() => this.status === 'live');
  }

  /** Resolves once every local update so far is stored by the server. */
  whenStored(): Promise<void> {
    return this.sealing.then(() => this.waitFor(() => this.unacked.length === 0));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.doc.off('update', this.onLocalUpdate);
    this.stopAwareness();
    if (this.retryTimer !== null) (this.opts.timers ?? hostTimers).clear(this.retryTimer);
    if (this.answerTimer !== null) (this.opts.timers ?? hostTimers).clear(this.answerTimer);
    this.socket?.close(1000, 'done');
    this.socket = null;
    this.setStatus('closed');
  }

  private waitFor(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) {
          offStatus();
          offAcked();
          resolve();
        } else if (this.status === 'closed') {
          offStatus();
          offAcked();
          reject(new Error(this.closedWith ? `sealed channel closed: ${this.closedWith.code} ${this.closedWith.reason}` : 'sealed channel closed'));
        }
      };
      const offStatus = this.on('status', check);
      const offAcked = this.on('acked', check);
    });
  }

  private setStatus(status: SealedStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.listeners.status) listener(status);
  }

  private connect(): void {
    if (this.destroyed) return;
    this.setStatus('connecting');
    const socket = this.opts.socket(this.opts.url);
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.retryMs = this.opts.backoff?.minMs ?? 500;
      this.setStatus('syncing');
      this.sendFrame({ type: 'hello', position: this.position });
    };
    socket.onmessage = (event) => {
      const bytes = event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : event.data instanceof Uint8Array ? event.data : null;
      this.receiving = this.receiving.then(() => this.receive(bytes));
    };
    socket.onerror = () => undefined;
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.destroyed) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.closedWith = { code: event.code, reason: event.reason };
        this.setStatus('closed');
        return;
      }
      this.setStatus('offline');
      this.retryTimer = (this.opts.timers ?? hostTimers).set(() => {
        this.retryTimer = null;
        this.connect();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, this.opts.backoff?.maxMs ?? 10_000);
    };
  }

  private sendFrame(frame: ClientFrameOut): void {
    if (this.socket?.readyState === OPEN) this.socket.send(encodeClientFrame(frame));
  }

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    const seq = ++this.seq;
    this.toSeal++;
    this.sealing = this.sealing.then(async () => {
      const sealed = await sealEnvelope(this.opts.key, { kind: EnvelopeKind.update, sender: this.sender, seq, context: this.opts.context }, update, this.opts.random);
      this.toSeal--;
      // Only an update over the largest bucket fails here; it cannot travel sealed at all.
      if (!sealed.ok) {
        this.report({ position: this.position, reason: 'local change too large' });
        return;
      }
      this.unacked.push({ seq, envelope: sealed.envelope });
      if (this.status === 'live') this.sendFrame({ type: 'append', envelope: sealed.envelope });
    });
  };

  private async receive(bytes: Uint8Array | null): Promise<void> {
    if (this.destroyed) return;
    const parsed = parseServerFrame(bytes, this.limits);
    if (!parsed.ok) {
      // The server's framing is broken: nothing from this connection can be trusted to be in order.
      this.socket?.close(4400, 'malformed frame');
      return;
    }
    const { frame } = parsed;
    switch (frame.type) {
      case 'entry':
        return this.receiveEntry(frame.position, frame.envelope, (bytes as Uint8Array).subarray(ENTRY_HEADER_BYTES));
      case 'ack': {
        this.unacked.shift();
        this.reached(frame.position);
        for (const listener of this.listeners.acked) listener(frame.position);
        return;
      }
      case 'live':
        // Caught up: send what was written meanwhile (the log did not have it).
        await this.sealing;
        for (const out of this.unacked) this.sendFrame({ type: 'append', envelope: out.envelope });
        this.setStatus('live');
        this.sendAwareness();
        return;
      case 'compact':
        return this.sendSnapshot();
      case 'awareness':
        return this.receiveAwareness((bytes as Uint8Array).subarray(1));
    }
  }

  /** Records that the entry at `position` is in the doc. */
  private reached(position: number): void {
    if (position <= this.position) return;
    this.ahead.add(position);
    while (this.ahead.delete(this.position + 1)) this.position++;
  }

  private async receiveEntry(position: number, header: ParsedEnvelope, envelope: Uint8Array): Promise<void> {
    if (position <= this.position || this.ahead.has(position)) return; // already had it
    if (this.status === 'syncing') {
      // The history after our hello is the log itself: a snapshot may jump past compacted entries.
      this.position = position;
      for (const at of this.ahead) if (at <= position) this.ahead.delete(at);
    } else this.reached(position);
    if (header.sender === this.sender) {
      // Our own append, stored before a connection dropped: it is in the doc, and no longer to
      // resend. Only the very bytes we sealed count as ours: the sender id is plaintext, so a
      // partner on the shared doc can copy it with our next seq, and that must not cancel an
      // edit we have not sent yet. An entry that only claims our sender is read like any other.
      const index = this.unacked.findIndex((out) => out.seq === header.seq && sameBytes(out.envelope, envelope));
      if (index >= 0) {
        this.unacked.splice(index, 1);
        return;
      }
    }
    // A keyring entry is its owner's business (the pinned partner key), not a Yjs update.
    if (header.kind === EnvelopeKind.keyring) return;
    const opened = await openAndValidate(this.doc, envelope, { key: this.opts.key, context: this.opts.context, origin: this, guard: this.guard, kinds: [EnvelopeKind.update, EnvelopeKind.snapshot] });
    if (!opened.ok) this.refuse(position, opened.reason);
  }

  /** Seals the local awareness state and sends it (only while live: a reconnect sends it again). */
  private sendAwareness(): void {
    const awareness = this.opts.awareness;
    if (!awareness || this.status !== 'live') return;
    const update = awareness.localUpdate();
    if (!update) return;
    const seq = ++this.awarenessSeq;
    this.awarenessSending = this.awarenessSending.then(async () => {
      const sealed = await sealEnvelope(awareness.key, { kind: EnvelopeKind.awareness, sender: this.awarenessSender, seq, context: this.opts.context }, update, this.opts.random);
      if (sealed.ok) this.sendFrame({ type: 'awareness', envelope: sealed.envelope });
    });
  }

  /**
   * A partner's awareness: opened, checked with the bounded awareness validator and applied.
   * One that does not open or validate is dropped without a word: it is only a cursor, and the
   * next one replaces it.
   */
  private async receiveAwareness(envelope: Uint8Array): Promise<void> {
    const awareness = this.opts.awareness;
    if (!awareness) return;
    const known = this.awarenessGuard.senders;
    const opened = await openEnvelope(awareness.key, envelope, this.opts.context, { kinds: [EnvelopeKind.awareness], guard: this.awarenessGuard });
    if (!opened.ok || !validateAwarenessUpdate(opened.payload).ok) return;
    awareness.apply(opened.payload, this);
    // Someone new (the server cannot ask for states, as y-websocket's would): tell them ours once.
    if (this.awarenessGuard.senders > known) this.answerNewcomer();
  }

  /**
   * Answers a new awareness sender with our state, at once and then at most once per
   * `NEWCOMER_ANSWER_MS`: new senders are free to make, so a partner flooding them (on several
   * connections) must not spend this connection's awareness rate, which the server enforces by
   * closing it (4503). Newcomers within the pause get the one answer that ends it.
   */
  private answerNewcomer(): void {
    if (this.answerTimer !== null) {
      this.answerDue = true;
      return;
    }
    this.sendAwareness();
    this.answerTimer = (this.opts.timers ?? hostTimers).set(() => {
      this.answerTimer = null;
      if (!this.answerDue || this.destroyed) return;
      this.answerDue = false;
      this.answerNewcomer();
    }, NEWCOMER_ANSWER_MS);
  }

  private refuse(position: number, reason: UpdateUnreadable): void {
    this.sendFrame({ type: 'unreadable', position });
    this.report({ position, reason });
  }

  private report(entry: UnreadableEntry): void {
    for (const listener of this.listeners.unreadable) listener(entry);
  }

  private async sendSnapshot(): Promise<void> {
    // Everything up to `position` is in the doc: the snapshot may replace it.
    const position = this.position;
    const sealed = await sealEnvelope(this.opts.key, { kind: EnvelopeKind.snapshot, sender: newSender(this.opts.random ?? cryptoRandom), seq: 1, context: this.opts.context }, Y.encodeStateAsUpdate(this.doc), this.opts.random);
    if (sealed.ok) this.sendFrame({ type: 'snapshot', position, envelope: sealed.envelope });
  }
}
