import { ParleyError } from '@parley/shared/protocol/errors';
import type { z } from 'zod';

/** Validates untrusted input against a contract schema; failures become `bad_request`. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${what}.${issue.path.join('.')}` : what;
  const message = issue?.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
  throw new ParleyError('bad_request', `Invalid ${where}: ${message}`);
}
