import type { Agreement, AgreementLine } from '@parley/shared/agreement/build';
import { agreementNames } from '@parley/shared/agreement/markdown';
import { sidesText, wayHeading } from '@parley/shared/agreement/plan';
import { AGREEMENT_TEXT } from '@parley/shared/template/labels';

/**
 * The plan at the top of the agreement: what both want by direction, each person's limits as
 * theirs, signals and aftercare, and their own words. The same words as the Markdown file's
 * plan (both come from `agreement.summary`).
 */
export function Plan({ agreement }: { agreement: Agreement }) {
  const t = AGREEMENT_TEXT;
  const names = agreementNames(agreement);
  const { matches, limits, signals, aftercare } = agreement.summary;
  return (
    <div className="plan" data-testid="agreement-plan">
      <section className="plan__part" aria-labelledby="plan-matches">
        <h3 id="plan-matches">{t.matches}</h3>
        {matches.length === 0 ? (
          <p className="hint">{t.nothingYet}</p>
        ) : (
          <>
            <p className="hint">{t.matchesLead}</p>
            <dl className="plan__list">
              {matches.map(({ way, items }) => (
                <div key={way} data-way={way}>
                  <dt>{wayHeading(way, names)}</dt>
                  <dd>{items.map((i) => i.label).join(', ')}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </section>

      <section className="plan__part" aria-labelledby="plan-limits">
        <h3 id="plan-limits">{t.limits}</h3>
        <div className="plan__people">
          {(['a', 'b'] as const).map((seat) => (
            <section key={seat} className="plan__person" aria-labelledby={`plan-limits-${seat}`} data-seat={seat}>
              <h4 id={`plan-limits-${seat}`}>{t.limitsOf(names[seat])}</h4>
              <dl className="plan__list">
                <div>
                  <dt>{t.hardLimits}</dt>
                  <dd>{limits[seat].hardLimits.length === 0 ? t.noHardLimits : limits[seat].hardLimits.join(', ')}</dd>
                </div>
                {limits[seat].written.map(({ label, text }) => (
                  <div key={label}>
                    <dt>{label}</dt>
                    <dd>{text}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </section>

      <SideBySide id="plan-signals" title={t.signals} lines={signals} names={names} />
      <SideBySide id="plan-aftercare" title={t.aftercare} lines={aftercare} names={names} />

      <section className="plan__part" aria-labelledby="plan-words">
        <h3 id="plan-words">{t.freeText}</h3>
        {agreement.freeText.trim() === '' ? <p className="hint">{t.noFreeText}</p> : <p className="plan__words">{agreement.freeText}</p>}
      </section>
    </div>
  );
}

function SideBySide({ id, title, lines, names }: { id: string; title: string; lines: AgreementLine[]; names: { a: string; b: string } }) {
  return (
    <section className="plan__part" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {lines.length === 0 ? (
        <p className="hint">{AGREEMENT_TEXT.nothingYet}</p>
      ) : (
        <dl className="plan__list">
          {lines.map((line) => (
            <div key={line.label}>
              <dt>{line.label}</dt>
              <dd>{sidesText(line, names)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
