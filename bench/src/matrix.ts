import type { EditsConfig } from './scenarios/edits';
import { LOAD_DEFAULT, type LoadConfig } from './scenarios/load';
import type { ResumeConfig } from './scenarios/resume';
import type { RevealConfig } from './scenarios/reveal';
import type { ScaleConfig, ScaleLayout } from './scenarios/scale';
import type { SignalsConfig } from './scenarios/signals';
import { SEALED_TARGETS, type TargetName } from './targets/ipc';

/** `targets`: the scenario's own targets (the sealed ones: standard Parley against sealed), instead of `--targets`' default. */
export type Scenario = (
  | { id: string; kind: 'edits'; description: string; repeats: number; config: EditsConfig }
  | { id: string; kind: 'reveal' | 'reveal-shared'; description: string; repeats: number; config: RevealConfig }
  | { id: string; kind: 'resume'; description: string; repeats: number; config: ResumeConfig }
  | { id: string; kind: 'scale'; description: string; repeats: number; config: ScaleConfig }
  | { id: string; kind: 'load'; description: string; repeats: number; config: LoadConfig }
  | { id: string; kind: 'signals'; description: string; repeats: number; config: SignalsScenarioConfig }
) & { targets?: readonly TargetName[] };

/** The signals scenario runs once per layout: one node (the default SQLite deployment), and two nodes on Postgres + Redis with the partners split. */
export interface SignalsScenarioConfig extends SignalsConfig {
  layouts: readonly ScaleLayout[];
  /** the target: p99 from send to the partner's event */
  p99BudgetMs: number;
}

/** Cold load of the landing page in throttled Chromium, the shipped build against baselines. */
const load: Scenario = {
  id: 'load',
  kind: 'load',
  description: `cold load of the landing page in headless Chromium, ${LOAD_DEFAULT.latencyMs} ms latency, ${LOAD_DEFAULT.downKbps / 1000} Mbps down, CPU ×${LOAD_DEFAULT.cpuSlowdown}, 390×844: the shipped build against the same sources as one uncompressed bundle`,
  repeats: LOAD_DEFAULT.repeats,
  config: LOAD_DEFAULT,
};

const editsConfig = (rooms: number, measureMs: number): EditsConfig => ({ rooms, items: 200, editsPerSecond: 2, settleMs: 2000, warmupMs: 3000, measureMs, joinSample: Math.min(rooms, 20) });

const edits = (rooms: number, repeats: number, measureMs: number): Scenario => ({
  id: `edits-${rooms}`,
  kind: 'edits',
  description: `${rooms} rooms, partner A edits a 200-item worksheet at 2 edits/s per room, partner B observes`,
  repeats,
  config: editsConfig(rooms, measureMs),
});

const reveal = (rooms: number, repeats: number): Scenario => ({
  id: `reveal-${rooms}`,
  kind: 'reveal',
  description: `reveal storm: ${rooms} rooms mark the activities section ready at once (baselines: both partners publish the same answers to the shared doc)`,
  repeats,
  config: { rooms },
});

/**
 * Issue 16's comparison: the same scenario in standard rooms (`parley`) and sealed rooms
 * (`parley-sealed`: the same server with `sealedRooms` on; docs through `SealedDocProvider`,
 * so the load generator seals and opens every update and escrow).
 */
const sealedEdits = (rooms: number, repeats: number, measureMs: number): Scenario => ({
  kind: 'edits',
  repeats,
  config: editsConfig(rooms, measureMs),
  id: `sealed-edits-${rooms}`,
  description: `sealed rooms against standard rooms: ${rooms} rooms, partner A edits a 200-item worksheet at 2 edits/s per room, partner B observes (sealed: through SealedDocProvider, sealed and opened in the load generator)`,
  targets: SEALED_TARGETS,
});

