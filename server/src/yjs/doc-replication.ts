import type { FastifyBaseLogger } from 'fastify';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Signal } from '../lib/signal';
import type { DocStore } from '../store/doc-store';
import type { BusMessageKind, DocBus } from './doc-bus';
import { Origin, type LiveDoc } from './live-doc';

/** A doc's subscription to the other nodes, taken before its stored log is read. */
export interface Subscription {
  /** delivers what arrived since `subscribe` into `live`, then everything as it arrives */
  attach(live: LiveDoc): void;
  unsubscribe(): Promise<void>;
}

/**
 * Keeps docs in step across nodes (several nodes only; with no bus every call is a no-op):
 * durable updates and awareness changes travel over the bus, and a decision taken on this
 * node first merges what the shared store has (`refresh`).
 */
export class DocReplication {
  /** with no bus there is never a resync */
  private readonly never = new Signal<[]>();

  constructor(
    private readonly bus: DocBus | null,
    private readonly store: DocStore,
    private readonly log: FastifyBaseLogger,
  ) {}

  get enabled(): boolean {
    return this.bus !== null;
  }

  /** after a bus outage: the hub re-reads its loaded docs from the store */
  get resynced(): Signal<[]> {
    return this.bus?.resynced ?? this.never;
  }

  /** Subscribes before the store is read, so nothing published in between is missed. */
  async subscribe(name: string): Promise<Subscription> {
    if (!this.bus) return { attach: () => undefined, unsubscribe: async () => undefined };
    const early: [BusMessageKind, Uint8Array][] = [];
    let deliver = (kind: BusMessageKind, data: Uint8Array) => void early.push([kind, data]);
    const unsubscribe = await this.bus.subscribe(name, (kind, data) => deliver(kind, data));
    return {
      attach: (live) => {
        deliver = (kind, data) => {
          if (live.closed) return;
          try {
            if (kind === 'update') Y.applyUpdate(live.doc, data, Origin.replica);
            else applyAwarenessUpdate(live.awareness, data, Origin.replica);
          } catch (error) {
            this.log.warn({ err: (error as Error).message, doc: name }, 'bad message from another node');
          }
        };
        for (const [kind, data] of early.splice(0)) deliver(kind, data);
      },
      unsubscribe,
    };
  }

  /** A durable update of ours, for the other nodes. */
  publishUpdate(live: LiveDoc, update: Uint8Array): void {
    this.bus?.publish(live.name, 'update', update);
  }

  /** Our connections' awareness changes (or their removal), for the other nodes. */
  publishAwareness(live: LiveDoc, changed: number[]): void {
    this.bus?.publish(live.name, 'awareness', encodeAwarenessUpdate(live.awareness, changed));
  }

  /** Merges what the shared store has into `live`, so a decision here sees every node's writes. */
  async refresh(live: LiveDoc): Promise<void> {
    if (!this.bus) return;
    const updates = await this.store.loadDoc(live.name);
    if (live.closed) return;
    live.doc.transact(() => {
      for (const update of updates) Y.applyUpdate(live.doc, update);
    }, Origin.replica);
  }
}
