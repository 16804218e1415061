import { CONDITIONS, EXPERIENCE_LEVELS } from '@parley/shared/protocol/answers';
import type { Answer, Condition } from '@parley/shared/protocol/answers';
import type { Question } from '@parley/shared/template/schema';
import { DraftText } from '../../components/DraftText';
import { strings } from '../../lib/strings';
import type { AnswerPatch } from './answers';

interface Props {
  question: Question;
  answer: Answer | undefined;
  onChange: (patch: AnswerPatch) => void;
  base: string;
  /** open from the start: something behind it is already set */
  open: boolean;
  /** the item has a rating to clear */
  clearable: boolean;
}

/** One "more" per item: experience, conditions, a note, and clearing a rating. */
export function ItemMore({ question, answer, onChange, base, open, clearable }: Props) {
  return (
    <details className="question__details" open={open || undefined}>
      <summary>
        <span aria-hidden="true">{strings.room.more}</span>
        <span className="visually-hidden">{strings.room.moreFor(question.label)}</span>
      </summary>
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
            <DraftText id={`${base}-note`} value={answer?.note ?? ''} maxLength={2000} onCommit={(note) => onChange({ note })} />
          </div>
        )}
        {clearable && (
          <ClearButton
            label={question.label}
            text={strings.room.clearRating}
            onClear={() => onChange(question.type === 'rating' ? { rating: undefined } : { giving: undefined, receiving: undefined })}
          />
        )}
      </div>
    </details>
  );
}

function toggle(list: Condition[] | undefined, value: Condition, on: boolean): Condition[] {
  const set = new Set(list ?? []);
  if (on) set.add(value);
  else set.delete(value);
  return CONDITIONS.filter((c) => set.has(c));
}

export function ClearButton({ onClear, label, text = strings.room.clearAnswer }: { onClear: () => void; label?: string; text?: string }) {
  return (
    <button type="button" className="link-button chips__clear" onClick={onClear} aria-label={label ? `${text}: ${label}` : undefined}>
      {text}
    </button>
  );
}
