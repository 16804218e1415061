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

/**
 * Sub-codes that tell apart cases one contract code covers, so that a client decides from data
 * and never from message text. Each reason belongs to one code; a reason is only ever added to
 * an error, never replaces its code (contract v1 clients keep reading `code`).
 */
export const ErrorReasons = {
  not_found: [
    /** no running workshop has this join code */
    'workshop_not_found',
    /** the workshop has no pair with this pair code */
    'pair_not_found',
  ],
  forbidden: [
    /** the facilitator has not unlocked this section yet */
    'section_locked',
    /** removing a pair someone is in needs the facilitator's confirmation (`confirmed: true`) */
    'pair_occupied',
  ],
  invite_used: [
    /** a sealed room's client sent an auth token that is already in use (a participant's, an invite's or a deleted room's) */
    'token_in_use',
  ],
  unauthorized: [
    /** the token belongs to a room that was deleted or is being erased (Yjs closes with 4410) */
    'room_deleted',
  ],
} as const satisfies { [C in ErrorCode]?: readonly string[] };
export type ErrorReason<C extends ErrorCode = ErrorCode> = C extends keyof typeof ErrorReasons ? (typeof ErrorReasons)[C][number] : never;

/** An error as it travels: in an HTTP body, an ack, a handshake refusal. `message` is a diagnostic, not UI text. */
export interface WireError {
  code: ErrorCode;
  message: string;
  reason?: ErrorReason;
}

export interface ErrorBody {
  error: WireError;
}

/**
 * A domain error: data, not a string. `server/src/lib/wire-errors.ts` turns it into wire output;
 * `client/src/lib/error-words.ts` words it for people.
 */
export class ParleyError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly reason?: ErrorReason<C>,
  ) {
    super(message);
    this.name = 'ParleyError';
  }
}
