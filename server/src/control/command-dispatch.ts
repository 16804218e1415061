import type { Ack } from '@parley/shared/protocol/socket';

interface CommandSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  onAny(listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Wires a namespace's commands: one listener per command, whose ack is the last argument
 * whatever the arity (a missing or extra payload still gets its `bad_request`; only exactly one
 * payload counts as one), and a `bad_request` for any other event that asks for an ack —
 * own keys only, so `toString` or `__proto__` are not taken for commands.
 */
export function listenForCommands<N extends string>(socket: CommandSocket, commands: Record<N, unknown>, run: (name: N, payload: unknown, ack: unknown) => void): void {
  for (const name of Object.keys(commands) as N[]) {
    socket.on(name, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
      run(name, args.length === 1 ? args[0] : undefined, ack);
    });
  }
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && Object.hasOwn(commands, event)) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (a: Ack) => void)({ ok: false, error: { code: 'bad_request', message: 'Unknown command.' } });
  });
}
