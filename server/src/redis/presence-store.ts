import type { ParticipantPresence, PresenceStore } from '../presence/presence-store';
import type { Redis } from './connection';

/** A connection entry lives this long without a heartbeat (a killed node's users go offline). */
export const PRESENCE_TTL_MS = 10_000;
/** Participant details (focus, last seen) outlive connections; they go with the room anyway. */
const DETAILS_TTL_S = 30 * 24 * 3600;


/**
 * Presence in Redis, shared by every node. Each connection is a member
 * `<participantId> <connectionId>` of a sorted set scored by its expiry time; the node
 * holding the connection refreshes the score by heartbeat, so entries of a node that died
 * expire within PRESENCE_TTL_MS. Focus and last-seen live in a hash per room.
 */
export class RedisPresenceStore implements PresenceStore {
  /** connections held by this node: heartbeats refresh them */
  private readonly local = new Map<string, { roomId: string; member: string }>();

  constructor(
    private readonly redis: Redis,
    private readonly now: () => number,
    private readonly prefix = 'parley',
  ) {}

  private connsKey(roomId: string): string {
    return `${this.prefix}:presence:${roomId}:conns`;
  }
  private detailsKey(roomId: string): string {
    return `${this.prefix}:presence:${roomId}:details`;
  }

  async connect(roomId: string, participantId: string, connectionId: string, at: number): Promise<void> {
    const member = `${participantId} ${connectionId}`;
    this.local.set(connectionId, { roomId, member });
    await this.redis
      .multi()
      .zAdd(this.connsKey(roomId), { score: at + PRESENCE_TTL_MS, value: member })
      .pExpire(this.connsKey(roomId), PRESENCE_TTL_MS * 3)
      .hSet(this.detailsKey(roomId), `${participantId}:lastSeen`, String(at))
      .expire(this.detailsKey(roomId), DETAILS_TTL_S)
      .exec();
  }

  async disconnect(roomId: string, participantId: string, connectionId: string, at: number): Promise<void> {
    this.local.delete(connectionId);
    await this.redis
      .multi()
      .zRem(this.connsKey(roomId), `${participantId} ${connectionId}`)
      .hSet(this.detailsKey(roomId), `${participantId}:lastSeen`, String(at))
      .exec();
  }

  async setFocus(roomId: string, participantId: string, focus: string | null, at: number): Promise<void> {
    await this.redis.hSet(this.detailsKey(roomId), { [`${participantId}:focus`]: focus ?? '', [`${participantId}:lastSeen`]: String(at) });
  }

  async list(roomId: string): Promise<Map<string, ParticipantPresence>> {
    const now = this.now();
    const [members, details] = await Promise.all([
      this.redis.zRangeByScoreWithScores(this.connsKey(roomId), now, '+inf'),
      this.redis.hGetAll(this.detailsKey(roomId)),
    ]);
    const result = new Map<string, ParticipantPresence>();
    const entry = (id: string) => {
      let e = result.get(id);
      if (!e) result.set(id, (e = { online: false, focus: null, lastSeen: null, changedAt: null }));
      return e;
    };
    for (const [field, value] of Object.entries(details)) {
      const [id, kind] = field.split(':');
      if (!id) continue;
      if (kind === 'lastSeen') {
        const e = entry(id);
        e.lastSeen = e.changedAt = Number(value);
      }
      if (kind === 'focus') entry(id).focus = value === '' ? null : value;
    }
    for (const { value, score } of members) {
      const id = value.split(' ')[0];
      if (!id) continue;
      const e = entry(id);
      e.online = true;
      // A live connection was seen at its last heartbeat at the latest.
      e.lastSeen = Math.max(e.lastSeen ?? 0, score - PRESENCE_TTL_MS);
    }
    for (const e of result.values()) if (!e.online) e.focus = null;
    return result;
  }

  /** Refreshes this node's connections (call every few seconds); re-registers them after an outage. */
  async heartbeat(): Promise<void> {
    if (this.local.size === 0) return;
    const at = this.now();
    const multi = this.redis.multi();
    const rooms = new Set<string>();
    for (const { roomId, member } of this.local.values()) {
      multi.zAdd(this.connsKey(roomId), { score: at + PRESENCE_TTL_MS, value: member });
      rooms.add(roomId);
    }
    for (const roomId of rooms) {
      multi.pExpire(this.connsKey(roomId), PRESENCE_TTL_MS * 3);
      multi.zRemRangeByScore(this.connsKey(roomId), '-inf', at);
    }
    await multi.exec();
  }

  /** Rooms this node has connections in. */
  localRooms(): Set<string> {
    return new Set([...this.local.values()].map((l) => l.roomId));
  }

  async clearRoom(roomId: string): Promise<void> {
    for (const [id, l] of this.local) if (l.roomId === roomId) this.local.delete(id);
    await this.redis.del([this.connsKey(roomId), this.detailsKey(roomId)]);
  }

  async close(): Promise<void> {
    this.local.clear();
  }
}
