import { useEffect, useRef, useState } from 'react';
import type { SignalEvent } from '@parley/shared/protocol/scene';
import { useRoom } from '../../../lib/room-context';
import { formatWhen, strings } from '../../../lib/strings';
import type { SceneChannel } from './scene-channel';
import { levelWord, linesOf, useChannelState, usePlans } from './use-scene';

const SOUND_KEY = 'parley:scene-sound';
const soundOn = () => localStorage.getItem(SOUND_KEY) !== 'off';

/** Sound and vibration on red, per browser (on unless turned off). */
export function SoundToggle() {
  const [on, setOn] = useState(soundOn);
  return (
    <label className="scene__sound">
      <input
        type="checkbox"
        checked={on}
        onChange={(e) => {
          localStorage.setItem(SOUND_KEY, e.target.checked ? 'on' : 'off');
          setOn(e.target.checked);
        }}
      />{' '}
      {strings.scene.soundLabel}
    </label>
  );
}

/** Three short tones and a vibration where the device has one; silently nothing where not. */
function alarm(): () => void {
  if (!soundOn()) return () => undefined;
  navigator.vibrate?.([400, 150, 400, 150, 400]);
  const AudioCtx = window.AudioContext as typeof AudioContext | undefined;
  if (!AudioCtx) return () => undefined;
  let ctx: AudioContext | null = null;
  try {
    ctx = new AudioCtx();
    for (let i = 0; i < 3; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 660;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.5);
      osc.stop(ctx.currentTime + i * 0.5 + 0.25);
    }
  } catch {
    // autoplay refused: the screen says it anyway
  }
  return () => void ctx?.close().catch(() => undefined);
}

/**
 * The partner's signals as they arrive, oldest first, each until it is acknowledged: a red
 * (or a red check-in) fills the screen with the agreed after-safeword plan beneath; the
 * others are a banner with one "Seen" button. Shown wherever the person is in the room.
 */
export function IncomingSignal({ channel }: { channel: SceneChannel }) {
  const { incoming } = useChannelState(channel);
  const signal = incoming[0];
  if (!signal) return null;
  return signal.level === 'red' ? <RedScreen key={signal.id} signal={signal} channel={channel} /> : <SignalBanner key={signal.id} signal={signal} channel={channel} />;
}

function RedScreen({ signal, channel }: { signal: SignalEvent; channel: SceneChannel }) {
  const { names } = useRoom();
  const { plan } = usePlans();
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    buttonRef.current?.focus();
    return alarm();
  }, []);
  const name = names[signal.from];
  const safeword = linesOf(plan.safewords, signal.from)[0];
  return (
    <div className="scene-red" role="alertdialog" aria-modal="true" aria-labelledby="scene-red-heading" aria-describedby="scene-red-plan" data-testid="scene-red">
      <div className="scene-red__body">
        <h1 id="scene-red-heading" className="scene-red__heading">
          {strings.scene.incomingRed(name)}
        </h1>
        <p className="scene-red__when">{formatWhen(signal.at)}</p>
        {safeword && <p className="scene-red__word">{strings.scene.theirSafeword(name, safeword)}</p>}
        <section id="scene-red-plan" className="scene-red__plan">
          <h2>{plan.afterSafeword.length ? strings.scene.afterSafewordHeading : strings.scene.afterSafewordGenericHeading}</h2>
          {plan.afterSafeword.length ? (
            <ul>
              {plan.afterSafeword.map((l) => (
                <li key={l.seat}>
                  {names[l.seat]}: {l.text}
                </li>
              ))}
            </ul>
          ) : (
            <p>{strings.scene.afterSafewordGeneric}</p>
          )}
        </section>
        <button ref={buttonRef} type="button" className="button scene-red__ack" onClick={() => channel.acknowledge(signal.id)}>
          {strings.scene.ackRed}
        </button>
      </div>
    </div>
  );
}

function SignalBanner({ signal, channel }: { signal: SignalEvent; channel: SceneChannel }) {
  const { names } = useRoom();
  const name = names[signal.from];
  const word = levelWord(signal.level);
  return (
    <div className={`scene-banner scene-banner--${signal.level}`} role="alert" data-testid="scene-banner">
      <p className="scene-banner__text">
        <strong>{signal.checkin ? strings.scene.partnerCheckin(name, word) : strings.scene.incomingHeading(name, word)}</strong>
        {!signal.checkin && <span> — {strings.scene.meanings[signal.level]}</span>}
      </p>
      <button type="button" className="button button--primary" onClick={() => channel.acknowledge(signal.id)}>
        {strings.scene.ack}
      </button>
    </div>
  );
}
