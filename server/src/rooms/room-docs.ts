import { docName } from '@parley/shared/protocol/ids';
import type { RoomLock } from '../lib/room-lock';
import { RoomDoc } from '../reveal/room-doc';
import { notStored, type DocHub } from '../yjs/doc-hub';

export interface RoomDocsDeps {
  hub: DocHub;
  lock: RoomLock;
}

/**
 * The owner of every room's `<room>/room` doc, which only the server writes. Commands that
 * decide something for a room (a ready mark, a reveal, a pause, a confirmation) run through
 * `change`: under the room's lock, with the doc pinned in memory, and resolving only once what
 * they wrote is durable and relayed, so a command is acknowledged only after that.
 */
export class RoomDocs {
  constructor(private readonly deps: RoomDocsDeps) {}

  /**
   * Reads the room doc (every node's durable updates merged in first) and answers once what
   * was read is stored: a pause or a reveal whose commit is still in flight, and might fail, is
   * not told to anyone yet.
   */
  read<T>(roomId: string, fn: (doc: RoomDoc) => T): Promise<T> {
    return this.deps.hub.readDurable(docName.room(roomId), (live) => fn(new RoomDoc(live.doc)));
  }

  /**
   * Writes the first state of a room just created. Nobody else knows its id yet, so this takes
   * no lock (with several nodes the lock is in Redis, and making a room must not need Redis).
   */
  async initialize(roomId: string, fn: (doc: RoomDoc) => void): Promise<void> {
    await this.deps.hub.withDoc(docName.room(roomId), async (live) => {
      new RoomDoc(live.doc).write(fn);
      if (!(await this.deps.hub.durable(live))) throw notStored();
    });
  }

  /**
   * Runs `fn` under the room's lock; resolves with its result once its writes are durable, and
   * throws `unavailable` if they were not stored (then nothing acknowledges the command, and no
   * event about it goes out).
   *
   * On one node the lock is released as soon as `fn` returns: the next command of the room
   * reads the same doc in memory, and the authoritative state (the `sections` rows) is saved
   * before the doc is written. So the commands of a reveal storm do not wait for one another's
   * commits, and each room's relay goes out with the first batch that holds it. With several
   * nodes the next holder of the lock may be another node, which reads the doc from the store:
   * there the write must be stored before the lock is released. A command that ran on a doc
   * whose earlier write then failed is not stored either (`WriteBatcher`: the evicted doc's
   * queued updates are dropped), so it fails too, and the next one starts from the store.
   */
  async change<T>(roomId: string, fn: (doc: RoomDoc) => T | Promise<T>): Promise<T> {
    const { hub, lock } = this.deps;
    let durable: Promise<boolean> = Promise.resolve(true);
    const result = await lock.run(roomId, () =>
      hub.read(docName.room(roomId), async (live) => {
        try {
          return await fn(new RoomDoc(live.doc));
        } finally {
          durable = hub.durable(live);
          if (hub.replicated) await durable;
        }
      }),
    );
    if (!(await durable)) throw notStored();
    return result;
  }
}
