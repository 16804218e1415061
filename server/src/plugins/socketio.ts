import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SOCKET_NAMESPACES } from '@parley/shared/protocol/socket';
import { Server, type ServerOptions } from 'socket.io';
import { attachRoomNamespace, ROOM_ERASED, seatRoom, socketRoom, type RoomNamespace } from '../control/room-namespace';
import { attachWorkshopNamespace, type WorkshopNamespace } from '../control/workshop-namespace';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
  }
}

/**
 * socket.io on Fastify's own HTTP server (fastify-socket.io only supports Fastify 4).
 * @fastify/websocket answers every upgrade it has no route for with a 404, which would break
 * socket.io's websocket transport: `/socket.io/` upgrades are hijacked so engine.io's own
 * upgrade listener takes them.
 */
export default fp(
  async function socketio(
    app: FastifyInstance,
    opts: { isAllowedOrigin: (origin: string | undefined) => boolean; maxMessageBytes: number; adapter: ServerOptions['adapter'] | null },
  ) {
    const io = new Server(app.server, {
      path: '/socket.io',
      serveClient: false,
      destroyUpgrade: false,
      maxHttpBufferSize: Math.min(opts.maxMessageBytes, 64 * 1024),
      allowRequest: (req, callback) => callback(null, opts.isAllowedOrigin(req.headers.origin)),
      ...(opts.adapter ? { adapter: opts.adapter } : {}),
    });
    app.decorate('io', io);

    app.addHook('onRequest', async (request, reply) => {
      if (request.raw.url?.startsWith('/socket.io/') && request.headers.upgrade) reply.hijack();
    });

    // Each namespace is typed with its own event maps (shared/src/protocol: derived from the commands' zod schemas).
    const rooms: RoomNamespace = io.of(SOCKET_NAMESPACES.room);
    const workshops: WorkshopNamespace = io.of(SOCKET_NAMESPACES.workshop);
    attachRoomNamespace(rooms, app.parley, app.log);
    attachWorkshopNamespace(workshops, app.parley, app.log);
    app.parley.events.bind({
      sink: (roomId, event, ...payload) => {
        rooms.to(socketRoom(roomId)).emit(event, ...payload);
      },
      localSink: (roomId, event, ...payload) => {
        rooms.local.to(socketRoom(roomId)).emit(event, ...payload);
      },
      seatSink: (roomId, seat, event, ...payload) => {
        rooms.to(seatRoom(roomId, seat)).emit(event, ...payload);
      },
      closer: (roomId) => {
        rooms.in(socketRoom(roomId)).disconnectSockets(true);
      },
      localRooms: () => [...rooms.adapter.rooms.keys()].filter((r) => r.startsWith('room:')).map((r) => r.slice(5)),
      // The in-memory adapter has no other nodes to tell (and warns on serverSideEmit).
      announceErase: opts.adapter ? (roomId) => rooms.serverSideEmit(ROOM_ERASED, roomId) : () => undefined,
    });
    rooms.on(ROOM_ERASED, (roomId) => app.parley.events.remoteErased.emit(roomId));

    app.addHook('preClose', async () => {
      // Not io.close(): that would also close the HTTP server, which Fastify owns.
      io.disconnectSockets(true);
      io.engine.close();
      await Promise.all([...io._nsps.values()].map((nsp) => nsp.adapter.close()));
    });
  },
  { name: 'parley-socketio', dependencies: ['parley-services'] },
);
