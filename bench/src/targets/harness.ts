import fs from 'node:fs';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildMessage, ParentMessage } from './ipc';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * tsx runs TypeScript as whitespace-minified JS, so a CPU profile's positions are columns on
 * line 1. With `--enable-source-maps` the maps of every loaded source file of the repo are
 * saved beside the profile; `tools/profile-top.ts` maps positions back to file:line with them.
 */
function saveSourceMaps(file: string): void {
  const maps: Record<string, unknown> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const url = pathToFileURL(full).href;
        const map = findSourceMap(url);
        if (map) maps[url] = map.payload;
      }
    }
  };
  for (const dir of ['server/src', 'shared/src', 'bench/src']) walk(path.join(REPO_ROOT, dir));
  fs.writeFileSync(file, JSON.stringify(maps));
}

export interface RunningTarget {
  port: number;
  /** Parley's separate metrics listener (METRICS_PORT), if the target has one */
  metricsPort?: number;
  /** graceful stop: flush what the server would flush on SIGTERM */
  close(): Promise<void>;
}

/**
 * The child side of a target: starts the server, reports its port, answers stats requests and
 * shuts down on request. Exits when the bench goes away (IPC disconnect), so no server outlives
 * a crashed or interrupted bench.
 */
export function serveTarget(start: (recordLoad: (ms: number) => void, port: number) => Promise<RunningTarget>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  const cpuAtStart = process.cpuUsage();
  let loads: number[] = [];
  let target: RunningTarget | null = null;
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => process.exit(code || 2), 15_000);
    hardStop.unref();
    try {
      await target?.close();
      if (process.env.BENCH_SOURCEMAPS_FILE) saveSourceMaps(process.env.BENCH_SOURCEMAPS_FILE);
    } finally {
      process.exit(code);
    }
  };

  process.on('message', (raw: unknown) => {
    const message = raw as ParentMessage;
    if (message.type === 'shutdown') {
      void stop(0);
      return;
    }
    if (message.type === 'mark') {
      // Same monotonic clock as the CPU profile's timestamps (µs): the profile tool uses the
      // marks to look at the measurement window only.
      const file = process.env.BENCH_MARKS_FILE;
      if (file) fs.appendFileSync(file, `${JSON.stringify({ label: message.label, us: Number(process.hrtime.bigint() / 1000n) })}\n`);
      return;
    }
    if (message.type === 'stats') {
      if (message.gc) {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
      }
      const cpu = process.cpuUsage(cpuAtStart);
      const memory = process.memoryUsage();
      send({
        type: 'stats',
        id: message.id,
        stats: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, cpuSeconds: (cpu.user + cpu.system) / 1e6, docLoadsMs: loads },
      });
      if (message.resetLoads) loads = [];
    }
  });
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  // 0 → any free port; a restart asks for the port it had, as clients reconnect there.
  const port = Number(process.env.BENCH_PORT ?? 0);
  start((ms) => loads.push(ms), port).then(
    (running) => {
      target = running;
      send({ type: 'ready', port: running.port, metricsPort: running.metricsPort ?? null });
    },
    (error: unknown) => {
      send({ type: 'failed', message: (error as Error).stack ?? String(error) });
      process.exit(1);
    },
  );
}
