import { useState } from 'react';
import type { FormEvent } from 'react';
import type { CreateRoomResponse, RevealMode } from '@parley/shared/protocol/http';
import { api, ApiError } from '../../lib/api';
import { saveCredentials } from '../../lib/credentials';
import { strings } from '../../lib/strings';

interface Props {
  onCreated: (res: CreateRoomResponse, title: string | null) => void;
}

export function CreateRoomForm({ onCreated }: Props) {
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<RevealMode>('full');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const trimmedTitle = title.trim();
      const res = await api.createRoom({
        displayName: name.trim(),
        revealMode: mode,
        ...(trimmedTitle ? { title: trimmedTitle } : {}),
      });
      saveCredentials(res.roomId, {
        token: res.participant.token,
        participantId: res.participant.id,
        seat: res.participant.seat,
        inviteUrl: res.invite.url,
      });
      onCreated(res, trimmedTitle || null);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate={false}>
      <div className="field">
        <label htmlFor="create-name">{strings.create.nameLabel}</label>
        <p className="hint" id="create-name-help">
          {strings.create.nameHelp}
        </p>
        <input
          id="create-name"
          name="displayName"
          required
          maxLength={40}
          autoComplete="nickname"
          aria-describedby="create-name-help"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="create-title">{strings.create.titleLabel}</label>
        <p className="hint" id="create-title-help">
          {strings.create.titleHelp}
        </p>
        <input
          id="create-title"
          name="title"
          maxLength={80}
          autoComplete="off"
          aria-describedby="create-title-help"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <fieldset className="field choices">
        <legend>{strings.create.modeLegend}</legend>
        {(
          [
            ['full', strings.create.modeFull, strings.create.modeFullHelp],
            ['discreet', strings.create.modeDiscreet, strings.create.modeDiscreetHelp],
          ] as const
        ).map(([value, label, help]) => (
          <label key={value} className="choice-card">
            <input
              type="radio"
              name="revealMode"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
              aria-describedby={`mode-${value}-help`}
            />
            <span className="choice-card__text">
              <span className="choice-card__label">{label}</span>
              <span className="hint" id={`mode-${value}-help`}>
                {help}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? strings.create.submitting : strings.create.submit}
      </button>
    </form>
  );
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') return strings.common.rateLimited;
    if (err.code === 'network') return strings.common.network;
    if (err.code === 'bad_request' && err.message) return err.message;
  }
  return strings.common.tryAgainLater;
}
