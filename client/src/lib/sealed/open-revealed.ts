import type { Answers } from '@parley/shared/protocol/answers';
import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { RevealedSection, SealedRevealedSection } from '@parley/shared/protocol/room-doc';
import { openDiscreet, releasedOwnSide } from '@parley/shared/sealed/discreet';
import { openEscrow } from '@parley/shared/sealed/escrow';
import type { PairKeys } from '@parley/shared/sealed/pair';
import type { Template } from '@parley/shared/template/schema';

/**
 * The one place a sealed room's released section (`SealedRevealedSection`: envelopes) becomes
 * the standard `RevealedSection` every screen and the agreement read. Full mode (and the
 * `alwaysFull` sections of a discreet room) opens both seats' escrows — the own one too, so this
 * browser shows exactly what its partner's shows, and both build the same agreement. Discreet
 * mode takes `openDiscreet`'s standard projection, with the own side read from the own released
 * pieces (`releasedOwnSide`) for the same reason.
 */

export interface OpenSectionInput {
  pair: Pick<PairKeys, 'escrow' | 'roundKey'>;
  roomId: string;
  template: Template;
  /** the seat of this browser */
  seat: Seat;
  sectionId: string;
  released: SealedRevealedSection;
  /** this seat's own answers now (discreet mode recomputes its tags from them) */
  ownAnswers: Answers;
}

export interface OpenedSection {
  revealed: RevealedSection;
  /** full mode: the items each seat says it changed since the release (the escrow's `changed`) */
  changedBy: Record<Seat, string[]>;
  /** envelopes (or pieces) that did not open or validate: "a message from your partner could not be read" */
  unreadable: number;
  /** full mode: each seat's escrow's sender and seq, so a reader can refuse an older one served again */
  written?: Partial<Record<Seat, { sender: string; seq: number }>>;
}

/** Opens one released section; never throws (what does not open counts as unreadable). */
export async function openSealedSection(input: OpenSectionInput): Promise<OpenedSection> {
  const { released } = input;
  if (released.discreet) {
    const base = { pairKeys: input.pair, roomId: input.roomId, sectionId: input.sectionId, seat: input.seat, answers: input.ownAnswers, template: input.template, released };
    // The own side as the partner's client reads it (own pieces still held, own always envelope), so both screens and agreements are the same.
    const own = await releasedOwnSide(base);
    const opened = own.ok ? await openDiscreet({ ...base, answers: own.answers }) : own;
    if (opened.ok && own.ok) return { revealed: opened.revealed, changedBy: { a: [], b: [] }, unreadable: opened.unreadable + own.unreadable };
    return { revealed: { round: released.round, a: {}, b: {}, changed: {} }, changedBy: { a: [], b: [] }, unreadable: 1 };
  }
  const open = (seat: Seat) => openEscrow({ pairKeys: input.pair, roomId: input.roomId, sectionId: input.sectionId, round: released.round, seat, envelope: released[seat], template: input.template });
  const [a, b] = await Promise.all([open('a'), open('b')]);
  return {
    revealed: { round: released.round, a: a.ok ? a.answers : {}, b: b.ok ? b.answers : {}, changed: {} },
    changedBy: { a: a.ok ? a.changed : [], b: b.ok ? b.changed : [] },
    unreadable: (a.ok ? 0 : 1) + (b.ok ? 0 : 1),
    written: { ...(a.ok ? { a: { sender: a.sender, seq: a.seq } } : {}), ...(b.ok ? { b: { sender: b.sender, seq: b.seq } } : {}) },
  };
}

/** How a section of a sealed room is revealed: discreet matching, or the full escrow. */
export function sectionRevealMode(template: Template, sectionId: string, roomMode: RevealMode): RevealMode {
  const section = template.sections.find((s) => s.id === sectionId);
  return roomMode === 'discreet' && section && !section.alwaysFull ? 'discreet' : 'full';
}
