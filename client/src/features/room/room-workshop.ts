import { useEffect, useSyncExternalStore } from 'react';
import type { RoomWorkshopView } from '@parley/shared/protocol/workshop';
import { api } from '../../lib/api';
import { loadCredentials, saveCredentials, forgetRoom, markPrimerSeen, primerSeen } from '../../lib/credentials';
import { useRoom } from '../../lib/room-context';
import type { RoomSession } from '../../lib/room-session';
import { navigate } from '../../lib/router';

/**
 * What a pair's room knows about its workshop: pacing (locked sections, timer, message) and
 * its own raised hand. Loaded over HTTP, kept live by the control channel's workshop events.
 * Null for ordinary rooms (and once the workshop ended).
 */
/** Why a room stopped being part of its workshop while open: the bar says so instead of vanishing. */
export type WorkshopLeft = 'ended' | 'removed' | null;

/** A message to this pair only: the view's stored one, or a newer one that arrived live. */
export type PairMessage = { message: string; at: number } | null;

interface Snapshot {
  view: RoomWorkshopView | null;
  left: WorkshopLeft;
  pairMessage: PairMessage;
}

class RoomWorkshopStore {
  private view: RoomWorkshopView | null = null;
  private snapshot: Snapshot = { view: null, left: null, pairMessage: null };
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private users = 0;

  constructor(
    private readonly session: RoomSession,
    private readonly roomId: string,
    private readonly token: string,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  dismissLeft(): void {
    this.publish({ ...this.snapshot, left: null });
  }

  /** Starts listening while at least one component uses it. */
  retain(): () => void {
    if (this.users++ === 0) this.start();
    return () => {
      if (--this.users === 0) this.stop();
    };
  }

  setHand(hand: boolean): void {
    if (this.view) this.set({ ...this.view, hand });
  }

  private start(): void {
    void this.refresh();
    const s = this.session;
    this.stops.push(
      s.on('connect', () => void this.refresh()),
      s.on('workshop:message', ({ message, at, toPair }) => {
        if (toPair) this.publish({ ...this.snapshot, pairMessage: { message, at } });
        else if (this.view) this.set({ ...this.view, message: { message, at } });
      }),
      s.on('workshop:timer', ({ endsAt }) => this.view && this.set({ ...this.view, timerEndsAt: endsAt })),
      s.on('workshop:unlocked', ({ sectionIds }) => this.view && this.set({ ...this.view, unlocked: sectionIds })),
      s.on('workshop:ended', () => this.leave('ended')),
      s.on('workshop:removed', () => this.leave('removed')),
      s.on('workshop:paired', ({ roomId }) => this.movedTo(roomId)),
      s.on('workshop:hand', ({ raised }) => this.setHand(raised)),
      s.on('workshop:pairing', () => void this.refresh()),
    );
  }

  private stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  async refresh(): Promise<void> {
    try {
      const { workshop } = await api.getRoomWorkshop(this.roomId, this.token);
      this.set(workshop);
    } catch {
      // keep what we have; the next reconnect tries again
    }
  }

  /** Both confirmed the pairing and we sit in the partner's room now: same token, another room. */
  private movedTo(roomId: string): void {
    const creds = loadCredentials(this.roomId);
    if (!creds) return;
    saveCredentials(roomId, { token: creds.token });
    // Same person, same worksheet: the "before you begin" primer they read does not come back.
    if (primerSeen(this.roomId)) markPrimerSeen(roomId);
    forgetRoom(this.roomId);
    this.session.destroy();
    navigate(`/r/${encodeURIComponent(roomId)}`);
  }

  private leave(why: 'ended' | 'removed'): void {
    this.view = null;
    this.publish({ view: null, left: why, pairMessage: null });
  }

  private set(view: RoomWorkshopView | null): void {
    this.view = view;
    // The stored message to this pair, unless a newer one already arrived live.
    const stored = view?.pairMessage ?? null;
    const live = this.snapshot.pairMessage;
    this.publish({ ...this.snapshot, view, pairMessage: live && (!stored || live.at >= stored.at) ? live : stored });
  }

  private publish(next: Snapshot): void {
    this.snapshot = next;
    this.listeners.forEach((l) => l());
  }
}

const stores = new WeakMap<RoomSession, RoomWorkshopStore>();

function storeFor(session: RoomSession, roomId: string, token: string): RoomWorkshopStore {
  let store = stores.get(session);
  if (!store) stores.set(session, (store = new RoomWorkshopStore(session, roomId, token)));
  return store;
}

export function useRoomWorkshop(): {
  workshop: RoomWorkshopView | null;
  left: WorkshopLeft;
  pairMessage: PairMessage;
  dismissLeft: () => void;
  setHand: (hand: boolean) => void;
  refresh: () => Promise<void>;
} {
  const { session, roomId, token } = useRoom();
  const store = storeFor(session, roomId, token);
  useEffect(() => store.retain(), [store]);
  const { view, left, pairMessage } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { workshop: view, left, pairMessage, dismissLeft: () => store.dismissLeft(), setHand: (hand) => store.setHand(hand), refresh: () => store.refresh() };
}

/** Whether the facilitator still keeps this section closed. */
export function isLocked(workshop: RoomWorkshopView | null, sectionId: string): boolean {
  return !!workshop && workshop.lockSections && !workshop.unlocked.includes(sectionId);
}
