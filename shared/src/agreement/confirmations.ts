import type { Seat } from '../protocol/ids';
import type { Confirmation, RoomMeta } from '../protocol/room-doc';
import { AGREEMENT_TEXT } from '../template/labels';
import { formatDateTime } from './format';

/** A confirmation holds while its hash is the current agreement's; older ones went stale by themselves. */
export type ConfirmationState = 'current' | 'stale' | 'none';

export function confirmationState(confirmation: Confirmation | null, hash: string): ConfirmationState {
  if (!confirmation) return 'none';
  return confirmation.hash === hash ? 'current' : 'stale';
}

/**
 * "Confirmed by Alex on 1 December 2026, 18:20", as a file or a printout says it: in the
 * reader's `timeZone`, or in UTC, said so, when it is not known.
 */
export function confirmationWords(name: string, confirmation: Confirmation | null, hash: string, timeZone?: string): string {
  const state = confirmationState(confirmation, hash);
  if (!confirmation || state === 'none') return AGREEMENT_TEXT.notConfirmed(name);
  const when = timeZone ? formatDateTime(confirmation.at, timeZone) : `${formatDateTime(confirmation.at)} ${AGREEMENT_TEXT.utc}`;
  return state === 'current' ? AGREEMENT_TEXT.confirmedBy(name, when) : AGREEMENT_TEXT.confirmedEarlier(name, when);
}

/** The seats whose confirmation holds for `hash` (the JSON export's `confirmedBy`). */
export const confirmedSeats = (confirmations: RoomMeta['confirmations'], hash: string): Seat[] =>
  (['a', 'b'] as const).filter((seat) => confirmations[seat]?.hash === hash);
