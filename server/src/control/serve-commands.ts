import { ParleyError } from '@parley/shared/protocol/errors';
import type { Ack, CommandMap } from '@parley/shared/protocol/socket';
import type { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import { ackFailure, internalError } from '../lib/wire-errors';

/** What each command does, given who asks and its validated payload; resolves with the ack's data. */
export type CommandHandlers<C extends CommandMap, D extends { [K in keyof C]: unknown }, Ctx> = {
  [K in keyof C]: (ctx: Ctx, payload: z.output<C[K]>) => Promise<D[K]>;
};

export interface CommandService<C extends CommandMap, D extends { [K in keyof C]: unknown }, Ctx> {
  commands: C;
  handlers: CommandHandlers<C, D, Ctx>;
  /** who asks, read for each command once its payload is valid; a ParleyError thrown here is its answer */
  context: () => Ctx | Promise<Ctx>;
  /** runs before a valid command's handler; a ParleyError thrown here is its answer (a budget) */
  gate?: (name: keyof C & string, ctx: Ctx) => void;
  /** false: the socket is being dropped (its room was erased meanwhile), so commands get no answer */
  admitted?: Promise<boolean>;
  log: FastifyBaseLogger;
}

/** The one method of a socket.io server socket this needs: every incoming event, whatever its arity. */
interface IncomingEvents {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
}

/**
 * Serves a namespace's commands on one socket: validates the payload against the command's zod
 * schema, runs its handler and answers the ack with `{ok:true, data?}` or `{ok:false, error}`.
 * The ack is the last argument whatever the arity, so a missing or extra payload still gets its
 * `bad_request` (only exactly one payload counts as one; a missing one reads as `{}`). Any other
 * event that asks for an ack gets `bad_request` too — own keys only, so `toString` or
 * `__proto__` are not taken for commands.
 */
export function serveCommands<C extends CommandMap, D extends { [K in keyof C]: unknown }, Ctx>(socket: IncomingEvents, service: CommandService<C, D, Ctx>): void {
  socket.onAny((event, ...args) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? last : null;
    if (ack) args.pop();
    const reply = (answer: Ack<unknown>) => ack?.(answer);
    if (!isCommand(service.commands, event)) {
      reply(ackFailure(new ParleyError('bad_request', 'Unknown command.')));
      return;
    }
    const payload = args.length === 1 ? args[0] : undefined;
    void (service.admitted ?? Promise.resolve(true)).then((admitted) => (admitted ? run(service, event, payload).then(reply) : undefined));
  });
}

function isCommand<C extends CommandMap>(commands: C, event: string): event is keyof C & string {
  return Object.hasOwn(commands, event);
}

async function run<C extends CommandMap, D extends { [K in keyof C]: unknown }, Ctx, K extends keyof C & string>(service: CommandService<C, D, Ctx>, name: K, payload: unknown): Promise<Ack<D[K]>> {
  const schema: C[K] = service.commands[name];
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return ackFailure(new ParleyError('bad_request', `Invalid ${name} payload${issue ? `: ${issue.path.join('.') || 'payload'} ${issue.message}` : ''}.`));
  }
  try {
    const ctx = await service.context();
    service.gate?.(name, ctx);
    const data = await service.handlers[name](ctx, parsed.data);
    return data === undefined ? { ok: true } : { ok: true, data };
  } catch (error) {
    if (error instanceof ParleyError) return ackFailure(error);
    service.log.error({ err: error, command: name }, 'command failed');
    return ackFailure(internalError());
  }
}
