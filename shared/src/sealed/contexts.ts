import { Id, Slug, type Seat } from '../protocol/ids';
import type { Verdict } from '../protocol/verdict';

/**
 * The contexts that envelopes outside the docs are sealed for (docs/sealed-rooms.md §5, §6).
 * A context is authenticated but never sent, so both ends must build the very same string; these
 * are the only builders. Docs use their doc names (`docName` in protocol/ids.ts). Every part is
 * checked: ids and slugs cannot hold a `/`, so no two slots share a name.
 */
export type SlotProblem = 'malformed room id' | 'malformed section id' | 'round out of range' | 'malformed tag';

const TAG_HEX = /^[0-9a-f]{64}$/;

function check(roomId: string, sectionId: string, round: number): SlotProblem | null {
  if (!Id.safeParse(roomId).success) return 'malformed room id';
  if (!Slug.safeParse(sectionId).success) return 'malformed section id';
  if (!Number.isSafeInteger(round) || round < 1) return 'round out of range';
  return null;
}

/** What `seat` left in escrow for a section's round (full mode, and discreet `always` content). */
export function escrowSlot(roomId: string, sectionId: string, round: number, seat: Seat): Verdict<{ context: string }, SlotProblem> {
  const problem = check(roomId, sectionId, round);
  return problem ? { ok: false, reason: problem } : { ok: true, context: `${roomId}/escrow/${sectionId}/${round}/${seat}` };
}

/** One discreet piece of `seat`, bound to its tag (hex) so the server cannot move it to another. */
export function pieceSlot(roomId: string, sectionId: string, round: number, seat: Seat, tagHex: string): Verdict<{ context: string }, SlotProblem> {
  const problem = check(roomId, sectionId, round) ?? (TAG_HEX.test(tagHex) ? null : 'malformed tag');
  return problem ? { ok: false, reason: problem } : { ok: true, context: `${roomId}/piece/${sectionId}/${round}/${seat}/${tagHex}` };
}
