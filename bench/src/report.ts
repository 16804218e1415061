import type { LagReport } from './lib/lag';
import { layoutLabel, overBudget, type ScaleLayout } from './scenarios/scale';
import { median } from './lib/stats';
import type { TargetName } from './targets/ipc';

/** One JSON line of `bench/results/runs.jsonl`. */
export interface RunRecord {
  invocation: string;
  at: string;
  scenario: string;
  description: string;
  target: TargetName;
  repeat: number;
  params: Record<string, number | string>;
  ok: boolean;
  error?: string;
  durationS: number;
  metrics: Record<string, number>;
  generatorLag?: LagReport;
  machine: { cpus: number; node: string; platform: string };
  git?: string;
}

const LABELS: Record<string, string> = {
  edit_p50_ms: 'edit latency A→B p50 (ms)',
  edit_p95_ms: 'edit latency A→B p95 (ms)',
  edit_p99_ms: 'edit latency A→B p99 (ms)',
  edit_max_ms: 'edit latency A→B max (ms)',
  edit_samples: 'latency samples',
  sync_p50_ms: 'initial sync p50 (ms)',
  sync_p95_ms: 'initial sync p95 (ms)',
  sync_max_ms: 'initial sync max (ms)',
  join_full_p50_ms: 'late joiner sees full worksheet p50 (ms)',
  join_full_p95_ms: 'late joiner sees full worksheet p95 (ms)',
  join_full_max_ms: 'late joiner sees full worksheet max (ms)',
  lost_edits: 'lost / diverged edits',
  unobserved_edits: 'edits B never saw individually',
  rss_per_room_idle_kib: 'server RSS per room, idle (KiB)',
  rss_per_room_loaded_kib: 'server RSS per room, loaded (KiB)',
  heap_per_room_idle_kib: 'server heap per room, idle (KiB)',
  rss_base_mib: 'server RSS before rooms (MiB)',
  server_cpu_s: 'server CPU in window (s)',
  server_cpu_pct: 'server CPU (% of one core)',
  server_cpu_per_edit_ms: 'server CPU per edit (ms)',
  generator_cpu_per_edit_ms: 'load generator CPU per edit (ms, both partners\' clients)',
  generator_cpu_per_reveal_ms: 'load generator CPU per room (ms, both partners\' clients)',
  parley_flush_mean_ms: 'Parley SQLite batch commit mean (ms)',
  parley_flushes: 'Parley SQLite batches in window',
  parley_flushes_over_10ms: 'Parley SQLite batches > 10 ms',
  parley_doc_commits: 'Parley doc-log commits during the storm',
  reveal_p50_ms: 'reveal seen by both p50 (ms)',
  reveal_p95_ms: 'reveal seen by both p95 (ms)',
  reveal_p99_ms: 'reveal seen by both p99 (ms)',
  reveal_max_ms: 'reveal seen by both max (ms)',
  reveal_event_p50_ms: 'section:revealed event p50 (ms)',
  reveal_event_p99_ms: 'section:revealed event p99 (ms)',
  ready_ack_p50_ms: 'ready ack p50 (ms)',
  ready_ack_p99_ms: 'ready ack p99 (ms)',
  resume_client_p50_ms: 'cold open → full worksheet p50 (ms)',
  resume_client_p95_ms: 'cold open → full worksheet p95 (ms)',
  resume_client_max_ms: 'cold open → full worksheet max (ms)',
  resume_warm_client_p50_ms: 'warm open → full worksheet p50 (ms)',
  resume_warm_client_p95_ms: 'warm open → full worksheet p95 (ms)',
  resume_cold_minus_warm_p50_ms: 'cold − warm p50 (ms)',
  resume_server_load_p50_ms: 'server-side doc load p50 (ms)',
  resume_server_load_p95_ms: 'server-side doc load p95 (ms)',
  resume_server_load_max_ms: 'server-side doc load max (ms)',
  resume_bytes_per_doc: 'bytes received for the cold open',
  stored_bytes_per_room: 'bytes on disk per room',
  server_cpu_per_reveal_ms: 'server CPU per room (ms)',
  escrows_unreadable: 'escrows that did not open',
  edit_seal_p50_ms: 'client: seal one edit p50 (ms, one at a time)',
  edit_seal_p99_ms: 'client: seal one edit p99 (ms, one at a time)',
  edit_open_p50_ms: 'client: open, validate and apply one edit p50 (ms, one at a time)',
  edit_open_p99_ms: 'client: open, validate and apply one edit p99 (ms, one at a time)',
  escrow_seal_p50_ms: 'client: seal one escrow p50 (ms, one at a time; not in the figure)',
  escrow_seal_p99_ms: 'client: seal one escrow p99 (ms, one at a time; not in the figure)',
  escrow_open_p50_ms: 'client: open one escrow p50 (ms, one at a time)',
  escrow_open_p99_ms: 'client: open one escrow p99 (ms, one at a time)',
  escrow_open_storm_p50_ms: 'client: open the partner\'s escrow in the storm p50 (ms, wall, in the figure)',
  escrow_open_storm_p99_ms: 'client: open the partner\'s escrow in the storm p99 (ms, wall, in the figure)',
  escrow_bytes: 'escrow envelope (bytes)',
  signal_p50_ms: 'signal:send → partner\'s signal p50 (ms)',
  signal_p95_ms: 'signal:send → partner\'s signal p95 (ms)',
  signal_p99_ms: 'signal:send → partner\'s signal p99 (ms)',
  signal_max_ms: 'signal:send → partner\'s signal max (ms)',
  signal_send_ack_p50_ms: 'sender\'s ack p50 (ms)',
  signal_send_ack_p99_ms: 'sender\'s ack p99 (ms)',
  signal_round_trip_p50_ms: 'send → partner acks → sender\'s signal:acked p50 (ms)',
  signal_round_trip_p99_ms: 'send → partner acks → sender\'s signal:acked p99 (ms)',
  signal_samples: 'signals measured',
  signals_undelivered: 'signals never acknowledged back',
  signals_refused: 'signals refused',
  signals_duplicated: 'signals received twice',
  others_cpu_pct: 'other processes on the machine (% of a core)',
  machine_busy_before_pct: 'machine busy before the run (%)',
};

