import { CONDITIONS, EXPERIENCE_LEVELS, RATINGS } from '@parley/shared/protocol/answers';
import type { Answer, Condition, Rating } from '@parley/shared/protocol/answers';
import type { Question } from '@parley/shared/template/schema';
import { DraftText } from '../../components/DraftText';
import { strings } from '../../lib/strings';
import type { AnswerPatch } from './answers';
import { isAnswered } from './answers';

interface Props {
  question: Question;
  answer: Answer | undefined;
  onChange: (patch: AnswerPatch) => void;
}

/** One question of the worksheet, whatever its type, with its optional details. */
export function QuestionField({ question, answer, onChange }: Props) {
  const base = `q-${question.id}`;
  const helpId = question.help ? `${base}-help` : undefined;
  const hasDetails = !!(question.experience || question.conditions || question.note);
  const detailsSet = !!(answer?.experience || answer?.conditions?.length || answer?.note);
  const answered = isAnswered(question, answer);

  return (
    <div className={`question${answered ? ' question--answered' : ''}`} data-item={question.id}>
      <fieldset className="question__set" aria-describedby={helpId}>
        <legend className="question__label">{question.label}</legend>
        {question.help && (
          <p className="hint" id={helpId}>
            {question.help}
          </p>
        )}
        <QuestionInput question={question} answer={answer} onChange={onChange} base={base} />
      </fieldset>
      {hasDetails && (
        <details className="question__details" open={detailsSet || undefined}>
          <summary>{strings.room.moreDetails}</summary>
          <div className="question__details-body">
            {question.experience && (
              <fieldset className="mini-set">
                <legend>{strings.room.experienceLegend}</legend>
                <div className="chips">
                  {EXPERIENCE_LEVELS.map((level) => (
                    <label key={level} className="chip">
                      <input
                        type="radio"
                        name={`${base}-experience`}
                        checked={answer?.experience === level}
                        onChange={() => onChange({ experience: level })}
                      />
                      <span>{strings.experience[level]}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
            {question.conditions && (
              <fieldset className="mini-set">
                <legend>{strings.room.conditionsLegend}</legend>
                <div className="chips">
                  {CONDITIONS.map((condition) => (
                    <label key={condition} className="chip">
                      <input
                        type="checkbox"
                        checked={answer?.conditions?.includes(condition) ?? false}
                        onChange={(e) => onChange({ conditions: toggle(answer?.conditions, condition, e.target.checked) })}
                      />
                      <span>{strings.conditions[condition]}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
            {question.note && (
              <div className="mini-set">
                <label htmlFor={`${base}-note`}>{strings.room.noteLabel}</label>
                <DraftText
                  id={`${base}-note`}
                  value={answer?.note ?? ''}
                  maxLength={2000}
                  onCommit={(note) => onChange({ note })}
                />
              </div>
            )}
          </div>
        </details>
      )}
    </div>
  );
}

function toggle(list: Condition[] | undefined, value: Condition, on: boolean): Condition[] {
  const set = new Set(list ?? []);
  if (on) set.add(value);
  else set.delete(value);
  return CONDITIONS.filter((c) => set.has(c));
}

function QuestionInput({ question, answer, onChange, base }: Props & { base: string }) {
  switch (question.type) {
    case 'rating':
      return (
        <RatingChips
          name={`${base}-rating`}
          value={answer?.rating}
          onChange={(rating) => onChange({ rating })}
        />
      );
    case 'dual_rating':
      return (
        <div className="dual">
          <fieldset className="mini-set">
            <legend>{strings.room.giving}</legend>
            <RatingChips name={`${base}-giving`} value={answer?.giving} onChange={(giving) => onChange({ giving })} />
          </fieldset>
          <fieldset className="mini-set">
            <legend>{strings.room.receiving}</legend>
            <RatingChips
              name={`${base}-receiving`}
              value={answer?.receiving}
              onChange={(receiving) => onChange({ receiving })}
            />
          </fieldset>
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

function RatingChips({
  name,
  value,
  onChange,
}: {
  name: string;
  value: Rating | undefined;
  onChange: (r: Rating | undefined) => void;
}) {
  return (
    <div className="chips chips--rating">
      {RATINGS.map((rating) => (
        <label key={rating} className={`chip chip--${rating}`}>
          <input type="radio" name={name} checked={value === rating} onChange={() => onChange(rating)} />
          <span>{strings.ratings[rating]}</span>
        </label>
      ))}
      {value !== undefined && <ClearButton onClear={() => onChange(undefined)} />}
    </div>
  );
}

function ClearButton({ onClear, label }: { onClear: () => void; label?: string }) {
  return (
    <button type="button" className="link-button chips__clear" onClick={onClear} aria-label={label ? `${strings.room.clearAnswer}: ${label}` : undefined}>
      {strings.room.clearAnswer}
    </button>
  );
}
