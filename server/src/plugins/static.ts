import { isAppPath } from '@parley/shared/app-paths';
import { ParleyError } from '@parley/shared/protocol/errors';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from '../lib/wire-errors';

const API_PREFIXES = ['/api/', '/yjs/', '/socket.io/', '/metrics', '/healthz', '/readyz'];

/**
 * Serves the built client and answers every other GET (and HEAD) with its index.html, so deep
 * links (`/r/<roomId>`, `/join/<roomId>`, `/w/<id>`, `/j`) work; a path that is no page of the
 * app (shared/app-paths.ts) gets the same shell with a 404, so the client's "no page here"
 * page shows and the status is honest. API paths keep the contract's 404.
 *
 * The build writes `.br` and `.gz` next to every text asset (client/vite.config.ts); with
 * `preCompressed` the best one the browser accepts is sent, with `Vary: Accept-Encoding`.
 * Hashed `/assets/*` are cached for a year; index.html, the service worker and the manifest
 * are revalidated every time (`no-cache` / `no-store`) so a new build takes effect at once.
 */
export default fp(
  async function staticClient(app: FastifyInstance, opts: { root: string | null }) {
    const root = opts.root && fs.existsSync(path.join(opts.root, 'index.html')) ? opts.root : null;
    const hasLanding = root !== null && fs.existsSync(path.join(root, 'landing.html'));
    if (root) {
      await app.register(fastifyStatic, {
        root,
        wildcard: false,
        index: false,
        cacheControl: false,
        preCompressed: true,
        // The precompressed variants are not URLs of their own.
        allowedPath: (pathname) => !/\.(br|gz)$/.test(pathname),
      });
    }
    app.setNotFoundHandler(async (request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      const isApi = API_PREFIXES.some((p) => url.startsWith(p));
      if (!isApi && root && (request.method === 'GET' || request.method === 'HEAD')) {
        // `/` gets the start page with its introduction already in the markup (if built).
        const file = url === '/' && hasLanding ? 'landing.html' : 'index.html';
        return reply
          .code(isAppPath(url) ? 200 : 404)
          .header('cache-control', 'no-store').header('vary', 'accept-encoding').type('text/html').sendFile(file, root);
      }
      return reply.code(404).send(errorBody(new ParleyError('not_found', 'Not found.')));
    });
    if (root) {
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.url.startsWith('/assets/')) {
          reply.header('cache-control', 'public, max-age=31536000, immutable');
          reply.header('vary', 'accept-encoding');
        } else if (request.url === '/sw.js' || request.url === '/manifest.webmanifest' || request.url === '/index.html') {
          reply.header('cache-control', 'no-cache');
          reply.header('vary', 'accept-encoding');
        }
        return payload;
      });
    }
  },
  { name: 'parley-static' },
);
