/** Error codes of the wire contract, with the HTTP status each maps to. */
export const ErrorCode = {
  bad_request: 'bad_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  invite_used: 'invite_used',
  room_full: 'room_full',
  stale: 'stale',
  payload_too_large: 'payload_too_large',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invite_used: 409,
  room_full: 409,
  stale: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** A domain error: data, not a string. One place turns it into HTTP / ack / close code. */
export class ParleyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ParleyError';
  }
}
