import { ParleyError } from '@parley/shared/protocol/errors';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ConfigError } from '../config';
import { errorBody, internalError } from '../lib/wire-errors';

/** Prometheus metrics of one app instance (own registry, so several apps can share a process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  return {
    registry,
    wsConnections: new Gauge({ name: 'parley_yjs_connections', help: 'Open Yjs WebSocket connections', registers: [registry] }),
    socketConnections: new Gauge({ name: 'parley_control_connections', help: 'Open socket.io control connections', registers: [registry] }),
    docsLoaded: new Gauge({ name: 'parley_docs_loaded', help: 'Yjs documents in memory', registers: [registry] }),
    updatesPersisted: new Counter({ name: 'parley_updates_persisted_total', help: 'Yjs updates appended to the store', registers: [registry] }),
    flushSeconds: new Histogram({
      name: 'parley_store_flush_seconds',
      help: 'Time to commit one batch of updates',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    reveals: new Counter({ name: 'parley_reveals_total', help: 'Sections revealed', registers: [registry] }),
    roomsCreated: new Counter({ name: 'parley_rooms_created_total', help: 'Rooms created', registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

declare module 'fastify' {
  interface FastifyInstance {
    /** where the metrics listener listens once the app is ready; null when METRICS_PORT is unset */
    metricsAddress: AddressInfo | null;
  }
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

/**
 * `GET /metrics` on a listener of its own, never on the public one: the store counters move
 * when a partner edits a private answer, so whoever can read them can watch that happen.
 * A plain node:http server, opened when the app is ready and closed with it.
 */
export default fp(
  async function metricsListener(app: FastifyInstance, opts: { port: number | null; host: string }) {
    app.decorate('metricsAddress', null);
    const { port, host } = opts;
    if (port === null) return;
    const { metrics, hub } = app.parley;

    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?', 1)[0] !== '/metrics') return void sendJson(res, 404, errorBody(new ParleyError('not_found', 'Not found.')));
      metrics.docsLoaded.set(hub.loadedCount);
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (error: unknown) => {
          app.log.warn({ err: (error as Error).message }, 'metrics could not be collected');
          sendJson(res, 500, errorBody(internalError()));
        },
      );
    });

    app.addHook('onReady', async () => {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => {
          reject(new ConfigError(`Invalid configuration: METRICS_PORT ${port} on METRICS_HOST ${host} cannot be listened on (${error.code ?? error.message})`));
        });
        server.listen(port, host, () => resolve());
      });
      app.metricsAddress = server.address() as AddressInfo;
      app.log.info({ metricsHost: host, metricsPort: app.metricsAddress.port }, 'metrics listener ready');
    });
    app.addHook('onClose', async () => {
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    });
  },
  { name: 'parley-metrics', dependencies: ['parley-services'] },
);
