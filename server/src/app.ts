import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParleyError } from '@parley/shared/protocol/errors';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { DestinationStream } from 'pino';
import { AgreementService } from './agreement/agreement-service';
import type { Config } from './config';
import type { DocStore } from './store/doc-store';
import { RoomBroadcaster } from './lib/broadcaster';
import { ConnectionLimits } from './lib/connection-limits';
import { redactUrl } from './lib/redact-url';
import { errorBody } from './lib/wire-errors';
import errors from './plugins/errors';
import { healthRoutes } from './plugins/health';
import metricsListener, { createMetrics } from './plugins/metrics';
import security from './plugins/security';
import socketio from './plugins/socketio';
import staticClient from './plugins/static';
import { PresenceService } from './presence/presence-service';
import { RevealService } from './reveal/reveal-service';
import { Access } from './rooms/access';
import { RoomRetention } from './rooms/retention';
import { RoomDocs } from './rooms/room-docs';
import { RoomService } from './rooms/room-service';
import { roomRoutes } from './rooms/routes';
import { templateRoutes } from './rooms/template-routes';
import { SceneService } from './scene/scene-service';
import { TemplateCatalog } from './templates/template-catalog';
import type { Services } from './services';
import { openInfrastructure } from './infrastructure';
import { DocHub } from './yjs/doc-hub';
import { yjsRoutes } from './yjs/route';
import { sealedRoutes } from './sealed/route';
import { SealedDocs } from './sealed/sealed-docs';
import { DEFAULT_SEALED_LIMITS } from './sealed/frame-guard';
import { WriteBatcher } from './yjs/write-batcher';
import { workshopRoutes } from './workshops/routes';
import { workshopTemplateRoutes } from './workshops/template-routes';
import { WorkshopService } from './workshops/workshop-service';
import { CloseCode } from '@parley/shared/protocol/close-codes';

export interface BuildOptions {
  /** where log lines go (tests capture them to check nothing secret is logged) */
  logStream?: DestinationStream;
  /** clock, for tests */
  now?: () => number;
  /** tuning, for tests */
  idleUnloadMs?: number;
  compactEvery?: number;
  /** Postgres schema to use (tests isolate themselves) */
  pgSchema?: string;
  /** Redis key prefix (tests isolate themselves) */
  redisPrefix?: string;
  /** how long a signal waits for its acknowledgement before the sender hears "not seen" (10 s; tests shorten it) */
  signalUnseenMs?: number;
  /** entries a room's scene log keeps before the oldest acknowledged ones make room (tests shorten it) */
  sceneLogLimit?: number;
  /** fault injection in tests: wraps the durable doc store */
  wrapDocStore?: (store: DocStore) => DocStore;
  /**
   * Sealed rooms (issue 16): `POST /api/rooms {sealed: true}`, sealed joins, and the sealed doc
   * channel `/sealed/<room>/<doc>` their private and shared docs use (docs/sealed-rooms.md §4).
   * Off unless given: `server.ts` passes `SEALED_ROOMS` (on by default, `off` refuses them), and
   * tests that want sealed rooms say so, so every other test server keeps the option-off behaviour.
   */
  sealedRooms?: boolean;
}

const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');
const BODY_LIMIT = 64 * 1024;

