import type { ControlClient, ParleyDriver } from '../clients/parley';
import type { MeasuredServer } from '../cluster';
import { mapLimit, sleep, waitUntil, withTimeout } from '../lib/bounded';
import { LagMonitor } from '../lib/lag';
import { MachineLoad } from '../lib/machine';
import { round, summarize } from '../lib/stats';
import { summaryMetrics, type ScenarioOutcome } from './result';
import { answer, closeAll, connectPartners, itemId, prefill, worksheetOf, type Partners } from './worksheet';

export interface SignalsConfig {
  rooms: number;
  /** the busy part: partner A edits a worksheet of this many items at this rate, per room */
  items: number;
  editsPerSecond: number;
  /** each room sends one scene signal this often (partners take turns) */
  signalEveryMs: number;
  warmupMs: number;
  measureMs: number;
}

interface SignalRoom extends Partners {
  controls: { a: ControlClient; b: ControlClient };
  seq: number;
  turn: number;
}

const LEVELS = ['green', 'yellow', 'red', 'check'] as const;
const TICK_MS = 5;

/**
 * Scene signals in busy rooms: every room is in scene mode, partner A edits the worksheet at
 * 2 edits/s (relayed to B, as in the edits scenario), and every room sends a signal every few
 * seconds, the partners taking turns. Per signal: the time from `signal:send` to the partner's
 * `signal` event (the figure of issue 15), the sender's ack, and the round trip to the
 * sender's `signal:acked` after the partner's `signal:ack`.
 */
export async function runSignals(driver: ParleyDriver, target: MeasuredServer, cfg: SignalsConfig): Promise<ScenarioOutcome> {
  const lag = new LagMonitor();
  const machine = new MachineLoad();
  const created = await withTimeout('create rooms', 20_000 + cfg.rooms * 100, mapLimit(Array.from({ length: cfg.rooms }), 16, () => driver.createRoom()));
  const { pairs } = await connectPartners(driver, created, { concurrency: 32, timeoutMs: 30_000 + cfg.rooms * 60 });
  const rooms: SignalRoom[] = [];
  try {
    await withTimeout(
      'connect control channels',
      30_000 + cfg.rooms * 60,
      mapLimit(pairs, 32, async (p) => {
        const controls = { a: await driver.control(p.room, 'a'), b: await driver.control(p.room, 'b') };
        rooms.push({ ...p, controls, seq: 0, turn: 0 });
        const started = await controls.a.send('scene:start', {});
        if (!started.ok) throw new Error(`scene:start refused: ${JSON.stringify(started)}`);
      }),
    );
    for (const r of rooms) prefill(r.a.doc, cfg.items);
    await waitUntil('prefill reaches partner B', 20_000 + cfg.rooms * 20, () => rooms.every((r) => worksheetOf(r.b.doc).size >= cfg.items), 20);

    let measuring = false;
    const deliveries: number[] = [];
    const sendAcks: number[] = [];
    const roundTrips: number[] = [];
    /** signal id (chosen here, as the web client does) → when it was sent, until its sender hears it was seen */
    const sentAt = new Map<string, { at: number; measured: boolean }>();
    const received = new Set<string>();
    let refused = 0;
    let duplicates = 0;
    rooms.forEach((r) => {
      for (const [seat, other] of [['a', 'b'], ['b', 'a']] as const) {
        r.controls[seat].socket.on('signal', (payload: { id: string }) => {
          const now = performance.now();
          if (received.has(payload.id)) return void duplicates++;
          received.add(payload.id);
          const sent = sentAt.get(payload.id);
          if (sent?.measured) deliveries.push(now - sent.at);
          void r.controls[seat].send('signal:ack', { id: payload.id });
        });
        r.controls[other].socket.on('signal:acked', (payload: { id: string }) => {
          const sent = sentAt.get(payload.id);
          if (sent?.measured) roundTrips.push(performance.now() - sent.at);
          sentAt.delete(payload.id);
        });
      }
    });

    // The busy part, as in the edits scenario: A edits, phases spread over the interval.
    const editInterval = 1000 / cfg.editsPerSecond;
    const start = performance.now() + 50;
    const nextEdit = rooms.map((_, i) => start + (editInterval * i) / rooms.length);
    const nextSignal = rooms.map((_, i) => start + (cfg.signalEveryMs * i) / rooms.length);
    const signal = (r: SignalRoom, index: number) => {
      const seat = r.turn % 2 === 0 ? 'a' : 'b';
      const id = `bench-${index}-${r.turn++}`;
      const at = performance.now();
      const measured = measuring;
      sentAt.set(id, { at, measured });
      void r.controls[seat].send('signal:send', { level: LEVELS[r.turn % LEVELS.length], id }).then((ack) => {
        if (!ack.ok) {
          refused++;
          sentAt.delete(id);
        } else if (measured) sendAcks.push(performance.now() - at);
      });
    };
    const editor = setInterval(() => {
      const now = performance.now();
      rooms.forEach((r, i) => {
        while ((nextEdit[i] ?? Infinity) <= now) {
          nextEdit[i] = (nextEdit[i] ?? now) + editInterval;
          worksheetOf(r.a.doc).set(itemId(Math.floor(Math.random() * cfg.items)), answer(++r.seq));
        }
        while ((nextSignal[i] ?? Infinity) <= now) {
          nextSignal[i] = (nextSignal[i] ?? now) + cfg.signalEveryMs;
          signal(r, i);
        }
      });
    }, TICK_MS);

    try {
      await sleep(cfg.warmupMs);
      const before = await target.stats();
      lag.start();
      machine.begin();
      measuring = true;
      target.mark('window-start');
      const from = performance.now();
      await sleep(cfg.measureMs);
      measuring = false;
      target.mark('window-end');
      const after = await target.stats();
      const generatorLag = lag.stop();
      const seconds = (performance.now() - from) / 1000;
      clearInterval(editor);
      await waitUntil('signals drain', 15_000, () => sentAt.size === 0, 20).catch(() => undefined);
      return {
        generatorLag,
        metrics: {
          ...summaryMetrics('signal', summarize(deliveries)),
          ...summaryMetrics('signal_send_ack', summarize(sendAcks), ['p50', 'p99']),
          ...summaryMetrics('signal_round_trip', summarize(roundTrips), ['p50', 'p99']),
          signal_samples: deliveries.length,
          signals_undelivered: sentAt.size,
          signals_refused: refused,
          signals_duplicated: duplicates,
          server_cpu_pct: round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100, 1),
          others_cpu_pct: machine.othersPct(after.cpuSeconds - before.cpuSeconds, seconds),
        },
      };
    } finally {
      clearInterval(editor);
    }
  } finally {
    for (const r of rooms) {
      r.controls.a.close();
      r.controls.b.close();
    }
    closeAll(pairs.flatMap((p) => [p.a, p.b]));
  }
}
