import type { Section } from '@parley/shared/template/schema';
import { usePrivateState, useRoomState } from '../../lib/room-context';
import { isLocked, useRoomWorkshop } from './room-workshop';
import { strings } from '../../lib/strings';
import { isAnswered } from './answers';
import type { Seat } from '@parley/shared/protocol/ids';

interface Props {
  sections: Section[];
  current: string;
  seat: Seat;
  onSelect: (sectionId: string) => void;
}

/** The worksheet's sections with how far along each is and whether it has been revealed. */
export function SectionNav({ sections, current, seat, onSelect }: Props) {
  const { answers } = usePrivateState();
  const room = useRoomState();
  const { workshop } = useRoomWorkshop();
  return (
    <nav className="section-nav" aria-label={strings.room.sectionsNav}>
      <ol className="section-nav__list">
        {sections.map((section, i) => {
          const status = room.sections[section.id];
          const total = section.items.length;
          const answered = section.items.filter((q) => isAnswered(q, answers[q.id])).length;
          const revealed = status?.state === 'revealed';
          const ready = !revealed && status?.ready[seat];
          const isCurrent = section.id === current;
          return (
            <li key={section.id}>
              <button
                type="button"
                className={`section-nav__item${isCurrent ? ' section-nav__item--current' : ''}`}
                aria-current={isCurrent ? 'step' : undefined}
                onClick={() => onSelect(section.id)}
              >
                <span className="section-nav__num" aria-hidden="true">
                  {i + 1}
                </span>
                <span className="section-nav__text">
                  <span className="section-nav__title">{section.title}</span>
                  <span className="section-nav__meta">
                    {total > 0 && <span>{strings.room.progress(answered, total)}</span>}
                    {revealed && <span className="tag tag--revealed">{strings.room.stateRevealed}</span>}
                    {ready && <span className="tag tag--ready">{strings.room.stateReady}</span>}
                    {!revealed && isLocked(workshop, section.id) && <span className="tag tag--locked">{strings.workshop.lockedTag}</span>}
                  </span>
                </span>
                {total > 0 && (
                  <progress className="section-nav__progress" max={total} value={answered} aria-hidden="true" />
                )}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
