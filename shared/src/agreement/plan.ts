import type { Seat } from '../protocol/ids';
import { TALK_CLASSES } from '../reveal/directions';
import type { Way } from '../reveal/directions';
import { AGREEMENT_TEXT, COMPARE_CLASS_LABELS, DIRECTION_CLASS_LABELS } from '../template/labels';
import type { AgreementItem, AgreementLine } from './build';

/**
 * The plan at the top of the agreement, from the same items as its detail: what both want by
 * direction, each person's limits as theirs, signals and aftercare. Names are not baked in
 * (`way` and seats say who), so the screen can say "you" where a file says a name.
 */

export interface PlanItem {
  id: string;
  label: string;
}

/** The items whose direction `way` matches: aToB = a gives, b receives; axis = a rating item. */
export interface PlanDirection {
  way: Way;
  items: PlanItem[];
}

export interface PersonLimits {
  /** "Gags (receiving)": every hard limit this person gave, left-out items included */
  hardLimits: string[];
  /** this person's answers in the limits section: hard and soft limits, health, triggers … */
  written: { label: string; text: string }[];
}

export interface AgreementSummary {
  /** matching directions, grouped by who gives: aToB, then bToA, then one-axis items */
  matches: PlanDirection[];
  limits: Record<Seat, PersonLimits>;
  /** differences, limits, maybes, pleasing, explore, different choices */
  toTalkAbout: string[];
  signals: AgreementLine[];
  aftercare: AgreementLine[];
}

export interface PlanEntry {
  sectionId: string;
  item: AgreementItem;
  /** both chose to leave it out: only its hard limits stay */
  leftOut: boolean;
}

const WAY_ORDER: readonly Way[] = ['aToB', 'bToA', 'axis'];

/** " (a → b)" for one direction of a talk line; names are filled in by whoever words it. */
export function talkLine(label: string, way: Way | null, cls: string, names: { a: string; b: string }): string {
  const direction = way === 'aToB' ? ` (${names.a} → ${names.b})` : way === 'bToA' ? ` (${names.b} → ${names.a})` : '';
  return `${label}${direction}: ${cls}`;
}

export function summarize(
  entries: readonly PlanEntry[],
  ids: { signals: string; aftercare: string; limits: string },
  names: { a: string; b: string },
): AgreementSummary {
  const byWay = new Map<Way, PlanItem[]>();
  const limits: Record<Seat, PersonLimits> = { a: { hardLimits: [], written: [] }, b: { hardLimits: [], written: [] } };
  const summary: AgreementSummary = { matches: [], limits, toTalkAbout: [], signals: [], aftercare: [] };

  for (const { sectionId, item, leftOut } of entries) {
    const { lines, compare, hardLimits } = item.reading;
    for (const seat of ['a', 'b'] as const) {
      for (const { field } of hardLimits[seat]) {
        limits[seat].hardLimits.push(AGREEMENT_TEXT.hardLimitOn(item.label, field === 'rating' ? null : field));
      }
    }
    if (leftOut) continue;
    if (sectionId === ids.limits) {
      for (const seat of ['a', 'b'] as const) {
        const text = item.display[seat];
        if (text) limits[seat].written.push({ label: item.label, text });
      }
    }
    if (sectionId === ids.signals) summary.signals.push({ label: item.label, ...item.display });
    if (sectionId === ids.aftercare) summary.aftercare.push({ label: item.label, ...item.display });
    for (const line of lines) {
      if (line.cls === 'match') {
        const list = byWay.get(line.way) ?? [];
        list.push({ id: item.id, label: item.label });
        byWay.set(line.way, list);
      }
      if (TALK_CLASSES.has(line.cls)) {
        summary.toTalkAbout.push(talkLine(item.label, line.way === 'axis' ? null : line.way, DIRECTION_CLASS_LABELS[line.cls], names));
      }
    }
    if (compare === 'different') summary.toTalkAbout.push(talkLine(item.label, null, COMPARE_CLASS_LABELS.different, names));
  }
  for (const way of WAY_ORDER) {
    const items = byWay.get(way);
    if (items) summary.matches.push({ way, items });
  }
  return summary;
}

/** "Alex → Blake", "Blake → Alex", or "Both of you" for a one-axis item. */
export function wayHeading(way: Way, names: { a: string; b: string }): string {
  if (way === 'aToB') return `${names.a} → ${names.b}`;
  if (way === 'bToA') return `${names.b} → ${names.a}`;
  return AGREEMENT_TEXT.both;
}

/** "Alex: Pineapple · Blake: Red", or "both: Often" when both said the same. */
export function sidesText(line: AgreementLine, names: { a: string; b: string }): string {
  if (line.a !== undefined && line.a === line.b) return `${AGREEMENT_TEXT.bothSaid}: ${line.a}`;
  const parts: string[] = [];
  if (line.a !== undefined) parts.push(`${names.a}: ${line.a}`);
  if (line.b !== undefined) parts.push(`${names.b}: ${line.b}`);
  return parts.join(' · ');
}

/** "Match (Alex → Blake); Neither wants this (Blake → Alex)": each direction of an item on its own. */
export function itemClassText(item: AgreementItem, names: { a: string; b: string }): string {
  const { lines, compare } = item.reading;
  const parts = lines
    .filter((l) => l.cls !== 'unanswered')
    .map((l) => `${DIRECTION_CLASS_LABELS[l.cls]}${l.way === 'axis' ? '' : ` (${wayHeading(l.way, names)})`}`);
  if (compare === 'same' || compare === 'different') parts.push(COMPARE_CLASS_LABELS[compare]);
  return parts.join('; ');
}
