import type { Agreement } from '@parley/shared/agreement/build';
import { leaveOutChoice } from '@parley/shared/agreement/left-out';
import { FormError } from '../../components/form/FormError';
import { useRoom, useRoomState } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';

/** Sends this person's choice to leave an item out (or to take it back); the server keeps it. */
function useLeaveOut() {
  const { session } = useRoom();
  return useCommand((itemId: string, out: boolean) => session.command('agreement:leave-out', { itemId, out }), {
    failed: strings.agreement.failed,
  });
}

/** The one button of an item in the full detail: leave out, leave it out too, or take back. */
export function LeaveOutControl({ itemId, label, round }: { itemId: string; label: string; round: number }) {
  const { seat, partnerSeat, names } = useRoom();
  const room = useRoomState();
  const send = useLeaveOut();
  const choice = leaveOutChoice(room.meta.leftOut, itemId, round);
  const mine = choice[seat];
  const theirs = choice[partnerSeat];
  const t = strings.agreement;
  return (
    <div className="leave-out no-print" data-state={mine ? 'mine' : theirs ? 'theirs' : 'none'}>
      {mine && <p className="leave-out__note">{t.proposedByYou}</p>}
      {!mine && theirs && <p className="leave-out__note leave-out__note--partner">{t.proposedBy(names[partnerSeat])}</p>}
      <button type="button" className="button button--secondary button--small" disabled={send.busy} onClick={() => void send.run(itemId, !mine)}>
        {mine ? t.takeBack : theirs ? t.leaveOutToo : t.leaveOut}
        <span className="visually-hidden">{t.itemSuffix(label)}</span>
      </button>
      <FormError message={send.error} takeFocus={false} />
    </div>
  );
}

/**
 * Above the detail, where both see it: what is left out by both (with "put it back"), what the
 * partner proposes (with "leave it out too") and what this person proposed (with "take back").
 */
export function LeaveOutList({ agreement }: { agreement: Agreement }) {
  const { seat, partnerSeat, names } = useRoom();
  const room = useRoomState();
  const send = useLeaveOut();
  const t = strings.agreement;
  const pending = agreement.sections.flatMap((section) =>
    section.items.map((item) => ({ item, choice: leaveOutChoice(room.meta.leftOut, item.id, section.round) })),
  );
  const theirs = pending.filter((p) => p.choice[partnerSeat] && !p.choice[seat]).map((p) => p.item);
  const mine = pending.filter((p) => p.choice[seat] && !p.choice[partnerSeat]).map((p) => p.item);
  if (agreement.leftOut.length === 0 && theirs.length === 0 && mine.length === 0) return null;

  const group = (heading: string, items: { id: string; label: string }[], action: string, out: boolean, kind: string) =>
    items.length > 0 && (
      <div className="left-out__group" data-kind={kind}>
        <h4>{heading}</h4>
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              <span>{item.label}</span>
              <button type="button" className="button button--secondary button--small" disabled={send.busy} onClick={() => void send.run(item.id, out)}>
                {action}
                <span className="visually-hidden">{t.itemSuffix(item.label)}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    );

  return (
    <section className="left-out no-print" aria-labelledby="left-out-heading" data-testid="left-out">
      <h3 id="left-out-heading">{t.leftOutHeading}</h3>
      <p className="hint">{t.leftOutHelp}</p>
      {group(t.proposedByPartnerList(names[partnerSeat]), theirs, t.leaveOutToo, true, 'theirs')}
      {group(t.leftOutBoth, agreement.leftOut, t.putBack, false, 'both')}
      {group(t.proposedByYouList, mine, t.takeBack, false, 'mine')}
      <FormError message={send.error} takeFocus={false} />
    </section>
  );
}
