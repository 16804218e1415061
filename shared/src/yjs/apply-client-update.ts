import * as Y from 'yjs';
import { validateUpdateFor } from './update-against-doc';
import type { Verdict } from './validate-update';

/** Unresolved structs a doc may hold (bytes, v1 encoding), and unresolved deletes. */
export const MAX_PENDING_STRUCT_BYTES = 128 * 1024;
export const MAX_PENDING_DELETE_BYTES = 16 * 1024;
/** The reason given when either bound is passed. */
export const TOO_MUCH_PENDING = 'too much content with missing dependencies';

/**
 * Structs whose dependencies have not arrived, taken out of yjs's own pending store: yjs would
 * integrate them later, inside some other update, without the checks `validateUpdateFor` makes
 * (against the doc as it is by then). Kept per doc with the origin that sent them.
 */
interface Stashed {
  update: Uint8Array;
  /** (client, clock) pairs it waits for; any of them arriving is worth a retry */
  missing: Map<number, number>;
  origin: unknown;
}
const stashes = new WeakMap<Y.Doc, Stashed[]>();

/**
 * Validates an untrusted update (a client's, as the server sees it; the partner's or another
 * device's, as a client sees a decrypted one) against the doc and applies it with `origin`,
 * then retries the doc's stashed structs that may now fit. Invalid → nothing is applied. Too
 * much unresolved content (yjs re-reads it on every later update, so a writer could make each
 * update cost seconds) → it is dropped and the verdict says so; on the server it was never
 * persisted nor relayed, and a client that really has the missing content sends it again when
 * it reconnects.
 *
 * `elsewhere` is the origin given to pending structs yjs already holds from updates that did
 * not come through here (on the server: other nodes' updates), when they join the stash.
 */
export function applyClientUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown, elsewhere: unknown = origin): Verdict {
  const verdict = validateUpdateFor(doc, update);
  if (!verdict.ok) return verdict;
  // Pending structs yjs holds from elsewhere join the stash as theirs.
  stashPending(doc, elsewhere);
  Y.applyUpdate(doc, update, origin);
  stashPending(doc, origin);
  retryStashed(doc);
  const stashed = (stashes.get(doc) ?? []).reduce((sum, s) => sum + s.update.length, 0);
  if (stashed > MAX_PENDING_STRUCT_BYTES || (doc.store.pendingDs?.length ?? 0) > MAX_PENDING_DELETE_BYTES) {
    stashes.delete(doc);
    doc.store.pendingDs = null;
    return { ok: false, reason: TOO_MUCH_PENDING };
  }
  return { ok: true };
}

function stashPending(doc: Y.Doc, origin: unknown): void {
  const pending = doc.store.pendingStructs;
  if (!pending) return;
  doc.store.pendingStructs = null;
  const list = stashes.get(doc) ?? [];
  list.push({ update: Y.convertUpdateFormatV2ToV1(pending.update), missing: pending.missing, origin });
  stashes.set(doc, list);
}

/** Applies stashed updates whose dependencies arrived, each validated against the doc as it is now. */
function retryStashed(doc: Y.Doc): void {
  const list = stashes.get(doc);
  if (!list) return;
  // Each round integrates something or leaves only entries still waiting; the bound is a backstop.
  for (let progress = true, round = 0; progress && round < 64; round++) {
    progress = false;
    for (const entry of [...list]) {
      const ready = [...entry.missing].some(([client, clock]) => clock < Y.getState(doc.store, client));
      if (!ready) continue;
      list.splice(list.indexOf(entry), 1);
      progress = true;
      // An entry that no longer fits the doc is dropped, as an invalid update would have been.
      if (!validateUpdateFor(doc, entry.update).ok) continue;
      Y.applyUpdate(doc, entry.update, entry.origin);
      stashPending(doc, entry.origin);
    }
  }
  if (list.length === 0) stashes.delete(doc);
}
