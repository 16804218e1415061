import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Seat } from '@parley/shared/protocol/ids';
import type { HistoryEvent, RevealedSection } from '@parley/shared/protocol/room-doc';
import type { Question, Section } from '@parley/shared/template/schema';
import { useRoom, useRoomState, useSectionStatus } from '../../lib/room-context';
import { useUnreadable } from '../../lib/sealed/use-unreadable';
import { formatWhen, strings } from '../../lib/strings';
import { HardLimits } from './HardLimits';
import { ReopenRound } from './ReopenRound';
import { RevealRow } from './RevealRow';
import { buildRows, isAnswered, matchesFilter, type Filter } from './rows';

interface Props {
  section: Section;
  justRevealed: boolean;
  editItem: (question: Question) => ReactNode;
}

/** A revealed section: each direction its own line, hard limits first, filters, rounds. */
export function RevealView({ section, justRevealed, editItem }: Props) {
  const { seat, partnerSeat, names, template, view, sealed } = useRoom();
  const room = useRoomState();
  const unreadable = useUnreadable(section.id);
  const status = useSectionStatus(section);
  const revealed = room.revealed[section.id];
  const discreet = view.revealMode === 'discreet';
  const [filter, setFilter] = useState<Filter>('all');
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (justRevealed) headingRef.current?.focus();
  }, [justRevealed]);

  const rows = useMemo(
    () => (revealed ? buildRows(section, revealed, seat, partnerSeat, names, discreet) : []),
    [section, revealed, seat, partnerSeat, names, discreet],
  );
  const classified = rows.some((r) => r.reading.lines.length > 0 || r.reading.compare !== null);
  const answered = rows.filter(isAnswered);
  const unanswered = rows.filter((r) => !isAnswered(r));
  const visible = answered.filter((r) => matchesFilter(r, filter));
  const rounds = useMemo(() => pastRounds(room.history, section.id), [room.history, section.id]);
  const hasYesNo = section.items.some((q) => q.type === 'rating' || q.type === 'dual_rating');


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

      {discreet && revealed?.notShared !== undefined && (
        <aside className="discreet-note" aria-labelledby={`discreet-${section.id}`} data-testid="discreet-note">
          <h3 id={`discreet-${section.id}`} className="reminder__heading">
            {strings.reveal.discreetHeading}
          </h3>
          <p>{strings.reveal.discreetHonesty}</p>
          <p data-testid="not-shared">
            <strong>{strings.reveal.notShared(revealed.notShared)}</strong> <span className="hint">{strings.reveal.notSharedHelp}</span>
          </p>
        </aside>
      )}

      {unreadable > 0 && (
        <p className="warning-text" role="status" data-testid="sealed-unreadable">
          {strings.sealedRoom.unreadable}
        </p>
      )}
      {sealed && discreet && !section.alwaysFull && <p className="hint" data-testid="sealed-discreet-later">{strings.sealed.discreetLater}</p>}

      {revealed && hasYesNo && <HardLimits section={section} revealed={revealed} seat={seat} partnerSeat={partnerSeat} names={names} />}

      {classified && (
        <fieldset className="filter">
          <legend>{strings.reveal.filterLegend}</legend>
          {(
            [
              ['all', strings.reveal.filterAll],
              ['matches', strings.reveal.filterMatches],
              ['talk', strings.reveal.filterTalk],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="chip">
              <input type="radio" name={`filter-${section.id}`} value={value} checked={filter === value} onChange={() => setFilter(value)} />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
      )}

      <ul className="reveal__list" aria-live="polite">
        {visible.map((row) => (
          <RevealRow
            key={row.question.id}
            question={row.question}
            mine={row.mine}
            theirs={row.theirs}
            lines={row.lines}
            compare={row.reading.compare}
            partnerName={names[partnerSeat]}
            prompts={template.guidance.talkPrompts}
            changed={row.changed}
            edit={editItem}
          />
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

<ReopenRound section={section} />

      <RoundHistory section={section} rounds={rounds} seat={seat} partnerSeat={partnerSeat} names={names} discreet={discreet} />
    </div>
  );
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
  const { seat, partnerSeat, names, view } = useRoom();
  const room = useRoomState();
  const rounds = useMemo(() => pastRounds(room.history, section.id), [room.history, section.id]);
  if (rounds.length === 0) return null;
  return <RoundHistory section={section} rounds={rounds} seat={seat} partnerSeat={partnerSeat} names={names} discreet={view.revealMode === 'discreet'} />;
}

function RoundHistory({
  section,
  rounds,
  seat,
  partnerSeat,
  names,
  discreet,
}: {
  section: Section;
  rounds: PastRound[];
  seat: Seat;
  partnerSeat: Seat;
  names: Record<Seat, string>;
  discreet: boolean;
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
              {buildRows(section, r.revealed, seat, partnerSeat, names, discreet)
                .filter(isAnswered)
                .map((row) => (
                  <RevealRow
                    key={row.question.id}
                    question={row.question}
                    mine={row.mine}
                    theirs={row.theirs}
                    lines={row.lines}
                    compare={row.reading.compare}
                    partnerName={names[partnerSeat]}
                    changed={row.changed}
                  />
                ))}
            </ul>
          </details>
        ))
      )}
    </section>
  );
}
