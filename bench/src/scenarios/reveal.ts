import * as Y from 'yjs';
import { findTemplate } from '@parley/shared/template/registry';
import { PRIVATE_DOC_KEYS, ROOM_DOC_KEYS, type RevealedSection } from '@parley/shared/protocol/room-doc';
import { histogramTotals, type ControlClient, type ParleyDriver } from '../clients/parley';
import type { BenchRoom, OpenedDoc, SeatName, TargetDriver } from '../clients/types';
import { mapLimit, sleep, waitUntil, withTimeout } from '../lib/bounded';
import { LagMonitor } from '../lib/lag';
import { MachineLoad } from '../lib/machine';
import { round, summarize } from '../lib/stats';
import type { TargetProcess } from '../target-process';
import { summaryMetrics, type ScenarioOutcome } from './result';
import { closeAll } from './worksheet';

export const REVEAL_SECTION = 'activities';

export interface RevealConfig {
  rooms: number;
}

/** Both partners' answers to every item of the section (what the reveal copies). */
export function sectionAnswers(seat: SeatName): Record<string, { giving: string; receiving: string; updatedAt: number }> {
  const template = findTemplate('default');
  const section = template?.sections.find((s) => s.id === REVEAL_SECTION);
  if (!section) throw new Error(`template has no section ${REVEAL_SECTION}`);
  const out: Record<string, { giving: string; receiving: string; updatedAt: number }> = {};
  for (const item of section.items) {
    out[item.id] = { giving: seat === 'a' ? 'yes' : 'curious', receiving: seat === 'a' ? 'not_now' : 'yes', updatedAt: Date.now() };
  }
  return out;
}

export const SETUP_CONCURRENCY = 16;

interface RevealRoom {
  room: BenchRoom;
  docs: OpenedDoc[];
  controls: ControlClient[];
  /** performance.now() when both ready marks were sent */
  t0: number;
  /** per seat: when the section:revealed event / the room doc's revealed answers arrived */
  seen: Record<SeatName, { event: number; doc: number }>;
}

const hasBoth = (value: RevealedSection | undefined) =>
  !!value && Object.keys(value.a).length > 0 && Object.keys(value.b).length > 0;

/**
 * Parley's reveal storm: every room's partners have answered the section in their private
 * docs and hold the room doc and the control channel open; all rooms mark the section ready
 * at once. Per room: time from sending both ready marks until both partners have the
 * `section:revealed` event and the revealed answers in their room doc.
 */
export async function runRevealStorm(driver: ParleyDriver, target: TargetProcess, cfg: RevealConfig): Promise<ScenarioOutcome> {
  const lag = new LagMonitor();
  const machine = new MachineLoad();
  const rooms: RevealRoom[] = [];
  try {
    await withTimeout(
      'reveal setup',
      30_000 + cfg.rooms * 150,
      mapLimit(Array.from({ length: cfg.rooms }), SETUP_CONCURRENCY, async () => {
        const room = await driver.createRoom();
        const r: RevealRoom = { room, docs: [], controls: [], t0: 0, seen: { a: { event: 0, doc: 0 }, b: { event: 0, doc: 0 } } };
        rooms.push(r);
        for (const seat of ['a', 'b'] as const) {
          const priv = driver.openPrivate(room, seat, new Y.Doc());
          const roomDoc = driver.openRoomDoc(room, seat, new Y.Doc());
          r.docs.push(priv, roomDoc);
          await Promise.all([priv.synced, roomDoc.synced]);
          const answers = priv.doc.getMap(PRIVATE_DOC_KEYS.answers);
          priv.doc.transact(() => {
            for (const [id, value] of Object.entries(sectionAnswers(seat))) answers.set(id, value);
          });
          const revealed = roomDoc.doc.getMap<RevealedSection>(ROOM_DOC_KEYS.revealed);
          revealed.observe(() => {
            if (r.seen[seat].doc === 0 && hasBoth(revealed.get(REVEAL_SECTION))) r.seen[seat].doc = performance.now();
          });
          const control = await driver.control(room, seat);
          r.controls.push(control);
          control.socket.on('section:revealed', (payload: { sectionId: string }) => {
            if (payload.sectionId === REVEAL_SECTION && r.seen[seat].event === 0) r.seen[seat].event = performance.now();
          });
        }
      }),
    );
    // Answers travel as plain y-websocket updates (no ack): give them a moment to land.
    await sleep(1000);
    const before = await target.stats();
    const commitsBefore = histogramTotals(await driver.metrics(), 'parley_store_flush_seconds').count;
    lag.start();
    machine.begin();
    target.mark('window-start');
    const stormStart = performance.now();
    const acks: Promise<boolean>[] = [];
    const ackMs: number[] = [];
    for (const r of rooms) {
      r.t0 = performance.now();
      for (const control of r.controls) {
        const sent = performance.now();
        acks.push(
          control.send('section:ready', { sectionId: REVEAL_SECTION, ready: true }).then((ack) => {
            ackMs.push(performance.now() - sent);
            return ack.ok;
          }),
        );
      }
    }
    const done = (r: RevealRoom) => (['a', 'b'] as const).every((s) => r.seen[s].event > 0 && r.seen[s].doc > 0);
    const failedAcks = (await withTimeout('ready acks', 30_000 + cfg.rooms * 20, Promise.all(acks))).filter((ok) => !ok).length;
    await waitUntil('reveal reaches both partners', 30_000 + cfg.rooms * 20, () => rooms.every(done), 5).catch(() => undefined);
    target.mark('window-end');
    const generatorCpu = machine.generatorSeconds();
    const generatorLag = lag.stop();
    const after = await target.stats();
    const commits = histogramTotals(await driver.metrics(), 'parley_store_flush_seconds').count - commitsBefore;
    const latencies = rooms.filter(done).map((r) => Math.max(r.seen.a.event, r.seen.a.doc, r.seen.b.event, r.seen.b.doc) - r.t0);
    const eventOnly = rooms.filter(done).map((r) => Math.max(r.seen.a.event, r.seen.b.event) - r.t0);
    return {
      generatorLag,
      metrics: {
        ...summaryMetrics('reveal', summarize(latencies)),
        ...summaryMetrics('reveal_event', summarize(eventOnly), ['p50', 'p99']),
        ...summaryMetrics('ready_ack', summarize(ackMs), ['p50', 'p99']),
        reveals_missing: rooms.length - latencies.length,
        failed_acks: failedAcks,
        // Doc-log commits during the storm: one per event-loop tick is the design; one per
        // room-doc write means the per-tick batching is bypassed.
        parley_doc_commits: commits,
        server_cpu_s: round(after.cpuSeconds - before.cpuSeconds),
        server_cpu_per_reveal_ms: round(((after.cpuSeconds - before.cpuSeconds) / cfg.rooms) * 1000),
        generator_cpu_per_reveal_ms: round((generatorCpu / cfg.rooms) * 1000),
        others_cpu_pct: machine.othersPct(after.cpuSeconds - before.cpuSeconds, (performance.now() - stormStart) / 1000),
      },
    };
  } finally {
    for (const r of rooms) for (const c of r.controls) c.close();
    closeAll(rooms.flatMap((r) => r.docs));
  }
}

