import * as Y from 'yjs';
import { PRIVATE_DOC_KEYS, ROOM_DOC_KEYS, readRoomDoc } from '@parley/shared/protocol/room-doc';
import { newSender } from '@parley/shared/sealed/envelope';
import { openEscrow, sealEscrow } from '@parley/shared/sealed/escrow';
import type { UntrustedAnswers } from '@parley/shared/reveal/project';
import { defaultTemplate } from '@parley/shared/template/default';
import { histogramTotals, type ControlClient } from '../clients/parley';
import type { SealedParleyDriver, SealedSeat } from '../clients/parley-sealed';
import type { BenchRoom, OpenedDoc, SeatName } from '../clients/types';
import { mapLimit, waitUntil, withTimeout } from '../lib/bounded';
import { LagMonitor } from '../lib/lag';
import { MachineLoad } from '../lib/machine';
import { round, summarize } from '../lib/stats';
import type { TargetProcess } from '../target-process';
import { REVEAL_SECTION, SETUP_CONCURRENCY, sectionAnswers, type RevealConfig } from './reveal';
import { summaryMetrics, type ScenarioOutcome } from './result';
import { closeAll } from './worksheet';

const SEATS = ['a', 'b'] as const;
/** rooms whose escrow crypto is timed one operation at a time after the storm */
const CRYPTO_SAMPLE = 20;
const other = (seat: SeatName): SeatName => (seat === 'a' ? 'b' : 'a');

/** What a seat's client seals when its partner clicks ready: its own side of the section, from its private doc. */
const sealOwn = (keys: SealedSeat, room: BenchRoom, seat: SeatName, answers: UntrustedAnswers) =>
  sealEscrow({ pairKeys: keys.pair, roomId: room.id, sectionId: REVEAL_SECTION, round: 1, seat, answers, template: defaultTemplate, writer: { sender: newSender(), seq: 1 } });

interface SealedRevealRoom {
  room: BenchRoom;
  docs: OpenedDoc[];
  controls: Record<SeatName, ControlClient | null>;
  escrow: Record<SeatName, Uint8Array | null>;
  answers: Record<SeatName, UntrustedAnswers>;
  t0: number;
  /** per seat: when `section:revealed` arrived / when this seat had opened the partner's escrow */
  seen: Record<SeatName, { event: number; opened: number }>;
}

/**
 * The reveal storm in sealed rooms (issue 16, docs/sealed-rooms.md §5), the same shape as
 * `runRevealStorm`: every room's partners have answered the section in their private docs (here
 * sealed docs through `/sealed`), hold the room doc and the control channel open, and every room
 * marks the section ready at once, each mark carrying that seat's escrow. "Seen by both" is the
 * time from sending both marks until both partners have `section:revealed` and have **opened the
 * other's escrow** from the room doc's `sealedRevealed` (what a sealed client must do before it
 * can show anything). The escrows are sealed before the storm, as each partner's own device
 * seals its escrow when its partner clicks ready: sealing 200 of them in the one load generator
 * would queue them behind each other, which no real pair of devices does. What one seal and one
 * open cost is timed one at a time after the storm (`escrow_seal_*`, `escrow_open_*`); opening in
 * the storm is inside the figure (`escrow_open_storm_*`, wall time, queueing included).
 */
