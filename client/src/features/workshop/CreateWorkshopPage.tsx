import { useState } from 'react';
import type { FormEvent } from 'react';
import { ChoiceCard } from '../../components/form/ChoiceCards';
import { Field, NameField } from '../../components/form/Field';
import { FormError } from '../../components/form/FormError';
import { api } from '../../lib/api';
import { errorWords, FORM_WORDS } from '../../lib/error-words';
import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';
import { overHttp, useCommand } from '../../lib/use-command';
import { saveFacilitatorToken } from './facilitator';
import { WorksheetChoice, type WorksheetValue } from './worksheet/WorksheetChoice';
import { draftProblem } from './worksheet/WorksheetEditor';

/** Title, facilitator name, lock option → the dashboard (the token goes to this browser's storage). */
export function CreateWorkshopPage() {
  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const [lock, setLock] = useState(true);
  const [worksheet, setWorksheet] = useState<WorksheetValue>('default');
  const unsaveable = typeof worksheet !== 'string' && draftProblem(worksheet) !== null;
  const create = useCommand(
    overHttp(async () => {
      const res = await api.createWorkshop({ title: title.trim(), facilitatorName: name.trim(), lockSections: lock, template: worksheet });
      saveFacilitatorToken(res.workshopId, res.facilitator.token);
      sessionStorage.setItem(`parley:workshop-new:${res.workshopId}`, res.dashboardUrl);
      navigate(`/w/${encodeURIComponent(res.workshopId)}`);
    }),
    { failed: (failure) => errorWords(failure, FORM_WORDS) },
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim() && name.trim() && !unsaveable) void create.run();
  };

  return (
    <main id="main" className="page page--narrow" tabIndex={-1}>
      <section className="hero">
        <h1 className="hero__title">{strings.workshop.createHeading}</h1>
        <p className="hero__lead">{strings.workshop.createLead}</p>
      </section>
      <section className="card">
        <form className="form" onSubmit={submit}>
          <Field id="ws-title" label={strings.workshop.titleLabel} hint={strings.workshop.titleHelp} required maxLength={80} autoComplete="off" value={title} onChange={(e) => setTitle(e.target.value)} />
          <NameField id="ws-name" label={strings.workshop.facilitatorLabel} hint={strings.workshop.facilitatorHelp} value={name} onChange={setName} />
          <WorksheetChoice value={worksheet} onChange={setWorksheet} />
          <ChoiceCard type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} label={strings.workshop.lockLabel} help={strings.workshop.lockHelp} helpId="ws-lock-help" />
          <FormError message={create.error} />
          <button type="submit" className="button button--primary" disabled={create.busy || unsaveable}>
            {create.busy ? strings.workshop.creating : strings.workshop.createSubmit}
          </button>
        </form>
      </section>
    </main>
  );
}
