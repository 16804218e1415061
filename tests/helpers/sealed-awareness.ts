import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { AeadKey } from '@parley/shared/sealed/envelope';
import { sealedAwareness as adapterOf } from '../../client/src/lib/doc-channels';

/**
 * y-protocols' `Awareness` on `doc` and the `SealedAwareness` adapter the web client wraps it in
 * (client/src/lib/doc-channels.ts). The caller destroys the awareness.
 */
export function sealedAwareness(doc: Y.Doc, key: AeadKey) {
  const awareness = new awarenessProtocol.Awareness(doc);
  return { awareness, adapter: adapterOf(doc, awareness, key) };
}
