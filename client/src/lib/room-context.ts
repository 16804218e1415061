import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type React from 'react';
import type { RoomView } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { RoomDocState, SectionStatus } from '@parley/shared/protocol/room-doc';
import type { Question, Section, Template } from '@parley/shared/template/schema';
import type { SeatKeys } from '@parley/shared/sealed/keys';
import type { PairKeys } from '@parley/shared/sealed/pair';
import type { RoomSession, SessionState } from './room-session';
import { docSnapshot } from './snapshot-store';
import type { SnapshotStore } from './snapshot-store';
import { readRoomDoc } from '@parley/shared/protocol/room-doc';
import { readPrivateDoc } from './room-doc';
import { sealedRoomOf, type SealedRoom } from './sealed/sealed-room';
import type { PrivateState } from './room-doc';

/**
 * What every feature inside a room needs, provided once by the room feature. Lives in lib so
 * the reveal and agreement features can read it without importing the room feature.
 */
export interface RoomContextValue {
  roomId: string;
  token: string;
  view: RoomView;
  template: Template;
  session: RoomSession;
  seat: Seat;
  partnerSeat: Seat;
  /** seat → display name; the partner's falls back to a neutral word until they join */
  names: Record<Seat, string>;
  partnerJoined: boolean;
  roomStore: SnapshotStore<RoomDocState>;
  privateStore: SnapshotStore<PrivateState>;
  /** A sealed room's keys (docs/sealed-rooms.md §2), derived in this browser; null in a standard room. */
  sealed: SealedRoomKeys | null;
}

/**
 * What a sealed room's features need: this seat's keys (from its seat secret) and the pair's
 * (X25519 with the partner's checked public key; null until the partner has joined).
 */
export interface SealedRoomKeys {
  seat: SeatKeys;
  pair: PairKeys | null;
}

export const RoomContext = createContext<RoomContextValue | null>(null);

export function useRoom(): RoomContextValue {
  const ctx = useContext(RoomContext);
  if (!ctx) throw new Error('useRoom outside a room');
  return ctx;
}

/**
 * The room doc as every screen reads it. In a sealed room, with the released envelopes opened
 * into the standard `revealed` shape (`lib/sealed/revealed-store.ts`), so no screen needs to know.
 */
export function useRoomState(): RoomDocState {
  const sealedRoom = useSealedRoom();
  const { roomStore } = useRoom();
  const store = sealedRoom?.store ?? roomStore;
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** A sealed room's reveal half (opened reveal, escrow uploads); null in a standard room and until the partner joined. */
export function useSealedRoom(): SealedRoom | null {
  const ctx = useRoom();
  return sealedRoomOf(ctx, () => ({
    ready: (p) =>
      ctx.session.command('section:ready', 'escrow' in p ? { ...p, escrow: bytes(p.escrow) } : { ...p, discreet: { tags: bytes(p.discreet.tags), pieces: bytes(p.discreet.pieces), always: bytes(p.discreet.always) } }),
    escrow: (p) => ctx.session.command('section:escrow', { ...p, escrow: bytes(p.escrow) }),
    tags: (p) => ctx.session.command('section:tags', { ...p, tags: bytes(p.tags) }),
  }));
}

/** A copy on a plain ArrayBuffer, the type the socket's schema takes (WebCrypto's may be a view of a shared one). */
function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(view);
}

export function usePrivateState(): PrivateState {
  const { privateStore } = useRoom();
  return useSyncExternalStore(privateStore.subscribe, privateStore.getSnapshot);
}

export function useSessionState(session: RoomSession): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState);
}

export function createStores(session: RoomSession) {
  return {
    roomStore: docSnapshot(session.roomDoc, readRoomDoc),
    privateStore: docSnapshot(session.privateDoc, readPrivateDoc),
  };
}

const CLOSED: SectionStatus = { state: 'open', round: 1, ready: { a: false, b: false }, revealedAt: null };

/** A section's live status: the room doc once synced, the HTTP view before that. */
export function useSectionStatus(section: Section): SectionStatus {
  const { view } = useRoom();
  const room = useRoomState();
  return useMemo(() => {
    const live = room.sections[section.id];
    if (live) return live;
    const summary = view.sections.find((s) => s.id === section.id);
    return summary ? { ...CLOSED, state: summary.state, round: summary.round, ready: summary.ready } : CLOSED;
  }, [room, view, section.id]);
}

export interface RevealedOptions {
  justRevealed: boolean;
  /** the room feature's editor of the person's own answer to one item (writes their private doc) */
  editItem: (question: Question) => React.ReactNode;
}

/** How the app fills the parts of a room that belong to other features. */
export interface SectionRenderers {
  revealed: (section: Section, opts: RevealedOptions) => React.ReactNode;
  agreement: (section: Section) => React.ReactNode;
  /** earlier rounds of a section that is open again */
  history: (section: Section) => React.ReactNode;
}
