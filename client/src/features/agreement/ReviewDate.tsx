import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormError } from '../../components/form/FormError';
import { useRoom, useRoomState } from '../../lib/room-context';
import { formatDate, strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';

/**
 * The review date is part of the agreement, so changing it unconfirms it: while a confirmation
 * holds, the form says so before anyone saves.
 */
export function ReviewDate({ hash }: { hash: string }) {
  const { session, seat, partnerSeat, names } = useRoom();
  const room = useRoomState();
  const current = room.meta.reviewDate;
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? current ?? '';
  const save = useCommand(
    async (date: string | null) => {
      const ack = await session.command('agreement:review-date', { date });
      if (ack.ok) setDraft(null);
      return ack;
    },
    { failed: strings.agreement.failed },
  );
  const t = strings.agreement;
  const holding = (['a', 'b'] as const).filter((s) => room.meta.confirmations[s]?.hash === hash);
  const who = t.reviewWho(holding.includes(partnerSeat) ? names[partnerSeat] : null, holding.includes(seat));
  const changing = draft !== null && draft !== (current ?? '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value) void save.run(value);
  };

  return (
    <section className="review" aria-labelledby="review-heading">
      <h2 id="review-heading">{t.reviewHeading}</h2>
      {current ? <p data-testid="review-date">{t.reviewSet(formatDate(current))}</p> : <p className="hint">{t.reviewHelp}</p>}
      <form className="review__form no-print" onSubmit={submit}>
        <label htmlFor="review-date-input">{t.reviewLabel}</label>
        <input
          id="review-date-input"
          type="date"
          value={value}
          onChange={(e) => setDraft(e.target.value)}
          aria-describedby={holding.length > 0 ? 'review-unconfirms' : undefined}
        />
        <button
          type="submit"
          className="button button--secondary"
          disabled={!value || value === current}
          aria-describedby={holding.length > 0 ? 'review-unconfirms' : undefined}
        >
          {t.reviewSave}
        </button>
        {current && (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => void save.run(null)}
            aria-describedby={holding.length > 0 ? 'review-unconfirms' : undefined}
          >
            {t.reviewClear}
          </button>
        )}
      </form>
      {holding.length > 0 && (
        <p id="review-unconfirms" className={`review__warning no-print${changing ? ' review__warning--now' : ''}`} data-testid="review-unconfirms">
          {t.reviewUnconfirms(who)}
        </p>
      )}
      <FormError message={save.error} takeFocus={false} />
    </section>
  );
}
