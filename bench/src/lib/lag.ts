import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { round } from './stats';

export interface LagReport {
  p50: number;
  p99: number;
  max: number;
}

/**
 * The load generator's own event-loop delay, so that a saturated generator shows up in the
 * results instead of passing for a slow server. Sampled every 10 ms.
 */
export class LagMonitor {
  private static readonly RESOLUTION_MS = 10;
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: LagMonitor.RESOLUTION_MS });

  start(): void {
    this.histogram.reset();
    this.histogram.enable();
  }

  stop(): LagReport {
    this.histogram.disable();
    // The histogram records the whole interval between two samples: lag is what exceeds it.
    const ms = (ns: number) => round(Math.max(0, ns / 1e6 - LagMonitor.RESOLUTION_MS), 1);
    const report = this.histogram.count === 0
      ? { p50: 0, p99: 0, max: 0 }
      : { p50: ms(this.histogram.percentile(50)), p99: ms(this.histogram.percentile(99)), max: ms(this.histogram.max) };
    this.histogram.reset();
    return report;
  }
}
