import * as Y from 'yjs';

/**
 * Whether applying `update` would change `doc`. Used on read-only docs: every stock client
 * answers the server's sync step 1 with a step 2 even when it has nothing new (it still
 * carries the client's whole delete set), which must be accepted; only content the server's
 * doc lacks is a write. Compares state vectors and delete sets on a throw-away copy, so the
 * real doc is never touched (the approach Hocuspocus takes for read-only connections).
 */
export function updateChangesDoc(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  if (structs.length === 0 && ds.clients.size === 0) return false;
  const probe = new Y.Doc({ gc: doc.gc });
  try {
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
    const before = Y.snapshot(probe);
    Y.applyUpdate(probe, update);
    // Structs the doc cannot integrate yet (missing dependencies) would be written later: a write.
    if (probe.store.pendingStructs !== null || probe.store.pendingDs !== null) return true;
    return !Y.equalSnapshots(before, Y.snapshot(probe));
  } finally {
    probe.destroy();
  }
}