/**
 * What a reveal amounts to on a server without one: both partners publish their section
 * answers into the shared doc at once. Per room: time until each partner has the other's.
 * Runs on every target (on Parley it isolates the cost of the reveal's bookkeeping).
 */
export async function runRevealEquivalent(driver: TargetDriver, target: TargetProcess, cfg: RevealConfig): Promise<ScenarioOutcome> {
  const lag = new LagMonitor();
  const machine = new MachineLoad();
  const rooms: { room: BenchRoom; a: OpenedDoc; b: OpenedDoc; t0: number; doneAt: number }[] = [];
  try {
    await withTimeout(
      'reveal setup',
      30_000 + cfg.rooms * 100,
      mapLimit(Array.from({ length: cfg.rooms }), SETUP_CONCURRENCY, async () => {
        const room = await driver.createRoom();
        const a = driver.openShared(room, 'a', new Y.Doc());
        const b = driver.openShared(room, 'b', new Y.Doc());
        const r = { room, a, b, t0: 0, doneAt: 0 };
        rooms.push(r);
        await Promise.all([a.synced, b.synced]);
        const check = () => {
          if (r.doneAt === 0 && a.doc.getMap('reveal').has('b') && b.doc.getMap('reveal').has('a')) r.doneAt = performance.now();
        };
        a.doc.on('update', check);
        b.doc.on('update', check);
      }),
    );
    await sleep(500);
    const before = await target.stats();
    lag.start();
    machine.begin();
    const stormStart = performance.now();
    const answers = { a: sectionAnswers('a'), b: sectionAnswers('b') };
    for (const r of rooms) {
      r.t0 = performance.now();
      r.a.doc.getMap('reveal').set('a', answers.a);
      r.b.doc.getMap('reveal').set('b', answers.b);
    }
    await waitUntil('answers reach both partners', 30_000 + cfg.rooms * 20, () => rooms.every((r) => r.doneAt > 0), 5).catch(() => undefined);
    const generatorLag = lag.stop();
    const after = await target.stats();
    const latencies = rooms.filter((r) => r.doneAt > 0).map((r) => r.doneAt - r.t0);
    return {
      generatorLag,
      metrics: {
        ...summaryMetrics('reveal', summarize(latencies)),
        reveals_missing: rooms.length - latencies.length,
        server_cpu_s: round(after.cpuSeconds - before.cpuSeconds),
        server_cpu_per_reveal_ms: round(((after.cpuSeconds - before.cpuSeconds) / cfg.rooms) * 1000),
        others_cpu_pct: machine.othersPct(after.cpuSeconds - before.cpuSeconds, (performance.now() - stormStart) / 1000),
      },
    };
  } finally {
    closeAll(rooms.flatMap((r) => [r.a, r.b]));
  }
}
