/**
 * How many room-doc-writing commands one participant may send: a token bucket per participant,
 * on this node (`burst` at once, refilled at `perSecond`). Every such command appends to the
 * room doc's history, which both partners download on every open and which the document size
 * cap (a check on client updates) does not bound: without this, a partner toggling "ready" in
 * a loop grew the doc by ~100 KB a second (security/hostile-review). No person at a screen
 * comes near it; scene signals are not counted, so a red is never refused for it.
 */
export class CommandBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly opts: { burst: number; perSecond: number; now: () => number }) {}

  /** Takes one command from `key`'s budget; false when it is spent. */
  take(key: string): boolean {
    const { burst, perSecond, now } = this.opts;
    const at = now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(burst, bucket.tokens + ((at - bucket.at) / 1000) * perSecond) : burst;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at });
      return false;
    }
    this.buckets.set(key, { tokens: tokens - 1, at });
    if (this.buckets.size > MAX_KEYS) this.forgetFull(at);
    return true;
  }

  /** Drops the buckets that have refilled: they are the same as no bucket. */
  private forgetFull(at: number): void {
    const { burst, perSecond } = this.opts;
    for (const [key, b] of this.buckets) if (b.tokens + ((at - b.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
  }
}

const MAX_KEYS = 10_000;
