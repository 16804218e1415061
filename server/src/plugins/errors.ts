import { ParleyError, type ErrorCode } from '@parley/shared/protocol/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, httpStatus, internalError } from '../lib/wire-errors';

/** Fastify's own error codes mapped onto the contract. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_VALIDATION: 'bad_request',
};

/** A Fastify (or plugin) error as the contract's error, or null when it is not a client's mistake. */
function fromFastify(error: FastifyError): ParleyError | null {
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return new ParleyError(mapped, mapped === 'payload_too_large' ? 'The request body is too large.' : 'The request body is not valid JSON.');
  if (error.statusCode === 429) return new ParleyError('rate_limited', 'Too many requests. Please wait a minute and try again.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ParleyError(error.statusCode === 413 ? 'payload_too_large' : error.statusCode === 404 ? 'not_found' : 'bad_request', 'The request is not valid.');
  }
  return null;
}

/** Every route's errors go through `lib/wire-errors.ts`, so HTTP answers have the contract's shape. */
export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError | ParleyError, request, reply) => {
      let failure = error instanceof ParleyError ? error : fromFastify(error);
      if (!failure) {
        request.log.error({ err: error }, 'unhandled error');
        failure = internalError();
      }
      if (failure.code === 'internal' || failure.code === 'unavailable') request.log.warn({ code: failure.code }, 'request failed');
      return reply.code(httpStatus(failure)).send(errorBody(failure));
    });
  },
  { name: 'parley-errors' },
);
