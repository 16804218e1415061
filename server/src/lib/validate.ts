import { ParleyError } from '@parley/shared/protocol/errors';
import { firstIssue } from '@parley/shared/protocol/issue-path';
import type { z } from 'zod';

/** Validates untrusted input against a contract schema; failures become `bad_request` naming the first wrong path. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { path, message } = firstIssue(result.error);
  const where = path === '' ? what : path.startsWith('[') ? `${what}${path}` : `${what}.${path}`;
  throw new ParleyError('bad_request', `Invalid ${where}: ${message}`);
}
