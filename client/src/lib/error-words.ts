import { httpStatusOf, type ErrorCode, type ErrorReason } from '@parley/shared/protocol/errors';
import { strings } from './strings';

/**
 * The one place the client words a server's refusal for people: from its reason, then its code,
 * never from its message (a diagnostic for developers, in the server's words).
 */
export interface Refusal {
  code: ErrorCode | 'network';
  reason?: ErrorReason;
}

/** A reason means the same wherever it comes from, so it is always worded the same. */
const REASON_WORDS: Partial<Record<ErrorReason, string>> = {
  workshop_not_found: strings.workshop.notFound,
  pair_not_found: strings.workshop.pairNotFound,
  section_locked: strings.workshop.lockedRefused,
};

export type CodeWords = Partial<Record<Refusal['code'], string>>;

/** What a form that calls the HTTP API says for the refusals every form can meet. */
export const FORM_WORDS: CodeWords = {
  rate_limited: strings.common.rateLimited,
  network: strings.common.network,
  bad_request: strings.common.badRequest,
};

/**
 * Words for a refusal — an ack's `error`, an `ApiError`, or anything else thrown: its reason's
 * words, else what this place says for its code, else `fallback`.
 */
export function errorWords(error: unknown, codes: CodeWords = {}, fallback: string = strings.common.tryAgainLater): string {
  if (!isRefusal(error)) return fallback;
  return (error.reason && REASON_WORDS[error.reason]) || (codes[error.code] ?? fallback);
}

/** An `ApiError` or an ack's `error`: wire data with one of the contract's codes (or the client's own `network`). */
function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'string' && (value.code === 'network' || Object.hasOwn(httpStatusOf, value.code));
}
