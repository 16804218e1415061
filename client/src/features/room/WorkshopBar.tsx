import { Countdown } from '../../components/Countdown';
import { FormError } from '../../components/form/FormError';
import { useRoom } from '../../lib/room-context';
import { useRoomWorkshop } from './room-workshop';
import { formatWhen, strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';
import { PairingCard } from './PairingCard';

/** In a workshop room: the facilitator's message and timer, the pair code and a raise-hand button. */
export function WorkshopBar() {
  const { session } = useRoom();
  const { workshop, left, pairMessage, dismissLeft, setHand, refresh } = useRoomWorkshop();
  const hand = useCommand(
    async (raised: boolean) => {
      const ack = await session.command('workshop:hand', { raised });
      if (ack.ok) setHand(raised);
      return ack;
    },
    { failed: strings.workshop.commandFailed },
  );
  if (!workshop) {
    if (!left) return null;
    // The workshop ended (or the facilitator took this room out of it) while the room was open: say so, do not just vanish.
    return (
      <section className="workshop-bar workshop-bar--left" aria-label={strings.workshop.roomBarLabel}>
        <div className="workshop-bar__row">
          <p className="workshop-bar__left" role="status">
            {left === 'ended' ? strings.workshop.endedNotice : strings.workshop.removedNotice}
          </p>
          <button type="button" className="button button--secondary" onClick={dismissLeft}>
            {strings.workshop.noticeDismiss}
          </button>
        </div>
      </section>
    );
  }
  // The newer of the last message to every pair and a message to this pair only.
  const latest = pairMessage && (!workshop.message || pairMessage.at >= workshop.message.at) ? { ...pairMessage, toPair: true } : workshop.message && { ...workshop.message, toPair: false };

  return (
    <section className="workshop-bar" aria-label={strings.workshop.roomBarLabel}>
      <div className="workshop-bar__row">
        <span className="workshop-bar__title">{strings.workshop.inWorkshop(workshop.title)}</span>
        {!workshop.pairing && <span className="workshop-bar__code">{strings.workshop.yourPairCode(workshop.pairCode)}</span>}
        {workshop.timerEndsAt !== null && <Countdown className="workshop-bar__timer" endsAt={workshop.timerEndsAt} />}
        <button type="button" className={workshop.hand ? 'button button--primary' : 'button button--secondary'} aria-pressed={workshop.hand} disabled={hand.busy} onClick={() => void hand.run(!workshop.hand)}>
          {workshop.hand ? strings.workshop.lowerHand : strings.workshop.raiseHand}
        </button>
      </div>
      {workshop.hand && <p className="hint">{strings.workshop.handUp}</p>}
      <FormError message={hand.error} takeFocus={false} />
      {workshop.practice && <p className="workshop-bar__practice">{strings.workshop.practiceBanner}</p>}
      {workshop.pairing && <PairingCard pairing={workshop.pairing} onAnswered={refresh} />}
      {latest && (
        <p className={latest.toPair ? 'workshop-bar__message workshop-bar__message--pair' : 'workshop-bar__message'} role="status">
          <span className="workshop-bar__from">
            {latest.toPair ? strings.workshop.messageToPair : strings.workshop.messageFrom} · {formatWhen(latest.at)}:
          </span>{' '}
          {latest.message}
        </p>
      )}
    </section>
  );
}
