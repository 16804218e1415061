import { ParleyCluster } from '../cluster';
import type { TargetOptions } from '../target-process';
import { runEdits, type EditsConfig } from './edits';
import type { ScenarioOutcome } from './result';

/**
 * How partners reach the nodes: `split` is what a round-robin proxy does in the worst case
 * (partner B on another node than partner A, so every edit crosses Redis); `together` is a
 * proxy that routes by room (Caddy `lb_policy query room`, see docs/operations.md).
 */
export type Placement = 'split' | 'together';

export interface ScaleLayout {
  nodes: number;
  placement: Placement;
}

export const layoutLabel = (l: ScaleLayout): string =>
  l.nodes === 1 ? '1 node' : `${l.nodes} nodes, ${l.placement === 'split' ? 'partners split' : 'routed by room'}`;

export interface ScaleConfig {
  /** cluster layouts to compare, e.g. one node, two nodes each way */
  layouts: readonly ScaleLayout[];
  /** room counts tried in order, for each cluster size, until one is over budget */
  ladder: readonly number[];
  /** a step holds its rooms if edit p99 stays within this and no edit is lost */
  p99BudgetMs: number;
  items: number;
  editsPerSecond: number;
  warmupMs: number;
  measureMs: number;
}

export interface ScaleStep {
  layout: ScaleLayout;
  rooms: number;
  outcome: ScenarioOutcome | null;
  error?: string;
  durationS: number;
}

/** Why a step (its figures, or its error if it failed) does not hold its rooms, or null if it does. */
export function overBudget(m: Record<string, number> | null, error: string | undefined, cfg: Pick<ScaleConfig, 'p99BudgetMs'>): string | null {
  if (!m) return error ?? 'failed';
  if ((m.lost_edits ?? 0) > 0 || (m.unobserved_edits ?? 0) > 0) return 'edits lost';
  if ((m.edits_skipped_by_generator ?? 0) > 0) return 'generator fell behind';
  if (!((m.edit_p99_ms ?? Infinity) <= cfg.p99BudgetMs)) return `p99 over ${cfg.p99BudgetMs} ms`;
  return null;
}

export interface LadderOptions {
  target?: Omit<TargetOptions, 'env'>;
  beforeStep?: () => Promise<void>;
  onStep: (step: ScaleStep) => void;
  /** the cluster now running (null when none), so a watchdog can kill it */
  register: (cluster: ParleyCluster | null) => void;
}

/**
 * Capacity of one node against two: for each layout, the edits scenario at growing room
 * counts (Postgres store, Redis fan-out) until a step misses the p99 budget twice. Each step
 * starts a fresh cluster. `onStep` sees every step as it ends.
 */
export async function runScaleLadder(
  cfg: ScaleConfig,
  opts: LadderOptions,
): Promise<void> {
  for (const layout of cfg.layouts) {
    for (const rooms of cfg.ladder) {
      const first = await runStep(layout, rooms, cfg, opts);
      // A step is over budget only if it is twice: one unlucky tail on a shared machine does
      // not end a layout's ladder (every layout gets the same second chance).
      if (overBudget(first.outcome?.metrics ?? null, first.error, cfg) === null) continue;
      const second = await runStep(layout, rooms, cfg, opts);
      if (overBudget(second.outcome?.metrics ?? null, second.error, cfg) !== null) break;
    }
  }
}

async function runStep(
  layout: ScaleLayout,
  rooms: number,
  cfg: ScaleConfig,
  opts: LadderOptions,
): Promise<ScaleStep> {
  await opts.beforeStep?.();
  const started = performance.now();
  const edits: EditsConfig = { rooms, items: cfg.items, editsPerSecond: cfg.editsPerSecond, settleMs: 1000, warmupMs: cfg.warmupMs, measureMs: cfg.measureMs, joinSample: 5 };
  let cluster: ParleyCluster | null = null;
  let outcome: ScenarioOutcome | null = null;
  let error: string | undefined;
  try {
    cluster = await ParleyCluster.start(layout.nodes, layout.placement, opts.target);
    opts.register(cluster);
    outcome = await runEdits(cluster.driver, cluster, edits);
  } catch (e) {
    error = `${(e as Error).message}${cluster ? ` ${cluster.nodes.map((n) => n.stderr()).join(' ')}` : ''}`.trim();
  } finally {
    await cluster?.dispose().catch(() => cluster?.kill());
    opts.register(null);
  }
  const step: ScaleStep = { layout, rooms, outcome, durationS: Math.round((performance.now() - started) / 100) / 10, ...(error ? { error } : {}) };
  opts.onStep(step);
  // Let sockets of the finished step close before the next cluster starts.
  await new Promise((r) => setTimeout(r, 1000));
  return step;
}
