import fs from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';

/**
 * Summarizes a V8 `.cpuprofile` (written by `npm run bench -- --profile`): self time per
 * function with file:line, and per source area (Parley's server/src, shared/src, each
 * dependency). Usage: tsx bench/src/tools/profile-top.ts <file.cpuprofile> [top=30]
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
const top = Number(process.argv[3] ?? 30);
if (!file) {
  process.stderr.write('usage: profile-top.ts <file.cpuprofile> [top]\n');
  process.exit(1);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;

// Map positions in tsx's minified output back to the TypeScript sources (see harness.ts).
const mapsFile = path.join(path.dirname(file), 'sourcemaps.json');
if (fs.existsSync(mapsFile)) {
  const payloads = JSON.parse(fs.readFileSync(mapsFile, 'utf8')) as Record<string, SourceMapPayload>;
  const maps = new Map(Object.entries(payloads).map(([url, payload]) => [url, new SourceMap(payload)]));
  for (const node of profile.nodes) {
    const map = maps.get(node.callFrame.url);
    const entry = map?.findEntry(node.callFrame.lineNumber, node.callFrame.columnNumber);
    if (entry && 'originalLine' in entry) node.callFrame.lineNumber = entry.originalLine;
  }
}
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// With marks (written by the bench around its measurement window) only that window counts.
const marksFile = path.join(path.dirname(file), 'marks.jsonl');
const marks = fs.existsSync(marksFile)
  ? fs.readFileSync(marksFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { label: string; us: number })
  : [];
const windowFrom = marks.find((m) => m.label === 'window-start')?.us ?? -Infinity;
const windowTo = marks.find((m) => m.label === 'window-end')?.us ?? Infinity;
const sampleTimes: number[] = [];
{
  let t = profile.startTime;
  for (const d of profile.timeDeltas) sampleTimes.push((t += d));
}
const inWindow = (i: number) => (sampleTimes[i] ?? 0) >= windowFrom && (sampleTimes[i] ?? 0) <= windowTo;

const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  if (!inWindow(i)) return;
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  totalUs += dt;
});

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const where = (f: CallFrame) => {
  const url = f.url.replace(/^file:\/\//, '').replace(`${repo}/`, '');
  return url ? `${url}:${f.lineNumber + 1}` : '(native)';
};
const area = (f: CallFrame) => {
  const url = f.url.replace(/^file:\/\//, '').replace(`${repo}/`, '');
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1] ?? url;
  if (url.startsWith('server/src/') || url.startsWith('shared/src/')) return url.split('/').slice(0, 3).join('/');
  if (url.startsWith('node:')) return 'node internals';
  return f.functionName.startsWith('(') ? f.functionName : 'native / V8';
};

const fnSelf = new Map<string, number>();
const areaSelf = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
  areaSelf.set(area(frame), (areaSelf.get(area(frame)) ?? 0) + us);
}

// Inclusive time of Parley's own functions: where in server/src the CPU goes, callees included.
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const frame = byId.get(cur)?.callFrame;
    if (!frame || !/\/(server|shared)\/src\//.test(frame.url)) continue;
    const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`${pct(us)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled${Number.isFinite(windowFrom) ? ' (measurement window only)' : ''}\n`);
print('self time by area', areaSelf, 20);
print('self time by function', fnSelf, top);
print('inclusive time of server/src and shared/src functions', inclusive, top);

// Long tasks: contiguous stretches of non-idle samples. Tail latency comes from these, not
// from average CPU: each is shown with the repo frames and leaf functions it spent time in.
const LONG_TASK_MS = Number(process.env.LONG_TASK_MS ?? 4);
interface Stretch {
  startUs: number;
  us: number;
  frames: Map<string, number>;
  leaves: Map<string, number>;
}
const stretches: Stretch[] = [];
let current: Stretch | null = null;
let clock = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  clock += dt;
  if (!inWindow(i)) return;
  const leaf = byId.get(id)?.callFrame;
  if (!leaf || leaf.functionName === '(idle)') {
    if (current && current.us / 1000 >= LONG_TASK_MS) stretches.push(current);
    current = null;
    return;
  }
  current ??= { startUs: clock, us: 0, frames: new Map(), leaves: new Map() };
  current.us += dt;
  const leafKey = `${leaf.functionName || '(anonymous)'} ${where(leaf)}`;
  current.leaves.set(leafKey, (current.leaves.get(leafKey) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const frame = byId.get(cur)?.callFrame;
    if (!frame || !/\/(server|shared)\/src\//.test(frame.url)) continue;
    const key = `${frame.functionName || '(anonymous)'} ${where(frame)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    current.frames.set(key, (current.frames.get(key) ?? 0) + dt);
  }
});
const topOf = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}ms`).join('; ');
process.stdout.write(`\nlong tasks ≥ ${LONG_TASK_MS} ms (${stretches.length}), longest first\n`);
for (const s of stretches.sort((a, b) => b.us - a.us).slice(0, top)) {
  process.stdout.write(`${(s.us / 1000).toFixed(1).padStart(6)} ms at ${(s.startUs / 1e6).toFixed(2)} s\n    repo: ${topOf(s.frames, 3) || '–'}\n    leaf: ${topOf(s.leaves, 3)}\n`);
}
