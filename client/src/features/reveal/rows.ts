import type { Seat } from '@parley/shared/protocol/ids';
import type { RevealedAnswer, RevealedSection } from '@parley/shared/protocol/room-doc';
import type { Rating } from '@parley/shared/protocol/answers';
import { hasMatch, isShared, toTalkAbout } from '@parley/shared/reveal/directions';
import type { DirectionClass, DirectionLine, ItemReading, RatingField } from '@parley/shared/reveal/directions';
import { revealItems } from '@parley/shared/reveal/view';
import type { Question, Section } from '@parley/shared/template/schema';
import { groupByCategory } from '../../lib/sections';
import { strings } from '../../lib/strings';

export type Filter = 'all' | 'matches' | 'talk';

/** One direction of an item as the reveal says it, from the reader's side. */
export interface LineView {
  /** me-to-partner, partner-to-me, or the one axis of a rating item */
  way: 'mine' | 'theirs' | 'axis';
  cls: DirectionClass;
  text: string;
}

export interface Row {
  question: Question;
  mine: RevealedAnswer | undefined;
  theirs: RevealedAnswer | undefined;
  reading: ItemReading;
  lines: LineView[];
  changed?: { name: string | null; at: number };
}

export interface HardLimitView {
  itemId: string;
  label: string;
  side: 'giving' | 'receiving' | null;
}

const rated = (r: Rating | undefined) => (r ? strings.ratings[r] : undefined);

/** "You → Sam: you’d give Yes, Sam would receive Favourite — a match" */
export function lineText(line: DirectionLine, seat: Seat, partnerName: string): LineView {
  const d = strings.direction;
  const iGive = line.way === 'axis' ? true : (line.way === 'aToB') === (seat === 'a');
  // The axis keeps seat a's rating as `giver`; turn it to "mine" and "theirs".
  const [mineR, theirsR] = line.way === 'axis' && seat === 'b' ? [line.receiver, line.giver] : iGive ? [line.giver, line.receiver] : [line.receiver, line.giver];
  const way: LineView['way'] = line.way === 'axis' ? 'axis' : iGive ? 'mine' : 'theirs';
  const prefix = way === 'axis' ? '' : `${iGive ? d.arrow(strings.common.you, partnerName) : d.arrow(partnerName, strings.common.you.toLowerCase())}: `;
  const part = (who: string | null, r: Rating | undefined, gives: boolean) => {
    const label = rated(r);
    if (label === undefined) return d.noAnswer(who);
    if (way === 'axis') return d.said(who, label);
    return gives ? d.give(who, label) : d.receive(who, label);
  };
  let body: string;
  if (line.cls === 'neither') body = d.neither;
  else if (mineR === undefined && theirsR === undefined) body = d.nobody;
  else {
    const parts = iGive ? [part(null, mineR, true), part(partnerName, theirsR, false)] : [part(partnerName, theirsR, true), part(null, mineR, false)];
    body = line.cls === 'unanswered' ? parts.join(', ') : `${parts.join(', ')} — ${d.verdict[line.cls]}`;
  }
  return { way, cls: line.cls, text: `${prefix}${body}` };
}

/**
 * The rows of a revealed section, in category order. In a discreet room the yes/no items show
 * only their shared directions, and an item with none is left out (the section counts them).
 */
export function buildRows(
  section: Section,
  revealed: RevealedSection,
  seat: Seat,
  partnerSeat: Seat,
  names: Record<Seat, string>,
  discreet: boolean,
): Row[] {
  const byId = new Map(revealItems(section, revealed).map((r) => [r.question.id, r]));
  const ordered = groupByCategory(section).flatMap((g) => g.items);
  return ordered.flatMap((question) => {
    const item = byId.get(question.id);
    if (!item) return [];
    const hidesLines = discreet && !section.alwaysFull;
    const lines = item.reading.lines
      // A direction neither of them rated says nothing; a half-answered one still shows.
      .filter((l) => l.giver !== undefined || l.receiver !== undefined)
      .filter((l) => !hidesLines || isShared(l.cls))
      .map((l) => lineText(l, seat, names[partnerSeat]));
    if (hidesLines && item.reading.lines.length > 0 && lines.length === 0) return [];
    const change = revealed.changed?.[question.id];
    const row: Row = { question, mine: item[seat], theirs: item[partnerSeat], reading: item.reading, lines };
    if (change) row.changed = { name: change.seat === null ? null : change.seat === seat ? strings.common.you : names[change.seat], at: change.at };
    return [row];
  });
}

/** Each person's hard limits in this section, listed first on the reveal. */
export function hardLimitsBySeat(section: Section, revealed: RevealedSection): Record<Seat, HardLimitView[]> {
  const out: Record<Seat, HardLimitView[]> = { a: [], b: [] };
  const side = (f: RatingField) => (f === 'rating' ? null : f);
  for (const item of revealItems(section, revealed)) {
    for (const seat of ['a', 'b'] as const) {
      for (const { field } of item.reading.hardLimits[seat]) {
        out[seat].push({ itemId: item.question.id, label: item.question.label, side: side(field) });
      }
    }
  }
  return out;
}

export function matchesFilter(row: Row, filter: Filter): boolean {
  if (filter === 'all') return true;
  if (filter === 'matches') return hasMatch(row.reading);
  return toTalkAbout(row.reading);
}

export const isAnswered = (row: Row): boolean => row.mine !== undefined || row.theirs !== undefined;
