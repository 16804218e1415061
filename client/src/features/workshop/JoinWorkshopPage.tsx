import { useState } from 'react';
import type { FormEvent } from 'react';
import type { JoinWorkshopResponse } from '@parley/shared/protocol/workshop';
import { CopyField } from '../../components/CopyField';
import { FormError } from '../../components/FormError';
import { api, ApiError } from '../../lib/api';
import { saveCredentials } from '../../lib/credentials';
import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';

/** Code and name, then start a pair (get a pair code for the partner) or join one with its code. */
export function JoinWorkshopPage({ code }: { code: string | null }) {
  const [joinCode, setJoinCode] = useState(code ?? '');
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'start' | 'join'>('start');
  const [pairCode, setPairCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<JoinWorkshopResponse | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!joinCode.trim() || !name.trim() || (mode === 'join' && !pairCode.trim())) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.joinWorkshop({ joinCode, displayName: name.trim(), ...(mode === 'join' ? { pairCode } : {}) });
      saveCredentials(res.roomId, { token: res.participant.token, participantId: res.participant.id, seat: res.participant.seat });
      if (mode === 'join') navigate(`/r/${encodeURIComponent(res.roomId)}`);
      else setStarted(res);
    } catch (err) {
      setBusy(false);
      setError(errorText(err, mode));
    }
  };

  if (started) {
    return (
      <main id="main" className="page page--narrow" tabIndex={-1}>
        <h1 className="page__title">{strings.workshop.pairStartedHeading}</h1>
        <section className="card" aria-labelledby="pair-code-heading">
          <h2 id="pair-code-heading">{strings.workshop.pairCode}</h2>
          <p className="join-code">{started.pairCode}</p>
          <p>{strings.workshop.pairStartedLead}</p>
        </section>
        <section className="card card--warning" aria-labelledby="resume-heading">
          <h2 id="resume-heading">{strings.workshop.resumeHeading}</h2>
          <p className="warning-text">{strings.create.resumeWarning}</p>
          <CopyField label={strings.links.resumeHeading} value={started.resumeUrl} />
        </section>
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => navigate(`/r/${encodeURIComponent(started.roomId)}`)}>
            {strings.workshop.enterRoom}
          </button>
        </div>
      </main>
    );
  }

  return (
    <main id="main" className="page page--narrow" tabIndex={-1}>
      <section className="hero">
        <h1 className="hero__title">{strings.workshop.joinHeading}</h1>
        <p className="hero__lead">{strings.workshop.joinLead}</p>
      </section>
      <section className="card">
        <form className="form" onSubmit={submit}>
          <div className="field">
            <label htmlFor="ws-code">{strings.workshop.codeLabel}</label>
            <p className="hint" id="ws-code-help">
              {strings.workshop.codeHelp}
            </p>
            <input id="ws-code" className="code-input" required maxLength={12} autoComplete="off" autoCapitalize="characters" spellCheck={false} aria-describedby="ws-code-help" value={joinCode} onChange={(e) => setJoinCode(e.target.value.toUpperCase())} />
          </div>
          <div className="field">
            <label htmlFor="ws-participant">{strings.workshop.nameLabel}</label>
            <p className="hint" id="ws-participant-help">
              {strings.workshop.nameHelp}
            </p>
            <input id="ws-participant" required maxLength={40} autoComplete="nickname" aria-describedby="ws-participant-help" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <fieldset className="field choices">
            <legend>{strings.workshop.modeLegend}</legend>
            {(
              [
                ['start', strings.workshop.modeStart, strings.workshop.modeStartHelp],
                ['join', strings.workshop.modeJoin, strings.workshop.modeJoinHelp],
              ] as const
            ).map(([value, label, help]) => (
              <label key={value} className="choice-card">
                <input type="radio" name="pairMode" value={value} checked={mode === value} onChange={() => setMode(value)} aria-describedby={`pair-${value}-help`} />
                <span className="choice-card__text">
                  <span className="choice-card__label">{label}</span>
                  <span className="hint" id={`pair-${value}-help`}>
                    {help}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          {mode === 'join' && (
            <div className="field">
              <label htmlFor="ws-pair">{strings.workshop.pairCodeLabel}</label>
              <p className="hint" id="ws-pair-help">
                {strings.workshop.pairCodeHelp}
              </p>
              <input id="ws-pair" className="code-input" required maxLength={8} autoComplete="off" autoCapitalize="characters" spellCheck={false} aria-describedby="ws-pair-help" value={pairCode} onChange={(e) => setPairCode(e.target.value.toUpperCase())} />
            </div>
          )}
          <FormError message={error} />
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? strings.workshop.joining : strings.workshop.joinSubmit}
          </button>
        </form>
      </section>
    </main>
  );
}

function errorText(err: unknown, mode: 'start' | 'join'): string {
  if (!(err instanceof ApiError)) return strings.common.tryAgainLater;
  switch (err.code) {
    case 'not_found':
      return mode === 'join' && err.message.startsWith('No pair') ? strings.workshop.pairNotFound : strings.workshop.notFound;
    case 'room_full':
      return strings.workshop.pairFull;
    case 'rate_limited':
      return strings.common.rateLimited;
    case 'network':
      return strings.common.network;
    case 'bad_request':
      return err.message || strings.common.tryAgainLater;
    default:
      return strings.common.tryAgainLater;
  }
}