export async function runSealedRevealStorm(driver: SealedParleyDriver, target: TargetProcess, cfg: RevealConfig): Promise<ScenarioOutcome> {
  const lag = new LagMonitor();
  const machine = new MachineLoad();
  const rooms: SealedRevealRoom[] = [];
  const openMs: number[] = [];
  let unreadable = 0;
  let escrowBytes = 0;
  try {
    await withTimeout(
      'sealed reveal setup',
      30_000 + cfg.rooms * 200,
      mapLimit(Array.from({ length: cfg.rooms }), SETUP_CONCURRENCY, async () => {
        const room = await driver.createRoom();
        const r: SealedRevealRoom = {
          room,
          docs: [],
          controls: { a: null, b: null },
          escrow: { a: null, b: null },
          answers: { a: {}, b: {} },
          t0: 0,
          seen: { a: { event: 0, opened: 0 }, b: { event: 0, opened: 0 } },
        };
        rooms.push(r);
        for (const seat of SEATS) {
          const keys = driver.seat(room, seat);
          const priv = driver.openPrivate(room, seat, new Y.Doc());
          const roomDoc = driver.openRoomDoc(room, seat, new Y.Doc());
          r.docs.push(priv, roomDoc);
          await Promise.all([priv.synced, roomDoc.synced]);
          const answers = priv.doc.getMap(PRIVATE_DOC_KEYS.answers);
          priv.doc.transact(() => {
            for (const [id, value] of Object.entries(sectionAnswers(seat))) answers.set(id, value);
          });
          // The partner's escrow, opened once it is in this seat's room doc.
          let opening = false;
          const revealed = roomDoc.doc.getMap(ROOM_DOC_KEYS.revealed);
          revealed.observe(() => {
            if (opening || r.seen[seat].opened > 0) return;
            const released = readRoomDoc(roomDoc.doc).sealedRevealed?.[REVEAL_SECTION];
            if (!released) return;
            opening = true;
            const started = performance.now();
            void openEscrow({ pairKeys: keys.pair, roomId: room.id, sectionId: REVEAL_SECTION, round: released.round, seat: other(seat), envelope: released[other(seat)], template: defaultTemplate }).then((opened) => {
              const now = performance.now();
              openMs.push(now - started);
              if (opened.ok && Object.keys(opened.answers).length > 0) r.seen[seat].opened = now;
              else unreadable++;
            });
          });
          const control = await driver.control(room, seat);
          r.controls[seat] = control;
          control.socket.on('section:revealed', (payload: { sectionId: string }) => {
            if (payload.sectionId === REVEAL_SECTION && r.seen[seat].event === 0) r.seen[seat].event = performance.now();
          });
          // Stored (acknowledged) before the storm, as the standard storm waits for its answers to land.
          await priv.provider.whenStored();
          // What this seat's client seals when its partner clicks ready: its own side, from its private doc.
          const sealed = await sealOwn(keys, room, seat, answers.toJSON());
          if (!sealed.ok) throw new Error(`escrow: ${sealed.reason}`);
          r.escrow[seat] = sealed.envelope;
          r.answers[seat] = answers.toJSON();
          escrowBytes = sealed.envelope.length;
        }
      }),
    );
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
      for (const seat of SEATS) {
        const control = r.controls[seat];
        if (!control) continue;
        const sent = performance.now();
        acks.push(
          control.send('section:ready', { sectionId: REVEAL_SECTION, ready: true, escrow: r.escrow[seat] }).then((ack) => {
            ackMs.push(performance.now() - sent);
            return ack.ok;
          }),
        );
      }
    }
    const done = (r: SealedRevealRoom) => SEATS.every((s) => r.seen[s].event > 0 && r.seen[s].opened > 0);
    const failedAcks = (await withTimeout('ready acks', 30_000 + cfg.rooms * 20, Promise.all(acks))).filter((ok) => !ok).length;
    await waitUntil('sealed reveal reaches both partners', 30_000 + cfg.rooms * 20, () => rooms.every(done), 5).catch(() => undefined);
    target.mark('window-end');
    const generatorCpu = machine.generatorSeconds();
    const generatorLag = lag.stop();
    const after = await target.stats();
    const commits = histogramTotals(await driver.metrics(), 'parley_store_flush_seconds').count - commitsBefore;
    const crypto = await timeEscrowCrypto(driver, rooms.slice(0, CRYPTO_SAMPLE));
    const finished = rooms.filter(done);
    const latencies = finished.map((r) => Math.max(r.seen.a.event, r.seen.a.opened, r.seen.b.event, r.seen.b.opened) - r.t0);
    const eventOnly = finished.map((r) => Math.max(r.seen.a.event, r.seen.b.event) - r.t0);
    return {
      generatorLag,
      metrics: {
        ...summaryMetrics('reveal', summarize(latencies)),
        ...summaryMetrics('reveal_event', summarize(eventOnly), ['p50', 'p99']),
        ...summaryMetrics('ready_ack', summarize(ackMs), ['p50', 'p99']),
        reveals_missing: rooms.length - latencies.length,
        failed_acks: failedAcks,
        escrows_unreadable: unreadable,
        ...summaryMetrics('escrow_seal', summarize(crypto.sealMs), ['p50', 'p99']),
        ...summaryMetrics('escrow_open', summarize(crypto.openMs), ['p50', 'p99']),
        ...summaryMetrics('escrow_open_storm', summarize(openMs), ['p50', 'p99']),
        escrow_bytes: escrowBytes,
        parley_doc_commits: commits,
        server_cpu_s: round(after.cpuSeconds - before.cpuSeconds),
        server_cpu_per_reveal_ms: round(((after.cpuSeconds - before.cpuSeconds) / cfg.rooms) * 1000),
        generator_cpu_per_reveal_ms: round((generatorCpu / cfg.rooms) * 1000),
        others_cpu_pct: machine.othersPct(after.cpuSeconds - before.cpuSeconds, (performance.now() - stormStart) / 1000),
      },
    };
  } finally {
    for (const r of rooms) for (const seat of SEATS) r.controls[seat]?.close();
    closeAll(rooms.flatMap((r) => r.docs));
  }
}

/**
 * One seal and one open of an escrow at a time, in quiet (after the storm): what each costs a
 * partner's device, without the storm's queueing that the in-storm open time includes.
 */
async function timeEscrowCrypto(driver: SealedParleyDriver, sample: SealedRevealRoom[]): Promise<{ sealMs: number[]; openMs: number[] }> {
  const sealMs: number[] = [];
  const openMs: number[] = [];
  for (const r of sample) {
    const a = driver.seat(r.room, 'a');
    const b = driver.seat(r.room, 'b');
    let started = performance.now();
    const sealed = await sealOwn(a, r.room, 'a', r.answers.a);
    sealMs.push(performance.now() - started);
    if (!sealed.ok) continue;
    started = performance.now();
    await openEscrow({ pairKeys: b.pair, roomId: r.room.id, sectionId: REVEAL_SECTION, round: 1, seat: 'a', envelope: sealed.envelope, template: defaultTemplate });
    openMs.push(performance.now() - started);
  }
  return { sealMs, openMs };
}
