import { randomInt } from 'node:crypto';
import { CODE_ALPHABET } from '@parley/shared/protocol/workshop';

/** A random code from the look-alike-free alphabet (CSPRNG). */
export function randomCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Counts wrong guesses (join codes, pair codes) per key — a client IP, or a workshop for its
 * pair codes — in fixed windows, in memory on each node. Only failures count, so a room full of
 * people joining with the right code is never slowed down. Pruned lazily: no timers to own.
 */
export class GuessThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  blocked(key: string): boolean {
    const w = this.windows.get(key);
    if (!w) return false;
    if (this.now() - w.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return false;
    }
    return w.failures >= this.limit;
  }

  fail(key: string): void {
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
