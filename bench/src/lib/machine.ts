import fs from 'node:fs';
import { sleep } from './bounded';
import { round } from './stats';

/** Busy and total CPU time of the whole machine (Linux /proc/stat, in seconds); null elsewhere. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const ticks = 100; // USER_HZ
    const total = fields.reduce((s, v) => s + v, 0) / ticks;
    const idle = ((fields[3] ?? 0) + (fields[4] ?? 0)) / ticks;
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * CPU used by processes other than the generator and the target during a window: on a shared
 * machine (other builds and test suites running) it tells which runs were disturbed.
 */
export class MachineLoad {
  private start = machineCpu();
  private generatorStart = process.cpuUsage();

  begin(): void {
    this.start = machineCpu();
    this.generatorStart = process.cpuUsage();
  }

  /** CPU seconds this process (the load generator: every client) used since `begin`. */
  generatorSeconds(): number {
    const generator = process.cpuUsage(this.generatorStart);
    return (generator.user + generator.system) / 1e6;
  }

  /** Percent of one core used by other processes since `begin` (target CPU passed in). */
  othersPct(targetCpuSeconds: number, seconds: number): number {
    const now = machineCpu();
    if (!now || !this.start || seconds <= 0) return NaN;
    const generator = process.cpuUsage(this.generatorStart);
    const others = now.busy - this.start.busy - targetCpuSeconds - (generator.user + generator.system) / 1e6;
    return round(Math.max(0, (others / seconds) * 100), 1);
  }
}

/** Waits (bounded) until the machine is mostly idle before a run starts; returns busy % seen. */
export async function waitForQuiet(maxWaitMs: number, busyPctLimit = 25): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  let busyPct = NaN;
  for (;;) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    if (!a || !b) return NaN;
    busyPct = round(((b.busy - a.busy) / Math.max(1e-9, b.total - a.total)) * 100, 1);
    if (busyPct <= busyPctLimit || performance.now() > deadline) return busyPct;
  }
}
