import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { readScene, readSceneLog, type SceneLogEntry, type SceneState, type SignalLevel } from '@parley/shared/protocol/scene';
import type { Seat } from '@parley/shared/protocol/ids';
import { AFTERCARE_SECTION, aftercarePlan, SAFETY_SECTION, scenePlan, type AgreedLine } from '@parley/shared/scene/plan';
import { useRoom, useRoomState } from '../../../lib/room-context';
import type { RoomSession } from '../../../lib/room-session';
import { docSnapshot } from '../../../lib/snapshot-store';
import { strings } from '../../../lib/strings';
import { SceneChannel, type SceneChannelState } from './scene-channel';

export interface SceneDoc {
  scene: SceneState | null;
  log: SceneLogEntry[];
}

/** One SceneChannel per session while the room is on screen, made by the effect that stops it. */
export function useSceneChannel(session: RoomSession, seat: Seat): SceneChannel | null {
  const [channel, setChannel] = useState<SceneChannel | null>(null);
  useEffect(() => {
    const made = new SceneChannel(session, seat);
    setChannel(made);
    return () => made.destroy();
  }, [session, seat]);
  return channel;
}

const NO_CHANNEL: SceneChannelState = { incoming: [], latest: null, offlineSince: null };
const never = () => () => undefined;

export function useChannelState(channel: SceneChannel | null): SceneChannelState {
  return useSyncExternalStore(channel?.subscribe ?? never, channel?.getState ?? (() => NO_CHANNEL));
}

/** The scene and its log as the room doc holds them (written by the server only). */
export function useSceneDoc(): SceneDoc {
  const { session } = useRoom();
  const store = useMemo(() => docSnapshot(session.roomDoc, (doc) => ({ scene: readScene(doc), log: readSceneLog(doc) })), [session]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The clock, ticking every `everyMs` while mounted (for "offline for 2 min 13 s" and check-in times). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** What the partners agreed — read only from revealed sections; generic until then. */
export function usePlans() {
  const { template } = useRoom();
  const room = useRoomState();
  return useMemo(() => {
    const safety = template.sections.find((s) => s.id === SAFETY_SECTION);
    const aftercare = template.sections.find((s) => s.id === AFTERCARE_SECTION);
    return {
      plan: scenePlan(safety, safety ? room.revealed[safety.id] : undefined),
      aftercare: aftercarePlan(aftercare, aftercare ? room.revealed[aftercare.id] : undefined),
    };
  }, [template, room.revealed]);
}

export const levelWord = (level: SignalLevel) => strings.scene.levels[level];

/** The lines of one seat. */
export const linesOf = (lines: AgreedLine[], seat: Seat) => lines.filter((l) => l.seat === seat).map((l) => l.text);
