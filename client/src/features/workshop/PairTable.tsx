import { useState } from 'react';
import type { PairProgress, PairSectionProgress, WorkshopState } from '@parley/shared/protocol/workshop';
import { isIdle, isWaiting } from '@parley/shared/workshop/pace';
import { FormError } from '../../components/form/FormError';
import { strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';
import type { Dashboard } from './facilitator';
import { MessagePairDialog, RemovePairButton } from './PairActions';
import { pairName, useNow } from './pair-words';

type Sort = 'hands' | 'arrival' | 'name' | 'progress';
type Filter = 'hands' | 'waiting' | 'idle';

const revealedCount = (p: PairProgress) => p.sections.filter((s) => s.state === 'revealed').length;
const nameOf = (p: PairProgress) => `${p.names.a ?? ''} ${p.names.b ?? ''}`.toLowerCase();

function sortPairs(pairs: PairProgress[], sort: Sort): PairProgress[] {
  const list = [...pairs];
  if (sort === 'name') list.sort((x, y) => nameOf(x).localeCompare(nameOf(y)));
  if (sort === 'progress') list.sort((x, y) => revealedCount(y) - revealedCount(x));
  if (sort === 'hands') list.sort((x, y) => Number(y.hand) - Number(x.hand));
  return list;
}

/**
 * Progress and presence of every pair, one row each, narrow enough for 1280 px without
 * scrolling sideways: a section is one numbered column with a symbol (its word is announced and
 * in the legend); on a phone each pair becomes a card. Raised hands come first; filters pick
 * raised hands, people waiting for a partner and pairs idle for 10 minutes.
 */
export function PairTable({ state, command }: { state: WorkshopState; command: Dashboard['command'] }) {
  const [sort, setSort] = useState<Sort>('hands');
  const [filter, setFilter] = useState<Filter | null>(null);
  const now = useNow(30_000);
  const lowerHand = useCommand((roomId: string) => command('workshop:lower-hand', { roomId }), { failed: strings.workshop.commandFailed });
  const sections = state.sectionList.map((s, i) => ({ ...s, number: i + 1 })).filter((s) => s.kind !== 'agreement');
  const titleOf = (id: string | null) => state.sectionList.find((s) => s.id === id)?.title ?? '';
  const matches: Record<Filter, (p: PairProgress) => boolean> = { hands: (p) => p.hand, waiting: isWaiting, idle: (p) => isIdle(p, now) };
  const count = (f: Filter) => state.pairs.filter(matches[f]).length;
  const pairs = sortPairs(filter ? state.pairs.filter(matches[filter]) : state.pairs, sort);
  const filterButton = (f: Filter, label: string) => (
    <button type="button" className="chip" aria-pressed={filter === f} onClick={() => setFilter(filter === f ? null : f)}>
      {label}
    </button>
  );

  return (
    <section className="card pairs" aria-labelledby="pairs-heading">
      <div className="pairs__head">
        <h2 id="pairs-heading">{strings.workshop.pairsHeading(state.pairs.length)}</h2>
        <label className="pairs__sort">
          {strings.workshop.sortLabel}{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="hands">{strings.workshop.sortHands}</option>
            <option value="arrival">{strings.workshop.sortArrival}</option>
            <option value="name">{strings.workshop.sortName}</option>
            <option value="progress">{strings.workshop.sortProgress}</option>
          </select>
        </label>
      </div>
      <div className="pairs__filters" role="group" aria-label={strings.workshop.filterLabel}>
        <span className="pairs__filters-label" aria-hidden="true">
          {strings.workshop.filterLabel}:
        </span>
        {filterButton('hands', strings.workshop.filterHands(count('hands')))}
        {filterButton('waiting', strings.workshop.filterWaiting(count('waiting')))}
        {filterButton('idle', strings.workshop.filterIdle(count('idle')))}
        {filter && (
          <span className="hint" role="status">
            {strings.workshop.filterShowing(pairs.length, state.pairs.length)}
          </span>
        )}
      </div>
      <p className="hint">{strings.workshop.privacyNote}</p>
      <Legend />
      <FormError message={lowerHand.error} takeFocus={false} />
      {state.pairs.length === 0 ? (
        <p className="pairs__empty">{strings.workshop.noPairs}</p>
      ) : pairs.length === 0 ? (
        <p className="pairs__empty">{strings.workshop.filterNone}</p>
      ) : (
        <table className="pairs__table" aria-labelledby="pairs-heading">
          <thead>
            <tr>
              <th scope="col" className="pairs__who-col">
                {strings.workshop.colPair}
              </th>
              <th scope="col" className="pairs__hand-col">
                {strings.workshop.colHand}
              </th>
              {sections.map((s) => (
                <th scope="col" key={s.id} title={s.title} className="pairs__section-col">
                  <span aria-hidden="true">{s.number}</span>
                  <span className="visually-hidden">
                    {s.number} {s.title}
                  </span>
                </th>
              ))}
              <th scope="col" className="pairs__actions-col">
                {strings.workshop.colActions}
              </th>
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
                  {isIdle(pair, now) && (
                    <span className="tag tag--idle" title={strings.workshop.idleHelp}>
                      {strings.workshop.idleFor(Math.floor((now - pair.activeAt) / 60_000))}
                    </span>
                  )}
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
                  <Cell key={s.id} number={s.number} title={s.title} progress={pair.sections.find((x) => x.id === s.id)} locked={state.lockSections && !pair.practice && !state.unlocked.includes(s.id)} />
                ))}
                <td className="pairs__actions">
                  <MessagePairDialog pair={pair} command={command} />
                  <RemovePairButton pair={pair} command={command} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const SYMBOL = { revealed: '●', partly_ready: '◐', open: '○', locked: '–' } as const;

function Legend() {
  const items = [
    [SYMBOL.revealed, strings.workshop.cellRevealed],
    [SYMBOL.partly_ready, strings.workshop.cellPartlyReady],
    [SYMBOL.open, strings.workshop.cellOpen],
    [SYMBOL.locked, strings.workshop.cellLocked],
  ] as const;
  return (
    <ul className="pairs__legend" aria-label={strings.workshop.legend}>
      {items.map(([symbol, word]) => (
        <li key={word}>
          <span className="pairs__symbol" aria-hidden="true">
            {symbol}
          </span>{' '}
          {word}
        </li>
      ))}
    </ul>
  );
}

/** A section's pace for one pair: open, partly ready or revealed — never which person is ready. */
function Cell({ progress, locked, number, title }: { progress: PairSectionProgress | undefined; locked: boolean; number: number; title: string }) {
  if (!progress) return <td />;
  const kind = progress.progress === 'open' && locked ? 'locked' : progress.progress;
  const word = { revealed: strings.workshop.cellRevealed, partly_ready: strings.workshop.cellPartlyReady, open: strings.workshop.cellOpen, locked: strings.workshop.cellLocked }[kind];
  const round = progress.round > 1 ? strings.workshop.cellRound(progress.round) : '';
  const className = { revealed: 'cell cell--revealed', partly_ready: 'cell cell--ready', open: 'cell', locked: 'cell cell--locked' }[kind];
  return (
    <td className={className} title={`${number} ${title}: ${word}${round ? ` · ${round}` : ''}`} data-num={number}>
      <span aria-hidden="true">
        {SYMBOL[kind]}
        {progress.round > 1 && <sup>{progress.round}</sup>}
      </span>
      <span className="visually-hidden">
        {word}
        {round && ` · ${round}`}
      </span>
    </td>
  );
}