/** Figures that are counts or bookkeeping: shown, but a ratio would mean nothing. */
const NO_RATIO = new Set(['escrows_unreadable', 'others_cpu_pct', 'machine_busy_before_pct', 'edit_samples', 'lost_edits', 'unobserved_edits', 'edits_sent', 'edits_observed', 'edits_skipped_by_generator', 'unexpected_closes', 'reveals_missing', 'failed_acks', 'resume_failures', 'resume_server_loads', 'parley_flushes', 'parley_flushes_over_10ms', 'parley_doc_commits', 'signal_samples', 'signals_undelivered', 'signals_refused', 'signals_duplicated']);
const TARGET_LABEL: Record<TargetName, string> = { parley: 'Parley', 'parley-sealed': 'Parley, sealed rooms', bare: 'bare y-websocket', hocuspocus: 'Hocuspocus' };

const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return '–';
  if (Number.isInteger(v) || Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return String(Math.round(v * 100) / 100);
};

function range(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '–';
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
}

function ratio(parley: number[], other: number[]): string {
  const p = median(parley);
  const o = median(other);
  if (!Number.isFinite(p) || !Number.isFinite(o) || o === 0) return '–';
  return `${(p / o).toFixed(2)}×`;
}

/** The table's heading: when, on what, which Parley, and where the raw runs are (`runs` says which invocations). */
export function resultsHeader(invocation: string, first: Pick<RunRecord, 'machine' | 'git'>, runs: string): string {
  const { machine, git } = first;
  return [
    `## Parley vs bare y-websocket vs Hocuspocus (${invocation.slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${machine.cpus} cores, Node ${machine.node}, ${machine.platform}; Parley at ${git ?? 'unknown revision'}; load generator and each server in separate processes, loopback only. Raw runs: \`bench/results/runs.jsonl\`, ${runs}.`,
  ].join('\n');
}

