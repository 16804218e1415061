import type { PairProgress, ProjectorState, WorkshopState } from '../protocol/workshop';

/**
 * What the dashboard and the projector make of a workshop's state: pure readings of what the
 * facilitator already receives (progress and presence), never anything more.
 */

/** A pair counts as idle when nothing the facilitator can see has changed for this long. */
export const IDLE_AFTER_MS = 10 * 60_000;

/** One person, no partner yet (confirming one or not); the practice pair never waits. */
export const isWaiting = (p: PairProgress): boolean => !p.practice && p.names.b === null;

/**
 * Nobody is in it: one person who is not connected — what a retried join leaves behind. Such a
 * pair can be removed without a warning; any other needs the facilitator to confirm.
 */
export const isEmptyPair = (p: PairProgress): boolean => p.names.b === null && !p.online.a && p.confirmingWith === null;

export const isIdle = (p: PairProgress, now: number): boolean => now - p.activeAt >= IDLE_AFTER_MS;

export interface SectionOverview {
  id: string;
  /** the section's place in the worksheet (the rooms number sections the same way) */
  number: number;
  title: string;
  /** complete pairs (two people, not the practice pair) */
  pairs: number;
  revealed: number;
  /** not revealed, and a partner is on this section or one of the two marked it ready */
  talking: number;
  notStarted: number;
}

/** Per section: "Frame: 12 of 20 pairs revealed, 5 talking, 3 not started" (the agreement has no reveal). */
export function sectionOverview(state: WorkshopState): SectionOverview[] {
  const pairs = state.pairs.filter((p) => !p.practice && p.names.b !== null);
  return state.sectionList.flatMap((s, i) => {
    if (s.kind === 'agreement') return [];
    let revealed = 0;
    let talking = 0;
    for (const pair of pairs) {
      const progress = pair.sections.find((x) => x.id === s.id);
      if (progress?.state === 'revealed') revealed++;
      else if (progress?.progress === 'partly_ready' || pair.focus.a === s.id || pair.focus.b === s.id) talking++;
    }
    return [{ id: s.id, number: i + 1, title: s.title, pairs: pairs.length, revealed, talking, notStarted: pairs.length - revealed - talking }];
  });
}

/**
 * The section in play: in a locked workshop the latest section still unlocked; otherwise the
 * one most connected people are on (earlier in the worksheet on a tie); null when neither says.
 */
export function sectionInPlay(state: WorkshopState): string | null {
  const known = (id: string) => state.sectionList.some((s) => s.id === id);
  if (state.lockSections) return [...state.unlocked].reverse().find(known) ?? null;
  const count = new Map<string, number>();
  for (const p of state.pairs) {
    if (p.practice) continue;
    for (const focus of [p.focus.a, p.focus.b]) if (focus && known(focus)) count.set(focus, (count.get(focus) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const s of state.sectionList) if ((count.get(s.id) ?? 0) > (best ? (count.get(best) ?? 0) : 0)) best = s.id;
  return best;
}

/** The projector's state: the join code, the timer, the last message to all and the section in play — no pair, no name. */
export function projectorView(state: WorkshopState): ProjectorState {
  const id = sectionInPlay(state);
  const index = state.sectionList.findIndex((s) => s.id === id);
  const section = state.sectionList[index];
  return {
    title: state.title,
    joinCode: state.joinCode,
    joinUrl: state.joinUrl,
    timerEndsAt: state.timerEndsAt,
    message: state.message,
    section: section ? { id: section.id, number: index + 1, title: section.title } : null,
    ended: state.ended,
  };
}
