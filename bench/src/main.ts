import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parleyDriver } from './clients/parley';
import { sealedParleyDriver } from './clients/parley-sealed';
import type { TargetDriver } from './clients/types';
import { waitForQuiet } from './lib/machine';
import { EXTRA, FULL, QUICK, type Scenario } from './matrix';
import { renderMarkdown, resultsHeader, type RunRecord } from './report';
import { runEdits } from './scenarios/edits';
import { buildVariants, launchBenchChromium, measureLoad, serveBuild, type LoadSample } from './scenarios/load';
import type { ScenarioOutcome } from './scenarios/result';
import { runColdResume } from './scenarios/resume';
import { runRevealEquivalent, runRevealStorm } from './scenarios/reveal';
import { runSealedRevealStorm } from './scenarios/sealed-reveal';
import { layoutLabel, runScaleLadder } from './scenarios/scale';
import { runSignals } from './scenarios/signals';
import { ParleyCluster } from './cluster';
import { REPO_ROOT, TargetProcess } from './target-process';
import { SEALED_TARGETS, TARGETS, type TargetName } from './targets/ipc';

const HELP = `npm run bench [-- options]

  (default)           quick matrix: 10 and 100 rooms, reveal storm at 100, cold resume of 50
  --full              the large scenarios: 500 and 1000 rooms, reveal storm at 500, resume of 500,
                      scene signals at 500 busy rooms (signals-500: one node, and two nodes),
                      one node against two (scale; both need Postgres and Redis, see README)
  --all               quick and full
  --only <ids>        comma list of scenario ids (e.g. edits-100,reveal-100; signals-20 is a
                      one-minute check of the signals scenario; sealed-edits-100,sealed-reveal-100
                      compare sealed rooms with standard ones, issue 16)
  --targets <names>   comma list of parley,bare,hocuspocus (default: all three); the sealed
                      scenarios run on parley and parley-sealed (sealed rooms on)
  --repeats <n>       override the repeat count of every scenario
  --ladder <n,n,…>    room counts the scale scenario tries (default 200,400,…,1200)
  --nodes <n>         run only the scale scenario's layouts with this many nodes
  --profile           write a V8 CPU profile of every Parley server process to bench/results/profiles/
  --out <file.md>     where to write the table (default bench/results/latest.md)
  --no-wait           do not wait for the machine to be quiet before each run (default: up
                      to 20 s per run, 1.5 min per quick invocation in total)
  --load-baseline <dir>
                      the load scenario also serves this built client (e.g. a copy of an
                      earlier client/dist) as a row of its own
  --experiment <name> run Parley with BENCH_EXPERIMENT=<name> set (a hook for trying a
                      server change side by side; none is defined now)
`;

const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

async function driverFor(target: TargetProcess): Promise<TargetDriver> {
  // Baseline clients load only when their target runs (the smoke test needs none of them).
  switch (target.name) {
    case 'parley':
      return parleyDriver(target);
    case 'parley-sealed':
      return sealedParleyDriver(target);
    case 'bare':
      return (await import('./clients/bare')).bareDriver(target.wsUrl);
    case 'hocuspocus':
      return (await import('./clients/hocuspocus')).hocuspocusDriver(target.wsUrl);
  }
}

async function runScenario(scenario: Scenario, target: TargetProcess, driver: TargetDriver): Promise<ScenarioOutcome> {
  switch (scenario.kind) {
    case 'scale':
      throw new Error('the scale scenario runs its own clusters');
    case 'load':
      throw new Error('the load scenario serves its own builds');
    case 'signals':
      throw new Error('the signals scenario runs its own servers');
    case 'edits':
      return runEdits(driver, target, scenario.config);
    case 'reveal':
      if (driver.name === 'parley') return runRevealStorm(parleyDriver(target), target, scenario.config);
      if (driver.name === 'parley-sealed') return runSealedRevealStorm(sealedParleyDriver(target), target, scenario.config);
      return runRevealEquivalent(driver, target, scenario.config);
    case 'reveal-shared':
      return runRevealEquivalent(driver, target, scenario.config);
    case 'resume':
      return runColdResume(driver, target, scenario.config);
  }
}

