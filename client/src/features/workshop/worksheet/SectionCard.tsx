import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { QUESTION_TYPES, type QuestionType, type Section, type Template } from '@parley/shared/template/schema';
import { strings as allStrings } from '../../../lib/strings';
import { addCategory, addItem, moveItem, removeItem, updateItem, updateSection } from './edit';
import { LinesField, ListControls, TextField } from './fields';
import { QuestionCard } from './QuestionCard';

const strings = allStrings.worksheet;

interface Props {
  draft: Template;
  index: number;
  onChange: (next: Template) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

/** One section: a summary line with its order controls; opened, its words, categories and questions. */
export function SectionCard({ draft, index, onChange, onMove, onRemove }: Props) {
  const section = draft.sections[index] as Section;
  const [open, setOpen] = useState(false);
  const id = useId();
  const change = (patch: Partial<Section>) => onChange(updateSection(draft, index, patch));
  return (
    <li className="ws-section card">
      <div className="ws-section__head">
        <h3 className="ws-section__title">{strings.sectionSummary(index + 1, section.title, section.items.length)}</h3>
        <div className="ws-section__actions">
          <button type="button" className="button button--secondary" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
            {open ? strings.doneEditing : strings.edit}
            <span className="visually-hidden"> {section.title}</span>
          </button>
          <ListControls name={section.title} index={index} count={draft.sections.length} onMove={onMove} onRemove={onRemove} />
        </div>
      </div>
      <div id={`${id}-body`} hidden={!open} className="ws-section__body">
        {open && (
          <>
            <TextField label={strings.sectionTitle} value={section.title} onChange={(title) => change({ title })} />
            <TextField label={strings.why} value={section.why} multiline onChange={(why) => change({ why })} />
            {(section.kind !== 'questions' || (section.prompts ?? []).length > 0) && (
              <LinesField label={strings.prompts} value={section.prompts ?? []} rows={3} onChange={(prompts) => change({ prompts })} />
            )}
            <Categories draft={draft} index={index} onChange={onChange} />
            <h4 className="ws-subheading">{strings.questions}</h4>
            {section.items.length === 0 ? (
              <p className="hint">{strings.noQuestions}</p>
            ) : (
              <ol className="ws-questions">
                {section.items.map((question, i) => (
                  <QuestionCard
                    key={question.id}
                    question={question}
                    section={section}
                    index={i}
                    count={section.items.length}
                    onChange={(patch) => onChange(updateItem(draft, index, i, patch))}
                    onMove={(delta) => onChange(moveItem(draft, index, i, delta))}
                    onRemove={() => onChange(removeItem(draft, index, i))}
                  />
                ))}
              </ol>
            )}
            <AddQuestion section={section} onAdd={(type, label, category) => onChange(addItem(draft, index, type, label, category))} />
          </>
        )}
      </div>
    </li>
  );
}

/** Enter in a field runs `action` rather than submitting the surrounding form. */
const onEnter = (action: () => void) => (e: KeyboardEvent) => {
  if (e.key !== 'Enter') return;
  e.preventDefault();
  action();
};

function Categories({ draft, index, onChange }: { draft: Template; index: number; onChange: (next: Template) => void }) {
  const section = draft.sections[index] as Section;
  const [label, setLabel] = useState('');
  const id = useId();
  const categories = section.categories ?? [];
  const add = () => {
    if (!label.trim()) return;
    onChange(addCategory(draft, index, label.trim()));
    setLabel('');
  };
  const rename = (c: number, next: string) => onChange(updateSection(draft, index, { categories: categories.map((x, k) => (k === c ? { ...x, label: next } : x)) }));
  return (
    <fieldset className="field ws-categories">
      <legend>{strings.categories}</legend>
      {categories.map((c, k) => (
        <TextField key={c.id} label={`${strings.category} ${k + 1}`} value={c.label} onChange={(next) => rename(k, next)} />
      ))}
      <div className="ws-inline">
        <div className="field">
          <label htmlFor={`${id}-new`}>{strings.categoryLabel}</label>
          <input id={`${id}-new`} type="text" autoComplete="off" value={label} onKeyDown={onEnter(add)} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <button type="button" className="button button--secondary" onClick={add}>
          {strings.addCategory}
        </button>
      </div>
    </fieldset>
  );
}

function AddQuestion({ section, onAdd }: { section: Section; onAdd: (type: QuestionType, label: string, category?: string) => void }) {
  const id = useId();
  const [type, setType] = useState<QuestionType>(section.categories?.length ? 'dual_rating' : 'text');
  const [label, setLabel] = useState('');
  const [category, setCategory] = useState(section.categories?.[0]?.id ?? '');
  const add = () => {
    if (!label.trim()) return;
    onAdd(type, label.trim(), category || undefined);
    setLabel('');
  };
  // The editor sits inside the page's form: Enter adds here instead of submitting that form.
  return (
    <div className="ws-add" role="group" aria-labelledby={`${id}-heading`}>
      <h4 className="ws-subheading" id={`${id}-heading`}>
        {strings.addQuestion}
      </h4>
      <div className="field">
        <label htmlFor={`${id}-type`}>{strings.newQuestionType}</label>
        <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value as QuestionType)}>
          {QUESTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {strings.types[t]}
            </option>
          ))}
        </select>
      </div>
      {(section.categories ?? []).length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-category`}>{strings.category}</label>
          <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{strings.noCategory}</option>
            {(section.categories ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-label`}>{strings.newQuestionLabel}</label>
        <input id={`${id}-label`} type="text" autoComplete="off" value={label} onKeyDown={onEnter(add)} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <button type="button" className="button button--secondary" onClick={add}>
        {strings.add}
      </button>
    </div>
  );
}
