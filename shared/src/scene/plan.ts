import type { Answer } from '../protocol/answers';
import type { Seat } from '../protocol/ids';
import type { RevealedSection } from '../protocol/room-doc';
import type { SignalLevel } from '../protocol/scene';
import type { Section } from '../template/schema';

/**
 * What scene mode says and when, from what the partners agreed in Safety & signals and
 * Aftercare. Only **revealed** answers are read: before a section is revealed nothing of it is
 * agreed, and a partner's unrevealed answer must not reach the other by any path (their screen,
 * the timing of a prompt). Without them the generic words and defaults apply.
 */

export const SAFETY_SECTION = 'safety';
export const AFTERCARE_SECTION = 'aftercare';

/** A person's agreed words and plans, each a line of their own answer as the reveal shows it. */
export interface AgreedLine {
  seat: Seat;
  text: string;
}

export interface ScenePlan {
  /** false: Safety & signals is not revealed, so everything below is generic */
  agreed: boolean;
  safewords: AgreedLine[];
  /** traffic-light words, own words for slow down / stop */
  ownWords: AgreedLine[];
  nonverbal: AgreedLine[];
  /** per seat: what to do when that person's signal is not seen */
  backup: AgreedLine[];
  /** if the connection drops (each person's choice, in the template's words) */
  dropPlan: AgreedLine[];
  afterSafeword: AgreedLine[];
  /** the connection may be down this long before the plan applies (the shorter of the two) */
  dropWaitMs: number;
  /** check-ins every this many ms (the more frequent of the two); null: only when someone signals */
  checkinEveryMs: number | null;
  /** whether both said they use traffic-light words (then the buttons are named by them) */
  trafficLights: boolean;
}

export const DEFAULT_DROP_WAIT_MS = 2 * 60_000;
export const DEFAULT_CHECKIN_MS = 20 * 60_000;
const MINUTE = 60_000;
const DROP_WAIT: Record<string, number> = { one_minute: MINUTE, two_minutes: 2 * MINUTE, five_minutes: 5 * MINUTE, ten_minutes: 10 * MINUTE };
const CADENCE: Record<string, number | null> = { often: 10 * MINUTE, now_and_then: 20 * MINUTE, at_changes: null, on_signal: null };

type Revealed = Pick<RevealedSection, 'a' | 'b'> | undefined;
const SEATS: Seat[] = ['a', 'b'];

/** Each seat's written answer to `itemId`, trimmed, where there is one. */
function textLines(revealed: Revealed, itemId: string): AgreedLine[] {
  if (!revealed) return [];
  return SEATS.flatMap((seat) => {
    const text = revealed[seat][itemId]?.text?.trim();
    return text ? [{ seat, text }] : [];
  });
}

/** Each seat's chosen option of `itemId`, in the section's words. */
function choiceLines(section: Section | undefined, revealed: Revealed, itemId: string): AgreedLine[] {
  const question = section?.items.find((q) => q.id === itemId);
  if (!revealed || !question || (question.type !== 'choice' && question.type !== 'multi')) return [];
  return SEATS.flatMap((seat) => {
    const answer: Answer | undefined = revealed[seat][itemId];
    const ids = answer?.choice ? [answer.choice] : (answer?.choices ?? []);
    const labels = ids.flatMap((id) => question.options.filter((o) => o.id === id).map((o) => o.label));
    return labels.length ? [{ seat, text: labels.join(', ') }] : [];
  });
}

const choices = (revealed: Revealed, itemId: string): string[] =>
  revealed ? SEATS.flatMap((seat) => (revealed[seat][itemId]?.choice ? [revealed[seat][itemId]!.choice!] : [])) : [];

export function scenePlan(safety: Section | undefined, revealed: Revealed): ScenePlan {
  const waits = choices(revealed, 'safety_connection_drop_wait').flatMap((c) => DROP_WAIT[c] ?? []);
  const cadences = choices(revealed, 'safety_check_in_cadence').map((c) => (Object.hasOwn(CADENCE, c) ? (CADENCE[c] ?? null) : DEFAULT_CHECKIN_MS));
  const timed = cadences.filter((c): c is number => c !== null);
  const lights = choices(revealed, 'safety_traffic_lights');
  return {
    agreed: revealed !== undefined,
    safewords: textLines(revealed, 'safety_safeword'),
    ownWords: textLines(revealed, 'safety_own_words'),
    nonverbal: textLines(revealed, 'safety_nonverbal'),
    backup: textLines(revealed, 'safety_backup'),
    dropPlan: choiceLines(safety, revealed, 'safety_connection_drop'),
    afterSafeword: textLines(revealed, 'safety_after_safeword'),
    dropWaitMs: waits.length ? Math.min(...waits) : DEFAULT_DROP_WAIT_MS,
    checkinEveryMs: !revealed || !cadences.length ? DEFAULT_CHECKIN_MS : timed.length ? Math.min(...timed) : null,
    trafficLights: lights.length === 2 && lights.every((c) => c !== 'safeword_only'),
  };
}

export interface AftercarePlan {
  agreed: boolean;
  rightAfter: AgreedLine[];
  nextDay: AgreedLine[];
  checkIn: AgreedLine[];
  drop: AgreedLine[];
  /** ids of the chosen check-in plans (for the calendar file's time) */
  checkInChoices: string[];
}

export function aftercarePlan(aftercare: Section | undefined, revealed: Revealed): AftercarePlan {
  return {
    agreed: revealed !== undefined,
    rightAfter: choiceLines(aftercare, revealed, 'aftercare_right_after'),
    nextDay: textLines(revealed, 'aftercare_next_day'),
    checkIn: choiceLines(aftercare, revealed, 'aftercare_check_in'),
    drop: textLines(revealed, 'aftercare_drop'),
    checkInChoices: choices(revealed, 'aftercare_check_in'),
  };
}

/** The levels in the order the buttons show them. */
export const SIGNAL_LEVELS: readonly SignalLevel[] = ['green', 'yellow', 'red', 'check'];

/** The next check-in prompt after `now`, counted from the scene's start; null without a cadence. */
export function nextCheckinAt(startedAt: number, everyMs: number | null, now: number): number | null {
  if (everyMs === null || everyMs <= 0) return null;
  const passed = Math.max(0, now - startedAt);
  return startedAt + (Math.floor(passed / everyMs) + 1) * everyMs;
}

/** The latest prompt due at `now` (0 before the first one). */
export function lastCheckinDue(startedAt: number, everyMs: number | null, now: number): number {
  if (everyMs === null || everyMs <= 0 || now < startedAt + everyMs) return 0;
  return startedAt + Math.floor((now - startedAt) / everyMs) * everyMs;
}

/**
 * Whether the connection-drop plan applies: `downSince` is when the partner went offline (their
 * last-seen time) or when this device lost the server; null while connected.
 */
export function connectionDrop(downSince: number | null, waitMs: number, now: number): { applies: boolean; downMs: number } {
  if (downSince === null) return { applies: false, downMs: 0 };
  const downMs = Math.max(0, now - downSince);
  return { applies: downMs >= waitMs, downMs };
}
