import { CloseCode } from '@parley/shared/protocol/close-codes';
import { applyClientUpdate } from '@parley/shared/yjs/apply-client-update';
import { validateUpdateFor } from '@parley/shared/yjs/update-against-doc';
import { validateAwarenessUpdate } from '@parley/shared/yjs/validate-awareness';
import { validateStateVector, type Verdict } from '@parley/shared/yjs/validate-update';
import type { FastifyBaseLogger } from 'fastify';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import type { DocHub } from './doc-hub';
import { Origin, type DocConnection, type LiveDoc, type UpdateOrigin } from './live-doc';
import { decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, MalformedFrame } from './messages';
import { updateChangesDoc } from './write-check';

/** Outgoing bytes a connection may have queued before it counts as not reading. */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** awareness client ids one connection may speak for (a stock client uses one) */
const MAX_AWARENESS_CLIENTS = 16;

/**
 * One authorized WebSocket on one doc, speaking the y-websocket protocol. Frames are handled
 * strictly in order; anything malformed closes only this connection (4400).
 */
export class YjsConnection implements DocConnection {
  /** awareness client ids this connection set, removed when it closes */
  private readonly controlled = new Set<number>();
  /** every awareness client id this connection sent: each leaves an entry in `awareness.meta` */
  private readonly awarenessClients = new Set<number>();
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** what this connection's transactions and awareness changes carry as their origin */
  private readonly origin: UpdateOrigin = Origin.connection(this);
  alive = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly live: LiveDoc,
    private readonly hub: DocHub,
    private readonly canWrite: boolean,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.hub.addConnection(this.live, this);
    this.send(encodeSyncStep1(this.live.doc));
    const states = [...this.live.awareness.getStates().keys()];
    if (states.length > 0) this.send(encodeAwareness(this.live.awareness, states));
  }

  /** Queues a frame; frames are processed one after another. */
  receive(frame: Uint8Array): void {
    this.chain = this.chain.then(() => this.handle(frame));
  }

  /** The awareness update handler of the doc calls this to track which states we own. */
  trackAwareness(added: number[], removed: number[]): void {
    for (const id of added) this.controlled.add(id);
    for (const id of removed) this.controlled.delete(id);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // A client that stops reading must not make the server buffer without bound.
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.info({ doc: this.live.ref.kind, buffered: this.ws.bufferedAmount }, 'slow client dropped');
      this.close(CloseCode.unavailable, 'too slow');
      this.ws.terminate();
      return;
    }
    this.ws.send(frame, (error) => {
      if (error) this.close(CloseCode.unavailable, 'send failed');
    });
  }

  close(code: CloseCode, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.cleanup();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** The socket went away (closed by the peer or by us). */
  onClosed(): void {
    if (!this.closed) {
      this.closed = true;
      this.cleanup();
    }
  }

  private cleanup(): void {
    this.hub.removeConnection(this.live, this);
    if (!this.live.closed && this.controlled.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.live.awareness, [...this.controlled], null);
    }
    this.controlled.clear();
  }

  private async handle(frame: Uint8Array): Promise<void> {
    if (this.closed || this.live.closed) return;
    try {
      const message = decodeClientMessage(frame);
      switch (message.type) {
        case 'syncStep1':
          valid(validateStateVector(message.stateVector));
          return this.answerSync(message.stateVector);
        case 'syncStep2':
        case 'update':
          return this.applyUpdate(message.update);
        case 'awareness': {
          const { clients } = valid(validateAwarenessUpdate(message.update));
          for (const id of clients) this.awarenessClients.add(id);
          if (this.awarenessClients.size > MAX_AWARENESS_CLIENTS) throw new MalformedFrame('too many awareness clients');
          awarenessProtocol.applyAwarenessUpdate(this.live.awareness, message.update, this.origin);
          return;
        }
        case 'queryAwareness':
          this.send(encodeAwareness(this.live.awareness, [...this.live.awareness.getStates().keys()]));
          return;
      }
    } catch (error) {
      this.log.info({ doc: this.live.ref.kind, err: (error as Error).message }, 'malformed yjs frame');
      this.close(CloseCode.badFrame, 'malformed frame');
    }
  }

  /**
   * Answers a sync step 1 with durable content only: the doc as it is now, sent once everything
   * in it is stored. An edit applied while this waits reaches the client as an update once its
   * own commit lands, not inside this answer ahead of it (`server/durable-sync` SA1). And only
   * while the room is not being erased, whichever node erases it.
   */
  private async answerSync(stateVector: Uint8Array): Promise<void> {
    const answer = encodeSyncStep2(this.live.doc, stateVector);
    await this.hub.durable(this.live);
    switch (await this.hub.stillLive(this.live).catch(() => null)) {
      case null:
        return this.close(CloseCode.unavailable, 'unavailable');
      case false:
        return this.close(this.live.closedWith?.code ?? CloseCode.gone, this.live.closedWith?.reason ?? 'room deleted');
    }
    if (!this.closed && !this.live.closed) this.send(answer);
  }

  private applyUpdate(update: Uint8Array): void {
    if (!this.canWrite) {
      valid(validateUpdateFor(this.live.doc, update));
      if (updateChangesDoc(this.live.doc, update)) {
        this.log.info({ doc: this.live.ref.kind }, 'write to read-only doc refused');
        this.close(CloseCode.forbidden, 'read-only document');
      }
      return;
    }
    if (!this.hub.admits(this.live, update.length)) {
      this.log.info({ doc: this.live.ref.kind }, 'document size limit reached');
      this.close(CloseCode.tooBig, 'document too large');
      return;
    }
    // Pending structs yjs holds that did not come through here are other nodes' updates.
    valid(applyClientUpdate(this.live.doc, update, this.origin, Origin.replica));
  }
}

/** Unwraps a validator's verdict; an invalid one is a malformed frame (4400). */
function valid<T extends object>(verdict: Verdict<T>): T {
  if (!verdict.ok) throw new MalformedFrame(verdict.reason);
  return verdict;
}
