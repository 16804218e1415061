/** What one device of a partner opens: the control socket and the shared, private and room docs. */
const ONE_DEVICE = 4;

/**
 * Counts live connections (Yjs WebSockets and control sockets together) per room and per
 * client IP, so one room or one address cannot take the whole server; and per participant, so
 * one partner cannot take all of a room's slots and lock the other out of the room (and of its
 * red signal): each may hold the room's limit less what one device of the other needs (at most
 * half of it, for small limits).
 */
export class ConnectionLimits {
  private readonly perRoom = new Map<string, number>();
  private readonly perIp = new Map<string, number>();
  private readonly perParticipant = new Map<string, number>();
  private readonly participantShare: number;

  constructor(private readonly limits: { maxConnectionsPerRoom: number; maxConnectionsPerIp: number }) {
    const max = limits.maxConnectionsPerRoom;
    this.participantShare = Math.max(1, max - Math.min(ONE_DEVICE, Math.floor(max / 2)));
  }

  /** Reserves a slot; returns a release function, or null if a limit is reached. */
  acquire(roomId: string, participantId: string, ip: string): (() => void) | null {
    const room = this.perRoom.get(roomId) ?? 0;
    const own = this.perParticipant.get(participantId) ?? 0;
    const address = this.perIp.get(ip) ?? 0;
    if (room >= this.limits.maxConnectionsPerRoom || own >= this.participantShare || address >= this.limits.maxConnectionsPerIp) return null;
    this.perRoom.set(roomId, room + 1);
    this.perParticipant.set(participantId, own + 1);
    this.perIp.set(ip, address + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      decrement(this.perRoom, roomId);
      decrement(this.perParticipant, participantId);
      decrement(this.perIp, ip);
    };
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
