import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { toErrorBody } from './errors';

const API_PREFIXES = ['/api/', '/yjs/', '/socket.io/', '/metrics', '/healthz', '/readyz'];

/**
 * Serves the built client and answers every other GET with its index.html, so deep links
 * (`/r/<roomId>`, `/join/<roomId>`) work. API paths keep the contract's 404.
 */
export default fp(
  async function staticClient(app: FastifyInstance, opts: { root: string | null }) {
    const root = opts.root && fs.existsSync(path.join(opts.root, 'index.html')) ? opts.root : null;
    if (root) {
      await app.register(fastifyStatic, { root, wildcard: false, index: false, cacheControl: false });
    }
    app.setNotFoundHandler(async (request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      const isApi = API_PREFIXES.some((p) => url.startsWith(p));
      if (!isApi && root && request.method === 'GET') {
        return reply.header('cache-control', 'no-store').type('text/html').sendFile('index.html', root);
      }
      return reply.code(404).send(toErrorBody('not_found', 'Not found.'));
    });
    if (root) {
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.url.startsWith('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
        return payload;
      });
    }
  },
  { name: 'parley-static' },
);
