import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { ParleyError } from '@parley/shared/protocol/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers (strict CSP: scripts only from this origin, no framing, no referrer) and
 * per-IP rate limiting, which routes opt into (room creation and joins).
 */
export default fp(
  async function security(app: FastifyInstance, opts: { rateLimitPerMinute: number }) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // React's style attributes (e.g. progress widths); no inline <style> or <script>.
          styleSrcAttr: ["'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          manifestSrc: ["'self'"],
          workerSrc: ["'self'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
      hsts: false,
    });
    if (opts.rateLimitPerMinute > 0) {
      await app.register(rateLimit, {
        global: false,
        errorResponseBuilder: () => new ParleyError('rate_limited', 'Too many requests. Please wait a minute and try again.'),
      });
    }
  },
  { name: 'parley-security' },
);
