import { Signal } from '../lib/signal';
import type { FastifyBaseLogger } from 'fastify';
import { createClient, type RedisClientType } from 'redis';

/** Reconnect quickly (presence must recover within 5 s of Redis returning), capped at 1 s. */
const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 1000);
const CONNECT_WAIT_MS = 3000;

export type Redis = RedisClientType;

/**
 * One node-redis client with outage bookkeeping: an outage is logged once when it starts and
 * once when it ends (no hot loop), commands fail fast while disconnected (no offline queue
 * growing without bound), and listeners learn when the connection came back.
 */
export class RedisConnection {
  readonly client: Redis;
  private down = false;
  /** the connection is back after an outage (subscribers re-read what they missed) */
  readonly reconnected = new Signal<[]>();

  constructor(
    url: string,
    private readonly name: string,
    private readonly log: FastifyBaseLogger,
    /** a subscriber keeps its queue so subscriptions made during an outage are sent on reconnect */
    opts: { offlineQueue?: boolean } = {},
  ) {
    this.client = createClient({
      url,
      disableOfflineQueue: !opts.offlineQueue,
      socket: { reconnectStrategy, connectTimeout: 2000 },
    }) as Redis;
    this.client.on('error', (error: Error) => {
      if (this.down) return;
      this.down = true;
      this.log.error({ redis: this.name, err: error.message }, 'redis connection lost; degraded until it returns');
    });
    this.client.on('ready', () => {
      if (!this.down) return;
      this.down = false;
      this.log.info({ redis: this.name }, 'redis connection back');
      this.reconnected.emit();
    });
  }

  /** Connects, waiting a little for the first connection; a Redis that is down does not stop start-up. */
  async start(): Promise<void> {
    const connecting = this.client.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([connecting, new Promise((r) => (timer = setTimeout(r, CONNECT_WAIT_MS).unref()))]);
    // The wait is over either way: a connection that came first leaves no timer behind.
    clearTimeout(timer);
    if (!this.client.isReady) this.down = true;
  }

  get isReady(): boolean {
    return this.client.isReady;
  }

  async close(): Promise<void> {
    // destroy() throws on a client that is already closed (a connect that failed for good)
    if (this.client.isOpen) await this.client.close().catch(() => this.client.isOpen && this.client.destroy());
  }
}

/**
 * The client as the socket.io adapter should see it: publishing never rejects (the adapter
 * does not catch, and an unhandled rejection would take the process down during an outage).
 */
export function forgivingPublisher(client: Redis): Redis {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'publish') {
        return (...args: Parameters<Redis['publish']>) => target.publish(...args).catch(() => 0);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
