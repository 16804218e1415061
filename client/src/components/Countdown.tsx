import { useEffect, useState } from 'react';
import { strings } from '../lib/strings';

const format = (ms: number) => {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
};

/** Counts down to `endsAt` (ms since epoch) from this device's clock; owns its one interval. */
export function Countdown({ endsAt, className }: { endsAt: number; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endsAt]);
  const left = endsAt - now;
  return (
    <span className={className} role="timer" aria-live="off">
      {left > 0 ? strings.workshop.timeLeft(format(left)) : strings.workshop.timeUp}
    </span>
  );
}
