/**
 * Serializes the commands of one room (ready marks, reopen, pause, confirm) so that two
 * ready marks arriving together reveal exactly once. In-process; a multi-node deployment
 * puts a distributed lease behind the same interface.
 */
export interface RoomLock {
  run<T>(roomId: string, fn: () => Promise<T>): Promise<T>;
}

export class LocalRoomLock implements RoomLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(roomId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(roomId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(roomId, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(roomId) === tail) this.tails.delete(roomId);
    }
  }
}
