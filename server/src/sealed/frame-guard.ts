import { CloseCode } from '@parley/shared/protocol/close-codes';
import { EnvelopeKind, MAX_ENVELOPE_BYTES } from '@parley/shared/sealed/envelope';
import { parseClientFrame, type ClientFrame, type FrameLimits } from '@parley/shared/sealed/frames';
import { TokenBucket, type Rate } from './token-bucket';

/**
 * The gate in front of one sealed-doc connection (docs/sealed-rooms.md §4, §7): every frame a
 * client sends passes here before anything else sees it. It checks the frame cap, the frame's
 * and envelope's shape (the server holds no key, so shape is all it can check), the order (a
 * `hello` first, once) and the rates, and answers with the frame or the close code:
 * `1009` over the frame cap, `4400` anything malformed, `4503` over a rate (what `rate_limited`
 * closes with on `/yjs`, so clients back off and retry).
 *
 * Not wired to any route yet: the sealed endpoint is phase 3 of the build plan.
 * The server does not check sequence numbers: sender ids are visible in the headers, so a
 * hostile partner could claim the other's and block their writes; replays are the readers' check.
 */
export interface SealedChannelLimits {
  /** MAX_MESSAGE_BYTES */
  maxFrameBytes: number;
  /** at most MAX_ENVELOPE_BYTES */
  maxEnvelopeBytes: number;
  /** appends and snapshots */
  writes: Rate;
  awareness: Rate;
  /** `unreadable` reports */
  reports: Rate;
}

export const DEFAULT_SEALED_LIMITS: SealedChannelLimits = {
  maxFrameBytes: 1024 * 1024,
  maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
  writes: { perSecond: 50, burst: 200 },
  awareness: { perSecond: 30, burst: 60 },
  reports: { perSecond: 1, burst: 10 },
};

export type FrameDecision = { ok: true; frame: ClientFrame } | { ok: false; close: CloseCode; reason: string };

export type SealedDocKind = 'private' | 'shared';

export class SealedFrameGuard {
  private readonly frameLimits: FrameLimits;
  private readonly buckets: Record<'writes' | 'awareness' | 'reports', TokenBucket>;
  private greeted = false;

  constructor(
    doc: SealedDocKind,
    private readonly limits: SealedChannelLimits = DEFAULT_SEALED_LIMITS,
    now: () => number = Date.now,
  ) {
    // A keyring envelope is what a seat keeps for its own other devices: only in its private doc.
    const appendKinds = doc === 'private' ? [EnvelopeKind.update, EnvelopeKind.keyring] : [EnvelopeKind.update];
    this.frameLimits = { maxEnvelopeBytes: Math.min(limits.maxEnvelopeBytes, MAX_ENVELOPE_BYTES), appendKinds };
    this.buckets = {
      writes: new TokenBucket(limits.writes, now),
      awareness: new TokenBucket(limits.awareness, now),
      reports: new TokenBucket(limits.reports, now),
    };
  }

  admit(data: unknown): FrameDecision {
    if (typeof data === 'string') return refuse(CloseCode.badFrame, 'text frame');
    if (data instanceof Uint8Array && data.length > this.limits.maxFrameBytes) return refuse(CloseCode.tooBig, 'frame too large');
    const parsed = parseClientFrame(data, this.frameLimits);
    if (!parsed.ok) return refuse(CloseCode.badFrame, parsed.reason);
    const { frame } = parsed;
    if (frame.type === 'hello') {
      if (this.greeted) return refuse(CloseCode.badFrame, 'hello twice');
      this.greeted = true;
      return { ok: true, frame };
    }
    if (!this.greeted) return refuse(CloseCode.badFrame, 'no hello yet');
    const bucket = frame.type === 'awareness' ? this.buckets.awareness : frame.type === 'unreadable' ? this.buckets.reports : this.buckets.writes;
    if (!bucket.take()) return refuse(CloseCode.unavailable, `${frame.type} rate exceeded`);
    return { ok: true, frame };
  }
}

const refuse = (close: CloseCode, reason: string): FrameDecision => ({ ok: false, close, reason });
