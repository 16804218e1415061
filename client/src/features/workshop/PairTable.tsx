import { useState } from 'react';
import type { PairProgress, PairSectionProgress, WorkshopState } from '@parley/shared/protocol/workshop';
import { FormError } from '../../components/form/FormError';
import { strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';
import type { Dashboard } from './facilitator';

type Sort = 'arrival' | 'name' | 'progress' | 'hands';

const revealedCount = (p: PairProgress) => p.sections.filter((s) => s.state === 'revealed').length;
const nameOf = (p: PairProgress) => `${p.names.a ?? ''} ${p.names.b ?? ''}`.toLowerCase();
const pairName = (p: PairProgress) => [p.names.a, p.names.b].filter(Boolean).join(' & ');

function sortPairs(pairs: PairProgress[], sort: Sort): PairProgress[] {
  const list = [...pairs];
  if (sort === 'name') list.sort((x, y) => nameOf(x).localeCompare(nameOf(y)));
  if (sort === 'progress') list.sort((x, y) => revealedCount(y) - revealedCount(x));
  if (sort === 'hands') list.sort((x, y) => Number(y.hand) - Number(x.hand));
  return list;
}

/** Progress and presence of every pair, one row each: readable from the back of a room. */
export function PairTable({ state, command }: { state: WorkshopState; command: Dashboard['command'] }) {
  const [sort, setSort] = useState<Sort>('arrival');
  const lowerHand = useCommand((roomId: string) => command('workshop:lower-hand', { roomId }), { failed: strings.workshop.commandFailed });
  const sections = state.sectionList.filter((s) => s.kind !== 'agreement');
  const titleOf = (id: string | null) => state.sectionList.find((s) => s.id === id)?.title ?? '';
  const pairs = sortPairs(state.pairs, sort);

  return (
    <section className="card pairs" aria-labelledby="pairs-heading">
      <div className="pairs__head">
        <h2 id="pairs-heading">{strings.workshop.pairsHeading(state.pairs.length)}</h2>
        <label className="pairs__sort">
          {strings.workshop.sortLabel}{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="arrival">{strings.workshop.sortArrival}</option>
            <option value="name">{strings.workshop.sortName}</option>
            <option value="progress">{strings.workshop.sortProgress}</option>
            <option value="hands">{strings.workshop.sortHands}</option>
          </select>
        </label>
      </div>
      <p className="hint">{strings.workshop.privacyNote}</p>
      <FormError message={lowerHand.error} takeFocus={false} />
      {pairs.length === 0 ? (
        <p className="pairs__empty">{strings.workshop.noPairs}</p>
      ) : (
        <div className="pairs__scroll" tabIndex={0} role="region" aria-labelledby="pairs-heading">
          <table className="pairs__table">
            <thead>
              <tr>
                <th scope="col">{strings.workshop.colPair}</th>
                <th scope="col">{strings.workshop.colHand}</th>
                {sections.map((s, i) => (
                  <th scope="col" key={s.id} title={s.title}>
                    <span className="pairs__num">{i + 1}</span> {s.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {pairs.map((pair) => (
                <tr key={pair.roomId} className={pair.hand ? 'pairs__row pairs__row--hand' : 'pairs__row'} data-room={pair.roomId}>
                  <th scope="row" className="pairs__who">
                    {(['a', 'b'] as const).map((seat) => (
                      <span key={seat} className="pairs__person">
                        <span className={pair.online[seat] ? 'dot dot--on' : 'dot'} aria-hidden="true" />
                        {pair.names[seat] ?? <em>{strings.workshop.waitingPartner}</em>}
                        {pair.names[seat] && (
                          <span className="pairs__presence">
                            {' · '}
                            {pair.online[seat] ? (pair.focus[seat] ? strings.workshop.onSection(titleOf(pair.focus[seat])) : strings.workshop.online) : strings.workshop.away}
                          </span>
                        )}
                      </span>
                    ))}
                    {pair.confirmingWith !== null && <span className="tag">{strings.workshop.confirmingPartner}</span>}
                    {pair.practice && <span className="tag tag--practice">{strings.workshop.practiceTag}</span>}
                  </th>
                  <td className="pairs__hand">
                    {pair.hand && (
                      <>
                        <span className="hand">{strings.workshop.handRaised}</span>{' '}
                        <button type="button" className="button button--secondary pairs__lower" aria-label={strings.workshop.lowerHandOf(pairName(pair))} onClick={() => void lowerHand.run(pair.roomId)}>
                          {strings.workshop.lowerHandShort}
                        </button>
                      </>
                    )}
                  </td>
                  {sections.map((s) => (
                    <Cell key={s.id} progress={pair.sections.find((x) => x.id === s.id)} locked={state.lockSections && !pair.practice && !state.unlocked.includes(s.id)} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A section's pace for one pair: open, partly ready or revealed — never which person is ready. */
function Cell({ progress, locked }: { progress: PairSectionProgress | undefined; locked: boolean }) {
  if (!progress) return <td />;
  const round = progress.round > 1 ? ` · ${strings.workshop.cellRound(progress.round)}` : '';
  if (progress.progress === 'revealed') return <td className="cell cell--revealed">{strings.workshop.cellRevealed + round}</td>;
  if (progress.progress === 'partly_ready') return <td className="cell cell--ready">{strings.workshop.cellPartlyReady + round}</td>;
  return <td className={locked ? 'cell cell--locked' : 'cell'}>{(locked ? strings.workshop.cellLocked : strings.workshop.cellOpen) + round}</td>;
}
