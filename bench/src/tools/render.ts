import fs from 'node:fs';
import path from 'node:path';
import { renderMarkdown, resultsHeader, type RunRecord } from '../report';
import { REPO_ROOT } from '../target-process';

/**
 * Renders the results table again from `results/runs.jsonl`, for one or more invocations: a
 * scenario found in several takes the records of the last invocation named (e.g. a rerun of a
 * run disturbed by other work on the machine). Usage:
 *   tsx bench/src/tools/render.ts <invocation> [<invocation> …] > bench/results/latest.md
 */
const invocations = process.argv.slice(2);
if (invocations.length === 0) {
  process.stderr.write('usage: render.ts <invocation ISO time> [...]\n');
  process.exit(2);
}
const all = fs
  .readFileSync(path.join(REPO_ROOT, 'bench', 'results', 'runs.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as RunRecord);
const owner = new Map<string, string>();
for (const invocation of invocations) {
  const found = all.filter((r) => r.invocation === invocation);
  if (found.length === 0) throw new Error(`no runs of invocation ${invocation}`);
  for (const r of found) owner.set(r.scenario, invocation);
}
// Scenarios in the order they first ran, whichever invocation their records come from.
const order = [...new Set(invocations.flatMap((inv) => all.filter((r) => r.invocation === inv).map((r) => r.scenario)))];
const records = all.filter((r) => owner.get(r.scenario) === r.invocation).sort((x, y) => order.indexOf(x.scenario) - order.indexOf(y.scenario));
const first = records[0];
if (!first) throw new Error('nothing to render');
const takenFrom = [...new Set(owner.values())]
  .map((inv) => `\`${inv}\` (${[...owner.entries()].filter(([, i]) => i === inv).map(([s]) => s).join(', ')})`)
  .join(', ');
const header = resultsHeader(invocations[0] ?? first.invocation, first, `invocations ${takenFrom}`);
process.stdout.write(`${renderMarkdown(records, header)}\n`);
