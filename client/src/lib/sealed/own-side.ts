import { canonicalJson } from '@parley/shared/agreement/build';
import type { Answers } from '@parley/shared/protocol/answers';
import type { RevealMode } from '@parley/shared/protocol/http';
import type { Seat } from '@parley/shared/protocol/ids';
import type { Verdict } from '@parley/shared/protocol/verdict';
import { projectSection } from '@parley/shared/reveal/project';
import type { DiscreetUpload } from '@parley/shared/sealed/discreet-release';
import { ALWAYS_BYTES_PER_ITEM, sealDiscreet } from '@parley/shared/sealed/discreet';
import type { SectionTags } from '@parley/shared/sealed/discreet-slots';
import { ESCROW_BYTES_PER_ITEM, sealOwnSide } from '@parley/shared/sealed/escrow';
import { newSender } from '@parley/shared/sealed/envelope';
import type { PairKeys } from '@parley/shared/sealed/pair';
import type { Template } from '@parley/shared/template/schema';
import { sectionRevealMode } from './open-revealed';

/**
 * What a seat of a sealed room uploads of its own side (docs/sealed-rooms.md §5, §6): the same
 * shared projection the server runs in a standard room, with nothing of the partner, sealed.
 * Pure apart from the seq counter: keys and answers in, payloads out.
 */

/** This browser's sender id and envelope seqs, one counter for every envelope it seals in the room. */
export class SealWriter {
  readonly sender: string;
  private seq = 0;
  constructor(sender: string = newSender()) {
    this.sender = sender;
  }
  /** reserves `count` seqs and returns the first */
  take(count = 1): number {
    const first = this.seq + 1;
    this.seq += count;
    return first;
  }
}

export interface SealedSeat {
  pair: Pick<PairKeys, 'escrow' | 'roundKey'>;
  roomId: string;
  seat: Seat;
  template: Template;
  revealMode: RevealMode;
  writer: SealWriter;
}

export type ReadyPayload =
  | { sectionId: string; ready: true; escrow: Uint8Array }
  | { sectionId: string; ready: true; discreet: DiscreetUpload };

export interface ReadyUpload {
  payload: ReadyPayload;
  /** the own side that went into it (canonical JSON): a later change re-uploads only when this differs */
  ownSide: string;
  /** discreet matching: the uploaded tag set and what its real tags stand for (for `shrinkTags`) */
  discreet?: { uploaded: Uint8Array; mine: SectionTags['mine'] };
}

/** The own side of a section as its reveal of `mode` shows it, as canonical JSON. */
export function ownSideJson(template: Template, sectionId: string, round: number, mode: RevealMode, seat: Seat, answers: Answers): string {
  const own = seat === 'a' ? { a: answers, b: {} } : { a: {}, b: answers };
  return canonicalJson(projectSection({ template, sectionId, round, mode, ...own })[seat]);
}

/** What `section:ready {ready:true}` carries in a sealed room: an escrow, or the discreet upload. */
export async function readyUpload(s: SealedSeat, sectionId: string, round: number, answers: Answers): Promise<Verdict<ReadyUpload>> {
  const mode = sectionRevealMode(s.template, sectionId, s.revealMode);
  const base = { pairKeys: s.pair, roomId: s.roomId, sectionId, round, seat: s.seat, answers, template: s.template };
  if (mode === 'full') {
    const sealed = await sealOwnSide({ ...base, writer: { sender: s.writer.sender, seq: s.writer.take() } }, 'full', ESCROW_BYTES_PER_ITEM);
    if (!sealed.ok) return sealed;
    return { ok: true, payload: { sectionId, ready: true, escrow: sealed.envelope }, ownSide: ownSideJson(s.template, sectionId, round, 'full', s.seat, answers) };
  }
  const section = s.template.sections.find((x) => x.id === sectionId);
  // pieces take seq … seq + N − 1 and the always envelope seq + N; N is at most 3 per item
  const seq = s.writer.take((section?.items.length ?? 0) * 3 + 1);
  const sealed = await sealDiscreet({ ...base, writer: { sender: s.writer.sender, seq } });
  if (!sealed.ok) return sealed;
  return {
    ok: true,
    payload: { sectionId, ready: true, discreet: sealed.upload },
    ownSide: ownSideJson(s.template, sectionId, round, 'discreet', s.seat, answers),
    discreet: { uploaded: sealed.upload.tags, mine: sealed.mine },
  };
}

/**
 * A new escrow (full mode) or always envelope (discreet) for `section:escrow`, with the items
 * this seat changed since the release (full mode only: a discreet room names no one).
 */
export async function escrowUpload(s: SealedSeat, sectionId: string, round: number, answers: Answers, changed: readonly string[]): Promise<Verdict<{ escrow: Uint8Array; ownSide: string }>> {
  const mode = sectionRevealMode(s.template, sectionId, s.revealMode);
  const input = { pairKeys: s.pair, roomId: s.roomId, sectionId, round, seat: s.seat, answers, template: s.template, writer: { sender: s.writer.sender, seq: s.writer.take() } };
  const sealed = mode === 'full' ? await sealOwnSide({ ...input, changed }, 'full', ESCROW_BYTES_PER_ITEM) : await sealOwnSide(input, 'discreet', ALWAYS_BYTES_PER_ITEM);
  if (!sealed.ok) return sealed;
  return { ok: true, escrow: sealed.envelope, ownSide: ownSideJson(s.template, sectionId, round, mode, s.seat, answers) };
}
