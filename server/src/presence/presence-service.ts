import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import type { RoomBroadcaster } from '../lib/broadcaster';
import { Signal } from '../lib/signal';
import type { ParticipantRecord, RoomStore } from '../store/room-store';
import type { PresenceStore } from './presence-store';

/** What counts as a change: who is online and where; not an online participant's heartbeat time. */
function comparable(participants: PresenceParticipant[]): string {
  return JSON.stringify(participants.map((p) => [p.id, p.online, p.focus, p.displayName]));
}

/** Presence says which section someone is in and whether they are online — never what they typed. */
/** Shared presence stores: heartbeat and re-check this often (TTL 10 s → offline within ~12 s). */
const REFRESH_MS = 2_000;

export class PresenceService {
  private timer: NodeJS.Timeout | null = null;
  /** what this node last sent its local clients, per room */
  private readonly lastSent = new Map<string, string>();
  /** a room's presence may have changed (workshop dashboards listen) */
  readonly changed = new Signal<[roomId: string]>();

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
    const participants = await this.snapshot(roomId);
    this.lastSent.set(roomId, comparable(participants));
    this.events.emit(roomId, 'presence', { participants });
    this.changed.emit(roomId);
  }


  /**
   * With a shared store: keep this node's connections alive, and tell local clients about
   * changes nobody announced — a partner whose node died goes offline when its entries expire.
   */
  start(): void {
    if (!this.store.heartbeat || this.timer) return;
    this.timer = setInterval(() => void this.tick(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    try {
      await this.store.heartbeat?.();
      const local = new Set(this.events.localRooms());
      for (const roomId of this.lastSent.keys()) if (!local.has(roomId)) this.lastSent.delete(roomId);
      for (const roomId of local) {
        const participants = await this.snapshot(roomId);
        const now = comparable(participants);
        if (this.lastSent.get(roomId) === now) continue;
        this.lastSent.set(roomId, now);
        this.events.emitLocal(roomId, 'presence', { participants });
        this.changed.emit(roomId);
      }
    } catch {
      // Redis is down: presence is degraded until it returns; the connection logs the outage once.
    }
  }
}
