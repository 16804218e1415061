import type { Seat } from '@parley/shared/protocol/ids';
import type { RevealedSection } from '@parley/shared/protocol/room-doc';
import type { Section } from '@parley/shared/template/schema';
import { strings } from '../../lib/strings';
import { hardLimitsBySeat, type HardLimitView } from './rows';

interface Props {
  section: Section;
  revealed: RevealedSection;
  seat: Seat;
  partnerSeat: Seat;
  names: Record<Seat, string>;
}

/** Each person's hard limits, listed first and as theirs: a fact about one person, not a class. */
export function HardLimits({ section, revealed, seat, partnerSeat, names }: Props) {
  const limits = hardLimitsBySeat(section, revealed);
  const headingId = `limits-${section.id}`;
  return (
    <section className="hard-limits" aria-labelledby={headingId} data-testid="hard-limits">
      <h3 id={headingId} className="hard-limits__heading">
        <span aria-hidden="true">■ </span>
        {strings.reveal.limitsHeading}
      </h3>
      <p className="hint">{strings.reveal.limitsHelp}</p>
      <div className="hard-limits__people">
        <LimitList heading={strings.reveal.yourLimits} limits={limits[seat]} who="me" />
        <LimitList heading={strings.reveal.partnerLimits(names[partnerSeat])} limits={limits[partnerSeat]} who="partner" />
      </div>
    </section>
  );
}

function LimitList({ heading, limits, who }: { heading: string; limits: HardLimitView[]; who: 'me' | 'partner' }) {
  return (
    <div className="hard-limits__person" data-who={who}>
      <h4 className="hard-limits__who">{heading}</h4>
      {limits.length === 0 ? (
        <p className="hint">{strings.reveal.noLimits}</p>
      ) : (
        <ul>
          {limits.map((l) => (
            <li key={`${l.itemId}-${l.side ?? 'rating'}`} data-item={l.itemId}>
              {l.label}
              {strings.reveal.limitSide(l.side)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
