import { createHook } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { createPair } from '../helpers/api';
import { until } from '../helpers/clients';
import { REDIS_URL } from '../helpers/cluster';
import { joinAs } from '../helpers/partner';
import { DATABASE_URL, dropSchema, freshSchema } from '../helpers/pg-schema';
import { startServer } from '../helpers/server';

/**
 * prom-client's default metrics enable a perf_hooks event-loop-delay histogram per registry and
 * offer no way to disable it again. It does not keep the process alive; it is the one resource
 * an app leaves behind (worth an issue), so it is named here rather than ignored silently.
 */
const NOT_OURS = new Set(['ELDHISTOGRAM']);

/**
 * The async resources (timers, sockets, servers, workers…, ref'd or not) created between
 * `watchResources()` and `seal()` that are still alive. (A count of
 * `process.getActiveResourcesInfo()` before and after misses a leaked timer whenever one of the
 * test runner's own timers ended meanwhile.) What runs after `seal()` — the wait below — is not
 * watched, so it cannot count itself.
 */
function watchResources() {
  const live = new Map<number, string>();
  let sealed = false;
  const hook = createHook({
    init: (id, type, _trigger, resource: { hasRef?: unknown }) => {
      // Handles and timers have hasRef; promises and one-shot requests do not.
      if (!sealed && typeof resource.hasRef === 'function') live.set(id, type);
    },
    destroy: (id) => void live.delete(id),
  });
  hook.enable();
  return {
    /** the kinds of the resources still open, e.g. `['TCPWRAP', 'Timeout']` */
    open: (): string[] => [...live.values()].filter((type) => !NOT_OURS.has(type)).sort(),
    seal: () => void (sealed = true),
    stop: () => hook.disable(),
  };
}

/** One node on SQLite (the embedded default), and one on Postgres + Redis as a cluster node runs. */
const engines = [
  { id: 'SH1', name: 'SQLite', options: () => ({ port: 0 }), cleanup: async () => undefined },
  {
    id: 'SH2',
    name: 'Postgres + Redis',
    options: (schema: string) => ({ port: 0, env: { DATABASE_URL, REDIS_URL }, build: { pgSchema: schema, redisPrefix: schema } }),
    cleanup: (schema: string) => dropSchema(schema),
  },
];

describe('shutdown (style: every timer, socket, interval and subscription has an owner that stops it)', () => {
  for (const engine of engines) {
    it(`${engine.id} app.close() leaves no handle open (${engine.name}), after real providers and a socket.io client connected, wrote and left`, async () => {
      const schema = freshSchema();
      const resources = watchResources();
      try {
        const server = await startServer(engine.options(schema));
        try {
          const pair = await createPair(server.url);
          const a = await joinAs(server, pair.roomId, pair.a);
          const b = await joinAs(server, pair.roomId, pair.b);
          a.answer('impact_hand', { giving: 'yes' });
          b.shared.doc.getText('notes').insert(0, 'before shutdown');
          await Promise.all([a.private.stored(), b.shared.stored()]);
          expect(await a.control.send('section:ready', { sectionId: 'arrival', ready: true })).toEqual({ ok: true });
          // The clients leave first, as browsers do; the server still holds their rooms' docs.
          const left = Promise.all([a.private.closed, b.room.closed, new Promise((resolve) => a.control.socket.once('disconnect', resolve))]);
          a.close();
          b.close();
          await left;
          // control: the running server's listener, sockets and timers are seen
          expect(resources.open()).toEqual(expect.arrayContaining(['TCPSERVERWRAP', 'TCPWRAP', 'Timeout']));
        } finally {
          await server.close();
          resources.seal();
        }
        // A closed socket is released on a later turn of the loop than close() resolves in: allow that, briefly.
        await until(() => resources.open().length === 0, 1000, 'every handle closed').catch(() => undefined);
        expect(resources.open()).toEqual([]);
      } finally {
        resources.stop();
        await engine.cleanup(schema);
      }
    });
  }
});
