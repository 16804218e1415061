import * as Y from 'yjs';
import { histogramBucket, histogramTotals, isParleyDriver } from '../clients/parley';
import type { BenchRoom, TargetDriver } from '../clients/types';
import { mapLimit, sleep, waitUntil, withTimeout } from '../lib/bounded';
import { LagMonitor } from '../lib/lag';
import { MachineLoad } from '../lib/machine';
import { round, summarize } from '../lib/stats';
import type { MeasuredServer } from '../cluster';
import { KiB, summaryMetrics, type ScenarioOutcome } from './result';
import { answer, closeAll, connectPartners, itemId, matches, prefill, seqsOf, worksheetOf, type Partners } from './worksheet';

export interface EditsConfig {
  rooms: number;
  /** worksheet items per room */
  items: number;
  /** partner A's edits per second, per room */
  editsPerSecond: number;
  /** quiet time after the prefill before idle memory is read */
  settleMs: number;
  warmupMs: number;
  measureMs: number;
  /** rooms in which a late joiner measures the time to see the full worksheet */
  joinSample: number;
}

interface RoomLoad extends Partners {
  seq: number;
  nextAt: number;
  /** edit seq → performance.now() when A made it; removed when B observed it */
  inFlight: Map<number, number>;
}

const TICK_MS = 5;

/**
 * N rooms, two real providers each: partner A edits a K-item worksheet at R edits/s, partner
 * B observes. One-way latency A→B, initial sync, late-join full sync, lost edits, server RSS
 * per room (idle and loaded), server CPU, generator event-loop lag.
 */
