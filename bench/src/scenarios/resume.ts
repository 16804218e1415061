import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import type { BenchRoom, TargetDriver } from '../clients/types';
import { mapLimit, sleep, waitUntil, withTimeout } from '../lib/bounded';
import { LagMonitor } from '../lib/lag';
import { MachineLoad } from '../lib/machine';
import { round, summarize } from '../lib/stats';
import type { TargetProcess } from '../target-process';
import { summaryMetrics, type ScenarioOutcome } from './result';
import { answer, closeAll, connectPartners, itemId, matches, prefill, seqsOf, worksheetOf } from './worksheet';

export interface ResumeConfig {
  rooms: number;
  items: number;
  /** single-item edits after the prefill, so the store holds a log, not just one update */
  editsPerRoom: number;
}

/**
 * Bytes under `dir`, recursively. A file can go between listing and stat (y-leveldb compacts
 * its log while the bench reads the directory): it counts as gone.
 */
function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : (fs.statSync(full, { throwIfNoEntry: false })?.size ?? 0);
  }
  return total;
}

/**
 * Cold resume: rooms with a filled-in worksheet and an edit history are written, the server
 * restarts (graceful stop, new process on the same files), then each room is opened once,
 * one at a time: client-side time until the whole worksheet is there, bytes received,
 * the same for a second client while the doc is warm, and the server's own load time.
 */
export async function runColdResume(driver: TargetDriver, target: TargetProcess, cfg: ResumeConfig): Promise<ScenarioOutcome> {
  const lag = new LagMonitor();
  const machine = new MachineLoad();
  const rooms = await withTimeout('create rooms', 20_000 + cfg.rooms * 100, mapLimit(Array.from({ length: cfg.rooms }), 16, () => driver.createRoom()));
  const { pairs } = await connectPartners(driver, rooms, { concurrency: 32, timeoutMs: 30_000 + cfg.rooms * 60 });
  const expected = new Map<BenchRoom, Map<string, number>>();
  try {
    for (const p of pairs) {
      prefill(p.a.doc, cfg.items);
      const map = worksheetOf(p.a.doc);
      for (let e = 1; e <= cfg.editsPerRoom; e++) map.set(itemId((e * 7) % cfg.items), answer(e));
      expected.set(p.room, seqsOf(p.a.doc));
    }
    await waitUntil('content reaches partner B', 30_000 + cfg.rooms * 20, () => pairs.every((p) => matches(p.b.doc, expected.get(p.room) ?? new Map())), 20);
  } finally {
    closeAll(pairs.flatMap((p) => [p.a, p.b]));
  }
  await sleep(500);
  await target.restart();
  const storedBytes = dirBytes(target.dataDir);
  const before = await target.stats({ resetLoads: true });

  lag.start();
  machine.begin();
  const windowStart = performance.now();
  const coldMs: number[] = [];
  const warmMs: number[] = [];
  const bytes: number[] = [];
  let failures = 0;
  await withTimeout(
    'cold resume',
    30_000 + cfg.rooms * 500,
    mapLimit(pairs, 1, async ({ room }) => {
      const want = expected.get(room) ?? new Map<string, number>();
      const cold = await openUntilFull(driver, room, want);
      if (!cold) {
        failures++;
        return;
      }
      // Second client while the first keeps the doc in memory (the bare server unloads a doc
      // with its last connection).
      const warm = await openUntilFull(driver, room, want);
      coldMs.push(cold.ms);
      bytes.push(cold.bytes);
      if (warm) warmMs.push(warm.ms);
      warm?.close();
      cold.close();
    }),
  );
  const generatorLag = lag.stop();
  const server = await target.stats({ resetLoads: true });
  const cold = summarize(coldMs);
  const warm = summarize(warmMs);
  return {
    generatorLag,
    metrics: {
      ...summaryMetrics('resume_client', cold, ['p50', 'p95', 'max']),
      ...summaryMetrics('resume_warm_client', warm, ['p50', 'p95']),
      resume_cold_minus_warm_p50_ms: round(cold.p50 - warm.p50),
      ...summaryMetrics('resume_server_load', summarize(server.docLoadsMs), ['p50', 'p95', 'max']),
      resume_server_loads: server.docLoadsMs.length,
      resume_bytes_per_doc: round(bytes.reduce((s, b) => s + b, 0) / Math.max(1, bytes.length), 0),
      stored_bytes_per_room: round(storedBytes / cfg.rooms, 0),
      resume_failures: failures,
      others_cpu_pct: machine.othersPct(server.cpuSeconds - before.cpuSeconds, (performance.now() - windowStart) / 1000),
    },
  };
}

async function openUntilFull(driver: TargetDriver, room: BenchRoom, want: ReadonlyMap<string, number>): Promise<{ ms: number; bytes: number; close: () => void } | null> {
  const started = performance.now();
  const doc = new Y.Doc();
  const opened = driver.openShared(room, 'b', doc);
  const close = () => closeAll([opened]);
  try {
    await withTimeout(
      'open until full',
      10_000,
      new Promise<void>((resolve) => {
        const check = () => {
          if (matches(doc, want)) {
            doc.off('update', check);
            resolve();
          }
        };
        doc.on('update', check);
      }),
    );
    return { ms: performance.now() - started, bytes: opened.bytesReceived(), close };
  } catch {
    close();
    return null;
  }
}
