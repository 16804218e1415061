import { useState } from 'react';
import type { FormEvent } from 'react';
import type { WorkshopState } from '@parley/shared/protocol/workshop';
import { Countdown } from '../../components/Countdown';
import { FormError } from '../../components/form/FormError';
import { formatWhen, strings } from '../../lib/strings';
import { sendNow, useCommand } from '../../lib/use-command';
import type { Dashboard } from './facilitator';

/** Minutes of the timer's one-tap presets. */
const TIMER_PRESETS = [2, 5, 10, 15, 20] as const;

/** Unlock sections, run a timer, broadcast a prompt, pair people who came alone, practice, end. */
export function PacingPanel({ state, command }: { state: WorkshopState; command: Dashboard['command'] }) {
  const [minutes, setMinutes] = useState('5');
  const [message, setMessage] = useState('');
  const [practiceUrl, setPracticeUrl] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const waiting = state.pairs.filter((p) => p.names.b === null && !p.practice && p.confirmingWith === null);
  const [into, setInto] = useState('');
  const [from, setFrom] = useState('');
  const [suggested, setSuggested] = useState(false);
  const first = waiting.some((p) => p.roomId === into) ? into : (waiting[0]?.roomId ?? '');
  const second = waiting.some((p) => p.roomId === from && from !== first) ? from : (waiting.find((p) => p.roomId !== first)?.roomId ?? '');

  // One error line for the whole panel: it says the last command did not go through.
  const pacing = useCommand(sendNow, { failed: strings.workshop.commandFailed });

  const broadcast = async (e: FormEvent) => {
    e.preventDefault();
    if (!message.trim()) return;
    const ack = await pacing.run(() => command('workshop:broadcast', { message }));
    if (ack.ok) setMessage('');
  };

  const startTimer = async (e: FormEvent) => {
    e.preventDefault();
    const n = Math.round(Number(minutes) * 60);
    if (n > 0) await pacing.run(() => command('workshop:timer', { seconds: n }));
  };

  const pair = async (e: FormEvent) => {
    e.preventDefault();
    setSuggested(false);
    if (!first || !second || first === second) return;
    const ack = await pacing.run(() => command('workshop:pair', { into: first, from: second }));
    if (ack.ok) setSuggested(true);
  };

  const practice = async () => {
    // The ack's data is read inside the send, where its type is still the command's.
    await pacing.run(async () => {
      const ack = await command('workshop:practice', {});
      if (ack.ok && ack.data) setPracticeUrl(ack.data.resumeUrl);
      return ack;
    });
  };

  return (
    <section className="card pacing" aria-labelledby="pacing-heading">
      <h2 id="pacing-heading">{strings.workshop.pacingHeading}</h2>
      <FormError message={pacing.error} takeFocus={false} />

      <div className="pacing__block">
        <h3>{strings.workshop.unlockHeading}</h3>
        {state.lockSections ? (
          <>
            <p className="hint">{strings.workshop.unlockAllNote}</p>
            <p className="hint">{strings.workshop.relockHelp}</p>
            <ul className="unlock-list">
              {state.sectionList.map((s, i) =>
                s.kind === 'agreement' ? null : (
                  <li key={s.id}>
                    <span>
                      {i + 1}. {s.title}
                    </span>
                    {state.unlocked.includes(s.id) ? (
                      <span className="unlock-list__open">
                        <span className="tag tag--revealed">{strings.workshop.unlocked}</span>
                        <button type="button" className="button button--secondary button--small" aria-label={strings.workshop.relock(s.title)} onClick={() => void pacing.run(() => command('workshop:relock', { sectionId: s.id }))}>
                          {strings.workshop.relockShort}
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="button button--secondary button--small" onClick={() => void pacing.run(() => command('workshop:unlock', { sectionId: s.id }))}>
                        {strings.workshop.unlock(s.title)}
                      </button>
                    )}
                  </li>
                ),
              )}
            </ul>
          </>
        ) : (
          <p className="hint">{strings.workshop.notLocking}</p>
        )}
      </div>

      <form className="pacing__block" onSubmit={startTimer}>
        <h3>{strings.workshop.timerHeading}</h3>
        <p>{state.timerEndsAt !== null ? <Countdown className="timer-big" endsAt={state.timerEndsAt} /> : strings.workshop.timerNone}</p>
        <div className="inline-form" role="group" aria-label={strings.workshop.timerPresets}>
          {TIMER_PRESETS.map((m) => (
            <button key={m} type="button" className="button button--secondary button--small" onClick={() => void pacing.run(() => command('workshop:timer', { seconds: m * 60 }))}>
              {strings.workshop.timerPreset(m)}
            </button>
          ))}
        </div>
        <div className="inline-form">
          <label htmlFor="timer-minutes">{strings.workshop.timerCustom}</label>
          <input id="timer-minutes" type="number" min={1} max={240} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          <button type="submit" className="button button--primary">
            {strings.workshop.timerStart}
          </button>
          {state.timerEndsAt !== null && (
            <button type="button" className="button button--secondary" onClick={() => void pacing.run(() => command('workshop:timer', { seconds: null }))}>
              {strings.workshop.timerStop}
            </button>
          )}
        </div>
      </form>

      <form className="pacing__block" onSubmit={broadcast}>
        <h3>{strings.workshop.broadcastHeading}</h3>
        {state.message && (
          <p className="hint">
            {strings.workshop.broadcastLast(formatWhen(state.message.at))} “{state.message.message}”
          </p>
        )}
        <label htmlFor="broadcast-text" className="visually-hidden">
          {strings.workshop.broadcastLabel}
        </label>
        <textarea id="broadcast-text" rows={2} maxLength={280} value={message} onChange={(e) => setMessage(e.target.value)} />
        <button type="submit" className="button button--primary">
          {strings.workshop.broadcastSend}
        </button>
      </form>

      <form className="pacing__block" onSubmit={pair}>
        <h3>{strings.workshop.pairHeading}</h3>
        {suggested && (
          <p className="hint" role="status">
            {strings.workshop.pairSuggested}
          </p>
        )}
        {waiting.length === 0 ? (
          <p className="hint">{strings.workshop.pairNone}</p>
        ) : waiting.length === 1 ? (
          <p className="hint">{strings.workshop.pairOnlyOne(waiting[0]?.names.a ?? '')}</p>
        ) : (
          <>
            <p className="hint">{strings.workshop.pairHelp}</p>
            <div className="inline-form">
              <label htmlFor="pair-from">{strings.workshop.pairFirst}</label>
              <select id="pair-from" value={second} onChange={(e) => setFrom(e.target.value)}>
                {waiting.map((p) => (
                  <option key={p.roomId} value={p.roomId}>
                    {p.names.a}
                  </option>
                ))}
              </select>
              <label htmlFor="pair-into">{strings.workshop.pairSecond}</label>
              <select id="pair-into" value={first} onChange={(e) => setInto(e.target.value)}>
                {waiting.map((p) => (
                  <option key={p.roomId} value={p.roomId}>
                    {p.names.a}
                  </option>
                ))}
              </select>
              <button type="submit" className="button button--secondary">
                {strings.workshop.pairSubmit}
              </button>
            </div>
          </>
        )}
      </form>

      <div className="pacing__block">
        <h3>{strings.workshop.practiceHeading}</h3>
        <p className="hint">{strings.workshop.practiceHelp}</p>
        <button type="button" className="button button--secondary" onClick={() => void practice()}>
          {strings.workshop.practiceOpen}
        </button>
        {practiceUrl && (
          <p>
            {strings.workshop.practiceOpened}{' '}
            <a href={practiceUrl} target="_blank" rel="noreferrer noopener">
              {strings.workshop.practiceLink}
            </a>
          </p>
        )}
      </div>

      <div className="pacing__block">
        <h3>{strings.workshop.endHeading}</h3>
        <p className="hint">{strings.workshop.endHelp}</p>
        {confirmEnd ? (
          <div className="inline-form">
            <p>{strings.workshop.endConfirm}</p>
            <button type="button" className="button button--danger" onClick={() => void pacing.run(() => command('workshop:end', {}))}>
              {strings.workshop.end}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirmEnd(false)}>
              {strings.common.cancel}
            </button>
          </div>
        ) : (
          <button type="button" className="button button--secondary" onClick={() => setConfirmEnd(true)}>
            {strings.workshop.end}
          </button>
        )}
      </div>
    </section>
  );
}
