import type { Agreement } from '@parley/shared/agreement/build';
import { formatDay } from '@parley/shared/agreement/format';
import { agreementNames } from '@parley/shared/agreement/markdown';
import { itemClassText } from '@parley/shared/agreement/plan';
import { AGREEMENT_TEXT } from '@parley/shared/template/labels';
import { Disclosure } from '../../components/Disclosure';
import { localTimeZone, strings } from '../../lib/strings';
import { LeaveOutControl } from './LeaveOut';

/**
 * Everything the agreement holds, folded below the plan: what is still to talk through, then
 * every revealed item side by side with its leave-out choice (none in a sealed room, whose
 * server refuses it). Printed only when open.
 */
export function Detail({ agreement, leaveOut = true }: { agreement: Agreement; leaveOut?: boolean }) {
  const t = AGREEMENT_TEXT;
  const names = agreementNames(agreement);
  const count = agreement.sections.reduce((n, s) => n + s.items.length, 0);
  if (agreement.sections.length === 0) return null;
  return (
    <Disclosure inline label={strings.agreement.detail(count)} className="agreement-detail" toggleClassName="button button--secondary agreement-detail__toggle">
      {() => (
        <div className="agreement-detail__body" data-testid="agreement-detail">
          {leaveOut && <p className="hint no-print">{strings.agreement.detailHelp}</p>}
          {agreement.summary.toTalkAbout.length > 0 && (
            <section aria-labelledby="detail-talk">
              <h3 id="detail-talk">{t.toTalkAbout}</h3>
              <ul>
                {agreement.summary.toTalkAbout.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </section>
          )}
          {agreement.sections.map((section) => (
            <section key={section.id} aria-labelledby={`detail-${section.id}`} className="detail-section">
              <h3 id={`detail-${section.id}`}>{section.title}</h3>
              <p className="hint">
                {t.round} {section.round}
                {section.revealedAt !== null && ` · ${t.revealedOn} ${formatDay(section.revealedAt, localTimeZone())}`}
              </p>
              <ul className="detail-items">
                {section.items.map((item) => {
                  const cls = itemClassText(item, names);
                  return (
                    <li key={item.id} className="detail-item" data-item={item.id}>
                      <p className="detail-item__label">
                        <strong>{item.label}</strong>
                        {cls && <span className="detail-item__classes"> — {cls}</span>}
                      </p>
                      <dl className="detail-item__answers">
                        {(['a', 'b'] as const).map((seat) =>
                          item.display[seat] === undefined ? null : (
                            <div key={seat}>
                              <dt>{names[seat]}</dt>
                              <dd>{item.display[seat]}</dd>
                            </div>
                          ),
                        )}
                      </dl>
                      {leaveOut && <LeaveOutControl itemId={item.id} label={item.label} round={section.round} />}
                    </li>
                  );
                })}
              </ul>
              {section.notShared ? <p className="hint">{t.notShared(section.notShared)}</p> : null}
            </section>
          ))}
        </div>
      )}
    </Disclosure>
  );
}
