import type * as Y from 'yjs';
import { applyClientUpdate, TOO_MUCH_PENDING } from '../yjs/apply-client-update';
import { EnvelopeKind, openEnvelope, type AeadKey } from './envelope';
import type { SeqGuard } from './replay';

/**
 * How a client takes in a sealed Yjs update: open the envelope, validate the update against
 * the doc with the same bounded validator the server runs on standard rooms, apply it. What
 * it opens came from the partner or another device and is untrusted, so a hostile writer can
 * make this refuse, never hang, throw or half-apply.
 */

/** Why an envelope was not taken in: each one is "a message from your partner could not be read". */
export type UpdateUnreadable =
  /** it does not authenticate under this key for this doc, or is not a well-formed envelope */
  | 'does not open'
  /** the replay guard has seen this sender's seq (or a later one) */
  | 'replayed'
  /** it opened, but the update inside fails the validator against this doc */
  | 'invalid update'
  /** valid, but the doc would hold more unresolved content than the bound: all of it is dropped */
  | 'too much pending';

export type OpenedUpdate =
  | { ok: true; sender: string; seq: number }
  /** `detail` is the envelope's or the validator's reason: diagnostics only, never content */
  | { ok: false; reason: UpdateUnreadable; detail: string };

export interface OpenUpdateOptions {
  /** the doc's envelope key */
  key: AeadKey;
  /** the doc name the envelope must have been sealed for */
  context: string;
  /** the transaction origin the update is applied with: the provider's own, so it is not sealed and sent back */
  origin: unknown;
  /** on the private docs and latest-wins kinds; not on the shared doc (sealed-rooms.md §3) */
  guard?: SeqGuard;
  /** envelope kinds taken in as updates: `update` unless told (a snapshot is a Yjs update too) */
  kinds?: readonly EnvelopeKind[];
}

/**
 * Decrypts `envelope`, validates its update against `doc` and applies it with `origin`. An
 * envelope that does not open or validate is never applied, not even partly. Validation and
 * application happen in one synchronous step after the decryption, so a local edit made while
 * the envelope was decrypting is part of what the update is checked against. A caller takes in
 * one envelope at a time, in log order.
 */
export async function openAndValidate(doc: Y.Doc, envelope: Uint8Array, options: OpenUpdateOptions): Promise<OpenedUpdate> {
  const { key, context, origin, guard, kinds = [EnvelopeKind.update] } = options;
  const opened = await openEnvelope(key, envelope, context, { kinds, guard });
  if (!opened.ok) return { ok: false, reason: opened.reason === 'replayed' ? 'replayed' : 'does not open', detail: opened.reason };
  const applied = applyClientUpdate(doc, opened.payload, origin);
  if (applied.ok) return { ok: true, sender: opened.sender, seq: opened.seq };
  return { ok: false, reason: applied.reason === TOO_MUCH_PENDING ? 'too much pending' : 'invalid update', detail: applied.reason };
}
