import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { AeadKey } from '@parley/shared/sealed/envelope';
import type { SealedAwareness } from '@parley/shared/sealed/provider';

/**
 * y-protocols' `Awareness` on `doc` and the `SealedAwareness` adapter around it, as the web client
 * will wrap it: its own client id's state, its local updates (the 15 s renewal included). The
 * caller destroys the awareness.
 */
export function sealedAwareness(doc: Y.Doc, key: AeadKey) {
  const awareness = new awarenessProtocol.Awareness(doc);
  const adapter: SealedAwareness = {
    key,
    localUpdate: () => (awareness.getLocalState() === null ? null : awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])),
    apply: (update, origin) => awarenessProtocol.applyAwarenessUpdate(awareness, update, origin),
    onLocalUpdate: (listener) => {
      const onUpdate = ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
        if (origin === 'local' && [...added, ...updated].includes(awareness.clientID)) listener();
      };
      awareness.on('update', onUpdate);
      return () => awareness.off('update', onUpdate);
    },
  };
  return { awareness, adapter };
}
