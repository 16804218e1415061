import { useState } from 'react';
import type { FormEvent } from 'react';
import type { JoinWorkshopResponse } from '@parley/shared/protocol/workshop';
import { CopyField } from '../../components/CopyField';
import { ChoiceCards } from '../../components/form/ChoiceCards';
import { Field, NameField } from '../../components/form/Field';
import { FormError } from '../../components/form/FormError';
import { api } from '../../lib/api';
import { saveCredentials } from '../../lib/credentials';
import { errorWords, FORM_WORDS } from '../../lib/error-words';
import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';
import { overHttp, useCommand } from '../../lib/use-command';

const PAIR_MODES = [
  { value: 'start', label: strings.workshop.modeStart, help: strings.workshop.modeStartHelp },
  { value: 'join', label: strings.workshop.modeJoin, help: strings.workshop.modeJoinHelp },
] as const;

/** Code and name, then start a pair (get a pair code for the partner) or join one with its code. */
export function JoinWorkshopPage({ code }: { code: string | null }) {
  const [joinCode, setJoinCode] = useState(code ?? '');
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'start' | 'join'>('start');
  const [pairCode, setPairCode] = useState('');
  const [started, setStarted] = useState<JoinWorkshopResponse | null>(null);
  const join = useCommand(
    overHttp(async () => {
      const res = await api.joinWorkshop({ joinCode, displayName: name.trim(), ...(mode === 'join' ? { pairCode } : {}) });
      saveCredentials(res.roomId, { token: res.participant.token, participantId: res.participant.id, seat: res.participant.seat });
      if (mode === 'join') navigate(`/r/${encodeURIComponent(res.roomId)}`);
      else setStarted(res);
    }),
    { failed: (failure) => errorWords(failure, JOIN_WORDS) },
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (joinCode.trim() && name.trim() && (mode === 'start' || pairCode.trim())) void join.run();
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
          <Field id="ws-code" label={strings.workshop.codeLabel} hint={strings.workshop.codeHelp} className="code-input" required maxLength={12} autoComplete="off" autoCapitalize="characters" spellCheck={false} value={joinCode} onChange={(e) => setJoinCode(e.target.value.toUpperCase())} />
          <NameField id="ws-participant" label={strings.workshop.nameLabel} hint={strings.workshop.nameHelp} value={name} onChange={setName} />
          <ChoiceCards
            legend={strings.workshop.modeLegend}
            name="pairMode"
            helpIdPrefix="pair"
            choices={PAIR_MODES}
            value={mode}
            onChange={setMode}
          />
          {mode === 'join' && (
            <Field id="ws-pair" label={strings.workshop.pairCodeLabel} hint={strings.workshop.pairCodeHelp} className="code-input" required maxLength={8} autoComplete="off" autoCapitalize="characters" spellCheck={false} value={pairCode} onChange={(e) => setPairCode(e.target.value.toUpperCase())} />
          )}
          <FormError message={join.error} />
          <button type="submit" className="button button--primary" disabled={join.busy}>
            {join.busy ? strings.workshop.joining : strings.workshop.joinSubmit}
          </button>
        </form>
      </section>
    </main>
  );
}

/** An unknown join or pair code is told apart by its reason (`workshop_not_found`, `pair_not_found`). */
const JOIN_WORDS = { ...FORM_WORDS, not_found: strings.workshop.notFound, room_full: strings.workshop.pairFull };
