import type { Seat } from '@parley/shared/protocol/ids';
import { readSceneLog, type CheckinLevel, type SignalEvent, type SignalLevel } from '@parley/shared/protocol/scene';
import type { RoomSession } from '../../../lib/room-session';

/** How long a signal may wait for the partner before the sender is told to use the backup. */
export const UNSEEN_AFTER_MS = 10_000;

export type OutgoingState = 'sending' | 'sent' | 'seen' | 'unseen';
export type Outgoing = {
  id: string;
  sentAt: number;
  state: OutgoingState;
} & ({ checkin: false; level: SignalLevel } | { checkin: true; level: CheckinLevel });

export interface SceneChannelState {
  /** signals from the partner this device has not acknowledged yet, oldest first */
  incoming: SignalEvent[];
  /** the latest signal I sent, and what became of it */
  latest: Outgoing | null;
  /** when this device lost the control channel; null while connected */
  offlineSince: number | null;
}

/** A signal id of this device's own: a resend after a lost ack is then the same signal. */
function newSignalId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The live half of scene mode for one participant: incoming signals (deduplicated by id, so a
 * resend is never shown twice), the acknowledgement of what I sent, and its 10 s "not seen"
 * (told by the server, and by a local timer for when the server cannot be reached). Signals I
 * sent that nobody acknowledged are sent again, with their ids, after every reconnect.
 * `destroy()` stops every listener and timer.
 */
export class SceneChannel {
  private state: SceneChannelState = { incoming: [], latest: null, offlineSince: null };
  private readonly listeners = new Set<() => void>();
  /** ids already shown (and acknowledged) on this device: a resend is not shown again */
  private readonly handled = new Set<string>();
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly session: RoomSession,
    private readonly seat: Seat,
    private readonly now: () => number = () => Date.now(),
  ) {
    // The room doc holds every signal not yet acknowledged, so one sent before this screen
    // listened (or while it was away) shows too; the events are the fast path.
    const fromDoc = () => this.unackedInDoc();
    session.roomDoc.on('update', fromDoc);
    this.stops.push(() => session.roomDoc.off('update', fromDoc));
    fromDoc();
    this.stops.push(
      session.on('signal', (signal) => this.receive(signal)),
      session.on('signal:acked', ({ id }) => this.mark(id, 'seen')),
      session.on('signal:unseen', ({ id }) => this.mark(id, 'unseen')),
      session.on('connect', () => this.reconnected()),
      session.on('disconnect', () => this.set({ offlineSince: this.state.offlineSince ?? this.now() })),
    );
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SceneChannelState => this.state;

  /** Sends a signal; kept (and sent again after a reconnect) until the partner saw it. */
  send(level: SignalLevel): void {
    this.start({ id: newSignalId(), checkin: false, level, sentAt: this.now(), state: 'sending' });
  }

  /** The one-tap answer to "how are you?", delivered like a signal. */
  checkin(level: CheckinLevel): void {
    this.start({ id: newSignalId(), checkin: true, level, sentAt: this.now(), state: 'sending' });
  }

  private start(signal: Outgoing): void {
    this.outgoing.set(signal.id, signal);
    this.set({ latest: signal });
    this.timers.set(
      signal.id,
      setTimeout(() => this.mark(signal.id, 'unseen'), UNSEEN_AFTER_MS),
    );
    void this.transmit(signal);
  }

  /** I saw the partner's signal: it leaves my screen, and they are told. */
  acknowledge(id: string): void {
    this.handled.add(id);
    this.set({ incoming: this.state.incoming.filter((s) => s.id !== id) });
    void this.session.command('signal:ack', { id });
  }

  destroy(): void {
    for (const stop of this.stops) stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }

  private async transmit(signal: Outgoing): Promise<void> {
    const ack = signal.checkin
      ? await this.session.command('checkin:answer', { level: signal.level, id: signal.id })
      : await this.session.command('signal:send', { level: signal.level, id: signal.id });
    const current = this.outgoing.get(signal.id);
    if (ack.ok && current?.state === 'sending') this.update({ ...current, state: 'sent' });
  }

  private unackedInDoc(): void {
    for (const e of readSceneLog(this.session.roomDoc)) {
      if (e.from === this.seat || e.kind === 'after') continue;
      if (e.ackedAt !== null) this.handled.add(e.id);
      else this.receive({ id: e.id, level: e.level, from: e.from, at: e.at, ...(e.kind === 'checkin' ? { checkin: true } : {}) });
    }
    const acked = this.state.incoming.filter((s) => !this.handled.has(s.id));
    if (acked.length !== this.state.incoming.length) this.set({ incoming: acked });
  }

  private receive(signal: SignalEvent): void {
    if (this.handled.has(signal.id) || this.state.incoming.some((s) => s.id === signal.id)) return;
    this.set({ incoming: [...this.state.incoming, signal] });
  }

  private mark(id: string, state: 'seen' | 'unseen'): void {
    const current = this.outgoing.get(id);
    if (!current || current.state === 'seen') return;
    if (state === 'seen') {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
    }
    this.update({ ...current, state });
  }

  private update(signal: Outgoing): void {
    this.outgoing.set(signal.id, signal);
    if (this.state.latest?.id === signal.id) this.set({ latest: signal });
  }

  /** Back online: send again what the partner has not acknowledged (the server keeps one copy per id). */
  private reconnected(): void {
    this.set({ offlineSince: null });
    for (const signal of this.outgoing.values()) if (signal.state !== 'seen') void this.transmit(signal);
  }

  private set(patch: Partial<SceneChannelState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }
}
