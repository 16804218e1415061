import type { WorkshopState } from '@parley/shared/protocol/workshop';
import { sectionOverview, type SectionOverview as Line } from '@parley/shared/workshop/pace';
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
            {state.sectionList.map((section, i) => {
              const line = overview.find((o) => o.id === section.id);
              return line ? (
                <OverviewLine key={section.id} line={line} locked={locked(section.id)} />
              ) : (
                // The agreement has no reveal: it keeps its number, so the numbers match the rooms'.
                <li key={section.id} className="overview__item overview__item--quiet" data-section={section.id}>
                  <SectionNumber n={i + 1} />
                  <span className="overview__text">
                    <span className="visually-hidden">{i + 1} </span>
                    {strings.workshop.overviewNoReveal(section.title)}
                  </span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}

function SectionNumber({ n }: { n: number }) {
  return (
    <span className="overview__num" aria-hidden="true">
      {n}
    </span>
  );
}

function OverviewLine({ line, locked }: { line: Line; locked: boolean }) {
  return (
    <li className="overview__item" data-section={line.id}>
      <SectionNumber n={line.number} />
      <span className="overview__text">
        <span className="visually-hidden">{line.number} </span>
        {strings.workshop.overviewLine(line.title, line.revealed, line.pairs, line.talking, line.notStarted)}
        {locked && <span className="tag tag--locked">{strings.workshop.cellLocked}</span>}
      </span>
      <span className="overview__bar" aria-hidden="true">
        <span className="overview__revealed" style={{ flexGrow: line.revealed }} />
        <span className="overview__talking" style={{ flexGrow: line.talking }} />
        <span className="overview__rest" style={{ flexGrow: line.notStarted }} />
      </span>
    </li>
  );
}
