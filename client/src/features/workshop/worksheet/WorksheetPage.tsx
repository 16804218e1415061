import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Template } from '@parley/shared/template/schema';
import { FormError } from '../../../components/form/FormError';
import { Notice } from '../../../components/Notice';
import { api } from '../../../lib/api';
import { errorWords, FORM_WORDS } from '../../../lib/error-words';
import { strings as allStrings } from '../../../lib/strings';
import { overHttp, useCommand } from '../../../lib/use-command';
import { loadFacilitatorToken } from '../facilitator';
import { draftOf } from './edit';
import { draftProblem, WorksheetEditor } from './WorksheetEditor';

const strings = allStrings.worksheet;

/** `/w/:id/worksheet`: the facilitator edits the running workshop's worksheet and saves a new version. */
export function WorksheetPage({ workshopId }: { workshopId: string }) {
  const [token] = useState(() => loadFacilitatorToken(workshopId));
  const [draft, setDraft] = useState<Template | null>(null);
  // The full built-in worksheet: any of its sections can be added (back) to the workshop's.
  const [source, setSource] = useState<Template | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  useEffect(() => {
    if (!token) return;
    api.getWorkshopTemplate(workshopId, token).then(
      (template) => setDraft(draftOf(template)),
      (error: unknown) => setLoadError(errorWords(error, FORM_WORDS)),
    );
    api.getTemplate('default').then(setSource, () => undefined);
  }, [workshopId, token]);

  const save = useCommand(
    overHttp(async () => {
      if (!draft || !token) return;
      const res = await api.saveWorkshopTemplate(workshopId, token, draft);
      setDraft({ ...draft, id: res.id, version: res.version });
      setSaved(res.version);
    }),
    { failed: (failure) => errorWords(failure, FORM_WORDS) },
  );

  if (!token) {
    return (
      <Notice heading={allStrings.appName}>
        <p>{strings.noToken}</p>
      </Notice>
    );
  }
  const dashboard = `/w/${encodeURIComponent(workshopId)}`;
  const problem = draft && draftProblem(draft);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft && !problem) void save.run();
  };

  return (
    <main id="main" className="page page--narrow" tabIndex={-1}>
      <p>
        <a href={dashboard}>{strings.back}</a>
      </p>
      <section className="hero">
        <h1 className="hero__title">{strings.pageHeading}</h1>
        <p className="hero__lead">{strings.pageLead}</p>
      </section>
      {loadError && <FormError message={loadError} />}
      {!draft && !loadError && <p role="status">{strings.loading}</p>}
      {draft && (
        <form className="form" onSubmit={submit}>
          <WorksheetEditor
            draft={draft}
            source={source}
            onChange={(next) => {
              setDraft(next);
              setSaved(null);
            }}
          />
          <FormError message={save.error} />
          {saved !== null && <p role="status">{strings.saved(saved)}</p>}
          <button type="submit" className="button button--primary" disabled={save.busy || problem !== null}>
            {save.busy ? strings.saving : strings.save}
          </button>
        </form>
      )}
    </main>
  );
}
