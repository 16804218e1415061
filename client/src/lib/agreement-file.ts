import { agreementToMarkdown, type Agreement } from '@parley/shared/agreement/build';
import { confirmedSeats } from '@parley/shared/agreement/confirmations';
import type { RoomMeta } from '@parley/shared/protocol/room-doc';

/**
 * The agreement as a file, built in the browser: what `GET /api/rooms/:id/agreement` answers
 * for a standard room (server/src/agreement/agreement-service.ts `export`), for a sealed room,
 * whose server has no agreement to build (docs/sealed-rooms.md §7). `hash` is the one the
 * confirmations are checked against: in a sealed room the keyed hash this browser computed.
 */
export function agreementFile(agreement: Agreement, hash: string, confirmations: RoomMeta['confirmations'], format: 'md' | 'json', timeZone?: string): { body: string; type: string } {
  if (format === 'md') return { body: agreementToMarkdown(agreement, { confirmations, hash, ...(timeZone ? { timeZone } : {}) }), type: 'text/markdown' };
  const confirmedBy = confirmedSeats(confirmations, hash);
  const confirmed = confirmedBy.map((seat) => ({ seat, at: new Date(confirmations[seat]?.at ?? 0).toISOString() }));
  return { body: JSON.stringify({ ...agreement, hash, confirmedBy, confirmed }), type: 'application/json' };
}