/** The Markdown results table: per scenario, every figure per target, ratios Parley ÷ baseline. */
export function renderMarkdown(records: RunRecord[], header: string): string {
  const lines = [header, ''];
  const scenarios = [...new Set(records.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const runs = records.filter((r) => r.scenario === scenario);
    if (scenario === 'scale') {
      lines.push(...renderScale(runs));
      continue;
    }
    if (scenario === 'load') {
      lines.push(...renderLoad(runs));
      continue;
    }
    if (runs.some((r) => r.target === 'parley-sealed')) {
      lines.push(...renderSealed(runs));
      continue;
    }
    const first = runs[0];
    if (!first) continue;
    const byTarget = (t: TargetName) => runs.filter((r) => r.target === t && r.ok);
    const targets = (['parley', 'bare', 'hocuspocus'] as const).filter((t) => runs.some((r) => r.target === t));
    const repeats = Math.max(...targets.map((t) => byTarget(t).length));
    lines.push(`### ${scenario}: ${first.description}`, '');
    lines.push(`Parameters: ${Object.entries(first.params).map(([k, v]) => `${k}=${v}`).join(', ')}; ${repeats} run(s) per target, values min–max, ratios of medians.`, '');
    const head = ['figure', ...targets.map((t) => TARGET_LABEL[t])];
    const ratioTargets = targets.filter((t) => t !== 'parley');
    if (targets.includes('parley')) for (const t of ratioTargets) head.push(`Parley ÷ ${t === 'bare' ? 'bare' : 'Hocuspocus'}`);
    lines.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
    for (const key of keys) {
      const values = (t: TargetName) => byTarget(t).map((r) => r.metrics[key] ?? NaN);
      if (targets.every((t) => values(t).every((v) => !Number.isFinite(v)))) continue;
      const row = [LABELS[key] ?? key, ...targets.map((t) => range(values(t)))];
      if (targets.includes('parley')) for (const t of ratioTargets) row.push(NO_RATIO.has(key) ? '' : ratio(values('parley'), values(t)));
      lines.push(`| ${row.join(' | ')} |`);
    }
    const lagRow = ['generator event-loop lag p99 / max (ms)', ...targets.map((t) => {
      const lags = byTarget(t).map((r) => r.generatorLag).filter((l): l is LagReport => !!l);
      return lags.length ? `${range(lags.map((l) => l.p99))} / ${range(lags.map((l) => l.max))}` : '–';
    })];
    if (targets.includes('parley')) for (let i = 0; i < ratioTargets.length; i++) lagRow.push('');
    lines.push(`| ${lagRow.join(' | ')} |`);
    const failed = runs.filter((r) => !r.ok);
    for (const f of failed) lines.push('', `**Failed run** (${TARGET_LABEL[f.target]}, repeat ${f.repeat}): ${f.error ?? 'unknown error'}`);
    lines.push('');
  }
  lines.push(...goals(records), ...sealedGoals(records));
  return lines.join('\n');
}

const budgetOf = (r: RunRecord) => Number(r.params.p99BudgetMs);
const holds = (r: RunRecord) => overBudget(r.ok ? r.metrics : null, r.error, { p99BudgetMs: budgetOf(r) });

const layoutOf = (r: RunRecord): ScaleLayout => ({ nodes: Number(r.params.nodes), placement: r.params.placement === 'split' ? 'split' : 'together' });
const sameLayout = (a: ScaleLayout, b: ScaleLayout) => a.nodes === b.nodes && (a.nodes === 1 || a.placement === b.placement);

interface Capacity {
  layout: ScaleLayout;
  rooms: number;
  /** the layout's last step still held: it may hold more */
  open: boolean;
}

/** Largest room count each layout held within budget, in the order they ran. */
function capacities(runs: RunRecord[]): Capacity[] {
  const layouts: ScaleLayout[] = [];
  for (const r of runs) if (!layouts.some((l) => sameLayout(l, layoutOf(r)))) layouts.push(layoutOf(r));
  return layouts.map((layout) => {
    const steps = runs.filter((r) => sameLayout(layoutOf(r), layout));
    const rooms = Math.max(0, ...steps.filter((r) => holds(r) === null).map((r) => Number(r.params.rooms)));
    // A step that failed was tried again; the ladder went on only if a try held.
    const tried = Math.max(...steps.map((r) => Number(r.params.rooms)));
    return { layout, rooms, open: rooms > 0 && rooms === tried };
  });
}

const roomsHeld = (c: Capacity) => `${c.open ? '≥ ' : ''}${c.rooms}`;

interface Projection {
  layout: ScaleLayout;
  rooms: number;
  perNodePct: number;
  alonePct: number;
  /** nodes × (one node's CPU for a share) ÷ (a node's CPU for its share of the cluster) */
  ratio: number;
}

/** For each multi-node step, the one-node step that carried a single node's share of it. */
function scaleProjections(runs: RunRecord[]): Projection[] {
  const out: Projection[] = [];
  for (const r of runs.filter((x) => x.ok && layoutOf(x).nodes > 1)) {
    const layout = layoutOf(r);
    const share = Number(r.params.rooms) / layout.nodes;
    const alone = runs.find((x) => x.ok && layoutOf(x).nodes === 1 && Number(x.params.rooms) === share);
    const perNodePct = (r.metrics.server_cpu_pct ?? NaN) / layout.nodes;
    const alonePct = alone?.metrics.server_cpu_pct ?? NaN;
    if (!Number.isFinite(perNodePct) || !Number.isFinite(alonePct) || perNodePct === 0) continue;
    out.push({ layout, rooms: Number(r.params.rooms), perNodePct, alonePct, ratio: (layout.nodes * alonePct) / perNodePct });
  }
  return out;
}

/** One node against two: every step of the ladder, then the rooms each layout held. */
function renderScale(runs: RunRecord[]): string[] {
  const first = runs[0];
  if (!first) return [];
  const lines = [`### scale: ${first.description}`, ''];
  lines.push(`Parameters: ${['p99BudgetMs', 'items', 'editsPerSecond', 'measureMs'].map((k) => `${k}=${first.params[k]}`).join(', ')}; one run per step, a fresh cluster each; a step over budget is tried once more, and the layout stops when that try is over budget too.`, '');
  lines.push('| layout | rooms | edit p50 (ms) | edit p99 (ms) | edit max (ms) | lost | server CPU, all nodes (% of a core) | server CPU per edit (ms) | store batch mean (ms) | generator lag p99 (ms) | others on the machine (% of a core) | holds the rooms |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of runs) {
    const m = r.metrics;
    const verdict = holds(r);
    lines.push(
      `| ${layoutLabel(layoutOf(r))} | ${r.params.rooms} | ${[m.edit_p50_ms, m.edit_p99_ms, m.edit_max_ms, m.lost_edits, m.server_cpu_pct, m.server_cpu_per_edit_ms, m.parley_flush_mean_ms, r.generatorLag?.p99 ?? NaN, m.others_cpu_pct]
        .map((v) => fmt(v ?? NaN))
        .join(' | ')} | ${verdict === null ? 'yes' : `no: ${verdict.slice(0, 120)}`} |`,
    );
  }
  const caps = capacities(runs);
  const one = caps.find((c) => c.layout.nodes === 1);
  lines.push('', `Rooms held within ${budgetOf(first)} ms p99: ${caps.map((c) => `${layoutLabel(c.layout)} **${roomsHeld(c)}**${one && one !== c && one.rooms > 0 ? ` (${(c.rooms / one.rooms).toFixed(2)}× one node)` : ''}`).join('; ')}.`);
  const projections = scaleProjections(runs);
  if (projections.length > 0) {
    lines.push(
      '',
      'Where the machine runs out before the nodes do (2 cores shared by the load generator, PostgreSQL, Redis and the nodes), rooms held measures the machine. What carries over to a machine with a core per node is the CPU each node spends on its share, against one node carrying the same share alone:',
      '',
      '| layout | rooms | server CPU per node (% of a core) | one node with rooms ÷ nodes (% of a core) | rooms held when CPU-bound, against one node |',
      '|---|---:|---:|---:|---:|',
    );
    for (const p of projections) lines.push(`| ${layoutLabel(p.layout)} | ${p.rooms} | ${fmt(p.perNodePct)} | ${fmt(p.alonePct)} | ${p.ratio.toFixed(2)}× |`);
  }
  lines.push('');
  return lines;
}

const LOAD_FIGURES: [key: string, label: string, kib: boolean][] = [
  ['fcp_ms', 'first contentful paint (ms)', false],
  ['first_heading_ms', 'a heading found (ms, polled from Node: an upper bound)', false],
  ['app_ready_ms', 'app rendered: the start form found (ms, polled)', false],
  ['js_wire_bytes', 'JS on the wire (KiB)', true],
  ['js_raw_bytes', 'JS decoded (KiB)', true],
  ['total_wire_bytes', 'everything on the wire (KiB)', true],
  ['requests', 'requests', false],
  ['foreign_requests', 'third-party requests', false],
  ['machine_busy_before_pct', 'machine busy before the run (%)', false],
];

/** The load scenario: one column per build/encoding, the shipped build ÷ the baseline, issue 13's targets. */
function renderLoad(runs: RunRecord[]): string[] {
  const first = runs[0];
  if (!first) return [];
  const variants = [...new Set(runs.map((r) => String(r.params.variant)))];
  const ok = (v: string) => runs.filter((r) => r.params.variant === v && r.ok);
  const shipped = variants.find((v) => v.includes('shipped'));
  const base = variants.find((v) => v.startsWith('baseline'));
  const { variant: _v, encoding: _e, ...params } = first.params;
  const repeats = Math.max(...variants.map((v) => ok(v).length));
  const lines = [`### load: ${first.description}`, ''];
  lines.push(`Parameters: ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')}; fresh browser context per run (cold cache, service workers blocked); ${repeats} run(s) per column, values min–max, ratio of medians.`, '');
  const enc = (v: string) => [...new Set(ok(v).map((r) => String(r.params.encoding)))].join('/');
  lines.push(`| figure | ${variants.map((v) => `${v} (${enc(v) || '–'})`).join(' | ')} | shipped ÷ baseline |`);
  lines.push(`|---|${variants.map(() => '---:').join('|')}|---:|`);
  for (const [key, label, kib] of LOAD_FIGURES) {
    const vals = (v: string) => ok(v).map((r) => (r.metrics[key] ?? NaN) / (kib ? 1024 : 1));
    const cells = variants.map((v) => range(vals(v)));
    const rt = shipped && base && key !== 'machine_busy_before_pct' && key !== 'foreign_requests' ? ratio(vals(shipped), vals(base)) : '–';
    lines.push(`| ${label} | ${cells.join(' | ')} | ${rt} |`);
  }
  for (const f of runs.filter((r) => !r.ok)) lines.push('', `**Failed run** (${String(f.params.variant)}, repeat ${f.repeat}): ${f.error ?? 'unknown error'}`);
  if (shipped) {
    const fcp = median(ok(shipped).map((r) => r.metrics.fcp_ms ?? NaN));
    const js = median(ok(shipped).map((r) => r.metrics.js_wire_bytes ?? NaN));
    const mark = (v: number, good: boolean) => (Number.isFinite(v) ? (good ? 'yes' : '**no**') : 'n/a');
    lines.push('', '| target of issue 13 | measured (shipped build, median) | met |', '|---|---|:---:|');
    lines.push(`| first contentful paint < 1.0 s | ${fmt(fcp)} ms | ${mark(fcp, fcp < 1000)} |`);
    lines.push(`| ≤ 120 KB of JS on the wire for the landing page | ${fmt(js / 1024)} KiB (${fmt(js / 1000)} kB) | ${mark(js, js <= 120 * 1024)} |`);
  }
  lines.push('');
  return lines;
}

/** Standard rooms against sealed rooms of the same Parley (issue 16): one column each, sealed ÷ standard. */
function renderSealed(runs: RunRecord[]): string[] {
  const first = runs[0];
  if (!first) return [];
  const ok = (t: TargetName) => runs.filter((r) => r.target === t && r.ok);
  const repeats = Math.max(ok('parley').length, ok('parley-sealed').length);
  const lines = [`### ${first.scenario}: ${first.description}`, ''];
  lines.push(`Parameters: ${Object.entries(first.params).map(([k, v]) => `${k}=${v}`).join(', ')}; ${repeats} run(s) per column, values min–max, ratio of medians. Standard rooms on Parley as it ships, sealed rooms on the same server with \`sealedRooms\` on; the sealed clients seal and open in the load generator, so its lag (last row) is part of every sealed latency.`, '');
  lines.push('| figure | Parley, standard room | Parley, sealed room | sealed ÷ standard |', '|---|---:|---:|---:|');
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  for (const key of keys) {
    const values = (t: TargetName) => ok(t).map((r) => r.metrics[key] ?? NaN);
    const std = values('parley');
    const sealed = values('parley-sealed');
    if ([...std, ...sealed].every((v) => !Number.isFinite(v))) continue;
    lines.push(`| ${LABELS[key] ?? key} | ${range(std)} | ${range(sealed)} | ${NO_RATIO.has(key) ? '' : ratio(sealed, std)} |`);
  }
  const lagOf = (t: TargetName) => {
    const lags = ok(t).map((r) => r.generatorLag).filter((l): l is LagReport => !!l);
    return lags.length ? `${range(lags.map((l) => l.p99))} / ${range(lags.map((l) => l.max))}` : '–';
  };
  lines.push(`| generator event-loop lag p99 / max (ms) | ${lagOf('parley')} | ${lagOf('parley-sealed')} | |`);
  for (const f of runs.filter((r) => !r.ok)) lines.push('', `**Failed run** (${TARGET_LABEL[f.target]}, repeat ${f.repeat}): ${f.error ?? 'unknown error'}`);
  lines.push('');
  return lines;
}

/** Issue 16's speed targets for every sealed scenario of the invocation (none: no table). */
function sealedGoals(records: RunRecord[]): string[] {
  const sealedScenarios = [...new Set(records.filter((r) => r.target === 'parley-sealed').map((r) => r.scenario))];
  if (sealedScenarios.length === 0) return [];
  const med = (scenario: string, target: TargetName, key: string) =>
    median(records.filter((r) => r.scenario === scenario && r.target === target && r.ok).map((r) => r.metrics[key] ?? NaN));
  const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'yes' : '**no**');
  const check = (scenario: string, key: string, limit: number) => {
    const std = med(scenario, 'parley', key);
    const sealed = med(scenario, 'parley-sealed', key);
    const ok = Number.isFinite(std) && Number.isFinite(sealed) ? sealed <= limit * std : null;
    return { std, sealed, ok };
  };
  const out = ['### Targets of issue 16 (sealed rooms)', '', '| target | measured (medians) | met |', '|---|---|:---:|'];
  const row = (label: string, unit: string, c: ReturnType<typeof check>) =>
    out.push(`| ${label} | sealed ${fmt(c.sealed)} ${unit} vs standard ${fmt(c.std)} ${unit} (${fmt(c.sealed / c.std)}×) | ${mark(c.ok)} |`);
  for (const s of sealedScenarios) {
    if (records.some((r) => r.scenario === s && r.metrics.edit_p99_ms !== undefined)) {
      row(`${s}: edit p99 ≤ 1.2× a standard room`, 'ms', check(s, 'edit_p99_ms', 1.2));
      row(`${s}: server memory per room, idle (RSS) no higher than a standard room`, 'KiB', check(s, 'rss_per_room_idle_kib', 1));
      row(`${s}: server memory per room, loaded (RSS) no higher than a standard room`, 'KiB', check(s, 'rss_per_room_loaded_kib', 1));
    }
    if (records.some((r) => r.scenario === s && r.metrics.reveal_p99_ms !== undefined)) {
      row(`${s}: reveal "seen by both" p99 ≤ 1.2× a standard room`, 'ms', check(s, 'reveal_p99_ms', 1.2));
    }
  }
  out.push('');
  return out;
}

