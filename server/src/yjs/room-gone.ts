/**
 * A doc of a room that has no row or is being erased: the hub does not load it and the store
 * does not keep its writes. Its connections are told the room is gone (4410).
 */
export class RoomGoneError extends Error {
  constructor(readonly docName: string) {
    super('room deleted');
    this.name = 'RoomGoneError';
  }
}
