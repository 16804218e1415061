import type { Verdict } from '../protocol/verdict';

/**
 * Remembers, per sender, the highest sequence number that authenticated, and refuses anything
 * not above it: a replayed or reordered envelope. Memory is bounded: beyond `maxSenders` a new
 * sender is refused rather than an old one forgotten, since forgetting would let its envelopes
 * be replayed. A reader starts a new guard when it starts over from a snapshot.
 */
export const DEFAULT_MAX_SENDERS = 4096;

export type ReplayProblem = 'replayed' | 'too many senders';

export class SeqGuard {
  private readonly highest = new Map<string, number>();

  constructor(private readonly maxSenders = DEFAULT_MAX_SENDERS) {}

  /** Would an envelope from `sender` with `seq` be new? Records nothing. */
  check(sender: string, seq: number): Verdict<object, ReplayProblem> {
    const highest = this.highest.get(sender);
    if (highest === undefined) return this.highest.size >= this.maxSenders ? { ok: false, reason: 'too many senders' } : { ok: true };
    return seq > highest ? { ok: true } : { ok: false, reason: 'replayed' };
  }

  /** Check again and record: called once an envelope authenticated, so forgeries record nothing. */
  record(sender: string, seq: number): Verdict<object, ReplayProblem> {
    const verdict = this.check(sender, seq);
    if (verdict.ok) this.highest.set(sender, seq);
    return verdict;
  }

  get senders(): number {
    return this.highest.size;
  }
}
