import { useEffect, useRef, useState } from 'react';
import type { CheckinLevel, SceneState } from '@parley/shared/protocol/scene';
import { connectionDrop, lastCheckinDue, SIGNAL_LEVELS } from '@parley/shared/scene/plan';
import { FormError } from '../../../components/form/FormError';
import { useRoom } from '../../../lib/room-context';
import type { SessionState } from '../../../lib/room-session';
import { formatWhen, strings } from '../../../lib/strings';
import { useCommand } from '../../../lib/use-command';
import type { OutgoingState, SceneChannel } from './scene-channel';
import { levelWord, linesOf, useChannelState, useNow, usePlans, useSceneDoc } from './use-scene';

const CHECKIN_LEVELS: CheckinLevel[] = ['green', 'yellow', 'red'];

/**
 * The scene screen both partners see while a scene runs: four large one-tap signals worded
 * with what they agreed (generic until Safety & signals is revealed), what became of the last
 * one sent, the check-in prompt at the agreed cadence, and the connection-drop plan. Nothing
 * here shows what the partner is doing — no typing, no "waiting for you".
 */
export function SceneMode({ scene, channel, sessionState }: { scene: SceneState; channel: SceneChannel; sessionState: SessionState }) {
  const { session, seat, partnerSeat, names } = useRoom();
  const { plan } = usePlans();
  const { log } = useSceneDoc();
  const { latest, offlineSince } = useChannelState(channel);
  const now = useNow(1000);
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** the prompt answered or put aside on this screen (the log's times are the server's clock, this is the device's) */
  const [dismissedDue, setDismissedDue] = useState(0);
  const end = useCommand(() => session.command('scene:end', {}), { failed: strings.scene.failed });
  useEffect(() => headingRef.current?.focus(), []);

  const partner = names[partnerSeat];
  const mySafeword = linesOf(plan.safewords, seat)[0];
  const myWords = linesOf(plan.ownWords, seat)[0];
  const partnerSign = linesOf(plan.nonverbal, partnerSeat)[0];
  const myBackup = linesOf(plan.backup, seat)[0];

  const due = lastCheckinDue(scene.startedAt, plan.checkinEveryMs, now);
  const answered = log.some((e) => e.kind === 'checkin' && e.from === seat && e.at >= due) || (latest?.checkin === true && latest.sentAt >= due);
  const askCheckin = due > 0 && !answered && dismissedDue !== due;

  const partnerPresence = sessionState.presence.find((p) => p.seat === partnerSeat);
  const partnerDownSince = partnerPresence && !partnerPresence.online ? Math.max(partnerPresence.lastSeen ?? scene.startedAt, scene.startedAt) : null;
  const selfDrop = connectionDrop(offlineSince, plan.dropWaitMs, now);
  const partnerDrop = connectionDrop(offlineSince === null ? partnerDownSince : null, plan.dropWaitMs, now);

  return (
    <div className="scene" role="region" aria-labelledby="scene-heading">
      <header className="scene__header">
        <h1 id="scene-heading" ref={headingRef} tabIndex={-1}>
          {strings.scene.heading}
        </h1>
        <p className="hint">{scene.startedBy === seat ? strings.scene.startedByYou(formatWhen(scene.startedAt, now)) : strings.scene.startedBy(names[scene.startedBy], formatWhen(scene.startedAt, now))}</p>
      </header>

      {(selfDrop.applies || partnerDrop.applies) && (
        <section className="scene__drop" role="status" aria-labelledby="scene-drop">
          <h2 id="scene-drop">{strings.scene.dropHeading}</h2>
          <p className="scene__drop-time">{selfDrop.applies ? strings.scene.dropSelf(strings.scene.duration(selfDrop.downMs)) : strings.scene.dropPartner(partner, strings.scene.duration(partnerDrop.downMs))}</p>
          <h3>{plan.dropPlan.length ? strings.scene.dropPlanHeading : strings.scene.dropPlanGenericHeading}</h3>
          {plan.dropPlan.length ? (
            <ul>
              {plan.dropPlan.map((l) => (
                <li key={l.seat}>
                  {names[l.seat]}: {l.text}
                </li>
              ))}
            </ul>
          ) : (
            <p>{strings.scene.dropGeneric}</p>
          )}
        </section>
      )}

      {askCheckin && (
        <section className="scene__checkin" aria-labelledby="scene-checkin">
          <h2 id="scene-checkin">{strings.scene.checkinHeading}</h2>
          <p className="hint">{strings.scene.checkinBody}</p>
          <div className="scene__checkin-buttons">
            {CHECKIN_LEVELS.map((level) => (
              <button
                key={level}
                type="button"
                className={`button scene-level scene-level--${level} scene-level--small`}
                onClick={() => {
                  channel.checkin(level);
                  setDismissedDue(due);
                }}
              >
                {levelWord(level)}
              </button>
            ))}
            <button type="button" className="button button--quiet" onClick={() => setDismissedDue(due)}>
              {strings.scene.checkinLater}
            </button>
          </div>
        </section>
      )}

      <div className="scene__signals" role="group" aria-label={strings.scene.signalsLabel}>
        {SIGNAL_LEVELS.map((level) => (
          <button key={level} type="button" className={`scene-level scene-level--${level}`} data-level={level} onClick={() => channel.send(level)}>
            <span className="scene-level__word">{levelWord(level)}</span>
            <span className="scene-level__meaning">{strings.scene.meanings[level]}</span>
            {level === 'red' && mySafeword && <span className="scene-level__agreed">{strings.scene.yourSafeword(mySafeword)}</span>}
          </button>
        ))}
      </div>

      <p className="scene__status" role="status" aria-live="polite" data-testid="scene-status">
        {latest && outgoingLine(latest.state, levelWord(latest.level), partner)}
      </p>
      {latest?.state === 'unseen' && (
        <p className="scene__backup" role="alert">
          {strings.scene.unseen} {myBackup ? strings.scene.backupAgreed(myBackup) : strings.scene.backupGeneric}
        </p>
      )}

      <div className="scene__agreed">
        {plan.agreed ? (
          <>
            {myWords && <p>{strings.scene.ownWords(myWords)}</p>}
            {partnerSign && <p>{strings.scene.nonverbal(partner, partnerSign)}</p>}
          </>
        ) : (
          <p className="hint">{strings.scene.genericWords}</p>
        )}
      </div>

      <div className="scene__end">
        <button type="button" className="button button--secondary" onClick={() => void end.run()} disabled={end.busy}>
          {strings.scene.end}
        </button>
        <FormError message={end.error} takeFocus={false} />
      </div>
    </div>
  );
}

function outgoingLine(state: OutgoingState, level: string, partner: string): string {
  if (state === 'sending') return strings.scene.sending(level);
  if (state === 'seen') return strings.scene.seen(partner, level.toLowerCase());
  // sent, or not seen yet (the backup line says so): still waiting
  return strings.scene.sent(level, partner);
}
