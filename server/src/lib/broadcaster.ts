import type { RoomServerEvents } from '@parley/shared/protocol/socket';

type EventName = keyof RoomServerEvents;
type Payload<E extends EventName> = Parameters<RoomServerEvents[E]>[0];

/**
 * How services tell a room's live clients that something happened, without knowing about
 * socket.io. The socket.io plugin binds the real sink at start; until then events are dropped
 * (nobody can be connected yet).
 */
export class RoomBroadcaster {
  private sink: (<E extends EventName>(roomId: string, event: E, payload: Payload<E>) => void) | null = null;
  private closer: ((roomId: string) => void) | null = null;

  bind(
    sink: <E extends EventName>(roomId: string, event: E, payload: Payload<E>) => void,
    closer: (roomId: string) => void,
  ): void {
    this.sink = sink;
    this.closer = closer;
  }

  emit<E extends EventName>(roomId: string, event: E, payload: Payload<E>): void {
    this.sink?.(roomId, event, payload);
  }

  /** Disconnects every control-channel client of the room. */
  disconnectRoom(roomId: string): void {
    this.closer?.(roomId);
  }
}
