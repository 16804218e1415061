import type { Config } from './config';
import type { AgreementService } from './agreement/agreement-service';
import type { RoomBroadcaster } from './lib/broadcaster';
import type { ConnectionLimits } from './lib/connection-limits';
import type { Metrics } from './plugins/metrics';
import type { PresenceService } from './presence/presence-service';
import type { PresenceStore } from './presence/presence-store';
import type { RevealService } from './reveal/reveal-service';
import type { Access } from './rooms/access';
import type { RoomRetention } from './rooms/retention';
import type { RoomService } from './rooms/room-service';
import type { SceneService } from './scene/scene-service';
import type { DocStore } from './store/doc-store';
import type { RoomStore } from './store/room-store';
import type { DocHub } from './yjs/doc-hub';
import type { WorkshopService } from './workshops/workshop-service';

/** Everything the routes and socket handlers call; built once in `buildApp`. */
export interface Services {
  config: Config;
  rooms: RoomStore;
  docs: DocStore;
  hub: DocHub;
  access: Access;
  roomService: RoomService;
  reveal: RevealService;
  agreement: AgreementService;
  presence: PresenceService;
  presenceStore: PresenceStore;
  events: RoomBroadcaster;
  metrics: Metrics;
  retention: RoomRetention;
  workshops: WorkshopService;
  scene: SceneService;
  limits: ConnectionLimits;
}

declare module 'fastify' {
  interface FastifyInstance {
    parley: Services;
  }
}
