import type { z } from 'zod';

/** A validation issue's path as a reader writes it: `sections[3].items[7].type`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The first issue of a failed parse, in words: where (`sections[3].items[7].type`, '' for the whole value) and what. */
export function firstIssue(error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { path: '', message: 'invalid' };
  const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
  return { path: formatIssuePath(issue.path), message };
}
