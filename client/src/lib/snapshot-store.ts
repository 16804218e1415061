import type * as Y from 'yjs';

/** A cached plain-data view of a Y.Doc for `useSyncExternalStore`: recomputed after updates. */
export interface SnapshotStore<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

export function docSnapshot<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): SnapshotStore<T> {
  let cached: T | undefined;
  let dirty = true;
  const listeners = new Set<() => void>();
  const onUpdate = () => {
    dirty = true;
    listeners.forEach((l) => l());
  };
  return {
    subscribe(listener) {
      if (listeners.size === 0) doc.on('update', onUpdate);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) doc.off('update', onUpdate);
        dirty = true;
      };
    },
    getSnapshot() {
      if (dirty || cached === undefined) {
        cached = read(doc);
        dirty = false;
      }
      return cached;
    },
  };
}