const sealedReveal = (rooms: number, repeats: number): Scenario => ({
  kind: 'reveal',
  repeats,
  config: { rooms },
  id: `sealed-reveal-${rooms}`,
  description: `sealed rooms against standard rooms: reveal storm, ${rooms} rooms mark the activities section ready at once (sealed: each mark carries the seat's escrow, sealed beforehand; seen by both = both opened the other's escrow)`,
  targets: SEALED_TARGETS,
});

const revealShared = (rooms: number, repeats: number): Scenario => ({
  id: `reveal-shared-${rooms}`,
  kind: 'reveal-shared',
  description: `${rooms} rooms publish their section answers to the shared doc at once, on every target (Parley without its reveal step)`,
  repeats,
  config: { rooms },
});

const resume = (rooms: number, repeats: number): Scenario => ({
  id: `resume-${rooms}`,
  kind: 'resume',
  description: `cold resume: ${rooms} stored rooms (200 items + 50 edits each), server restarted, rooms opened one at a time (bare: its stock y-leveldb persistence)`,
  repeats,
  config: { rooms, items: 200, editsPerRoom: 50 },
});

/** One Parley node against two, both on Postgres + Redis: rooms held at the same p99. */
const scale = (ladder: number[], p99BudgetMs: number): Scenario => ({
  id: 'scale',
  kind: 'scale',
  description: `rooms one Parley node holds against two (Postgres store, Redis fan-out; partners of a room on different nodes, or routed to the room's node): the edits scenario at ${ladder.join(' / ')} rooms until edit p99 exceeds ${p99BudgetMs} ms or an edit is lost`,
  repeats: 1,
  config: {
    layouts: [
      { nodes: 1, placement: 'together' },
      { nodes: 2, placement: 'split' },
      { nodes: 2, placement: 'together' },
    ],
    ladder,
    p99BudgetMs,
    items: 200,
    editsPerSecond: 2,
    warmupMs: 3000,
    measureMs: 10_000,
  },
});

/** Scene signals in busy rooms (issue 15): send → partner's `signal` event, one node and two. */
export const signals = (rooms: number, measureMs = 20_000): Scenario => ({
  id: `signals-${rooms}`,
  kind: 'signals',
  description: `scene signals: ${rooms} busy rooms in scene mode (A edits a 200-item worksheet at 2 edits/s), each room sends a signal every 5 s, partners taking turns; p99 from signal:send to the partner's signal event (budget 150 ms)`,
  repeats: 1,
  config: {
    rooms,
    items: 200,
    editsPerSecond: 2,
    signalEveryMs: 5000,
    warmupMs: 3000,
    measureMs,
    p99BudgetMs: 150,
    layouts: [
      { nodes: 1, placement: 'together' },
      { nodes: 2, placement: 'split' },
    ],
  },
});

/**
 * `npm run bench`: about 9 minutes on 2 cores (the load scenario about one of them). edits-10 measures 30 s: at 20 edits/s a shorter
 * window has too few samples for its p99 to be more than its second-largest value.
 */
export const QUICK: Scenario[] = [edits(10, 1, 30_000), edits(100, 2, 15_000), reveal(100, 2), signals(500), resume(50, 1), load];

/** `npm run bench -- --full`: the large scenarios (about 15–20 minutes on 2 cores). */
export const FULL: Scenario[] = [edits(500, 2, 20_000), edits(1000, 1, 20_000), reveal(500, 2), revealShared(100, 1), resume(500, 1), scale([200, 400, 600, 800, 1000, 1200], 50)];

/**
 * Not in any default run: `--only signals-20` checks the scenario end to end in a minute;
 * `--only sealed-edits-100,sealed-reveal-100` compares sealed rooms with standard ones (issue 16,
 * two repeats each, about 6 minutes: the quick run would go past 10 with them).
 */
export const EXTRA: Scenario[] = [signals(20, 5000), sealedEdits(100, 2, 15_000), sealedReveal(100, 2), sealedEdits(10, 1, 30_000)];

/** Quick scenario for the smoke test. */
export const SMOKE: EditsConfig = { rooms: 2, items: 20, editsPerSecond: 5, settleMs: 200, warmupMs: 300, measureMs: 2000, joinSample: 1 };
