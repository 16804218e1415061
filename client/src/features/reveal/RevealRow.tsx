import type { Answer } from '@parley/shared/protocol/answers';
import type { RevealedAnswer } from '@parley/shared/protocol/room-doc';
import { isOffTable } from '@parley/shared/protocol/room-doc';
import type { MatchClass } from '@parley/shared/reveal/classify';
import type { Question } from '@parley/shared/template/schema';
import { formatWhen, strings } from '../../lib/strings';
import { answerDetails, answerSummary } from './format';

export interface RevealRowProps {
  question: Question;
  mine: RevealedAnswer | undefined;
  theirs: RevealedAnswer | undefined;
  match: MatchClass | null;
  partnerName: string;
  /** who changed it after the reveal; null name in discreet rooms */
  changed?: { name: string | null; at: number } | undefined;
}

const MATCH_ICON: Record<MatchClass, string> = { mutual: '✓', one_sided: '◐', mismatch: '≠', limit: '■' };

/** One item after the reveal: both answers side by side with a labelled match class. */
export function RevealRow({ question, mine, theirs, match, partnerName, changed }: RevealRowProps) {
  const offTable = isOffTable(mine) || isOffTable(theirs);
  return (
    <li className={`reveal-row${match ? ` reveal-row--${match}` : ''}${offTable ? ' reveal-row--off' : ''}`} data-item={question.id} data-match={offTable ? 'off_table' : (match ?? 'none')}>
      <div className="reveal-row__head">
        <h3 className="reveal-row__label">{question.label}</h3>
        {match && !offTable && (
          <span className={`match match--${match}`}>
            <span aria-hidden="true" className="match__icon">
              {MATCH_ICON[match]}
            </span>
            {strings.match[match]}
          </span>
        )}
      </div>
      {offTable ? (
        <p className="reveal-row__off">
          <span className="match match--off">{strings.reveal.offTable}</span>
          <span className="hint">{strings.reveal.offTableHelp}</span>
        </p>
      ) : (
        <dl className="reveal-row__answers">
          <AnswerCell who={strings.common.you} question={question} answer={mine as Answer | undefined} seatClass="me" />
          <AnswerCell who={partnerName} question={question} answer={theirs as Answer | undefined} seatClass="partner" />
        </dl>
      )}
      {changed && (
        <p className="reveal-row__changed">
          <span aria-hidden="true">↻ </span>
          {strings.reveal.changed(changed.name, formatWhen(changed.at))}
        </p>
      )}
    </li>
  );
}

function AnswerCell({
  who,
  question,
  answer,
  seatClass,
}: {
  who: string;
  question: Question;
  answer: Answer | undefined;
  seatClass: 'me' | 'partner';
}) {
  const summary = answerSummary(question, answer);
  const details = answerDetails(answer);
  return (
    <div className={`answer-cell answer-cell--${seatClass}`}>
      <dt className="answer-cell__who">{who}</dt>
      <dd className="answer-cell__what">
        {summary ? (
          <span className={question.type === 'text' ? 'answer-cell__text' : 'answer-cell__value'}>{summary}</span>
        ) : (
          <span className="answer-cell__none">{strings.reveal.noAnswer}</span>
        )}
        {details.map((line) => (
          <span key={line} className="answer-cell__detail">
            {line}
          </span>
        ))}
      </dd>
    </div>
  );
}

