import { useMemo, useState } from 'react';
import { confirmationWords, type ConfirmationState } from '@parley/shared/agreement/confirmations';
import { formatDateTime } from '@parley/shared/agreement/format';
import type { Seat } from '@parley/shared/protocol/ids';
import type { Confirmation } from '@parley/shared/protocol/room-doc';
import { useRoom, useRoomState } from '../../lib/room-context';
import { localTimeZone, strings } from '../../lib/strings';
import { diffLines, type LineChange } from '../../lib/text-diff';

/**
 * Who confirmed which version and when, in words; the printout names both people. `confirmedBy`
 * decides who counts as confirmed (in a sealed room `confirmedInSealedRoom`: only a stored hash
 * of exactly the agreement this browser sees).
 */
export function Confirmations({ hash, seats, confirmedBy }: { hash: string; seats: Seat[]; confirmedBy: Seat[] }) {
  return (
    <ul className="confirmations" data-testid="confirmations">
      {seats.map((s) => (
        <ConfirmationLine key={s} seat={s} hash={hash} confirmed={confirmedBy.includes(s)} />
      ))}
    </ul>
  );
}

function ConfirmationLine({ seat, hash, confirmed }: { seat: Seat; hash: string; confirmed: boolean }) {
  const room = useRoomState();
  const { names, seat: mySeat } = useRoom();
  const confirmation = room.meta.confirmations[seat];
  const state: ConfirmationState = confirmed ? 'current' : confirmation ? 'stale' : 'none';
  const mine = seat === mySeat;
  const when = confirmation ? formatDateTime(confirmation.at, localTimeZone()) : '';
  const t = strings.agreement;
  const text =
    state === 'none'
      ? mine ? t.notConfirmedByYou : t.notConfirmed(names[seat])
      : state === 'current'
        ? mine ? t.confirmedByYou(when) : t.confirmedBy(names[seat], when)
        : mine ? t.changedSinceYou(when) : t.changedSince(names[seat], when);
  return (
    <li className={`confirmation confirmation--${state}`} data-seat={mine ? 'me' : 'partner'} data-state={state}>
      <span aria-hidden="true" className="confirmation__icon">
        {state === 'current' ? '✓' : state === 'stale' ? '↻' : '○'}
      </span>
      <span className={mine ? 'no-print' : undefined}>{text}</span>
      {mine && <span className="print-only">{confirmationWords(names[seat], confirmation, hash, localTimeZone())}</span>}
    </li>
  );
}

const SHOWN = 12;

/**
 * "What changed since Alex confirmed": the lines of the confirmed version (kept with the
 * confirmation) against the current ones, for each confirmation that no longer holds.
 */
export function Changes({ hash, lines }: { hash: string; lines: string[] }) {
  const room = useRoomState();
  const { names, seat: mySeat } = useRoom();
  const stale = (['a', 'b'] as const).flatMap((seat) => {
    const c = room.meta.confirmations[seat];
    return c && c.hash !== hash && c.lines ? [{ seat, confirmation: c }] : [];
  });
  // both confirmed the same version: one list of changes
  const versions = stale.filter((s, i) => stale.findIndex((o) => o.confirmation.hash === s.confirmation.hash) === i);
  if (versions.length === 0) return null;
  return (
    <>
      {versions.map(({ seat, confirmation }) => {
        const sameForBoth = stale.length === 2 && versions.length === 1;
        const who = sameForBoth ? strings.agreement.changesBoth : seat === mySeat ? strings.agreement.changesYou : names[seat];
        return <ChangeList key={seat} who={who} confirmation={confirmation} lines={lines} />;
      })}
    </>
  );
}

function ChangeList({ who, confirmation, lines }: { who: string; confirmation: Confirmation; lines: string[] }) {
  const [all, setAll] = useState(false);
  const changes = useMemo(() => diffLines(confirmation.lines ?? [], lines).filter((c) => c.kind !== 'kept'), [confirmation, lines]);
  const t = strings.agreement;
  const headingId = `changes-${confirmation.hash.slice(0, 8)}`;
  const shown = all ? changes : changes.slice(0, SHOWN);
  return (
    <section className="changes" aria-labelledby={headingId} data-testid="agreement-changes">
      <h3 id={headingId}>{t.changesHeading(who)}</h3>
      {changes.length === 0 ? (
        <p className="hint">{t.noVisibleChange}</p>
      ) : (
        <ul className="changes__list">
          {shown.map((c, i) => (
            <ChangeLine key={`${i}-${c.kind}`} change={c} />
          ))}
        </ul>
      )}
      {!all && changes.length > SHOWN && (
        <button type="button" className="button button--secondary button--small no-print" onClick={() => setAll(true)}>
          {t.showAllChanges(changes.length)}
        </button>
      )}
    </section>
  );
}

function ChangeLine({ change }: { change: LineChange }) {
  const t = strings.agreement;
  return change.kind === 'removed' ? (
    <li className="change change--removed" data-kind="removed">
      <span aria-hidden="true" className="change__sign">−</span>
      <del>
        <span className="visually-hidden">{t.removed} </span>
        {change.line}
      </del>
    </li>
  ) : (
    <li className="change change--added" data-kind="added">
      <span aria-hidden="true" className="change__sign">+</span>
      <ins>
        <span className="visually-hidden">{t.added} </span>
        {change.line}
      </ins>
    </li>
  );
}
