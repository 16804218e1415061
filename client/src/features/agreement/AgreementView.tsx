import { useMemo } from 'react';
import { formatIsoDate } from '@parley/shared/agreement/format';
import { AGREEMENT_TEXT } from '@parley/shared/template/labels';
import type { Seat } from '@parley/shared/protocol/ids';
import type { Section } from '@parley/shared/template/schema';
import { FormError } from '../../components/form/FormError';
import { SharedText } from '../../components/SharedText';
import { errorWords } from '../../lib/error-words';
import { useRoom, useRoomState } from '../../lib/room-context';
import { sharedText } from '../../lib/room-doc';
import { strings } from '../../lib/strings';
import { useAgreementDownload } from '../../lib/use-agreement-download';
import { useCommand } from '../../lib/use-command';
import { useCurrentAgreement } from '../../lib/use-current-agreement';
import { Changes, Confirmations } from './Confirmations';
import { Detail } from './Detail';
import { LeaveOutList } from './LeaveOut';
import { Plan } from './Plan';
import { ReviewDate } from './ReviewDate';

/**
 * The agreement: the plan first (who confirmed, what changed since, what both want, limits,
 * signals, aftercare, own words), the full detail folded below it, then the shared text, the
 * confirm button, the review date and the exports.
 */
export function AgreementView({ section }: { section: Section }) {
  const { session, names, seat, partnerSeat, partnerJoined } = useRoom();
  const room = useRoomState();
  const text = useMemo(() => sharedText.agreement(session.sharedDoc), [session]);
  const { agreement, hash, lines, confirmedBy, sealed } = useCurrentAgreement();

  const anyRevealed = Object.values(room.sections).some((s) => s.state === 'revealed');
  const seats: Seat[] = partnerJoined ? [seat, partnerSeat] : [seat];
  const review = agreement.reviewDate ? AGREEMENT_TEXT.reviewOn(formatIsoDate(agreement.reviewDate)) : AGREEMENT_TEXT.noReviewDate;

  return (
    <div className="agreement">
      <p className="hint">{strings.agreement.lead}</p>

      <article className="agreement-doc" aria-labelledby="agreement-doc-heading" data-testid="agreement-doc">
        <h2 id="agreement-doc-heading">{agreement.title ?? AGREEMENT_TEXT.defaultTitle}</h2>
        <p className="agreement-doc__who">{strings.agreement.partnersLine(names.a, names.b, review)}</p>
        {hash === null ? <p className="hint">{strings.sealed.hashing}</p> : <Confirmations hash={hash} seats={seats} confirmedBy={confirmedBy} />}
        {/* a sealed confirmation keeps no lines (they would be the agreement in plaintext): no diff to show */}
        {hash !== null && !sealed && <Changes hash={hash} lines={lines} />}
        {!anyRevealed && <p className="hint">{strings.agreement.nothingRevealed}</p>}
        <Plan agreement={agreement} />
        {agreement.leftOut.length > 0 && <p className="hint print-only">{AGREEMENT_TEXT.leftOutCount(agreement.leftOut.length)}</p>}
        {!sealed && <LeaveOutList agreement={agreement} />}
        <Detail agreement={agreement} leaveOut={!sealed} />
      </article>

      <section className="agreement__text no-print" aria-labelledby="agreement-text-heading">
        <h2 id="agreement-text-heading">{strings.agreement.freeTextHeading}</h2>
        <p className="hint" id="agreement-text-help">
          {strings.agreement.freeTextHelp}
        </p>
        <SharedText id="agreement-text" field="agreementText" text={text} labelledBy="agreement-text-heading" describedBy="agreement-text-help" />
      </section>

      {hash !== null && <ConfirmButton hash={hash} />}
      {/* the server refuses both in a sealed room: they are content that cannot travel sealed yet */}
      {sealed ? <p className="hint no-print" data-testid="sealed-not-yet">{strings.sealed.notYetSealed}</p> : hash !== null && <ReviewDate hash={hash} />}
      <ExportButtons sectionId={section.id} />
    </div>
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
        <button type="button" className="button button--secondary" onClick={() => window.print()} aria-describedby={`print-help-${sectionId}`}>
          {strings.agreement.print}
        </button>
      </div>
      <p className="hint" id={`print-help-${sectionId}`}>
        {strings.agreement.printHelp}
      </p>
      <FormError message={download.error} takeFocus={false} />
    </section>
  );
}
