import type { Socket } from 'socket.io-client';
import { HandshakeRefusal, type AckFailure } from '@parley/shared/protocol/socket';

/** How long a command waits for its ack before it counts as not delivered. */
export const COMMAND_TIMEOUT_MS = 8_000;

type EventsMap = Record<string, (...args: never[]) => void>;

const notDelivered = (message: string): AckFailure => ({ ok: false, error: { code: 'unavailable', message } });

/**
 * The one way the client sends a control command: over a socket typed from the shared command
 * map, so name, payload and ack data are checked against the zod schemas. Resolves with the
 * server's ack, or `unavailable` when the socket is not connected, drops before the ack, or no
 * ack came in time. (socket.io's own `emit` types cannot be forwarded by a generic wrapper —
 * they stay unresolved — so the parameters are taken from its signature: `typeof
 * socket.emitWithAck<Ev>`.)
 */
export function commandSender<L extends EventsMap, M extends EventsMap>(socket: Socket<L, M>) {
  return <Ev extends keyof M & string>(...call: Parameters<typeof socket.emitWithAck<Ev>>): Promise<Awaited<ReturnType<typeof socket.emitWithAck<Ev>>> | AckFailure> =>
    new Promise((resolve) => {
      if (!socket.connected) return resolve(notDelivered('not connected'));
      const timer = setTimeout(() => resolve(notDelivered('timeout')), COMMAND_TIMEOUT_MS);
      const settle = (answer: Awaited<ReturnType<typeof socket.emitWithAck<Ev>>> | AckFailure) => {
        clearTimeout(timer);
        resolve(answer);
      };
      // emitWithAck rejects when the connection drops before the ack: that is said at once.
      socket.emitWithAck(...call).then(settle, () => settle(notDelivered('disconnected')));
    });
}
export type CommandSender<L extends EventsMap, M extends EventsMap> = ReturnType<typeof commandSender<L, M>>;

/** Listens to one event of a typed socket; returns the function that stops listening. */
export function eventListener<L extends EventsMap, M extends EventsMap>(socket: Socket<L, M>) {
  // `on` and `off` spell the listener's type differently for a generic event; for a named one both are its listener.
  type Listener<Ev extends Parameters<typeof socket.on>[0]> = Parameters<typeof socket.on<Ev>>[1] & NonNullable<Parameters<typeof socket.off<Ev>>[1]>;
  return <Ev extends Parameters<typeof socket.on>[0]>(event: Ev, listener: Listener<Ev>): (() => void) => {
    socket.on(event, listener);
    return () => void socket.off(event, listener);
  };
}

/** Why the server refused a socket.io handshake (`connect_error`), from its data; null when it did not say (a network failure). */
export function handshakeRefusal(error: Error): HandshakeRefusal | null {
  const parsed = HandshakeRefusal.safeParse('data' in error ? error.data : undefined);
  return parsed.success ? parsed.data : null;
}
