import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Suite-wide secret check (issue 8 "Tokens: never in logs"): every server started by any test
 * writes its log lines under PARLEY_SUITE_DIR, and every token a test was issued is noted
 * there. After the whole run, no log may contain a noted token, nor anything shaped like one.
 */
export function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-suite-'));
  process.env.PARLEY_SUITE_DIR = dir;
}

export function teardown(): void {
  const dir = process.env.PARLEY_SUITE_DIR;
  if (!dir) return;
  const read = (sub: string) => {
    const d = path.join(dir, sub);
    return fs.existsSync(d) ? fs.readdirSync(d).map((f) => fs.readFileSync(path.join(d, f), 'utf8')) : [];
  };
  const logs = read('logs').join('\n');
  const tokens = new Set(read('tokens').join('\n').split('\n').filter((t) => t.length >= 20));
  const leaks = [...tokens].filter((t) => logs.includes(t)).map((t) => `${t.slice(0, 6)}… (issued token)`);
  // 43 base64url characters is the shape of every Parley token (32 random bytes).
  for (const match of logs.matchAll(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g)) leaks.push(`${match[0].slice(0, 6)}… (token-shaped)`);
  const summary = { logBytes: logs.length, tokensChecked: tokens.size, leaks };
  fs.writeFileSync(path.join(os.tmpdir(), 'parley-token-check.json'), JSON.stringify(summary));
  console.log(`[token check] ${tokens.size} issued tokens checked against ${logs.length} bytes of server logs: ${leaks.length} leaks`);
  if (leaks.length > 0) throw new Error(`tokens found in server logs: ${leaks.join(', ')}`);
}
