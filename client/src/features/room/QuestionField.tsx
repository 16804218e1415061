import type { Answer } from '@parley/shared/protocol/answers';
import type { Question } from '@parley/shared/template/schema';
import { DraftText } from '../../components/DraftText';
import { strings } from '../../lib/strings';
import type { AnswerPatch } from './answers';
import { isAnswered } from './answers';
import { ClearButton, ItemMore } from './ItemMore';
import { RatingRow, RatingSegments } from './RatingScale';

interface Props {
  question: Question;
  answer: Answer | undefined;
  onChange: (patch: AnswerPatch) => void;
}

interface FieldProps extends Props {
  /** keeps ids and radio names apart when the same item is on the page twice (a reveal row's editor) */
  idPrefix?: string;
  /** the label is already a heading nearby (a reveal row): keep it for screen readers only */
  labelHidden?: boolean;
}

/** One question of the worksheet, whatever its type, with its optional details. */
export function QuestionField({ question, answer, onChange, idPrefix = '', labelHidden = false }: FieldProps) {
  const base = `${idPrefix}q-${question.id}`;
  const helpId = question.help ? `${base}-help` : undefined;
  const hasDetails = !!(question.experience || question.conditions || question.note);
  const detailsSet = !!(answer?.experience || answer?.conditions?.length || answer?.note);
  const answered = isAnswered(question, answer);
  // a rating row has no room for a clear button: clearing lives behind "more"
  const clearable = answered && (question.type === 'rating' || question.type === 'dual_rating');

  return (
    <div className={`question question--${question.type}${answered ? ' question--answered' : ''}`} data-item={question.id}>
      <fieldset className="question__set" aria-describedby={helpId}>
        <legend className={labelHidden ? 'question__label visually-hidden' : 'question__label'}>{question.label}</legend>
        {question.help && (
          <p className="hint" id={helpId}>
            {question.help}
          </p>
        )}
        <QuestionInput question={question} answer={answer} onChange={onChange} base={base} />
      </fieldset>
      {(hasDetails || clearable) && (
        <ItemMore question={question} answer={answer} onChange={onChange} base={base} open={detailsSet} clearable={clearable} />
      )}
    </div>
  );
}

function QuestionInput({ question, answer, onChange, base }: Props & { base: string }) {
  switch (question.type) {
    case 'rating':
      return (
        <div className="rating-row rating-row--single">
          <span className="rating-row__legend" aria-hidden="true">
            <span className="rating-row__value">{answer?.rating ? strings.ratingsShort[answer.rating] : '—'}</span>
          </span>
          <RatingSegments name={`${base}-rating`} value={answer?.rating} onChange={(rating) => onChange({ rating })} />
        </div>
      );
    case 'dual_rating':
      return (
        <div className="dual">
          <RatingRow legend={strings.room.giving} name={`${base}-giving`} value={answer?.giving} onChange={(giving) => onChange({ giving })} />
          <RatingRow
            legend={strings.room.receiving}
            name={`${base}-receiving`}
            value={answer?.receiving}
            onChange={(receiving) => onChange({ receiving })}
          />
        </div>
      );
    case 'choice':
      return (
        <div className="chips">
          {question.options.map((option) => (
            <label key={option.id} className="chip">
              <input
                type="radio"
                name={`${base}-choice`}
                checked={answer?.choice === option.id}
                onChange={() => onChange({ choice: option.id })}
              />
              <span>{option.label}</span>
            </label>
          ))}
          {answer?.choice !== undefined && <ClearButton label={question.label} onClear={() => onChange({ choice: undefined })} />}
        </div>
      );
    case 'multi':
      return (
        <div className="chips">
          {question.options.map((option) => (
            <label key={option.id} className="chip">
              <input
                type="checkbox"
                checked={answer?.choices?.includes(option.id) ?? false}
                onChange={(e) => {
                  const set = new Set(answer?.choices ?? []);
                  if (e.target.checked) set.add(option.id);
                  else set.delete(option.id);
                  onChange({ choices: question.options.map((o) => o.id).filter((id) => set.has(id)) });
                }}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      );
    case 'scale':
      return (
        <div className="scale">
          {question.labels && (
            <span className="scale__end" aria-hidden="true">
              {question.labels.low}
            </span>
          )}
          <div className="chips chips--scale">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="chip chip--round">
                <input
                  type="radio"
                  name={`${base}-scale`}
                  checked={answer?.scale === n}
                  onChange={() => onChange({ scale: n })}
                  aria-label={scaleLabel(n, question.labels)}
                />
                <span aria-hidden="true">{n}</span>
              </label>
            ))}
          </div>
          {question.labels && (
            <span className="scale__end" aria-hidden="true">
              {question.labels.high}
            </span>
          )}
        </div>
      );
    case 'text':
      return (
        <DraftText
          id={`${base}-text`}
          label={question.label}
          value={answer?.text ?? ''}
          multiline={question.multiline ?? true}
          rows={question.multiline === false ? 1 : 3}
          maxLength={10_000}
          placeholder={question.placeholder}
          className="text-answer"
          onCommit={(text) => onChange({ text })}
        />
      );
  }
}

function scaleLabel(n: number, labels: { low: string; high: string } | undefined): string {
  const base = strings.room.scaleValue(n);
  if (!labels) return base;
  if (n === 1) return `${base} (${labels.low})`;
  if (n === 5) return `${base} (${labels.high})`;
  return base;
}
