/**
 * The result of checking untrusted input: the value read, or why it was refused. Checkers
 * return one instead of throwing, so a caller can never be surprised by an exception.
 */
export type Verdict<T extends object = object, R extends string = string> = ({ ok: true } & T) | { ok: false; reason: R };
