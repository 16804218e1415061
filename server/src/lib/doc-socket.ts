import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ParleyError } from '@parley/shared/protocol/errors';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Access, DocChannel } from '../rooms/access';
import { RoomGoneError } from '../yjs/room-gone';
import type { ConnectionLimits } from './connection-limits';
import { closeCodeOf, errorBody } from './wire-errors';

const PING_INTERVAL_MS = 30_000;
/** frames a client may send before its authorization finished */
const MAX_EARLY_FRAMES = 64;

export interface DocSocketOptions {
  access: Access;
  isAllowedOrigin: (origin: string | undefined) => boolean;
  onConnectionCount: (delta: number) => void;
  onAuthorized: (roomId: string) => void;
  limits: ConnectionLimits;
}

/** What reads an authorized socket's frames. */
export interface DocSession {
  receive(frame: Uint8Array): void;
  /** the socket went away (closed by the peer or by us) */
  onClosed(): void;
}

export interface AuthorizedDoc {
  ws: WebSocket;
  roomId: string;
  /** the doc's path after the room id: `shared`, `room`, `private/<id>` */
  docPath: string;
  /** whether the participant may write it (every doc but the room doc) */
  canWrite: boolean;
  log: FastifyBaseLogger;
  /** true once the socket closed: whatever the opener set up must be let go */
  gone: () => boolean;
  /** hands the socket to its session: the frames that waited for the authorization go first */
  attach: (session: DocSession) => void;
}

/**
 * A doc endpoint's WebSocket plumbing, shared by `/yjs` and `/sealed` so both authorize the same
 * way: the origin before the upgrade, then the token, the room and the doc before any byte of any
 * document is sent (4401 unknown token, 4403 not theirs, 4410 deleted room), then the connection
 * slots (4503). Frames that arrive meanwhile wait in a short queue; text frames close with 4400.
 * `open` sets the doc up and calls `attach`; a `RoomGoneError` it throws closes with 4410, any
 * other error with 4503.
 */
export function docSocketRoute(app: FastifyInstance, channel: DocChannel, opts: DocSocketOptions, open: (doc: AuthorizedDoc) => Promise<void>): void {
  const prefix = `/${channel}`;
  const alive = new Map<WebSocket, boolean>();
  const pinger = setInterval(() => {
    for (const [ws, ok] of alive) {
      if (!ok) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  app.addHook('onClose', async () => clearInterval(pinger));

  app.get<{ Params: { '*': string }; Querystring: { token?: string } }>(
    `${prefix}/*`,
    {
      websocket: true,
      preValidation: async (request, reply) => {
        if (!opts.isAllowedOrigin(request.headers.origin)) {
          await reply.code(403).send(errorBody(new ParleyError('forbidden', 'Origin not allowed.')));
        }
      },
    },
    (ws: WebSocket, request: FastifyRequest<{ Params: { '*': string }; Querystring: { token?: string } }>) => {
      const path = request.params['*'];
      const slash = path.indexOf('/');
      const roomId = slash > 0 ? path.slice(0, slash) : path;
      const docPath = slash > 0 ? path.slice(slash + 1) : '';
      const early: Uint8Array[] = [];
      let session: DocSession | null = null;
      let gone = false;
      let releaseSlot: (() => void) | null = null;

      alive.set(ws, true);
      opts.onConnectionCount(1);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        gone = true;
        alive.delete(ws);
        opts.onConnectionCount(-1);
        releaseSlot?.();
        session?.onClosed();
      });
      ws.on('message', (data: RawData, isBinary: boolean) => {
        alive.set(ws, true);
        if (!isBinary) return closeWith(ws, CloseCode.badFrame, 'binary frames only');
        const frame = toUint8Array(data);
        if (session) session.receive(frame);
        else if (early.push(frame) > MAX_EARLY_FRAMES) closeWith(ws, CloseCode.badFrame, 'too many frames');
      });

      void (async () => {
        try {
          const access = await opts.access.doc(roomId, docPath, request.query.token, channel);
          if (gone) return;
          if (!access.ok) return closeWith(ws, closeCodeOf(access.error), access.error.message);
          releaseSlot = opts.limits.acquire(roomId, access.participant.id, request.ip);
          if (!releaseSlot) return closeWith(ws, CloseCode.unavailable, 'too many connections');
          opts.onAuthorized(roomId);
          await open({
            ws,
            roomId,
            docPath,
            canWrite: access.canWrite,
            log: request.log,
            gone: () => gone,
            attach: (opened) => {
              session = opened;
              for (const frame of early.splice(0)) opened.receive(frame);
            },
          });
        } catch (error) {
          if (error instanceof RoomGoneError) return closeWith(ws, CloseCode.gone, 'room deleted');
          request.log.warn({ err: (error as Error).message }, 'doc connection could not be opened');
          closeWith(ws, CloseCode.unavailable, 'unavailable');
        }
      })();
    },
  );
}

export function closeWith(ws: WebSocket, code: CloseCode, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
