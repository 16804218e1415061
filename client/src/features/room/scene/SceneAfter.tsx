import { useEffect, useRef, useState } from 'react';
import type { CheckinLevel, SceneState } from '@parley/shared/protocol/scene';
import { calendarFile, checkInTime } from '@parley/shared/scene/ics';
import type { AgreedLine } from '@parley/shared/scene/plan';
import { Dialog } from '../../../components/Dialog';
import { FormError } from '../../../components/form/FormError';
import { downloadText } from '../../../lib/download';
import { useRoom, useRoomState } from '../../../lib/room-context';
import { formatDate, formatWhen, strings } from '../../../lib/strings';
import { useCommand } from '../../../lib/use-command';
import { levelWord, usePlans, useSceneDoc } from './use-scene';

function Lines({ heading, lines }: { heading: string; lines: AgreedLine[] }) {
  const { names } = useRoom();
  if (!lines.length) return null;
  return (
    <>
      <h3>{heading}</h3>
      <ul>
        {lines.map((l) => (
          <li key={l.seat}>
            {names[l.seat]}: {l.text}
          </li>
        ))}
      </ul>
    </>
  );
}

/** After a scene ends (on this screen): the aftercare they agreed, and calendar files for the check-in and the review. */
export function SceneEnded({ scene, onClose }: { scene: SceneState; onClose: () => void }) {
  const { seat, names } = useRoom();
  const { aftercare } = usePlans();
  const { meta } = useRoomState();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const endedAt = scene.endedAt ?? Date.now();
  const checkIn = checkInTime(aftercare.checkInChoices[0], endedAt);

  return (
    <div className="scene scene--ended" role="region" aria-labelledby="scene-ended">
      <h1 id="scene-ended" ref={headingRef} tabIndex={-1}>
        {strings.scene.ended}
      </h1>
      <p className="hint">{scene.endedBy === seat ? strings.scene.endedByYou : strings.scene.endedBy(names[scene.endedBy ?? seat])}</p>
      <section className="scene__aftercare" aria-labelledby="scene-aftercare">
        <h2 id="scene-aftercare">{aftercare.agreed ? strings.scene.aftercareHeading : strings.scene.aftercareGenericHeading}</h2>
        {aftercare.agreed ? (
          <>
            <Lines heading={strings.scene.rightAfter} lines={aftercare.rightAfter} />
            <Lines heading={strings.scene.nextDay} lines={aftercare.nextDay} />
            <Lines heading={strings.scene.checkInPlan} lines={aftercare.checkIn} />
            <Lines heading={strings.scene.drop} lines={aftercare.drop} />
          </>
        ) : (
          <p>{strings.scene.aftercareGeneric}</p>
        )}
      </section>
      <section className="scene__calendar" aria-labelledby="scene-calendar">
        <h2 id="scene-calendar">{strings.scene.calendarHeading}</h2>
        <p className="hint">{strings.scene.calendarHelp}</p>
        <div className="scene__calendar-buttons">
          {checkIn !== null && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => downloadText(calendarFile({ title: strings.scene.calendarCheckInTitle, start: checkIn, minutes: 15, uidSeed: `${scene.id}:check-in` }, Date.now()), 'check-in.ics', 'text/calendar')}
            >
              {strings.scene.calendarCheckIn} · {formatWhen(checkIn, endedAt)}
            </button>
          )}
          {meta.reviewDate && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => downloadText(calendarFile({ title: strings.scene.calendarReviewTitle, start: meta.reviewDate!, uidSeed: `${scene.id}:review` }, Date.now()), 'review.ics', 'text/calendar')}
            >
              {strings.scene.calendarReview} · {formatDate(meta.reviewDate)}
            </button>
          )}
        </div>
      </section>
      <button type="button" className="button button--primary" onClick={onClose}>
        {strings.scene.backToRoom}
      </button>
    </div>
  );
}

const NOW_LEVELS: CheckinLevel[] = ['green', 'yellow', 'red'];

