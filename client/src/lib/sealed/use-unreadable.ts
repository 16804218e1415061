import { useSyncExternalStore } from 'react';
import { useSealedRoom } from '../room-context';

const never = () => () => {};

/** How many of a sealed section's envelopes could not be read (0 in a standard room). */
export function useUnreadable(sectionId: string): number {
  const sealedRoom = useSealedRoom();
  return useSyncExternalStore(sealedRoom?.store.subscribe ?? never, () => sealedRoom?.store.getSnapshot().unreadable[sectionId] ?? 0);
}
