import { useEffect, useState } from 'react';
import type { PairProgress } from '@parley/shared/protocol/workshop';

/** "Ann & Ben", or just "Ann" while Ann waits for a partner. */
export const pairName = (p: PairProgress): string => [p.names.a, p.names.b].filter(Boolean).join(' & ');

/** This device's clock, re-read every `everyMs` (the dashboard's "idle for 10 minutes"). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
