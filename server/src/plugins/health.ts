import type { FastifyInstance } from 'fastify';
import { toErrorBody } from './errors';

export async function healthRoutes(app: FastifyInstance, opts: { metricsHost: string | null; checkReady: () => Promise<void> }): Promise<void> {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (request, reply) => {
    try {
      await opts.checkReady();
      return { ok: true };
    } catch (error) {
      request.log.warn({ err: (error as Error).message }, 'not ready');
      return reply.code(503).send(toErrorBody('unavailable', 'Storage or Redis is not answering.'));
    }
  });

  app.get('/metrics', async (request, reply) => {
    if (opts.metricsHost && request.socket.localAddress !== opts.metricsHost) {
      return reply.code(404).send(toErrorBody('not_found', 'Not found.'));
    }
    const { metrics, hub } = app.parley;
    metrics.docsLoaded.set(hub.loadedCount);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
