import { httpStatusOf, ParleyError, type ErrorBody, type ErrorCode } from '@parley/shared/protocol/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Fastify's own error codes mapped onto the contract. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_VALIDATION: 'bad_request',
};

export function toErrorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The one place where errors become HTTP responses of the contract's shape. */
export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError | ParleyError, request, reply) => {
      let code: ErrorCode;
      let message: string;
      if (error instanceof ParleyError) {
        code = error.code;
        message = error.message;
      } else if (error.code && FASTIFY_CODES[error.code]) {
        code = FASTIFY_CODES[error.code] as ErrorCode;
        message = code === 'payload_too_large' ? 'The request body is too large.' : 'The request body is not valid JSON.';
      } else if (error.statusCode === 429) {
        code = 'rate_limited';
        message = 'Too many requests. Please wait a minute and try again.';
      } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        code = error.statusCode === 413 ? 'payload_too_large' : error.statusCode === 404 ? 'not_found' : 'bad_request';
        message = 'The request is not valid.';
      } else {
        request.log.error({ err: error }, 'unhandled error');
        code = 'internal';
        message = 'Something went wrong on our side.';
      }
      if (code === 'internal' || code === 'unavailable') request.log.warn({ code }, 'request failed');
      return reply.code(httpStatusOf[code]).send(toErrorBody(code, message));
    });
  },
  { name: 'parley-errors' },
);
