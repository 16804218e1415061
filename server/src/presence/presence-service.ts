import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import type { RoomBroadcaster } from '../lib/broadcaster';
import type { ParticipantRecord, RoomStore } from '../store/room-store';
import type { PresenceStore } from './presence-store';

/** Presence says which section someone is in and whether they are online — never what they typed. */
export class PresenceService {
  constructor(
    private readonly store: PresenceStore,
    private readonly rooms: RoomStore,
    private readonly events: RoomBroadcaster,
    private readonly now: () => number,
  ) {}

  async connected(p: ParticipantRecord, connectionId: string): Promise<void> {
    await this.store.connect(p.roomId, p.id, connectionId, this.now());
    await this.publish(p.roomId);
  }

  async disconnected(p: ParticipantRecord, connectionId: string): Promise<void> {
    await this.store.disconnect(p.roomId, p.id, connectionId, this.now());
    await this.publish(p.roomId);
  }

  async focus(p: ParticipantRecord, focus: string | null): Promise<void> {
    await this.store.setFocus(p.roomId, p.id, focus, this.now());
    await this.publish(p.roomId);
  }

  async snapshot(roomId: string): Promise<PresenceParticipant[]> {
    const [participants, presence] = await Promise.all([this.rooms.listParticipants(roomId), this.store.list(roomId)]);
    return participants.map((p) => {
      const seen = presence.get(p.id);
      return {
        id: p.id,
        seat: p.seat,
        displayName: p.displayName,
        online: seen?.online ?? false,
        focus: seen?.focus ?? null,
        lastSeen: seen?.lastSeen ?? null,
      };
    });
  }

  async publish(roomId: string): Promise<void> {
    this.events.emit(roomId, 'presence', { participants: await this.snapshot(roomId) });
  }
}
