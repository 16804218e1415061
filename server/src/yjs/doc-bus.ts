import type { Signal } from '../lib/signal';

/** What travels between nodes for one doc: durable updates and awareness changes. */
export type BusMessageKind = 'update' | 'awareness';

/**
 * Carries a doc's updates to the other nodes that have it loaded. Only durable updates are
 * published (after the originating node's commit), so a receiving node never persists them
 * again; after an outage each node re-reads its loaded docs from the shared store.
 */
export interface DocBus {
  readonly nodeId: string;
  subscribe(docName: string, onMessage: (kind: BusMessageKind, data: Uint8Array) => void): Promise<() => Promise<void>>;
  publish(docName: string, kind: BusMessageKind, data: Uint8Array): void;
  /** after an outage: what was published meanwhile may be missing, re-read loaded docs */
  readonly resynced: Signal<[]>;
}
