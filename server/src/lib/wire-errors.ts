import { CloseCode } from '@parley/shared/protocol/close-codes';
import { httpStatusOf, ParleyError, type ErrorBody, type ErrorCode, type WireError } from '@parley/shared/protocol/errors';
import type { AckFailure, HandshakeRefusal } from '@parley/shared/protocol/socket';

/**
 * The one place where an error becomes wire output, for every edge: an HTTP response, a
 * command's ack, a refused socket.io handshake, a WebSocket close code. Each is fed by the
 * error's code and reason only; its message travels as a diagnostic and decides nothing.
 */

/** What an unexpected failure says: nothing about its cause (the caller logs that). */
export const internalError = (): ParleyError => new ParleyError('internal', 'Internal error; the server logged its cause.');


export function wireError(error: ParleyError): WireError {
  return error.reason ? { code: error.code, message: error.message, reason: error.reason } : { code: error.code, message: error.message };
}

export const httpStatus = (error: ParleyError): number => httpStatusOf[error.code];

export const errorBody = (error: ParleyError): ErrorBody => ({ error: wireError(error) });

export const ackFailure = (error: ParleyError): AckFailure => ({ ok: false, error: wireError(error) });

/**
 * For socket.io's `next(err)`: the client's `connect_error` has the code as its message (the
 * contract's `unauthorized`) and `{code, reason}` as its data, which is what clients read.
 */
export function handshakeError(error: ParleyError): Error & { data: HandshakeRefusal } {
  return Object.assign(new Error(error.code), { data: error.reason ? { code: error.code, reason: error.reason } : { code: error.code } });
}

const CLOSE_CODE_OF: Record<ErrorCode, CloseCode> = {
  bad_request: CloseCode.badFrame,
  unauthorized: CloseCode.unauthorized,
  forbidden: CloseCode.forbidden,
  not_found: CloseCode.forbidden,
  invite_used: CloseCode.forbidden,
  room_full: CloseCode.forbidden,
  stale: CloseCode.forbidden,
  payload_too_large: CloseCode.tooBig,
  rate_limited: CloseCode.unavailable,
  unavailable: CloseCode.unavailable,
  internal: CloseCode.unavailable,
};

/** The Yjs endpoint's close code for a refusal: a deleted room's token is told the room is gone (4410), not unknown. */
export function closeCodeOf(error: ParleyError): CloseCode {
  return error.reason === 'room_deleted' ? CloseCode.gone : CLOSE_CODE_OF[error.code];
}
