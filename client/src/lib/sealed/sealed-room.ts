import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { RoomDocState } from '@parley/shared/protocol/room-doc';
import type { PairKeys } from '@parley/shared/sealed/pair';
import type { Template } from '@parley/shared/template/schema';
import type { PrivateState } from '../room-doc';
import type { SnapshotStore } from '../snapshot-store';
import { SealWriter } from './own-side';
import { SealedRevealedStore, type SealedRoomState } from './revealed-store';
import { SealedUploads, type SealedCommands } from './sealed-uploads';

export interface SealedRoomOptions {
  roomStore: SnapshotStore<RoomDocState>;
  privateStore: SnapshotStore<PrivateState>;
  pair: PairKeys;
  roomId: string;
  seat: Seat;
  template: Template;
  revealMode: RevealMode;
  commands: SealedCommands;
  debounceMs?: number;
  now?: () => number;
}

/**
 * The reveal half of a sealed room in this browser: the room doc with its envelopes opened
 * (`store`, what `useRoomState` gives every screen) and the uploads that keep this person's
 * escrows current. The uploads run while anything shows the room (the store has a subscriber),
 * so nobody has to remember to start or stop them.
 */
export class SealedRoom {
  readonly revealed: SealedRevealedStore;
  readonly uploads: SealedUploads;
  readonly pair: PairKeys;
  private subscribers = 0;

  constructor(opts: SealedRoomOptions) {
    this.pair = opts.pair;
    this.revealed = new SealedRevealedStore({ base: opts.roomStore, privateStore: opts.privateStore, pair: opts.pair, roomId: opts.roomId, seat: opts.seat, template: opts.template, revealMode: opts.revealMode, ...(opts.now ? { now: opts.now } : {}) });
    this.uploads = new SealedUploads({
      room: opts.roomStore,
      privateStore: opts.privateStore,
      commands: opts.commands,
      pair: opts.pair,
      roomId: opts.roomId,
      seat: opts.seat,
      template: opts.template,
      revealMode: opts.revealMode,
      writer: new SealWriter(),
      ...(opts.debounceMs !== undefined ? { debounceMs: opts.debounceMs } : {}),
    });
  }

  readonly store: SnapshotStore<SealedRoomState> = {
    subscribe: (listener) => {
      if (this.subscribers++ === 0) this.uploads.start();
      const stop = this.revealed.subscribe(listener);
      return () => {
        stop();
        if (--this.subscribers === 0) this.uploads.stop();
      };
    },
    getSnapshot: () => this.revealed.getSnapshot(),
  };

  destroy(): void {
    this.uploads.stop();
    this.revealed.destroy();
  }
}

/** What `sealedRoomOf` reads of the room context (`RoomContextValue`). */
export interface SealedRoomContext {
  roomId: string;
  seat: Seat;
  template: Template;
  view: { revealMode: RevealMode };
  roomStore: SnapshotStore<RoomDocState>;
  privateStore: SnapshotStore<PrivateState>;
  sealed: { pair: PairKeys | null } | null;
}

// One per pair keys and room store: a partner joining (new keys) or a new session (new stores)
// starts a new one; a finished room's is collected with its keys.
const rooms = new WeakMap<PairKeys, WeakMap<SnapshotStore<RoomDocState>, SealedRoom>>();

/** The room's `SealedRoom`, made once per pair keys; null in a standard room, or before the partner joined. */
export function sealedRoomOf(ctx: SealedRoomContext, commands: () => SealedCommands): SealedRoom | null {
  const pair = ctx.sealed?.pair;
  if (!pair) return null;
  let byStore = rooms.get(pair);
  if (!byStore) {
    byStore = new WeakMap();
    rooms.set(pair, byStore);
  }
  let room = byStore.get(ctx.roomStore);
  if (!room) {
    room = new SealedRoom({ roomStore: ctx.roomStore, privateStore: ctx.privateStore, pair, roomId: ctx.roomId, seat: ctx.seat, template: ctx.template, revealMode: ctx.view.revealMode, commands: commands() });
    byStore.set(ctx.roomStore, room);
  }
  return room;
}