/**
 * The next time either opens the room after a scene: "how are you now?", once per scene and
 * person, answered with one tap (kept in the log for the Debrief) or put aside for this visit.
 */
export function HowAreYouNow({ skip }: { skip: boolean }) {
  const { session, seat } = useRoom();
  const { scene, log } = useSceneDoc();
  const [aside, setAside] = useState(false);
  const answer = useCommand((level: CheckinLevel) => session.command('checkin:answer', { level }), { failed: strings.scene.failed });
  if (!scene?.endedAt || skip || aside) return null;
  const answered = log.some((e) => e.kind === 'after' && e.from === seat && e.at >= scene.endedAt!);
  if (answered && !answer.acked) return null;
  return (
    <section className="scene-now" aria-labelledby="scene-now">
      <h2 id="scene-now">{strings.scene.nowHeading}</h2>
      {answer.acked ? (
        <p role="status">{strings.scene.nowThanks}</p>
      ) : (
        <>
          <p className="hint">{strings.scene.nowBody}</p>
          <div className="scene__checkin-buttons">
            {NOW_LEVELS.map((level) => (
              <button key={level} type="button" className={`button scene-level scene-level--${level} scene-level--small`} disabled={answer.busy} onClick={() => void answer.run(level)}>
                {levelWord(level)}
              </button>
            ))}
            <button type="button" className="button button--quiet" onClick={() => setAside(true)}>
              {strings.scene.checkinLater}
            </button>
          </div>
          <FormError message={answer.error} takeFocus={false} />
        </>
      )}
    </section>
  );
}

/** The Debrief's log of the scenes: times and levels, who sent them; either partner deletes it. */
export function SceneLog() {
  const { session, names } = useRoom();
  const { scene, log } = useSceneDoc();
  const [confirming, setConfirming] = useState(false);
  const del = useCommand(() => session.command('scene:log-delete', {}), { failed: strings.scene.failed });
  // a room that never had a scene has no log to speak of
  if (!scene && !log.length && !del.acked) return null;
  return (
    <section className="scene-log" aria-labelledby="scene-log">
      <h2 id="scene-log">{strings.scene.logHeading}</h2>
      <p className="hint">{strings.scene.logHelp}</p>
      {log.length ? (
        <ol className="scene-log__list" data-testid="scene-log">
          {log.map((e) => (
            <li key={e.id}>
              <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toLocaleString()}</time> · {names[e.from]} ·{' '}
              <span className={`scene-log__level scene-log__level--${e.level}`}>{levelWord(e.level)}</span> · {strings.scene.logKinds[e.kind]}
            </li>
          ))}
        </ol>
      ) : (
        <p>{del.acked ? strings.scene.logDeleted : strings.scene.logEmpty}</p>
      )}
      {log.length > 0 && (
        <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
          {strings.scene.logDelete}
        </button>
      )}
      <FormError message={del.error} takeFocus={false} />
      <Dialog open={confirming} title={strings.scene.logDelete} role="alertdialog" onClose={() => setConfirming(false)}>
        <p>{strings.scene.logDeleteConfirm}</p>
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            {strings.common.cancel}
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              setConfirming(false);
              void del.run();
            }}
          >
            {strings.scene.logDeleteYes}
          </button>
        </div>
      </Dialog>
    </section>
  );
}

/** Starting scene mode: one confirmation, then both screens switch. */
export function StartSceneDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { session } = useRoom();
  const start = useCommand(() => session.command('scene:start', {}), { failed: strings.scene.failed });
  return (
    <Dialog open={open} title={strings.scene.startHeading} onClose={onClose}>
      <p>{strings.scene.startBody}</p>
      <FormError message={start.error} takeFocus={false} />
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          {strings.common.cancel}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={start.busy}
          onClick={() =>
            void start.run().then((outcome) => {
              if (outcome.ok) onClose();
            })
          }
        >
          {strings.scene.startConfirm}
        </button>
      </div>
    </Dialog>
  );
}
