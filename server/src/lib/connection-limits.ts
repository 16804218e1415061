/**
 * Counts live connections (Yjs WebSockets and control sockets together) per room and per
 * client IP, so one room or one address cannot take the whole server.
 */
export class ConnectionLimits {
  private readonly perRoom = new Map<string, number>();
  private readonly perIp = new Map<string, number>();

  constructor(private readonly limits: { maxConnectionsPerRoom: number; maxConnectionsPerIp: number }) {}

  /** Reserves a slot; returns a release function, or null if a limit is reached. */
  acquire(roomId: string, ip: string): (() => void) | null {
    const room = this.perRoom.get(roomId) ?? 0;
    const address = this.perIp.get(ip) ?? 0;
    if (room >= this.limits.maxConnectionsPerRoom || address >= this.limits.maxConnectionsPerIp) return null;
    this.perRoom.set(roomId, room + 1);
    this.perIp.set(ip, address + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      decrement(this.perRoom, roomId);
      decrement(this.perIp, ip);
    };
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
