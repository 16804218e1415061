import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';
import { saveFacilitatorToken } from './facilitator';

/** Title, facilitator name, lock option → the dashboard (the token goes to this browser's storage). */
export function CreateWorkshopPage() {
  const [title, setTitle] = useState('');
  const [name, setName] = useState('');
  const [lock, setLock] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.createWorkshop({ title: title.trim(), facilitatorName: name.trim(), lockSections: lock });
      saveFacilitatorToken(res.workshopId, res.facilitator.token);
      sessionStorage.setItem(`parley:workshop-new:${res.workshopId}`, res.dashboardUrl);
      navigate(`/w/${encodeURIComponent(res.workshopId)}`);
    } catch (err) {
      setBusy(false);
      setError(err instanceof ApiError && err.code === 'rate_limited' ? strings.common.rateLimited : err instanceof ApiError && err.code === 'network' ? strings.common.network : strings.common.tryAgainLater);
    }
  };

  return (
    <main id="main" className="page page--narrow" tabIndex={-1}>
      <section className="hero">
        <h1 className="hero__title">{strings.workshop.createHeading}</h1>
        <p className="hero__lead">{strings.workshop.createLead}</p>
      </section>
      <section className="card">
        <form className="form" onSubmit={submit}>
          <div className="field">
            <label htmlFor="ws-title">{strings.workshop.titleLabel}</label>
            <p className="hint" id="ws-title-help">
              {strings.workshop.titleHelp}
            </p>
            <input id="ws-title" required maxLength={80} autoComplete="off" aria-describedby="ws-title-help" value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ws-name">{strings.workshop.facilitatorLabel}</label>
            <p className="hint" id="ws-name-help">
              {strings.workshop.facilitatorHelp}
            </p>
            <input id="ws-name" required maxLength={40} autoComplete="nickname" aria-describedby="ws-name-help" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <label className="choice-card">
            <input type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} aria-describedby="ws-lock-help" />
            <span className="choice-card__text">
              <span className="choice-card__label">{strings.workshop.lockLabel}</span>
              <span className="hint" id="ws-lock-help">
                {strings.workshop.lockHelp}
              </span>
            </span>
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? strings.workshop.creating : strings.workshop.createSubmit}
          </button>
        </form>
      </section>
    </main>
  );
}
