import { CloseCode } from '@parley/shared/protocol/close-codes';
import type { FastifyInstance } from 'fastify';
import { closeWith, docSocketRoute, type DocSocketOptions } from '../lib/doc-socket';
import type { SealedDocs } from './sealed-docs';

interface SealedRouteOptions extends DocSocketOptions {
  sealed: SealedDocs;
}

/**
 * `/sealed/<roomId>/<doc>?token=…` (docs/sealed-rooms.md §4): the sealed doc channel, authorized
 * exactly like `/yjs` (`docSocketRoute`). The room doc stays a server-written Yjs doc, so it is
 * not here (4403), and neither are a standard room's docs (`Access.doc`: one room, one channel).
 * Registered only when the app is built with `sealedRooms` (`SEALED_ROOMS`, on by default).
 */
export async function sealedRoutes(app: FastifyInstance, opts: SealedRouteOptions): Promise<void> {
  docSocketRoute(app, 'sealed', opts, async ({ ws, roomId, docPath, canWrite, log, gone, attach }) => {
    if (!canWrite) return closeWith(ws, CloseCode.forbidden, 'the room doc is not sealed');
    const kind = docPath === 'shared' ? 'shared' : 'private';
    const connection = await opts.sealed.connect(`${roomId}/${docPath}`, roomId, kind, ws, log);
    if (gone()) return connection.onClosed();
    attach(connection);
  });
}