/** Builds the whole Parley app; `server.ts` only listens. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.token', '*.inviteToken'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url) }),
        // @fastify/websocket logs the raw URL of an upgrade on an HTTP-only route as `path`.
        path: (path: string | undefined) => redactUrl(path),
      },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    bodyLimit: BODY_LIMIT,
    // URLs the router cannot take (bad encoding, over-long ids) get the contract's error shape.
    frameworkErrors: (_error, _request, reply) => {
      void (reply as FastifyReply).code(400).send(errorBody(new ParleyError('bad_request', 'The request URL is not valid.')));
    },
    trustProxy: config.trustProxy,
    forceCloseConnections: true,
  });

  const now = opts.now ?? Date.now;
  const metrics = createMetrics();
  const infra = await openInfrastructure(config, app.log, now, {
    ...(opts.pgSchema ? { pgSchema: opts.pgSchema } : {}),
    ...(opts.redisPrefix ? { redisPrefix: opts.redisPrefix } : {}),
  });
  const { rooms, lock } = infra;
  const docs = opts.wrapDocStore ? opts.wrapDocStore(infra.docs) : infra.docs;
  const batcher = new WriteBatcher(docs, (count, ms) => {
    metrics.updatesPersisted.inc(count);
    metrics.flushSeconds.observe(ms / 1000);
  });
  const hub = new DocHub({
    store: docs,
    batcher,
    log: app.log,
    roomIsLive: (roomId) => rooms.isRoomLive(roomId),
    idleUnloadMs: opts.idleUnloadMs ?? 30_000,
    compactEvery: opts.compactEvery ?? 500,
    bus: infra.bus,
    maxDocs: config.limits.maxDocs,
    maxDocBytes: config.limits.maxDocBytes,
  });
  const sealed = opts.sealedRooms
    ? new SealedDocs({
        store: docs,
        batcher,
        log: app.log,
        bus: infra.bus,
        compactEvery: opts.compactEvery ?? 500,
        maxDocBytes: config.limits.maxDocBytes,
        limits: { ...DEFAULT_SEALED_LIMITS, maxFrameBytes: config.maxMessageBytes },
        roomIsLive: (roomId) => rooms.isRoomLive(roomId),
      })
    : null;
  if (sealed) hub.evicting.on((roomId, code, reason) => sealed.evictRoom(roomId, code, reason));
  const events = new RoomBroadcaster();
  const presenceStore = infra.presence;
  const roomDocs = new RoomDocs({ hub, lock });
  const templates = new TemplateCatalog({ store: infra.templates, now });
  const reveal = new RevealService({ rooms, hub, roomDocs, events, templates, log: app.log, now });
  reveal.revealed.on(() => metrics.reveals.inc());
  const roomService = new RoomService({ rooms, docs, hub, lock, roomDocs, presence: presenceStore, events, templates, publicUrl: config.publicUrl, now, afterErase: infra.afterErase });
  const workshops = new WorkshopService({ workshops: infra.workshops, rooms, roomService, reveal, templates, lock, presence: presenceStore, events, hub, roomDocs, publicUrl: config.publicUrl, now, log: app.log, afterErase: infra.afterErase, ...(infra.guesses ? { guesses: infra.guesses } : {}) });
  const retention = new RoomRetention({ rooms, docs, roomService, workshops, templates: infra.templates, ttlDays: config.roomTtlDays, now, log: app.log, afterErase: infra.afterErase });
  const services: Services = {
    config,
    rooms,
    docs,
    hub,
    access: new Access(rooms),
    reveal,
    agreement: new AgreementService({ rooms, hub, roomDocs, events, templates, now }),
    roomService,
    presence: new PresenceService(presenceStore, rooms, events, now),
    presenceStore,
    events,
    metrics,
    retention,
    workshops,
    scene: new SceneService({ roomDocs, events, now, log: app.log, unseenMs: opts.signalUnseenMs ?? 10_000, ...(opts.sceneLogLimit ? { logLimit: opts.sceneLogLimit } : {}) }),
    limits: new ConnectionLimits(config.limits),
  };
  reveal.sectionsChanged.on((roomId) => workshops.changed(roomId));
  services.presence.changed.on((roomId) => workshops.changed(roomId));
  events.remoteErased.on((roomId) => void roomService.erasedElsewhere(roomId).catch(() => undefined));
  hub.loaded.on((live) => {
    if (live.ref.kind === 'room') void reveal.reconcile(live.ref.roomId).catch((e: unknown) => app.log.warn({ err: (e as Error).message }, 'reconcile failed'));
  });

  const isAllowedOrigin = (origin: string | undefined) => origin === undefined || config.allowedOrigins.includes(origin);

  app.register(
    fp(
      async (instance) => {
        instance.decorate('parley', services);
      },
      { name: 'parley-services' },
    ),
  );
  app.register(errors);
  app.register(security, { rateLimitPerMinute: config.rateLimitPerMinute });
  app.register(websocket, {
    options: { maxPayload: config.maxMessageBytes },
    // Oversized or broken frames are the client's fault (ws already closed with 1009/1002):
    // one info line without a stack, not an error per hostile frame.
    errorHandler: (error, socket, request) => {
      request.log.info({ err: error.message }, 'websocket protocol error');
      socket.terminate();
    },
  });
  app.register(socketio, { isAllowedOrigin, maxMessageBytes: config.maxMessageBytes, adapter: infra.adapter });
  app.register(healthRoutes, {
    checkReady: async () => {
      await infra.checkReady();
      // Storage that answers a ping but refuses writes (disk full, read-only) is not ready either.
      if (batcher.failing) throw batcher.failing;
    },
  });
  app.register(templateRoutes);
  app.register(roomRoutes, {
    rateLimit: config.rateLimitPerMinute > 0 ? { max: config.rateLimitPerMinute, timeWindow: '1 minute' } : false,
    sealedRooms: opts.sealedRooms ?? false,
  });
  app.register(workshopRoutes, {
    rateLimit: config.rateLimitPerMinute > 0 ? { max: config.rateLimitPerMinute, timeWindow: '1 minute' } : false,
  });
  app.register(workshopTemplateRoutes, {
    rateLimit: config.rateLimitPerMinute > 0 ? { max: config.rateLimitPerMinute, timeWindow: '1 minute' } : false,
  });
  const docSockets = {
    access: services.access,
    isAllowedOrigin,
    onConnectionCount: (d: number) => metrics.wsConnections.inc(d),
    onAuthorized: (roomId: string) => void roomService.touch(roomId).catch(() => undefined),
    limits: services.limits,
  };
  app.register(yjsRoutes, { ...docSockets, hub });
  if (sealed) app.register(sealedRoutes, { ...docSockets, sealed });
  app.register(staticClient, { root: config.staticDir ?? DEFAULT_STATIC_DIR });
  // Not on the public listener: see plugins/metrics.ts.
  app.register(metricsListener, { port: config.metricsPort, host: config.metricsHost });

  app.addHook('onReady', async () => {
    retention.start();
    services.presence.start();
  });
  app.addHook('preClose', async () => {
    retention.stop();
    await roomService.flushTouches();
    services.presence.stop();
    workshops.destroy();
    services.scene.destroy();
    // Clients reconnect elsewhere / later (4503); every acknowledged edit is flushed first.
    reveal.destroy();
    await reveal.settled();
    sealed?.shutdown(CloseCode.unavailable, 'server shutting down');
    await hub.shutdown(CloseCode.unavailable, 'server shutting down');
  });
  app.addHook('onClose', async () => {
    await presenceStore.close();
    await infra.close();
  });

  await app.ready();
  return app;
}
