import type { Seat } from '../protocol/ids';
import type { RevealMode } from '../protocol/http';
import type { RevealedAnswer } from '../protocol/room-doc';
import type { Verdict } from '../protocol/verdict';
import { projectSection, readRevealedAnswer, type UntrustedAnswers } from '../reveal/project';
import { findSection, type Template } from '../template/schema';
import { utf8Bytes } from './bytes';
import { escrowSlot } from './contexts';
import { EnvelopeKind, MAX_ESCROW_BYTES, openEnvelope, sealEnvelope, type EnvelopeProblem } from './envelope';
import { bucketFor } from './padding';
import type { PairKeys } from './pair';
import type { SeqGuard } from './replay';

/**
 * Reveal by escrow in a sealed room, full mode (docs/sealed-rooms.md §5), the client's half.
 * `sealEscrow` projects the seat's own side of a section with the shared projection and seals it
 * for the partner; `openEscrow` opens the partner's and reads it with the projection's bounded
 * readers. Pure: keys in, bytes or answers out.
 */

/** The floor of an escrow's size per item of the section (§5.7): a blank and a full section travel alike. */
export const ESCROW_BYTES_PER_ITEM = 128;
/** What an escrow says inside: its format, so a later one can be told apart. */
const ESCROW_FORMAT = 1;

/** Who writes envelopes in this session: its sender id and the next seq (the caller counts). */
export interface EscrowWriter {
  sender: string;
  seq: number;
}

export interface SealEscrowInput {
  pairKeys: Pick<PairKeys, 'escrow'>;
  roomId: string;
  sectionId: string;
  round: number;
  /** the seat sealing its own side */
  seat: Seat;
  /** this seat's private answers (untrusted JSON, as read from its private doc) */
  answers: UntrustedAnswers;
  template: Template;
  /** items this seat changed since the release (shown to the partner as changed) */
  changed?: readonly string[];
  writer: EscrowWriter;
}

/**
 * The seat's side of the section as the reveal shows it (`projectSection`, full mode, with
 * nothing for the other seat), sealed with `escrow[seat]` for the slot of this round and seat,
 * at least as large as the bucket of items × 128 bytes. Refuses (never throws) what does not fit
 * an escrow (`MAX_ESCROW_BYTES`) or a malformed slot.
 */
export async function sealEscrow(input: SealEscrowInput): Promise<Verdict<{ envelope: Uint8Array }>> {
  return sealOwnSide(input, 'full', ESCROW_BYTES_PER_ITEM);
}

/**
 * The seat's side as the reveal of `mode` shows it with nothing of the other seat, sealed for
 * its escrow slot. Full mode is the escrow; discreet mode is the always envelope of a discreet
 * section (own hard limits and written answers: `discreet.ts`), with a floor of its own.
 */
export async function sealOwnSide(input: SealEscrowInput, mode: RevealMode, bytesPerItem: number): Promise<Verdict<{ envelope: Uint8Array }>> {
  const section = findSection(input.template, input.sectionId);
  if (!section) return { ok: false, reason: 'unknown section' };
  const slot = escrowSlot(input.roomId, input.sectionId, input.round, input.seat);
  if (!slot.ok) return slot;
  const own = input.seat === 'a' ? { a: input.answers, b: {} } : { a: {}, b: input.answers };
  const projected = projectSection({ template: input.template, sectionId: input.sectionId, round: input.round, mode, ...own });
  const itemIds = new Set(section.items.map((q) => q.id));
  const changed = [...new Set(input.changed ?? [])].filter((id) => itemIds.has(id));
  const json = utf8Bytes(JSON.stringify({ v: ESCROW_FORMAT, answers: projected[input.seat], changed }));
  const payload = padToFloor(json, section.items.length * bytesPerItem);
  if (!payload) return { ok: false, reason: 'the section is too large for an escrow' };
  const sealed = await sealEnvelope(input.pairKeys.escrow[input.seat], { kind: EnvelopeKind.escrow, ...input.writer, context: slot.context }, payload);
  if (!sealed.ok) return sealed;
  if (sealed.envelope.length > MAX_ESCROW_BYTES) return { ok: false, reason: 'the section is too large for an escrow' };
  return sealed;
}

