import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
