import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { firstTemplateProblem, parseTemplate, type Template } from '@parley/shared/template/schema';
import { downloadText } from '../../../lib/download';
import { strings as allStrings } from '../../../lib/strings';
import { addSection, moveSection, pathPlace, removeSection } from './edit';
import { LinesField, TextField } from './fields';
import { SectionCard } from './SectionCard';
import './worksheet.css';

const strings = allStrings.worksheet;

interface Props {
  draft: Template;
  /** the built-in the draft was made from: its sections can be added back */
  source: Template | null;
  /** every edit, and an imported file (which replaces the draft once the schema accepts it) */
  onChange: (next: Template) => void;
}

/** What is wrong with a draft (or an imported file), in words a facilitator can act on; null when it can be saved. */
export function draftProblem(draft: unknown): string | null {
  const problem = firstTemplateProblem(draft);
  if (!problem) return null;
  const place = pathPlace(problem.path);
  const where = strings.where(place.section, place.item);
  return `${where ? `${where} — ` : ''}${problem.path}: ${problem.message}`;
}

/**
 * A facilitator's worksheet editor: the words around the worksheet, then its sections in order
 * (each opened to edit its questions), then adding a section. Everything typed is text: React
 * renders it as text, and the shared schema refuses control characters before anything is saved.
 */
export function WorksheetEditor({ draft, source, onChange }: Props) {
  const id = useId();
  const [importFailed, setImportFailed] = useState<string | null>(null);
  const present = new Set(draft.sections.map((s) => s.id));
  const addable = (source?.sections ?? []).filter((s) => !present.has(s.id));
  const [toAdd, setToAdd] = useState('');
  // An import replaces the whole draft: the fields that keep what is being typed start again from it.
  const [generation, setGeneration] = useState(0);
  const problem = draftProblem(draft);

  // The editor sits inside a form: Enter in a one-line field must not submit it.
  const keepEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement) e.preventDefault();
  };

  const importFile = async (picked: File | undefined) => {
    if (!picked) return;
    let json: unknown;
    try {
      json = JSON.parse(await picked.text());
    } catch {
      setImportFailed(strings.importFailed);
      return;
    }
    const wrong = draftProblem(json);
    setImportFailed(wrong && `${strings.importFailed} ${wrong}`);
    if (wrong) return;
    onChange(parseTemplate(json));
    setGeneration((g) => g + 1);
  };

  return (
    <div className="ws-editor" key={generation} onKeyDown={keepEnter}>
      <div className="ws-files">
        <button type="button" className="button button--secondary" onClick={() => downloadText(JSON.stringify(draft, null, 2), strings.fileName(draft.title), 'application/json')}>
          {strings.exportJson}
        </button>
        <label className="button button--secondary ws-import">
          {strings.importJson}
          <input type="file" accept="application/json,.json" className="visually-hidden" onChange={(e) => void importFile(e.target.files?.[0])} />
        </label>
      </div>
      {importFailed && (
        <p className="error" role="alert">
          {importFailed}
        </p>
      )}

      <fieldset className="ws-group">
        <legend>{strings.about}</legend>
        <TextField label={strings.titleLabel} value={draft.title} onChange={(title) => onChange({ ...draft, title })} />
        <TextField label={strings.descriptionLabel} value={draft.description} multiline onChange={(description) => onChange({ ...draft, description })} />
      </fieldset>

      <fieldset className="ws-group">
        <legend>{strings.guidance}</legend>
        <LinesField label={strings.primerLabel} hint={strings.primerHelp} value={draft.guidance.primer} onChange={(primer) => onChange({ ...draft, guidance: { ...draft.guidance, primer } })} />
        <TextField label={strings.revealLabel} value={draft.guidance.revealReminder} multiline onChange={(revealReminder) => onChange({ ...draft, guidance: { ...draft.guidance, revealReminder } })} />
        <LinesField label={strings.debriefLabel} value={draft.guidance.debriefPrompts} rows={3} onChange={(debriefPrompts) => onChange({ ...draft, guidance: { ...draft.guidance, debriefPrompts } })} />
      </fieldset>

      <section aria-labelledby={`${id}-sections`}>
        <h2 className="ws-heading" id={`${id}-sections`}>
          {strings.sections}
        </h2>
        <p className="hint">{strings.sectionsHelp}</p>
        <ol className="ws-sections">
          {draft.sections.map((section, index) => (
            <SectionCard
              key={section.id}
              draft={draft}
              index={index}
              onChange={onChange}
              onMove={(delta) => onChange(moveSection(draft, index, delta))}
              onRemove={() => onChange(removeSection(draft, index))}
            />
          ))}
        </ol>
        <div className="ws-add" role="group" aria-labelledby={`${id}-add`}>
          <h3 className="ws-subheading" id={`${id}-add`}>
            {strings.addSection}
          </h3>
          <div className="field">
            <label htmlFor={`${id}-add-select`}>{strings.addSectionLabel}</label>
            <select id={`${id}-add-select`} value={toAdd} onChange={(e) => setToAdd(e.target.value)}>
              <option value="">{strings.newSection}</option>
              {addable.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              onChange(addSection(draft, addable.find((s) => s.id === toAdd) ?? null, { title: strings.newSectionTitle, why: strings.newSectionWhy }));
              setToAdd('');
            }}
          >
            {strings.add}
          </button>
        </div>
      </section>

      {problem && (
        <p className="error" role="status">
          {strings.problem} {problem}
        </p>
      )}
    </div>
  );
}
