import { randomBytes } from 'node:crypto';
import { ParleyError } from '@parley/shared/protocol/errors';
import { LocalRoomLock, type RoomLock } from '../lib/room-lock';
import type { Redis } from './connection';

const LEASE_MS = 10_000;
const WAIT_MS = 5_000;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A room's commands run on one node at a time: a Redis lease (SET NX PX with a random owner
 * token, released only by its owner) around an in-process queue, so local contenders do not
 * spin on Redis. The lease outlives any command by far; if Redis is down, commands fail with
 * `unavailable` rather than risk a double reveal.
 */
export class RedisRoomLock implements RoomLock {
  private readonly local = new LocalRoomLock();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley',
  ) {}

  run<T>(roomId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(roomId, async () => {
      const key = `${this.prefix}:lock:${roomId}`;
      const owner = randomBytes(12).toString('base64url');
      await this.acquire(key, owner);
      try {
        return await fn();
      } finally {
        await this.redis.eval(RELEASE, { keys: [key], arguments: [owner] }).catch(() => undefined);
      }
    });
  }

  private async acquire(key: string, owner: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      let ok: string | null;
      try {
        ok = await this.redis.set(key, owner, { condition: 'NX', expiration: { type: 'PX', value: LEASE_MS } });
      } catch {
        throw new ParleyError('unavailable', 'Parley cannot coordinate this room right now. Please try again in a moment.');
      }
      if (ok === 'OK') return;
      if (Date.now() > deadline) throw new ParleyError('unavailable', 'The room is busy. Please try again.');
      await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 50) + Math.random() * 5));
    }
  }
}