/**
 * JSON with trailing spaces (which JSON ignores) up to the size whose bucket is that of `floor`
 * bytes, so the padded plaintext is at least that bucket. Null when no bucket holds it.
 */
export function padToFloor(json: Uint8Array, floor: number): Uint8Array | null {
  const bucket = bucketFor(Math.min(floor, MAX_ESCROW_BYTES));
  if (bucket === null || bucketFor(json.length) === null) return null;
  // bucketFor(n) is the smallest bucket ≥ n + 4 (the length prefix)
  const target = bucket - 4;
  if (json.length >= target) return json;
  const out = new Uint8Array(target).fill(0x20);
  out.set(json);
  return out;
}

/** Why a partner's escrow could not be shown: "a message from your partner could not be read". */
export type EscrowUnreadable = 'does not open' | 'replayed' | 'could not be read';

export interface OpenedEscrow {
  /** itemId → the partner's answer as the reveal shows it; items of other sections never */
  answers: Record<string, RevealedAnswer>;
  /** the items the partner says it changed since the release (of this section only) */
  changed: string[];
  sender: string;
  seq: number;
}

export type OpenedEscrowVerdict =
  | ({ ok: true } & OpenedEscrow)
  /** `detail`: the envelope's or the reader's reason, diagnostics only, never content */
  | { ok: false; reason: EscrowUnreadable; detail: EnvelopeProblem | string };

export interface OpenEscrowInput {
  pairKeys: Pick<PairKeys, 'escrow'>;
  roomId: string;
  sectionId: string;
  round: number;
  /** whose escrow this is meant to be: the partner's seat */
  seat: Seat;
  envelope: unknown;
  template: Template;
  /** refuses an envelope of a sender and seq already seen (or older); per partner */
  guard?: SeqGuard;
}

/**
 * Opens `seat`'s escrow of the section's round: only with `escrow[seat]` for exactly that slot,
 * so A's own escrow handed back as B's, or one round's served in another, does not open. What is
 * inside came from the partner and is untrusted: it is read with the reveal's bounded readers
 * (`readRevealedAnswer`), only the section's items and only the fields their questions ask
 * for. Never throws: garbage is `could not be read`.
 */
export async function openEscrow(input: OpenEscrowInput): Promise<OpenedEscrowVerdict> {
  const section = findSection(input.template, input.sectionId);
  if (!section) return { ok: false, reason: 'could not be read', detail: 'unknown section' };
  const slot = escrowSlot(input.roomId, input.sectionId, input.round, input.seat);
  if (!slot.ok) return { ok: false, reason: 'could not be read', detail: slot.reason };
  const opened = await openEnvelope(input.pairKeys.escrow[input.seat], input.envelope, slot.context, {
    kinds: [EnvelopeKind.escrow],
    maxBytes: MAX_ESCROW_BYTES,
    ...(input.guard ? { guard: input.guard } : {}),
  });
  if (!opened.ok) return { ok: false, reason: opened.reason === 'replayed' ? 'replayed' : 'does not open', detail: opened.reason };
  const body = parseJson(opened.payload);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'could not be read', detail: 'not an object' };
  const { v, answers, changed } = body as Record<string, unknown>;
  if (v !== ESCROW_FORMAT) return { ok: false, reason: 'could not be read', detail: 'unknown format' };
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return { ok: false, reason: 'could not be read', detail: 'no answers' };
  const out: Record<string, RevealedAnswer> = {};
  for (const question of section.items) {
    if (!Object.hasOwn(answers, question.id)) continue;
    const answer = readRevealedAnswer(question, (answers as Record<string, unknown>)[question.id]);
    if (answer) out[question.id] = answer;
  }
  const itemIds = new Set(section.items.map((q) => q.id));
  const changedItems = Array.isArray(changed) ? [...new Set(changed.filter((id): id is string => typeof id === 'string' && itemIds.has(id)))] : [];
  return { ok: true, answers: out, changed: changedItems, sender: opened.sender, seq: opened.seq };
}

interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
type TextDecoderConstructor = new (label: 'utf-8', options: { fatal: boolean }) => Utf8Decoder;
const utf8 = new (globalThis as unknown as { TextDecoder: TextDecoderConstructor }).TextDecoder('utf-8', { fatal: true });

/** JSON from bytes that are at most one escrow: undefined for anything that is not. */
export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}
