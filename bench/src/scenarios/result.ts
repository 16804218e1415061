import type { LagReport } from '../lib/lag';
import type { Summary } from '../lib/stats';

/** What one scenario run measured: flat numeric figures (for the table) plus details. */
export interface ScenarioOutcome {
  metrics: Record<string, number>;
  generatorLag: LagReport;
  details?: Record<string, unknown>;
}

/** Flattens a summary into `<prefix>_p50_ms` … figures. */
export function summaryMetrics(prefix: string, s: Summary, keys: readonly (keyof Summary)[] = ['p50', 'p95', 'p99', 'max']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k === 'n' ? `${prefix}_n` : `${prefix}_${k}_ms`] = s[k];
  return out;
}

export const KiB = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;
