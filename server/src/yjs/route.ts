import { CloseCode } from '@parley/shared/protocol/close-codes';
import { ParleyError } from '@parley/shared/protocol/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { ConnectionLimits } from '../lib/connection-limits';
import { closeCodeOf, errorBody } from '../lib/wire-errors';
import type { Access } from '../rooms/access';
import type { DocHub } from './doc-hub';
import { YjsConnection } from './connection';
import { RoomGoneError } from './room-gone';

const PING_INTERVAL_MS = 30_000;
/** frames a client may send before its authorization finished */
const MAX_EARLY_FRAMES = 64;

interface YjsRouteOptions {
  hub: DocHub;
  access: Access;
  isAllowedOrigin: (origin: string | undefined) => boolean;
  onConnectionCount: (delta: number) => void;
  onAuthorized: (roomId: string) => void;
  limits: ConnectionLimits;
}

/**
 * `/yjs/<roomId>/<doc>?token=…`: the y-websocket endpoint. The token is checked before any
 * byte of any document is sent; frames that arrive meanwhile wait in a short queue.
 */
export async function yjsRoutes(app: FastifyInstance, opts: YjsRouteOptions): Promise<void> {
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
    '/yjs/*',
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
      let connection: YjsConnection | null = null;
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
        connection?.onClosed();
      });
      ws.on('message', (data: RawData, isBinary: boolean) => {
        alive.set(ws, true);
        if (!isBinary) return closeWith(ws, CloseCode.badFrame, 'binary frames only');
        const frame = toUint8Array(data);
        if (connection) connection.receive(frame);
        else if (early.push(frame) > MAX_EARLY_FRAMES) closeWith(ws, CloseCode.badFrame, 'too many frames');
      });

      void (async () => {
        try {
          const access = await opts.access.doc(roomId, docPath, request.query.token);
          if (gone) return;
          if (!access.ok) return closeWith(ws, closeCodeOf(access.error), access.error.message);
          releaseSlot = opts.limits.acquire(roomId, request.ip);
          if (!releaseSlot) return closeWith(ws, CloseCode.unavailable, 'too many connections');
          opts.onAuthorized(roomId);
          const name = `${roomId}/${docPath}`;
          const { live, release } = await opts.hub.acquire(name);
          try {
            if (gone) return;
            // Evicted between its load and now (e.g. its room is being erased): say why.
            if (live.closed) return closeWith(ws, live.closedWith?.code ?? CloseCode.unavailable, live.closedWith?.reason ?? 'unavailable');
            connection = new YjsConnection(ws, live, opts.hub, access.canWrite, request.log);
            connection.start();
            for (const frame of early.splice(0)) connection.receive(frame);
          } finally {
            release();
          }
        } catch (error) {
          if (error instanceof RoomGoneError) return closeWith(ws, CloseCode.gone, 'room deleted');
          request.log.warn({ err: (error as Error).message }, 'yjs connection could not be opened');
          closeWith(ws, CloseCode.unavailable, 'unavailable');
        }
      })();
    },
  );
}

function closeWith(ws: WebSocket, code: CloseCode, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
