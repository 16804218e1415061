import { useMemo, useState, useSyncExternalStore } from 'react';
import type { FormEvent } from 'react';
import { agreementToMarkdown, currentAgreement } from '@parley/shared/agreement/build';
import type { Seat } from '@parley/shared/protocol/ids';
import type { Section } from '@parley/shared/template/schema';
import { CollaborativeTextarea } from '../../components/CollaborativeTextarea';
import { FormError } from '../../components/form/FormError';
import { errorWords } from '../../lib/error-words';
import { useRoom, useRoomState } from '../../lib/room-context';
import { sharedText } from '../../lib/room-doc';
import { docSnapshot } from '../../lib/snapshot-store';
import { formatDate, formatWhen, strings } from '../../lib/strings';
import { useAgreementDownload } from '../../lib/use-agreement-download';
import { useCommand } from '../../lib/use-command';
import { Markdown } from './Markdown';

/** The agreement: a summary built from revealed sections plus shared free text, confirmed by both. */
export function AgreementView({ section }: { section: Section }) {
  const { session, template, names, view, seat, partnerSeat, partnerJoined } = useRoom();
  const room = useRoomState();
  const text = useMemo(() => sharedText.agreement(session.sharedDoc), [session]);
  const textStore = useMemo(() => docSnapshot(session.sharedDoc, () => text.toString()), [session, text]);
  const agreementText = useSyncExternalStore(textStore.subscribe, textStore.getSnapshot);

  // The server builds the same input (`currentAgreement`): names of people who joined, null otherwise.
  const agreementNames = useMemo(
    () => ({ a: partnerJoined || seat === 'a' ? names.a : null, b: partnerJoined || seat === 'b' ? names.b : null }),
    [names, partnerJoined, seat],
  );
  const { markdown, hash } = useMemo(() => {
    const { agreement, hash } = currentAgreement({ template, room, agreementText, names: agreementNames, title: view.title });
    return { markdown: agreementToMarkdown(agreement), hash };
  }, [template, room, agreementText, agreementNames, view.title]);

  const anyRevealed = Object.values(room.sections).some((s) => s.state === 'revealed');
  const seats: Seat[] = partnerJoined ? [seat, partnerSeat] : [seat];

  return (
    <div className="agreement">
      <p className="hint">{strings.agreement.lead}</p>

      <article className="agreement-doc" aria-labelledby="agreement-doc-heading" data-testid="agreement-doc">
        <h2 id="agreement-doc-heading" className="visually-hidden">
          {strings.agreement.summaryHeading}
        </h2>
        {!anyRevealed && <p className="hint">{strings.agreement.nothingRevealed}</p>}
        <Markdown source={markdown} headingOffset={1} />
        <ul className="confirmations" data-testid="confirmations">
          {seats.map((s) => (
            <ConfirmationLine key={s} seat={s} hash={hash} />
          ))}
        </ul>
      </article>

      <section className="agreement__text no-print" aria-labelledby="agreement-text-heading">
        <h2 id="agreement-text-heading">{strings.agreement.freeTextHeading}</h2>
        <p className="hint" id="agreement-text-help">
          {strings.agreement.freeTextHelp}
        </p>
        <CollaborativeTextarea
          id="agreement-text"
          field="agreementText"
          text={text}
          awareness={session.sharedProvider.awareness}
          labelledBy="agreement-text-heading"
          describedBy="agreement-text-help"
          rows={6}
          />
      </section>

      <ConfirmButton hash={hash} />
      <ReviewDate />
      <ExportButtons sectionId={section.id} />
    </div>
  );
}

function ConfirmationLine({ seat, hash }: { seat: Seat; hash: string }) {
  const room = useRoomState();
  const { names, seat: mySeat } = useRoom();
  const confirmation = room.meta.confirmations[seat];
  const current = confirmation?.hash === hash;
  const mine = seat === mySeat;
  const text = !confirmation
    ? mine ? strings.agreement.notConfirmedByYou : strings.agreement.notConfirmed(names[seat])
    : current
      ? mine ? strings.agreement.confirmedByYou(formatWhen(confirmation.at)) : strings.agreement.confirmedBy(names[seat], formatWhen(confirmation.at))
      : mine ? strings.agreement.changedSinceYou : strings.agreement.changedSince(names[seat]);
  const state = !confirmation ? 'none' : current ? 'current' : 'stale';
  return (
    <li className={`confirmation confirmation--${state}`} data-seat={seat === mySeat ? 'me' : 'partner'} data-state={state}>
      <span aria-hidden="true" className="confirmation__icon">
        {state === 'current' ? '✓' : state === 'stale' ? '↻' : '○'}
      </span>
      {text}
    </li>
  );
}

function ConfirmButton({ hash }: { hash: string }) {
  const { session, seat } = useRoom();
  const room = useRoomState();
  const confirm = useCommand(() => session.command('agreement:confirm', { hash }), {
    failed: (error) => errorWords(error, { stale: strings.agreement.stale }, strings.agreement.failed),
  });
  const mine = room.meta.confirmations[seat];
  if (mine?.hash === hash) return null;

  return (
    <div className="agreement__confirm no-print">
      <button type="button" className="button button--primary" onClick={() => void confirm.run()} disabled={confirm.busy}>
        {mine ? strings.agreement.confirmAgain : strings.agreement.confirm}
      </button>
      <FormError message={confirm.error} takeFocus={false} />
    </div>
  );
}

function ReviewDate() {
  const { session } = useRoom();
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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value) void save.run(value);
  };

  return (
    <section className="review" aria-labelledby="review-heading">
      <h2 id="review-heading">{strings.agreement.reviewHeading}</h2>
      {current ? (
        <p data-testid="review-date">{strings.agreement.reviewSet(formatDate(current))}</p>
      ) : (
        <p className="hint">{strings.agreement.reviewHelp}</p>
      )}
      <form className="review__form no-print" onSubmit={submit}>
        <label htmlFor="review-date-input">{strings.agreement.reviewLabel}</label>
        <input id="review-date-input" type="date" value={value} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" className="button button--secondary" disabled={!value || value === current}>
          {strings.agreement.reviewSave}
        </button>
        {current && (
          <button type="button" className="button button--quiet" onClick={() => void save.run(null)}>
            {strings.agreement.reviewClear}
          </button>
        )}
      </form>
      <FormError message={save.error} takeFocus={false} />
    </section>
  );
}

function ExportButtons({ sectionId }: { sectionId: string }) {
  const download = useAgreementDownload();
  return (
    <section className="export no-print" aria-labelledby={`export-${sectionId}`}>
      <h2 id={`export-${sectionId}`}>{strings.agreement.exportHeading}</h2>
      <div className="actions actions--start">
        <button type="button" className="button button--secondary" onClick={() => void download.run('md')}>
          {strings.agreement.exportMd}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void download.run('json')}>
          {strings.agreement.exportJson}
        </button>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {strings.agreement.print}
        </button>
      </div>
      <FormError message={download.error} takeFocus={false} />
    </section>
  );
}
