import type { PairingView } from '@parley/shared/protocol/workshop';
import { FormError } from '../../components/form/FormError';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';

/**
 * A pending pairing in a workshop: who asks, the three words both screens show, and the two
 * answers. Nothing of either person is shared until both chose "This is my partner".
 */
export function PairingCard({ pairing, onAnswered }: { pairing: PairingView; onAnswered: () => Promise<void> }) {
  const { session } = useRoom();
  const name = pairing.partnerName;
  // Busy until the pairing view is fetched again, whatever the answer was, so the buttons do
  // not come back for a pairing that is already decided.
  const answer = useCommand(
    async (confirmed: boolean) => {
      const ack = await session.command('workshop:confirm-partner', { confirmed });
      await onAnswered();
      return ack;
    },
    { failed: strings.workshop.pairingFailed },
  );

  return (
    <section className="card pairing" aria-labelledby="pairing-heading">
      <h2 id="pairing-heading">{strings.workshop.pairingLabel}</h2>
      <p>{pairing.proposedBy === 'facilitator' ? strings.workshop.pairingAskedByFacilitator(name) : strings.workshop.pairingAskedByCode(name)}</p>
      <p>{strings.workshop.pairingCompare(name)}</p>
      <p className="pairing__phrase" aria-label={pairing.phrase.join(', ')}>
        {pairing.phrase.map((word) => (
          <span key={word} className="pairing__word">
            {word}
          </span>
        ))}
      </p>
      <p className="hint">{strings.workshop.pairingWhy}</p>
      {pairing.confirmedByPartner && !pairing.confirmedByMe && <p role="status">{strings.workshop.pairingPartnerConfirmed(name)}</p>}
      {pairing.confirmedByMe ? (
        <p role="status">{strings.workshop.pairingWaiting(name)}</p>
      ) : (
        <div className="actions">
          <button type="button" className="button button--primary" disabled={answer.busy} onClick={() => void answer.run(true)}>
            {strings.workshop.pairingConfirm}
          </button>
          <button type="button" className="button button--secondary" disabled={answer.busy} onClick={() => void answer.run(false)}>
            {strings.workshop.pairingDecline}
          </button>
        </div>
      )}
      {pairing.confirmedByMe && (
        <button type="button" className="button button--secondary" disabled={answer.busy} onClick={() => void answer.run(false)}>
          {strings.workshop.pairingDecline}
        </button>
      )}
      <FormError message={answer.error} takeFocus={false} />
    </section>
  );
}
