/**
 * Who is connected to the control channel of a room, per connection, so that a participant
 * with two devices stays online until both are gone. In memory for one node; the Redis
 * implementation (per-connection keys with a TTL) serves several nodes.
 */
export interface ParticipantPresence {
  online: boolean;
  focus: string | null;
  /** ms since epoch: last connect, disconnect or focus change (shared stores: or heartbeat of a live connection) */
  lastSeen: number | null;
  /** ms since epoch: last connect, disconnect or focus change, never a heartbeat (the dashboard's "idle") */
  changedAt: number | null;
}

export interface PresenceStore {
  connect(roomId: string, participantId: string, connectionId: string, at: number): Promise<void>;
  disconnect(roomId: string, participantId: string, connectionId: string, at: number): Promise<void>;
  setFocus(roomId: string, participantId: string, focus: string | null, at: number): Promise<void>;
  /** participantId → presence, for participants ever seen in the room */
  list(roomId: string): Promise<Map<string, ParticipantPresence>>;
  clearRoom(roomId: string): Promise<void>;
  close(): Promise<void>;
  /** Shared stores: refresh this node's connections so they do not expire. */
  heartbeat?(): Promise<void>;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly rooms = new Map<string, Map<string, { connections: Set<string>; focus: string | null; lastSeen: number | null }>>();

  private entry(roomId: string, participantId: string) {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    let entry = room.get(participantId);
    if (!entry) room.set(participantId, (entry = { connections: new Set(), focus: null, lastSeen: null }));
    return entry;
  }

  async connect(roomId: string, participantId: string, connectionId: string, at: number): Promise<void> {
    const entry = this.entry(roomId, participantId);
    entry.connections.add(connectionId);
    entry.lastSeen = at;
  }

  async disconnect(roomId: string, participantId: string, connectionId: string, at: number): Promise<void> {
    const entry = this.entry(roomId, participantId);
    entry.connections.delete(connectionId);
    entry.lastSeen = at;
    if (entry.connections.size === 0) entry.focus = null;
  }

  async setFocus(roomId: string, participantId: string, focus: string | null, at: number): Promise<void> {
    const entry = this.entry(roomId, participantId);
    entry.focus = focus;
    entry.lastSeen = at;
  }

  async list(roomId: string): Promise<Map<string, ParticipantPresence>> {
    const result = new Map<string, ParticipantPresence>();
    for (const [id, e] of this.rooms.get(roomId) ?? []) {
      result.set(id, { online: e.connections.size > 0, focus: e.focus, lastSeen: e.lastSeen, changedAt: e.lastSeen });
    }
    return result;
  }

  async clearRoom(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
