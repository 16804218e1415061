import { createHash } from 'node:crypto';
import type { Redis } from './connection';
import type { GuessThrottle, MemoryGuessThrottle } from '../workshops/codes';

/**
 * Wrong guesses counted in Redis, so that every node of a deployment shares one budget per
 * key (with counters per node, N nodes behind a round-robin proxy would allow N times the
 * guesses). A counter expires with its window; keys are hashed, so no client IP is stored
 * in plain text.
 * While Redis is unreachable the node falls back to its own counters: degraded, still limited.
 */
export class RedisGuessThrottle implements GuessThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly fallback: MemoryGuessThrottle,
  ) {}

  async blocked(key: string): Promise<boolean> {
    try {
      const failures = Number((await this.redis.get(this.keyOf(key))) ?? 0);
      return failures >= this.limit;
    } catch {
      return this.fallback.blocked(key);
    }
  }

  async fail(key: string): Promise<void> {
    const redisKey = this.keyOf(key);
    try {
      // The window starts with its first failure: later failures do not extend it.
      await this.redis.multi().incr(redisKey).pExpire(redisKey, this.windowMs, 'NX').exec();
    } catch {
      await this.fallback.fail(key);
    }
  }

  private keyOf(key: string): string {
    return `${this.prefix}:guess:${this.name}:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
  }
}
