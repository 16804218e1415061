import type { WorkshopState } from '@parley/shared/protocol/workshop';
import { sectionOverview } from '@parley/shared/workshop/pace';
import { strings } from '../../lib/strings';

/** Per section, over the complete pairs: "Frame: 12 of 20 pairs revealed, 5 talking, 3 not started". */
export function SectionOverview({ state }: { state: WorkshopState }) {
  const overview = sectionOverview(state);
  const pairs = overview[0]?.pairs ?? 0;
  const locked = (id: string) => state.lockSections && !state.unlocked.includes(id);
  return (
    <section className="card overview" aria-labelledby="overview-heading">
      <h2 id="overview-heading">{strings.workshop.overviewHeading}</h2>
      {pairs === 0 ? (
        <p className="hint">{strings.workshop.overviewNone}</p>
      ) : (
        <>
          <p className="hint">{strings.workshop.overviewHelp}</p>
          <ol className="overview__list">
            {overview.map((s) => (
              <li key={s.id} className="overview__item" data-section={s.id}>
                <span className="overview__num" aria-hidden="true">
                  {s.number}
                </span>
                <span className="overview__text">
                  <span className="visually-hidden">{s.number} </span>
                  {strings.workshop.overviewLine(s.title, s.revealed, s.pairs, s.talking, s.notStarted)}
                  {locked(s.id) && <span className="tag tag--locked">{strings.workshop.cellLocked}</span>}
                </span>
                <span className="overview__bar" aria-hidden="true">
                  <span className="overview__revealed" style={{ flexGrow: s.revealed }} />
                  <span className="overview__talking" style={{ flexGrow: s.talking }} />
                  <span className="overview__rest" style={{ flexGrow: s.notStarted }} />
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
