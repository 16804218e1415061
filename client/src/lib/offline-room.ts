import type { RoomView } from '@parley/shared/protocol/http';
import type { Template } from '@parley/shared/template/schema';

/**
 * The last room view and template this browser loaded, per room, so a reload while offline
 * still opens the room: the private doc comes from IndexedDB, these say what to draw around
 * it. Neither holds an answer or a note (the view is titles, names and section states; the
 * template is the questions), and forgetRoom removes them with the credentials.
 */
export interface OfflineRoom {
  view: RoomView;
  template: Template;
}

export const offlineKey = (roomId: string) => `parley:offline:${roomId}`;

export function saveOfflineRoom(roomId: string, room: OfflineRoom): void {
  try {
    localStorage.setItem(offlineKey(roomId), JSON.stringify(room));
  } catch {
    // storage full or disabled: the room just will not open offline
  }
}

export function loadOfflineRoom(roomId: string): OfflineRoom | null {
  try {
    const raw = localStorage.getItem(offlineKey(roomId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<OfflineRoom>;
    return parsed.view?.roomId === roomId && parsed.template ? (parsed as OfflineRoom) : null;
  } catch {
    return null;
  }
}
