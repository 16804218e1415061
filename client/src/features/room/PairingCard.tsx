import { useState } from 'react';
import type { PairingView } from '@parley/shared/protocol/workshop';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';

/**
 * A pending pairing in a workshop: who asks, the three words both screens show, and the two
 * answers. Nothing of either person is shared until both chose "This is my partner".
 */
export function PairingCard({ pairing, onAnswered }: { pairing: PairingView; onAnswered: () => Promise<void> }) {
  const { session } = useRoom();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const name = pairing.partnerName;

  const answer = async (confirmed: boolean) => {
    setBusy(true);
    setFailed(false);
    const ack = await session.command('workshop:confirm-partner', { confirmed });
    if (!ack.ok) setFailed(true);
    await onAnswered();
    setBusy(false);
  };

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
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void answer(true)}>
            {strings.workshop.pairingConfirm}
          </button>
          <button type="button" className="button button--secondary" disabled={busy} onClick={() => void answer(false)}>
            {strings.workshop.pairingDecline}
          </button>
        </div>
      )}
      {pairing.confirmedByMe && (
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void answer(false)}>
          {strings.workshop.pairingDecline}
        </button>
      )}
      {failed && (
        <p className="error" role="alert">
          {strings.workshop.pairingFailed}
        </p>
      )}
    </section>
  );
}
