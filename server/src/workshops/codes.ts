import { randomInt } from 'node:crypto';
import { CODE_ALPHABET } from '@parley/shared/protocol/workshop';

/** A random code from the look-alike-free alphabet (CSPRNG). */
export function randomCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * Counts wrong guesses (join codes, pair codes) per key — a client IP, or a workshop for its
 * pair codes — in fixed windows. Only failures count, so a room full of people joining with the
 * right code is never slowed down.
 */
export interface GuessThrottle {
  blocked(key: string): Promise<boolean>;
  fail(key: string): Promise<void>;
}

/** Makes the throttle of one kind of guess (`name`), shared by every node where it can be. */
export type GuessThrottleFactory = (name: string, limit: number, windowMs: number) => GuessThrottle;

interface Window {
  startedAt: number;
  failures: number;
}

/** In memory, on one node. Pruned lazily: no timers to own. */
export class MemoryGuessThrottle implements GuessThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  async blocked(key: string): Promise<boolean> {
    const w = this.windows.get(key);
    if (!w) return false;
    if (this.now() - w.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return false;
    }
    return w.failures >= this.limit;
  }

  async fail(key: string): Promise<void> {
    const at = this.now();
    const w = this.windows.get(key);
    if (!w || at - w.startedAt >= this.windowMs) this.windows.set(key, { startedAt: at, failures: 1 });
    else w.failures++;
    if (this.windows.size > 10_000) this.prune(at);
  }

  private prune(at: number): void {
    for (const [key, w] of this.windows) if (at - w.startedAt >= this.windowMs) this.windows.delete(key);
  }
}
