import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyBaseLogger } from 'fastify';
import type { RoomLock } from '../lib/room-lock';
import type { PresenceStore } from '../presence/presence-store';
import { MemoryGuessThrottle, type GuessThrottleFactory } from '../workshops/codes';
import type { DocBus } from '../yjs/doc-bus';
import { forgivingPublisher, RedisConnection } from './connection';
import { RedisDocBus } from './doc-bus';
import { RedisGuessThrottle } from './guess-throttle';
import { RedisPresenceStore } from './presence-store';
import { RedisRoomLock } from './room-lock';

/** socket.io's adapter factory for fan-out across nodes */
export type AdapterFactory = ReturnType<typeof createAdapter>;

/** What several nodes share through Redis: presence, room locks, the doc bus, socket.io fan-out and wrong-code counters. */
export interface Coordination {
  presence: PresenceStore;
  lock: RoomLock;
  bus: DocBus;
  adapter: AdapterFactory;
  guesses: GuessThrottleFactory;
  /** throws unless the commands connection answers */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the three Redis connections a node needs (commands, publisher, and a subscriber that
 * queues while offline) and everything built on them. Every key and channel starts with `prefix`.
 */
export async function openCoordination(url: string, nodeId: string, prefix: string, log: FastifyBaseLogger, now: () => number): Promise<Coordination> {
  const commands = new RedisConnection(url, 'commands', log);
  const publisher = new RedisConnection(url, 'publisher', log);
  const subscriber = new RedisConnection(url, 'subscriber', log, { offlineQueue: true });
  await Promise.all([commands.start(), publisher.start(), subscriber.start()]);
  return {
    presence: new RedisPresenceStore(commands.client, now, prefix),
    lock: new RedisRoomLock(commands.client, prefix),
    bus: new RedisDocBus(nodeId, publisher.client, subscriber.client, subscriber, prefix),
    adapter: createAdapter(forgivingPublisher(publisher.client), subscriber.client, { key: `${prefix}:socket.io` }),
    guesses: (name, limit, windowMs) => new RedisGuessThrottle(commands.client, prefix, name, limit, windowMs, new MemoryGuessThrottle(limit, windowMs, now)),
    checkReady: async () => {
      if (!commands.isReady) throw new Error('redis is not connected');
      await commands.client.ping();
    },
    close: async () => {
      await Promise.all([commands.close(), publisher.close(), subscriber.close()]);
    },
  };
}