export async function runEdits(driver: TargetDriver, target: MeasuredServer, cfg: EditsConfig): Promise<ScenarioOutcome> {
  const lag = new LagMonitor();
  const machine = new MachineLoad();
  const base = await target.stats({ gc: true });

  const rooms = await withTimeout('create rooms', 20_000 + cfg.rooms * 100, mapLimit(Array.from({ length: cfg.rooms }), 16, () => driver.createRoom()));
  const { pairs, syncMs } = await connectPartners(driver, rooms, { concurrency: 32, timeoutMs: 30_000 + cfg.rooms * 60 });
  const loads: RoomLoad[] = pairs.map((p) => ({ ...p, seq: 0, nextAt: 0, inFlight: new Map() }));
  const allDocs = loads.flatMap((l) => [l.a, l.b]);
  try {
    for (const l of loads) prefill(l.a.doc, cfg.items);
    await waitUntil('prefill reaches partner B', 20_000 + cfg.rooms * 20, () => loads.every((l) => worksheetOf(l.b.doc).size >= cfg.items), 20);
    await sleep(cfg.settleMs);
    const idle = await target.stats({ gc: true });

    // B's observer: one latency sample per edit of A that B sees.
    let measuring = false;
    let measureFrom = Infinity;
    const latencies: number[] = [];
    let observed = 0;
    for (const l of loads) {
      const map = worksheetOf(l.b.doc);
      map.observe((event) => {
        const now = performance.now();
        for (const key of event.keysChanged) {
          const seq = map.get(key)?.s;
          if (seq === undefined) continue;
          const sentAt = l.inFlight.get(seq);
          if (sentAt === undefined) continue;
          l.inFlight.delete(seq);
          observed++;
          if (measuring && sentAt >= measureFrom) latencies.push(now - sentAt);
        }
      });
    }

    // A's edits: one scheduler for all rooms, phases spread evenly over the interval.
    const interval = 1000 / cfg.editsPerSecond;
    const start = performance.now() + 50;
    loads.forEach((l, i) => (l.nextAt = start + (interval * i) / loads.length));
    let sent = 0;
    let skipped = 0;
    const edit = (l: RoomLoad) => {
      const seq = ++l.seq;
      const key = itemId(Math.floor(Math.random() * cfg.items));
      l.inFlight.set(seq, performance.now());
      worksheetOf(l.a.doc).set(key, answer(seq));
      sent++;
    };
    const scheduler = setInterval(() => {
      const now = performance.now();
      for (const l of loads) {
        let due = 0;
        while (l.nextAt <= now) {
          l.nextAt += interval;
          // A generator that fell behind does not burst: it skips (and reports) the backlog.
          if (due++ < 2) edit(l);
          else skipped++;
        }
      }
    }, TICK_MS);

    const parley = isParleyDriver(driver) ? driver : null;
    let loaded = { rssBytes: 0, heapUsedBytes: 0 };
    const cpu = { before: 0, after: 0 };
    const flush = { before: { sum: 0, count: 0, slow: 0 }, after: { sum: 0, count: 0, slow: 0 } };
    // Commits slower than 10 ms: where SQLite's WAL auto-checkpoint (an fsync) shows up.
    const flushes = (text: string) => ({ ...histogramTotals(text, 'parley_store_flush_seconds'), slow: histogramTotals(text, 'parley_store_flush_seconds').count - histogramBucket(text, 'parley_store_flush_seconds', '0.01') });
    try {
      await sleep(cfg.warmupMs);
      const before = await target.stats();
      if (parley) flush.before = flushes(await parley.metrics());
      cpu.before = before.cpuSeconds;
      measureFrom = performance.now();
      measuring = true;
      target.mark('window-start');
      lag.start();
      machine.begin();
      const measureEnd = measureFrom + cfg.measureMs;
      while (performance.now() < measureEnd) {
        await sleep(Math.min(1000, Math.max(0, measureEnd - performance.now())));
        const s = await target.stats();
        loaded = { rssBytes: Math.max(loaded.rssBytes, s.rssBytes), heapUsedBytes: Math.max(loaded.heapUsedBytes, s.heapUsedBytes) };
        cpu.after = s.cpuSeconds;
      }
      measuring = false;
      target.mark('window-end');
      if (parley) flush.after = flushes(await parley.metrics());
    } finally {
      clearInterval(scheduler);
    }
    const measuredSeconds = (performance.now() - measureFrom) / 1000;
    const generatorCpu = machine.generatorSeconds();
    const generatorLag = lag.stop();
    const othersPct = machine.othersPct(cpu.after - cpu.before, measuredSeconds);

    // Drain: every edit B has not seen yet gets a bounded chance to arrive.
    await waitUntil('edits drain', 15_000, () => loads.every((l) => l.inFlight.size === 0), 20).catch(() => undefined);
    let diverged = 0;
    let unobserved = 0;
    for (const l of loads) {
      unobserved += l.inFlight.size;
      const expected = seqsOf(l.a.doc);
      const actual = seqsOf(l.b.doc);
      for (const [key, seq] of expected) if (actual.get(key) !== seq) diverged++;
    }

    const joinMs = await measureJoins(driver, loads, cfg.joinSample);
    const clientCost = (await driver.clientCostPerEdit?.()) ?? {};
    const closes = allDocs.reduce((n, d) => n + d.closeCodes.length, 0);
    const flushCount = flush.after.count - flush.before.count;
    return {
      generatorLag,
      metrics: {
        ...summaryMetrics('edit', summarize(latencies)),
        edit_samples: latencies.length,
        ...summaryMetrics('sync', summarize(syncMs), ['p50', 'p95', 'max']),
        ...summaryMetrics('join_full', summarize(joinMs), ['p50', 'p95', 'max']),
        edits_sent: sent,
        edits_observed: observed,
        edits_skipped_by_generator: skipped,
        lost_edits: diverged,
        unobserved_edits: unobserved,
        unexpected_closes: closes,
        rss_per_room_idle_kib: KiB((idle.rssBytes - base.rssBytes) / cfg.rooms),
        rss_per_room_loaded_kib: KiB((loaded.rssBytes - base.rssBytes) / cfg.rooms),
        heap_per_room_idle_kib: KiB((idle.heapUsedBytes - base.heapUsedBytes) / cfg.rooms),
        rss_base_mib: round(base.rssBytes / 2 ** 20, 1),
        server_cpu_s: round(cpu.after - cpu.before),
        server_cpu_pct: round(((cpu.after - cpu.before) / measuredSeconds) * 100, 1),
        server_cpu_per_edit_ms: latencies.length > 0 ? round(((cpu.after - cpu.before) * 1000) / latencies.length, 3) : NaN,
        // both partners' clients (and the scheduler) in the one generator: where a sealed room's crypto runs
        generator_cpu_per_edit_ms: latencies.length > 0 ? round((generatorCpu * 1000) / latencies.length, 3) : NaN,
        others_cpu_pct: othersPct,
        ...clientCost,
        ...(parley
          ? {
              parley_flushes: flushCount,
              parley_flush_mean_ms: flushCount > 0 ? round(((flush.after.sum - flush.before.sum) / flushCount) * 1000) : NaN,
              parley_flushes_over_10ms: flush.after.slow - flush.before.slow,
            }
          : {}),
      },
    };
  } finally {
    closeAll(allDocs);
  }
}

/** A partner opening the room late: time until their copy holds the whole worksheet as A has it. */
async function measureJoins(driver: TargetDriver, loads: RoomLoad[], sample: number): Promise<number[]> {
  const step = Math.max(1, Math.floor(loads.length / Math.max(1, sample)));
  const picked = loads.filter((_, i) => i % step === 0).slice(0, sample);
  return mapLimit(picked, 4, async (l) => joinOnce(driver, l.room, seqsOf(l.a.doc)));
}

export async function joinOnce(driver: TargetDriver, room: BenchRoom, expected: ReadonlyMap<string, number>, timeoutMs = 10_000): Promise<number> {
  const started = performance.now();
  const doc = new Y.Doc();
  const opened = driver.openShared(room, 'b', doc);
  try {
    await withTimeout(
      'late join',
      timeoutMs,
      new Promise<void>((resolve) => {
        const check = () => {
          if (matches(doc, expected)) {
            doc.off('update', check);
            resolve();
          }
        };
        doc.on('update', check);
        check();
      }),
    );
    return performance.now() - started;
  } finally {
    opened.destroy();
    doc.destroy();
  }
}
