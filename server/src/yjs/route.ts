import { CloseCode } from '@parley/shared/protocol/close-codes';
import type { FastifyInstance } from 'fastify';
import { closeWith, docSocketRoute, type DocSocketOptions } from '../lib/doc-socket';
import type { DocHub } from './doc-hub';
import { YjsConnection } from './connection';

interface YjsRouteOptions extends DocSocketOptions {
  hub: DocHub;
}

/**
 * `/yjs/<roomId>/<doc>?token=…`: the y-websocket endpoint. The token is checked before any
 * byte of any document is sent (`docSocketRoute`).
 */
export async function yjsRoutes(app: FastifyInstance, opts: YjsRouteOptions): Promise<void> {
  docSocketRoute(app, 'yjs', opts, async ({ ws, roomId, docPath, canWrite, log, gone, attach }) => {
    const { live, release } = await opts.hub.acquire(`${roomId}/${docPath}`);
    try {
      if (gone()) return;
      // Evicted between its load and now (e.g. its room is being erased): say why.
      if (live.closed) return closeWith(ws, live.closedWith?.code ?? CloseCode.unavailable, live.closedWith?.reason ?? 'unavailable');
      const connection = new YjsConnection(ws, live, opts.hub, canWrite, log);
      connection.start();
      attach(connection);
    } finally {
      release();
    }
  });
}
