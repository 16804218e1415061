import type { BusMessageKind, DocBus } from '../yjs/doc-bus';
import type { Signal } from '../lib/signal';
import type { Redis, RedisConnection } from './connection';

const SUBSCRIBE_WAIT_MS = 1000;
const KIND_BYTE: Record<BusMessageKind, number> = { update: 0, awareness: 1 };

/** Frame: [kind byte][node id length][node id utf8][payload]. */
function encode(nodeId: string, kind: BusMessageKind, data: Uint8Array): Buffer {
  const id = Buffer.from(nodeId, 'utf8');
  return Buffer.concat([Buffer.from([KIND_BYTE[kind], id.length]), id, data]);
}

function decode(frame: Buffer): { nodeId: string; kind: BusMessageKind; data: Uint8Array } | null {
  if (frame.length < 2) return null;
  const kind = frame[0] === 0 ? 'update' : frame[0] === 1 ? 'awareness' : null;
  const idLength = frame[1] ?? 0;
  if (!kind || frame.length < 2 + idLength) return null;
  return { nodeId: frame.subarray(2, 2 + idLength).toString('utf8'), kind, data: new Uint8Array(frame.subarray(2 + idLength)) };
}

export class RedisDocBus implements DocBus {
  constructor(
    readonly nodeId: string,
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly subConnection: RedisConnection,
    private readonly prefix = 'parley',
  ) {}

  private channel(docName: string): string {
    return `${this.prefix}:doc:${docName}`;
  }

  async subscribe(docName: string, onMessage: (kind: BusMessageKind, data: Uint8Array) => void): Promise<() => Promise<void>> {
    const listener = (message: Buffer) => {
      const decoded = decode(message);
      if (decoded && decoded.nodeId !== this.nodeId) onMessage(decoded.kind, decoded.data);
    };
    // While Redis is down the subscription waits in the subscriber's queue and is sent on
    // reconnect; loading the doc does not wait for it, and the resync after reconnect covers
    // whatever was published meanwhile.
    const subscribed = this.sub.subscribe(this.channel(docName), listener, true).catch(() => undefined);
    await Promise.race([subscribed, new Promise((r) => setTimeout(r, SUBSCRIBE_WAIT_MS).unref())]);
    return async () => {
      await this.sub.unsubscribe(this.channel(docName), listener, true).catch(() => undefined);
    };
  }

  publish(docName: string, kind: BusMessageKind, data: Uint8Array): void {
    this.pub.publish(this.channel(docName), encode(this.nodeId, kind, data)).catch(() => undefined);
  }

  get resynced(): Signal<[]> {
    return this.subConnection.reconnected;
  }
}