function gitRevision(): string | undefined {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'shared'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${rev}+dirty` : rev;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  // Every y-websocket provider adds a process 'exit' listener; thousands are expected here.
  process.setMaxListeners(0);
  const { values } = parseArgs({
    options: {
      full: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      only: { type: 'string' },
      targets: { type: 'string' },
      repeats: { type: 'string' },
      ladder: { type: 'string' },
      nodes: { type: 'string' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      experiment: { type: 'string' },
      'load-baseline': { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let scenarios = values.all ? [...QUICK, ...FULL] : values.full ? FULL : QUICK;
  if (values.only) {
    const ids = values.only.split(',').map((s) => s.trim());
    scenarios = [...QUICK, ...FULL, ...EXTRA].filter((s) => ids.includes(s.id));
    if (scenarios.length === 0) throw new Error(`no scenario matches --only ${values.only}`);
  }
  const targets = (values.targets ? values.targets.split(',').map((s) => s.trim()) : [...TARGETS]) as TargetName[];
  for (const t of targets) if (!TARGETS.includes(t) && !SEALED_TARGETS.includes(t)) throw new Error(`unknown target ${t}`);
  const repeats = values.repeats ? Number(values.repeats) : null;
  const outFile = values.out ? path.resolve(values.out) : path.join(RESULTS_DIR, 'latest.md');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const jsonl = path.join(RESULTS_DIR, 'runs.jsonl');

  const invocation = new Date().toISOString();
  const git = gitRevision();
  const machine = { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
  const records: RunRecord[] = [];
  const live = new Set<TargetProcess>();
  const liveClusters = new Set<ParleyCluster>();

  // Every phase has its own limit; this one bounds the whole invocation.
  const budgetMs = (values.all ? 60 : values.full || scenarios.some((s) => FULL.includes(s)) ? 45 : 12) * 60_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: over its ${budgetMs / 60_000} min budget, stopping\n`);
    for (const t of live) t.kill();
    for (const c of liveClusters) c.kill();
    process.exit(3);
  }, budgetMs);
  watchdog.unref();

  // Waiting for a quiet machine may use at most this much of the invocation's time in total.
  let waitBudgetMs = (values.all ? 8 : values.full ? 5 : 1.5) * 60_000;

  const record = (r: Omit<RunRecord, 'invocation' | 'machine' | 'git'>): RunRecord => {
    const full: RunRecord = { invocation, ...r, machine, ...(git ? { git } : {}) };
    records.push(full);
    fs.appendFileSync(jsonl, `${JSON.stringify(full)}\n`);
    return full;
  };
  const quiet = async () => {
    const waitStarted = performance.now();
    const busy = await waitForQuiet(values['no-wait'] ? 0 : Math.min(20_000, waitBudgetMs));
    waitBudgetMs = Math.max(0, waitBudgetMs - (performance.now() - waitStarted));
    return busy;
  };

  for (const scenario of scenarios) {
    if (scenario.kind === 'load') {
      // Parley only: one server per build in this process, one Chromium, runs interleaved.
      if (!targets.includes('parley')) continue;
      await runLoadScenario(scenario, { repeats, previous: values['load-baseline'], quiet, record });
      continue;
    }
    if (scenario.kind === 'signals') {
      if (!targets.includes('parley')) continue;
      await runSignalsScenario(scenario, { quiet, record, live, liveClusters });
      continue;
    }
    if (scenario.kind === 'scale') {
      // Parley only, one cluster per step; the steps are its records.
      if (!targets.includes('parley')) continue;
      let busyBefore = 0;
      let current: ParleyCluster | null = null;
      const ladder = values.ladder ? values.ladder.split(',').map(Number) : scenario.config.ladder;
      if (ladder.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--ladder wants positive integers, got ${values.ladder}`);
      const layouts = scenario.config.layouts.filter((l) => !values.nodes || l.nodes === Number(values.nodes));
      await runScaleLadder({ ...scenario.config, ladder, layouts }, {
        ...(values.profile ? { target: { cpuProfDir: path.join(RESULTS_DIR, 'profiles') } } : {}),
        beforeStep: async () => {
          busyBefore = await quiet();
        },
        register: (cluster) => {
          if (current) liveClusters.delete(current);
          current = cluster;
          if (cluster) liveClusters.add(cluster);
        },
        onStep: (step) => {
          process.stdout.write(`${scenario.id} ${layoutLabel(step.layout)}, ${step.rooms} rooms … `);
          const r = record({
            at: new Date().toISOString(),
            scenario: scenario.id,
            description: scenario.description,
            target: 'parley',
            repeat: 1,
            params: { nodes: step.layout.nodes, placement: step.layout.placement, rooms: step.rooms, p99BudgetMs: scenario.config.p99BudgetMs, items: scenario.config.items, editsPerSecond: scenario.config.editsPerSecond, measureMs: scenario.config.measureMs },
            ok: step.outcome !== null,
            ...(step.error ? { error: step.error } : {}),
            durationS: step.durationS,
            metrics: step.outcome ? { ...step.outcome.metrics, machine_busy_before_pct: busyBefore } : {},
            ...(step.outcome ? { generatorLag: step.outcome.generatorLag } : {}),
          });
          process.stdout.write(step.outcome ? `${r.durationS}s ${headline(step.outcome)}\n` : `FAILED: ${step.error}\n`);
        },
      });
      continue;
    }
    const times = repeats ?? scenario.repeats;
    // A scenario with targets of its own (standard against sealed Parley) runs on those, or on
    // the ones of them `--targets` names.
    const scenarioTargets = scenario.targets ? scenario.targets.filter((t) => !values.targets || targets.includes(t)) : targets;
    for (let repeat = 1; repeat <= times; repeat++) {
      // Targets interleaved per repeat, so drift on the machine spreads over all of them.
      for (const name of scenarioTargets) {
        const started = performance.now();
        process.stdout.write(`${scenario.id} #${repeat} ${name} … `);
        let target: TargetProcess | null = null;
        let outcome: ScenarioOutcome | null = null;
        let error: string | undefined;
        // Other work on the machine skews every figure: wait (bounded) for it to calm down.
        const busyBefore = await quiet();
        try {
          target = await TargetProcess.start(name, {
            persist: scenario.kind === 'resume',
            ...(values.experiment ? { env: { BENCH_EXPERIMENT: values.experiment } } : {}),
            ...(values.profile && name.startsWith('parley') ? { cpuProfDir: path.join(RESULTS_DIR, 'profiles') } : {}),
          });
          live.add(target);
          outcome = await runScenario(scenario, target, await driverFor(target));
        } catch (e) {
          error = `${(e as Error).message}${target ? ` ${target.stderr()}` : ''}`.trim();
        } finally {
          if (target) {
            await target.dispose().catch(() => target?.kill());
            live.delete(target);
          }
        }
        const r = record({
          at: new Date().toISOString(),
          scenario: scenario.id,
          description: scenario.description,
          target: name,
          repeat,
          params: {
            ...scenario.config,
            ...(values.profile && name.startsWith('parley') ? { profiled: 'yes' } : {}),
            ...(values.experiment ? { experiment: values.experiment } : {}),
          },
          ok: outcome !== null,
          ...(error ? { error } : {}),
          durationS: Math.round((performance.now() - started) / 100) / 10,
          metrics: outcome ? { ...outcome.metrics, machine_busy_before_pct: busyBefore } : {},
          ...(outcome ? { generatorLag: outcome.generatorLag } : {}),
        });
        process.stdout.write(outcome ? `${r.durationS}s ${headline(outcome)}\n` : `FAILED: ${error}\n`);
        // Let sockets of the finished run close before the next target starts.
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  const header = resultsHeader(invocation, { machine, ...(git ? { git } : {}) }, `invocation \`${invocation}\``);
  fs.writeFileSync(outFile, `${renderMarkdown(records, header)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), outFile)} and appended ${records.length} lines to ${path.relative(process.cwd(), jsonl)}\n`);
  return records.every((r) => r.ok) ? 0 : 1;
}

/** Once per layout: one Parley process (its default SQLite store), or a cluster on Postgres + Redis. Each layout is a table of its own. */
async function runSignalsScenario(
  scenario: Extract<Scenario, { kind: 'signals' }>,
  ctx: {
    quiet: () => Promise<number>;
    record: (r: Omit<RunRecord, 'invocation' | 'machine' | 'git'>) => RunRecord;
    live: Set<TargetProcess>;
    liveClusters: Set<ParleyCluster>;
  },
): Promise<void> {
  const { layouts, p99BudgetMs, ...cfg } = scenario.config;
  for (const layout of layouts) {
    const id = `${scenario.id}-${layout.nodes === 1 ? '1node' : `${layout.nodes}nodes`}`;
    process.stdout.write(`${id} (${layoutLabel(layout)}) … `);
    const busyBefore = await ctx.quiet();
    const started = performance.now();
    let outcome: ScenarioOutcome | null = null;
    let error: string | undefined;
    let single: TargetProcess | null = null;
    let cluster: ParleyCluster | null = null;
    try {
      if (layout.nodes === 1) {
        single = await TargetProcess.start('parley', {});
        ctx.live.add(single);
        outcome = await runSignals(parleyDriver(single), single, cfg);
      } else {
        cluster = await ParleyCluster.start(layout.nodes, layout.placement);
        ctx.liveClusters.add(cluster);
        outcome = await runSignals(cluster.driver, cluster, cfg);
      }
    } catch (e) {
      error = (e as Error).message;
    } finally {
      if (single) {
        await single.dispose().catch(() => single?.kill());
        ctx.live.delete(single);
      }
      if (cluster) {
        await cluster.dispose().catch(() => cluster?.kill());
        ctx.liveClusters.delete(cluster);
      }
    }
    const r = ctx.record({
      at: new Date().toISOString(),
      scenario: id,
      description: `${scenario.description}; ${layoutLabel(layout)}${layout.nodes === 1 ? ' (SQLite)' : ' (Postgres + Redis)'}`,
      target: 'parley',
      repeat: 1,
      params: { nodes: layout.nodes, placement: layout.placement, rooms: cfg.rooms, signalEveryMs: cfg.signalEveryMs, editsPerSecond: cfg.editsPerSecond, measureMs: cfg.measureMs, p99BudgetMs },
      ok: outcome !== null,
      ...(error ? { error } : {}),
      durationS: Math.round((performance.now() - started) / 100) / 10,
      metrics: outcome ? { ...outcome.metrics, machine_busy_before_pct: busyBefore } : {},
      ...(outcome ? { generatorLag: outcome.generatorLag } : {}),
    });
    process.stdout.write(outcome ? `${r.durationS}s ${headline(outcome)}\n` : `FAILED: ${error}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function runLoadScenario(
  scenario: Extract<Scenario, { kind: 'load' }>,
  ctx: {
    repeats: number | null;
    previous: string | undefined;
    quiet: () => Promise<number>;
    record: (r: Omit<RunRecord, 'invocation' | 'machine' | 'git'>) => RunRecord;
  },
): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-builds-'));
  const previous = ctx.previous ? path.resolve(ctx.previous) : undefined;
  if (previous && !fs.existsSync(path.join(previous, 'index.html'))) throw new Error(`--load-baseline ${ctx.previous}: no index.html there`);
  process.stdout.write(`${scenario.id}: building the client twice (shipped, baseline) … `);
  const variants = buildVariants(REPO_ROOT, tmp, previous);
  process.stdout.write('done\n');
  const browser = await launchBenchChromium();
  const servers = await Promise.all(variants.map((v) => serveBuild(v.dir)));
  try {
    const times = ctx.repeats ?? scenario.repeats;
    for (let repeat = 1; repeat <= times; repeat++) {
      for (const [i, variant] of variants.entries()) {
        const server = servers[i];
        if (!server) continue;
        process.stdout.write(`${scenario.id} #${repeat} ${variant.label} … `);
        const busyBefore = await ctx.quiet();
        const started = performance.now();
        let sample: LoadSample | null = null;
        let error: string | undefined;
        try {
          sample = await measureLoad(browser, server.url, { path: scenario.config.path, throttle: scenario.config, identity: variant.identity });
        } catch (e) {
          error = (e as Error).message;
        }
        const { entry_encoding: encoding, ...figures } = sample ?? { entry_encoding: '' };
        const r = ctx.record({
          at: new Date().toISOString(),
          scenario: scenario.id,
          description: scenario.description,
          target: 'parley',
          repeat,
          params: { variant: variant.label, encoding: encoding || 'identity', path: scenario.config.path, latencyMs: scenario.config.latencyMs, downKbps: scenario.config.downKbps, upKbps: scenario.config.upKbps, cpuSlowdown: scenario.config.cpuSlowdown },
          ok: sample !== null,
          ...(error ? { error } : {}),
          durationS: Math.round((performance.now() - started) / 100) / 10,
          metrics: sample ? { ...figures, machine_busy_before_pct: busyBefore } : {},
        });
        process.stdout.write(sample ? `${r.durationS}s fcp=${sample.fcp_ms}ms h1=${sample.first_heading_ms}ms form=${sample.app_ready_ms}ms js_wire=${(sample.js_wire_bytes / 1024).toFixed(1)}KiB (${encoding || 'identity'})\n` : `FAILED: ${error}\n`);
      }
    }
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.close()));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function headline(outcome: ScenarioOutcome): string {
  const m = outcome.metrics;
  const pick = ['edit_p99_ms', 'lost_edits', 'reveal_p99_ms', 'signal_p99_ms', 'signals_undelivered', 'resume_client_p50_ms', 'resume_server_load_p95_ms']
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}=${m[k]}`);
  return `${pick.join(' ')} lag_p99=${outcome.generatorLag.p99}ms`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
