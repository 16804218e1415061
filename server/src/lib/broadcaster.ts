import { Signal } from './signal';
import type { Seat } from '@parley/shared/protocol/ids';
import type { RoomServerEvents } from '@parley/shared/protocol/socket';

type EventName = keyof RoomServerEvents;
/** an event's arguments (its one payload), in the form socket.io's typed `emit` takes them */
type Payload<E extends EventName> = Parameters<RoomServerEvents[E]>;
type Sink = <E extends EventName>(roomId: string, event: E, ...payload: Payload<E>) => void;
type SeatSink = <E extends EventName>(roomId: string, seat: Seat, event: E, ...payload: Payload<E>) => void;

/**
 * How services tell a room's live clients that something happened, without knowing about
 * socket.io. The socket.io plugin binds the real sink at start; until then events are dropped
 * (nobody can be connected yet).
 */
export class RoomBroadcaster {
  private sink: Sink | null = null;
  private localSink: Sink | null = null;
  private seatSink: SeatSink | null = null;
  private closer: ((roomId: string) => void) | null = null;
  private rooms: () => string[] = () => [];
  private eraseAnnouncer: ((roomId: string) => void) | null = null;
  /** another node erased a room (the socket.io plugin emits it when the erase is announced) */
  readonly remoteErased = new Signal<[roomId: string]>();

  bind(parts: { sink: Sink; localSink: Sink; seatSink: SeatSink; closer: (roomId: string) => void; localRooms: () => string[]; announceErase: (roomId: string) => void }): void {
    this.eraseAnnouncer = parts.announceErase;
    this.sink = parts.sink;
    this.localSink = parts.localSink;
    this.seatSink = parts.seatSink;
    this.closer = parts.closer;
    this.rooms = parts.localRooms;
  }

  /** To every client of the room, on every node. */
  emit<E extends EventName>(roomId: string, event: E, ...payload: Payload<E>): void {
    this.sink?.(roomId, event, ...payload);
  }

  /** To one seat of the room (every device of that partner), on every node; never the other seat. */
  emitToSeat<E extends EventName>(roomId: string, seat: Seat, event: E, ...payload: Payload<E>): void {
    this.seatSink?.(roomId, seat, event, ...payload);
  }

  /** To the room's clients connected to this node only. */
  emitLocal<E extends EventName>(roomId: string, event: E, ...payload: Payload<E>): void {
    this.localSink?.(roomId, event, ...payload);
  }

  /** Rooms with control-channel clients on this node. */
  localRooms(): string[] {
    return this.rooms();
  }

  /** Tells the other nodes that a room was erased (they drop its docs and close its sockets). */
  announceErase(roomId: string): void {
    this.eraseAnnouncer?.(roomId);
  }

  /** Disconnects every control-channel client of the room. */
  disconnectRoom(roomId: string): void {
    this.closer?.(roomId);
  }
}
