import { useRef, useState } from 'react';
import type { ErrorCode, ErrorReason } from '@parley/shared/protocol/errors';
import { ApiError } from './api';

/**
 * Why a command did not go through: the server's refusal (an ack's or HTTP's) or `network`.
 * People are told it through `errorWords` (code and reason); `message` is a diagnostic.
 */
export interface Failure {
  readonly code: ErrorCode | 'network';
  readonly message: string;
  readonly reason?: ErrorReason;
}

/** What a command came back with; a control-channel `Ack` is one. */
export type Outcome<T = unknown> = { ok: true; data?: T } | { ok: false; error: Failure };

export interface Command<A extends unknown[], T> {
  /** sends; resolves with the outcome (a refusal is also worded into `error`) */
  run: (...args: A) => Promise<Outcome<T>>;
  /** a send is in flight: its button stays disabled meanwhile */
  busy: boolean;
  /** the last send's refusal in words, for a role=alert line; null while sending or after an ack */
  error: string | null;
  /** the last send went through */
  acked: boolean;
}

/**
 * Busy, failed and acked state of a button that sends something. `send` is whatever sends it
 * (a control-channel command, an HTTP call through `overHttp`); `failed` words a refusal.
 * Only the latest send sets `error` and `acked`, so an old answer cannot overwrite a newer one.
 */
export function useCommand<A extends unknown[], T = unknown>(
  send: (...args: A) => Promise<Outcome<T>>,
  { failed }: { failed: string | ((failure: Failure) => string) },
): Command<A, T> {
  const [inFlight, setInFlight] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [acked, setAcked] = useState(false);
  const latest = useRef(0);

  const run = async (...args: A): Promise<Outcome<T>> => {
    const id = ++latest.current;
    setInFlight((n) => n + 1);
    setError(null);
    setAcked(false);
    try {
      const outcome = await send(...args);
      if (id === latest.current) {
        setAcked(outcome.ok);
        if (!outcome.ok) setError(typeof failed === 'string' ? failed : failed(outcome.error));
      }
      return outcome;
    } finally {
      setInFlight((n) => n - 1);
    }
  };

  return { run, busy: inFlight > 0, error, acked };
}

/**
 * An HTTP call as a command: what it resolves with is the data; a thrown `ApiError` is the
 * refusal, passed on as itself so callers can still tell its code (anything else thrown counts
 * as `internal`).
 */
export function overHttp<A extends unknown[], T>(call: (...args: A) => Promise<T>): (...args: A) => Promise<Outcome<T>> {
  return async (...args) => {
    try {
      return { ok: true, data: await call(...args) };
    } catch (err) {
      return { ok: false, error: err instanceof ApiError ? err : { code: 'internal', message: String(err) } };
    }
  };
}

/** For a panel of many commands sharing one error line: `run(() => command(…))`. */
export const sendNow = <T>(send: () => Promise<Outcome<T>>): Promise<Outcome<T>> => send();