/** The issue's targets, checked against what this invocation measured. */
function goals(records: RunRecord[]): string[] {
  const med = (scenario: string, target: TargetName, key: string) =>
    median(records.filter((r) => r.scenario === scenario && r.target === target && r.ok).map((r) => r.metrics[key] ?? NaN));
  const out = ['### Targets of issue 7', '', '| target | measured | met |', '|---|---|:---:|'];
  const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'yes' : '**no**');
  const scenarios = [...new Set(records.map((r) => r.scenario))];
  for (const s of scenarios.filter((x) => x.startsWith('edits-'))) {
    const p = med(s, 'parley', 'edit_p99_ms');
    const b = med(s, 'bare', 'edit_p99_ms');
    const h = med(s, 'hocuspocus', 'edit_p99_ms');
    const ok = Number.isFinite(p) && Number.isFinite(b) ? p <= 1.2 * b && (!Number.isFinite(h) || p < h) : null;
    out.push(`| ${s}: edit p99 ≤ 1.2× bare and < Hocuspocus | ${fmt(p)} ms vs bare ${fmt(b)} ms (${fmt(p / b)}×), Hocuspocus ${fmt(h)} ms | ${mark(ok)} |`);
    const pm = med(s, 'parley', 'rss_per_room_idle_kib');
    const bm = med(s, 'bare', 'rss_per_room_idle_kib');
    const okm = Number.isFinite(pm) && Number.isFinite(bm) ? pm <= 1.3 * bm : null;
    out.push(`| ${s}: memory per room ≤ 1.3× bare (idle RSS) | ${fmt(pm)} KiB vs ${fmt(bm)} KiB (${fmt(pm / bm)}×) | ${mark(okm)} |`);
  }
  const lost = records.filter((r) => r.ok && (r.metrics.lost_edits ?? 0) > 0);
  out.push(`| 0 lost edits everywhere | ${lost.length === 0 ? '0 in every run' : lost.map((r) => `${r.scenario}/${r.target}: ${r.metrics.lost_edits}`).join(', ')} | ${mark(lost.length === 0)} |`);
  for (const s of scenarios.filter((x) => x.startsWith('reveal-'))) {
    const p = med(s, 'parley', 'reveal_p99_ms');
    out.push(`| ${s}: reveal storm p99 < 30 ms (issue: at 500 rooms) | ${fmt(p)} ms | ${mark(Number.isFinite(p) ? p < 30 : null)} |`);
  }
  for (const s of scenarios.filter((x) => x.startsWith('resume-'))) {
    const p = med(s, 'parley', 'resume_server_load_p95_ms');
    const c = med(s, 'parley', 'resume_cold_minus_warm_p50_ms');
    out.push(`| ${s}: cold resume < 20 ms server-side (p95 doc load) | load p95 ${fmt(p)} ms; client cold − warm p50 ${fmt(c)} ms | ${mark(Number.isFinite(p) ? p < 20 : null)} |`);
  }
  const scale = records.filter((r) => r.scenario === 'scale');
  if (scale.length > 0) {
    const caps = capacities(scale);
    const one = caps.find((c) => c.layout.nodes === 1);
    const projections = scaleProjections(scale);
    for (const c of caps.filter((x) => x.layout.nodes === 2)) {
      const r = one && one.rooms > 0 ? c.rooms / one.rooms : NaN;
      const projected = projections.filter((p) => sameLayout(p.layout, c.layout)).map((p) => p.ratio);
      const cpuBound = projected.length > 0 ? `; CPU-bound (per-node CPU for its share): ${range(projected)}×` : '';
      out.push(`| two nodes hold ≥ 1.8× the rooms of one at the same p99 (${layoutLabel(c.layout)}) | held ${one ? roomsHeld(one) : '–'} vs ${roomsHeld(c)} rooms (${fmt(r)}×) on this machine${cpuBound} | ${mark(Number.isFinite(r) && one && !one.open ? r >= 1.8 : null)} |`);
    }
  } else {
    out.push('| two nodes hold ≥ 1.8× the rooms of one | not run in this invocation (`--full` or `--only scale`) | n/a |');
  }
  out.push('');
  return out;
}
