import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server, type ServerOptions } from 'socket.io';
import { attachRoomNamespace, socketRoom } from '../control/room-namespace';
import { attachWorkshopNamespace } from '../control/workshop-namespace';

/** server-to-server event: a room was erased on another node */
const ERASED = 'parley:room-erased';

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

    const rooms = io.of('/room');
    attachRoomNamespace(rooms, app.parley, app.log);
    attachWorkshopNamespace(io.of('/workshop'), app.parley, app.log);
    app.parley.events.bind({
      sink: (roomId, event, payload) => {
        rooms.to(socketRoom(roomId)).emit(event, payload as never);
      },
      localSink: (roomId, event, payload) => {
        rooms.local.to(socketRoom(roomId)).emit(event, payload as never);
      },
      closer: (roomId) => {
        rooms.in(socketRoom(roomId)).disconnectSockets(true);
      },
      localRooms: () => [...rooms.adapter.rooms.keys()].filter((r) => r.startsWith('room:')).map((r) => r.slice(5)),
      // The in-memory adapter has no other nodes to tell (and warns on serverSideEmit).
      announceErase: opts.adapter ? (roomId) => rooms.serverSideEmit(ERASED, roomId) : () => undefined,
    });
    rooms.on(ERASED, (roomId: unknown) => {
      if (typeof roomId === 'string') app.parley.events.remoteErased(roomId);
    });

    app.addHook('preClose', async () => {
      // Not io.close(): that would also close the HTTP server, which Fastify owns.
      io.disconnectSockets(true);
      io.engine.close();
      await Promise.all([...io._nsps.values()].map((nsp) => nsp.adapter.close()));
    });
  },
  { name: 'parley-socketio', dependencies: ['parley-services'] },
);
