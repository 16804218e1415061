import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where every server of the test run writes its log lines and every issued token is noted,
 * so that the global teardown can check that no token ever reached a log.
 */
export const suiteDir = (): string => process.env.PARLEY_SUITE_DIR ?? path.join(os.tmpdir(), 'parley-suite-adhoc');

export function logFile(label: string): string {
  const dir = path.join(suiteDir(), 'logs');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${process.pid}-${label}-${Date.now()}.log`);
}

/** Notes every `token` / `inviteToken` string found in a JSON response body. */
export function noteTokens(body: unknown): void {
  const found: string[] = [];
  const walk = (value: unknown, key: string | null) => {
    if (typeof value === 'string' && key !== null && /token$/i.test(key)) found.push(value);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, null));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(body, null);
  if (found.length === 0) return;
  const dir = path.join(suiteDir(), 'tokens');
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `${process.pid}.txt`), `${found.join('\n')}\n`);
}
