import type { Agreement } from '../agreement/build';
import { confirmedSeats } from '../agreement/confirmations';
import type { Seat } from '../protocol/ids';
import type { RoomMeta } from '../protocol/room-doc';
import type { MacKey } from './keys';
import { sealedAgreementHash } from './pair';

/**
 * Confirmations in a sealed room (docs/sealed-rooms.md §7). The server stores each seat's keyed
 * hash as it came and checks nothing, so a client decides for itself: a seat counts as having
 * confirmed only if its stored hash equals the hash this client computes, with the pair's
 * "agreement hash" key, of the agreement it sees. A partner who saw (or was shown) another
 * agreement, an older confirmation and anything a server made up do not count.
 */
export const confirmedInSealedRoom = (confirmations: RoomMeta['confirmations'], ownHash: string): Seat[] =>
  confirmedSeats(confirmations, ownHash);

/** The hash to send with `agreement:confirm`, and who confirmed exactly that. */
export async function sealedConfirmations(key: MacKey, agreement: Agreement, confirmations: RoomMeta['confirmations']): Promise<{ hash: string; confirmedBy: Seat[] }> {
  const hash = await sealedAgreementHash(key, agreement);
  return { hash, confirmedBy: confirmedInSealedRoom(confirmations, hash) };
}
