import * as Y from 'yjs';
import { z } from 'zod';
import type { Seat } from './ids';

/** Scene mode: what the room doc holds of a scene and its log, and the signal payloads. */

export const SignalLevel = z.enum(['green', 'yellow', 'red', 'check']);
export type SignalLevel = z.infer<typeof SignalLevel>;
/** a check-in is answered with one of the traffic lights ("check on me" is a signal, not an answer) */
export const CheckinLevel = z.enum(['green', 'yellow', 'red']);
export type CheckinLevel = z.infer<typeof CheckinLevel>;

/** A signal id: chosen by the sending client (so a resend after a lost ack is the same signal) or by the server. */
export const SignalId = z.string().regex(/^[A-Za-z0-9_-]{8,40}$/, 'malformed signal id');

/**
 * What a log entry is: a scene `signal`, the answer to a `checkin` prompt during the scene, or
 * `after`: how someone is now, asked the next time they open the room after a scene ended.
 */
export type SceneLogKind = 'signal' | 'checkin' | 'after';

/** `room.sceneLog[id]`: times and levels only — never words, never answers. */
export interface SceneLogEntry {
  id: string;
  sceneId: string;
  kind: SceneLogKind;
  level: SignalLevel;
  from: Seat;
  /** ms since epoch */
  at: number;
  /** when the partner acknowledged it; `after` entries are not delivered and stay null */
  ackedAt: number | null;
}

/** `room.meta.scene`: the current scene, or the last one (then `endedAt` is set). */
export interface SceneState {
  id: string;
  startedBy: Seat;
  startedAt: number;
  endedBy: Seat | null;
  endedAt: number | null;
}

/** `signal` as the partner receives it (and again on every reconnect until acknowledged). */
export interface SignalEvent {
  id: string;
  level: SignalLevel;
  /** the sender's seat */
  from: Seat;
  at: number;
  /** true when this is the answer to a check-in prompt */
  checkin?: boolean;
}

export const SCENE_DOC_KEYS = { log: 'sceneLog', metaScene: 'scene' } as const;
/** Most entries a room keeps in its log; beyond it the oldest acknowledged ones make room. */
export const SCENE_LOG_LIMIT = 2000;

const plain = (v: unknown): unknown => (v instanceof Y.AbstractType ? (v.toJSON() as unknown) : v);

export function readScene(doc: Y.Doc): SceneState | null {
  return (plain(doc.getMap<unknown>('meta').get(SCENE_DOC_KEYS.metaScene)) as SceneState | null | undefined) ?? null;
}

/** The log in time order (ties by id, so both partners see one order). */
export function readSceneLog(doc: Y.Doc): SceneLogEntry[] {
  const out: SceneLogEntry[] = [];
  doc.getMap<unknown>(SCENE_DOC_KEYS.log).forEach((v) => out.push(plain(v) as SceneLogEntry));
  return out.sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

export const sceneActive = (scene: SceneState | null): scene is SceneState => scene !== null && scene.endedAt === null;
