import { useEffect, useId, useState } from 'react';
import type { TemplateListEntry } from '@parley/shared/protocol/http';
import type { Template } from '@parley/shared/template/schema';
import { ChoiceCard } from '../../../components/form/ChoiceCards';
import { api } from '../../../lib/api';
import { strings as allStrings } from '../../../lib/strings';
import { draftOf } from './edit';
import { WorksheetEditor } from './WorksheetEditor';

const strings = allStrings.worksheet;

/** A built-in's id, or the facilitator's own worksheet (a draft). */
export type WorksheetValue = string | Template;

/**
 * The workshop form's worksheet: a built-in as it is, or ("make it our own") a draft made from
 * it in the editor. Choosing another built-in while editing starts a new draft from that one.
 */
export function WorksheetChoice({ value, onChange }: { value: WorksheetValue; onChange: (next: WorksheetValue) => void }) {
  const id = useId();
  const [list, setList] = useState<TemplateListEntry[]>([]);
  const [sourceId, setSourceId] = useState('default');
  const [source, setSource] = useState<Template | null>(null);
  // Checked at once; the editor shows once the built-in it starts from has arrived.
  const [customise, setCustomise] = useState(typeof value !== 'string');

  useEffect(() => {
    let live = true;
    api.listTemplates().then(
      (res) => live && setList(res.templates),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const startFrom = async (next: string, own: boolean) => {
    setSourceId(next);
    setCustomise(own);
    if (!own) {
      onChange(next);
      return;
    }
    const template = await api.getTemplate(next);
    setSource(template);
    onChange(draftOf(template));
  };

  return (
    <div className="ws-choice">
      <div className="field">
        <label htmlFor={`${id}-source`}>{strings.startFrom}</label>
        <p className="hint" id={`${id}-source-help`}>
          {strings.startFromHelp}
        </p>
        <select id={`${id}-source`} aria-describedby={`${id}-source-help`} className="ws-select" value={sourceId} onChange={(e) => void startFrom(e.target.value, customise)}>
          {(list.length > 0 ? list : [{ id: 'default', title: 'Negotiation worksheet' }]).map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
      </div>
      <ChoiceCard type="checkbox" checked={customise} onChange={(e) => void startFrom(sourceId, e.target.checked)} label={strings.customise} help={strings.customiseHelp} helpId={`${id}-customise-help`} />
      {customise && typeof value !== 'string' && (
        <section className="ws-choice__editor" aria-labelledby={`${id}-editor`}>
          <h2 className="ws-heading" id={`${id}-editor`}>
            {strings.editorHeading}
          </h2>
          <p className="hint">{strings.editorLead}</p>
          <WorksheetEditor key={sourceId} draft={value} source={source} onChange={onChange} />
        </section>
      )}
    </div>
  );
}
