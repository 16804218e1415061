import { SUMMARY_SECTION_IDS } from '@parley/shared/agreement/build';
import type { Seat } from '@parley/shared/protocol/ids';
import type { Answers } from '@parley/shared/protocol/answers';
import { Disclosure } from '../../components/Disclosure';
import { usePrivateState, useRoom, useRoomState } from '../../lib/room-context';
import { strings } from '../../lib/strings';

/** The signal items the header keeps in reach, in this order, where the template has them. */
const SIGNAL_ITEMS = ['safety_safeword', 'safety_own_words', 'safety_nonverbal'] as const;

interface Line {
  label: string;
  text: string;
}

/**
 * The agreed safewords and signals, one tap away from any section. Once Safety & signals is
 * revealed, both partners' (what the reveal shows anyway); before that only the person's own
 * answers, read from their private doc — nothing of the partner's.
 */
export function SignalsButton({ onOpenSection }: { onOpenSection: (sectionId: string) => void }) {
  const { template, names, seat, partnerSeat } = useRoom();
  const room = useRoomState();
  const own = usePrivateState().answers;
  const section = template.sections.find((s) => s.id === SUMMARY_SECTION_IDS.signals);
  if (!section) return null;
  const revealed = room.revealed[section.id];
  const questions = SIGNAL_ITEMS.flatMap((id) => section.items.filter((q) => q.id === id));
  const linesOf = (answers: Answers | undefined): Line[] =>
    questions.flatMap((q) => {
      const text = answers?.[q.id]?.text?.trim();
      return text ? [{ label: q.label, text }] : [];
    });
  const people: { seat: Seat; name: string; lines: Line[] }[] = revealed
    ? [
        { seat, name: strings.signals.you, lines: linesOf(revealed[seat]) },
        { seat: partnerSeat, name: names[partnerSeat], lines: linesOf(revealed[partnerSeat]) },
      ]
    : [{ seat, name: strings.signals.you, lines: linesOf(own) }];

  return (
    <Disclosure label={strings.signals.open} className="signals" toggleClassName="button button--quiet signals__toggle">
      {(close) => (
        <div className="signals__panel" data-testid="signals">
          <p className="signals__lead">{revealed ? strings.signals.agreed : strings.signals.ownOnly}</p>
          {people.map((p) => (
            <section key={p.seat} className="signals__person" aria-label={p.name}>
              <p className="signals__name">{p.name}</p>
              {p.lines.length ? (
                <dl className="signals__list">
                  {p.lines.map((l) => (
                    <div key={l.label}>
                      <dt>{l.label}</dt>
                      <dd>{l.text}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="hint">{strings.signals.none}</p>
              )}
            </section>
          ))}
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              close();
              onOpenSection(section.id);
            }}
          >
            {strings.signals.goTo(section.title)}
          </button>
        </div>
      )}
    </Disclosure>
  );
}
