import { useEffect, useMemo, useRef, useState } from 'react';
import type { Seat } from '@parley/shared/protocol/ids';
import type { HistoryEvent, RevealedSection } from '@parley/shared/protocol/room-doc';
import { isOffTable } from '@parley/shared/protocol/room-doc';
import { classifyItem } from '@parley/shared/reveal/classify';
import type { MatchClass } from '@parley/shared/reveal/classify';
import type { Answer } from '@parley/shared/protocol/answers';
import type { Question, Section } from '@parley/shared/template/schema';
import { useRoom, useRoomState, useSectionStatus } from '../../lib/room-context';
import { groupByCategory } from '../../lib/sections';
import { formatWhen, strings } from '../../lib/strings';
import { RevealRow } from './RevealRow';

type Filter = 'all' | 'mutual' | 'differences';

interface Props {
  section: Section;
  justRevealed: boolean;
}

/** A revealed section: both partners' answers side by side, filters, new rounds, history. */
export function RevealView({ section, justRevealed }: Props) {
  const { session, seat, partnerSeat, names, template } = useRoom();
  const room = useRoomState();
  const status = useSectionStatus(section);
  const revealed = room.revealed[section.id];
  const [filter, setFilter] = useState<Filter>('all');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (justRevealed) headingRef.current?.focus();
  }, [justRevealed]);

  const rows = useMemo(
    () => (revealed ? buildRows(section, revealed, seat, partnerSeat, names) : []),
    [section, revealed, seat, partnerSeat, names],
  );
  const classified = rows.some((r) => r.match !== null);
  const answered = rows.filter((r) => r.mine !== undefined || r.theirs !== undefined);
  const unanswered = rows.filter((r) => r.mine === undefined && r.theirs === undefined);
  const visible = answered.filter((r) => matchesFilter(r.match, r.offTable, filter));
  const rounds = useMemo(() => pastRounds(room.history, section.id), [room.history, section.id]);

  const reopen = async () => {
    setBusy(true);
    setError(null);
    const ack = await session.command('section:reopen', { sectionId: section.id });
    setBusy(false);
    if (!ack.ok) setError(strings.reveal.reopenFailed);
  };

  return (
    <div className="reveal">
      <h2 ref={headingRef} tabIndex={-1} className="reveal__heading" data-testid="reveal-heading">
        {strings.reveal.heading(section.title)}
      </h2>
      {status.revealedAt && <p className="hint">{strings.reveal.lead(formatWhen(status.revealedAt))}</p>}
      <aside className="reminder" aria-labelledby={`reminder-${section.id}`}>
        <h3 id={`reminder-${section.id}`} className="reminder__heading">
          {strings.reveal.reminderHeading}
        </h3>
        <p>{template.guidance.revealReminder}</p>
      </aside>

      {classified && (
        <fieldset className="filter">
          <legend>{strings.reveal.filterLegend}</legend>
          {(
            [
              ['all', strings.reveal.filterAll],
              ['mutual', strings.reveal.filterMutual],
              ['differences', strings.reveal.filterDifferences],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="chip">
              <input type="radio" name={`filter-${section.id}`} checked={filter === value} onChange={() => setFilter(value)} />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
      )}

      <ul className="reveal__list" aria-live="polite">
        {visible.map((row) => (
          <RevealRow key={row.question.id} {...row} partnerName={names[partnerSeat]} />
        ))}
      </ul>
      {visible.length === 0 && <p className="hint">{strings.reveal.emptyFilter}</p>}
      {unanswered.length > 0 && filter === 'all' && (
        <details className="unanswered">
          <summary>{strings.reveal.unanswered(unanswered.length)}</summary>
          <ul>
            {unanswered.map((r) => (
              <li key={r.question.id}>{r.question.label}</li>
            ))}
          </ul>
        </details>
      )}

      <section className="reopen" aria-labelledby={`reopen-${section.id}`}>
        <h3 id={`reopen-${section.id}`}>{strings.reveal.reopen}</h3>
        <p className="hint">{strings.reveal.reopenHelp}</p>
        <button type="button" className="button button--secondary" onClick={reopen} disabled={busy}>
          {strings.reveal.reopen}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </section>

      <RoundHistory section={section} rounds={rounds} seat={seat} partnerSeat={partnerSeat} names={names} />
    </div>
  );
}

interface Row {
  question: Question;
  mine: RevealedSection['a'][string] | undefined;
  theirs: RevealedSection['a'][string] | undefined;
  match: MatchClass | null;
  offTable: boolean;
  changed?: { name: string | null; at: number };
}

export function buildRows(
  section: Section,
  revealed: RevealedSection,
  seat: Seat,
  partnerSeat: Seat,
  names: Record<Seat, string>,
): Row[] {
  const ordered = groupByCategory(section).flatMap((g) => g.items);
  return ordered.map((question) => {
    const mine = revealed[seat]?.[question.id];
    const theirs = revealed[partnerSeat]?.[question.id];
    const offTable = isOffTable(mine) || isOffTable(theirs);
    const match = offTable
      ? null
      : classifyItem(question, mine as Answer | undefined, theirs as Answer | undefined);
    const change = revealed.changed?.[question.id];
    return {
      question,
      mine,
      theirs,
      match,
      offTable,
      ...(change ? { changed: { name: change.seat === null ? null : change.seat === seat ? strings.common.you : names[change.seat], at: change.at } } : {}),
    };
  });
}

function matchesFilter(match: MatchClass | null, offTable: boolean, filter: Filter): boolean {
  if (filter === 'all') return true;
  if (filter === 'mutual') return match === 'mutual';
  return offTable || (match !== null && match !== 'mutual');
}

interface PastRound {
  round: number;
  revealedAt: number | null;
  closedAt: number;
  revealed: RevealedSection;
}

function pastRounds(history: HistoryEvent[], sectionId: string): PastRound[] {
  const out: PastRound[] = [];
  for (const event of history) {
    if (event.sectionId !== sectionId || event.type !== 'reopened' || !event.revealed) continue;
    const round = event.revealed.round;
    const revealedEvent = history.find((e) => e.type === 'revealed' && e.sectionId === sectionId && e.round === round);
    out.push({ round, revealedAt: revealedEvent?.at ?? null, closedAt: event.at, revealed: event.revealed });
  }
  return out.reverse();
}

/** The earlier rounds of a section, for showing under a section that is open again. */
export function SectionHistory({ section }: { section: Section }) {
  const { seat, partnerSeat, names } = useRoom();
  const room = useRoomState();
  const rounds = useMemo(() => pastRounds(room.history, section.id), [room.history, section.id]);
  if (rounds.length === 0) return null;
  return <RoundHistory section={section} rounds={rounds} seat={seat} partnerSeat={partnerSeat} names={names} />;
}

function RoundHistory({
  section,
  rounds,
  seat,
  partnerSeat,
  names,
}: {
  section: Section;
  rounds: PastRound[];
  seat: Seat;
  partnerSeat: Seat;
  names: Record<Seat, string>;
}) {
  return (
    <section className="history" aria-labelledby={`history-${section.id}`}>
      <h3 id={`history-${section.id}`}>{strings.reveal.historyHeading}</h3>
      {rounds.length === 0 ? (
        <p className="hint">{strings.reveal.historyEmpty}</p>
      ) : (
        rounds.map((r) => (
          <details key={`${r.round}-${r.closedAt}`} className="history__round">
            <summary>
              {strings.reveal.historyRound(r.round, r.revealedAt ? formatWhen(r.revealedAt) : '—', formatWhen(r.closedAt))}
            </summary>
            <ul className="reveal__list reveal__list--past">
              {buildRows(section, r.revealed, seat, partnerSeat, names).map((row) => (
                <RevealRow key={row.question.id} {...row} partnerName={names[partnerSeat]} />
              ))}
            </ul>
          </details>
        ))
      )}
    </section>
  );
}
