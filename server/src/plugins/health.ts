import { ParleyError } from '@parley/shared/protocol/errors';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../lib/wire-errors';

export async function healthRoutes(app: FastifyInstance, opts: { checkReady: () => Promise<void> }): Promise<void> {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (request, reply) => {
    try {
      await opts.checkReady();
      return { ok: true };
    } catch (error) {
      request.log.warn({ err: (error as Error).message }, 'not ready');
      return reply.code(503).send(errorBody(new ParleyError('unavailable', 'Storage or Redis is not answering.')));
    }
  });
}
