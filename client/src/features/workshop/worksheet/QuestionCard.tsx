import { useId, useState } from 'react';
import type { Question, Section } from '@parley/shared/template/schema';
import { strings as allStrings } from '../../../lib/strings';
import { optionsFromLines } from './edit';
import { ListControls, TextField } from './fields';

const strings = allStrings.worksheet;

interface Props {
  question: Question;
  section: Section;
  index: number;
  count: number;
  onChange: (patch: Partial<Question>) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

/** One question of a section: its words, its category, which extras it asks for, its options. */
export function QuestionCard({ question, section, index, count, onChange, onMove, onRemove }: Props) {
  const id = useId();
  const categories = section.categories ?? [];
  const rated = question.type === 'rating' || question.type === 'dual_rating';
  const [options, setOptions] = useState(() => ('options' in question ? question.options.map((o) => o.label).join('\n') : ''));
  return (
    <li className="ws-question">
      <div className="ws-question__head">
        <span className="ws-question__type">{strings.types[question.type] ?? question.type}</span>
        <ListControls name={question.label || strings.questionLabel} index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      <TextField label={strings.questionLabel} value={question.label} onChange={(label) => onChange({ label })} />
      <TextField label={strings.questionHelp} value={question.help ?? ''} optional multiline onChange={(help) => onChange({ help: help === '' ? undefined : help })} />
      {categories.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-category`}>{strings.category}</label>
          <select id={`${id}-category`} value={question.category ?? ''} onChange={(e) => onChange({ category: e.target.value === '' ? undefined : e.target.value })}>
            <option value="">{strings.noCategory}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {rated && (
        <fieldset className="field ws-asks">
          <legend>{strings.asks}</legend>
          {(
            [
              ['experience', strings.askExperience],
              ['conditions', strings.askConditions],
              ['note', strings.askNote],
            ] as const
          ).map(([flag, label]) => (
            <label key={flag} className="ws-check">
              <input type="checkbox" checked={question[flag] === true} onChange={(e) => onChange({ [flag]: e.target.checked ? true : undefined })} />
              {label}
            </label>
          ))}
        </fieldset>
      )}
      {'options' in question && (
        <div className="field">
          <label htmlFor={`${id}-options`}>{strings.options}</label>
          <textarea
            id={`${id}-options`}
            rows={Math.max(3, question.options.length)}
            value={options}
            onChange={(e) => {
              setOptions(e.target.value);
              onChange({ options: optionsFromLines(e.target.value, question.options) });
            }}
          />
        </div>
      )}
    </li>
  );
}
