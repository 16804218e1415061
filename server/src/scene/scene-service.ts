import { ParleyError } from '@parley/shared/protocol/errors';
import { otherSeat, type Seat } from '@parley/shared/protocol/ids';
import { SCENE_LOG_LIMIT, sceneActive, type CheckinLevel, type SceneLogEntry, type SceneState, type SignalEvent, type SignalLevel } from '@parley/shared/protocol/scene';
import type { FastifyBaseLogger } from 'fastify';
import type { RoomBroadcaster } from '../lib/broadcaster';
import { newId } from '../lib/tokens';
import type { RoomDoc } from '../reveal/room-doc';
import type { RoomDocs } from '../rooms/room-docs';
import type { ParticipantRecord } from '../store/room-store';

export interface SceneServiceDeps {
  roomDocs: RoomDocs;
  events: RoomBroadcaster;
  now: () => number;
  log: FastifyBaseLogger;
  /** how long a signal may wait for its acknowledgement before the sender is told to use the backup */
  unseenMs: number;
  /** entries a room's log keeps (SCENE_LOG_LIMIT; tests shorten it) */
  logLimit?: number;
}

/** What a (re)connecting partner must be sent: signals still waiting for them, and their own that were seen. */
export interface Pending {
  incoming: SignalEvent[];
  acked: string[];
}

/**
 * A full log makes room by dropping its oldest settled entries (acknowledged signals, "how are
 * you now" answers): one still waiting to be seen is never dropped. As each partner may have at
 * most half the log waiting (`record`), a partner with fewer than that always finds room.
 */
function makeRoom(doc: RoomDoc, limit: number): void {
  const settled = doc
    .logEntries()
    .filter((e) => e.ackedAt !== null || e.kind === 'after')
    .sort((x, y) => x.at - y.at);
  const excess = doc.logSize - limit + 1;
  if (settled.length < excess) throw new ParleyError('rate_limited', 'Too many signals are waiting to be seen.');
  for (const e of settled.slice(0, excess)) doc.deleteLogEntry(e.id);
}

/** Entries of `seat` still waiting for the partner's acknowledgement. */
const waitingFrom = (doc: RoomDoc, seat: Seat): number => doc.logEntries().filter((e) => e.from === seat && e.kind !== 'after' && e.ackedAt === null).length;

const timerKey = (roomId: string, id: string): string => `${roomId}/${id}`;

const toEvent = (e: SceneLogEntry): SignalEvent => ({ id: e.id, level: e.level, from: e.from, at: e.at, ...(e.kind === 'checkin' ? { checkin: true } : {}) });

/**
 * Scene mode. The scene and its log live in the room doc (server-written, durable, replicated to
 * every node, readable only by the two partners), so a signal is stored before anyone is told
 * of it, survives a node's death, and is resent on every reconnect until acknowledged. The
 * log holds times and levels only; wording is the clients' business.
 */
export class SceneService {
  /** this node's timers for the "not seen" notice, by room and signal id (ids are the clients' choice: two rooms may use the same) */
  private readonly unseenTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: SceneServiceDeps) {}

  async start(me: ParticipantRecord): Promise<SceneState> {
    const { scene, started } = await this.deps.roomDocs.change(me.roomId, (doc) => {
      const current = doc.scene;
      if (sceneActive(current)) return { scene: current, started: false };
      const scene: SceneState = { id: newId(), startedBy: me.seat, startedAt: this.deps.now(), endedBy: null, endedAt: null };
      doc.write((d) => d.setScene(scene));
      return { scene, started: true };
    });
    if (started) this.deps.events.emit(me.roomId, 'scene', { scene });
    return scene;
  }

  async end(me: ParticipantRecord): Promise<SceneState> {
    const scene = await this.deps.roomDocs.change(me.roomId, (doc) => {
      const current = doc.scene;
      if (!sceneActive(current)) throw new ParleyError('bad_request', 'No scene is running.');
      const ended: SceneState = { ...current, endedBy: me.seat, endedAt: this.deps.now() };
      doc.write((d) => d.setScene(ended));
      return ended;
    });
    this.deps.events.emit(me.roomId, 'scene', { scene });
    return scene;
  }

  /** A live signal (or a check-in answer during a scene) for the partner. */
  send(me: ParticipantRecord, level: SignalLevel, id?: string): Promise<{ id: string }> {
    return this.deliver(me, level, 'signal', id);
  }

  /**
   * The one-tap answer to "how are you?": during a scene a check-in delivered like a signal;
   * after it, "how are you now", kept in the log for the Debrief (nobody is waiting for it live).
   */
  async answerCheckin(me: ParticipantRecord, level: CheckinLevel, id?: string): Promise<{ id: string }> {
    return this.deliver(me, level, 'checkin', id);
  }

  async ack(me: ParticipantRecord, id: string): Promise<void> {
    const entry = await this.deps.roomDocs.change(me.roomId, (doc) => {
      const found = doc.logEntry(id);
      if (!found || found.kind === 'after') throw new ParleyError('not_found', 'No such signal.');
      if (found.from === me.seat) throw new ParleyError('bad_request', 'Only the partner acknowledges a signal.');
      if (found.ackedAt !== null) return found;
      const acked = { ...found, ackedAt: this.deps.now() };
      doc.write((d) => d.setLogEntry(acked));
      return acked;
    });
    this.clearTimer(me.roomId, id);
    this.deps.events.emitToSeat(me.roomId, entry.from, 'signal:acked', { id });
  }

  /**
   * Either partner erases the log of the scenes that ended, and the ended scene's own times
   * (a running scene and its log stay until it ends). What the log held is then gone for both,
   * a signal never acknowledged included: deleting is the partners' decision.
   */
  async deleteLog(me: ParticipantRecord): Promise<void> {
    await this.deps.roomDocs.change(me.roomId, (doc) => {
      const current = doc.scene;
      const keep = sceneActive(current) ? current.id : null;
      doc.write((d) => {
        for (const e of d.logEntries()) if (e.sceneId !== keep) d.deleteLogEntry(e.id);
        if (current && !keep) d.setScene(null);
      });
    });
    this.deps.events.emit(me.roomId, 'scene:log-deleted', { by: me.seat });
  }

  /** For a socket that just connected: what it must be told again (the client drops what it already showed). */
  pending(me: ParticipantRecord): Promise<Pending> {
    return this.deps.roomDocs.read(me.roomId, (doc) => {
      const current = doc.scene;
      const entries = doc.logEntries().sort((x, y) => x.at - y.at);
      return {
        incoming: entries.filter((e) => e.from !== me.seat && e.kind !== 'after' && e.ackedAt === null).map(toEvent),
        acked: entries.filter((e) => e.from === me.seat && e.ackedAt !== null && e.sceneId === current?.id).map((e) => e.id),
      };
    });
  }

  destroy(): void {
    for (const timer of this.unseenTimers.values()) clearTimeout(timer);
    this.unseenTimers.clear();
  }

  private async deliver(me: ParticipantRecord, level: SignalLevel, kind: 'signal' | 'checkin', wanted?: string): Promise<{ id: string }> {
    const { entry, fresh } = await this.deps.roomDocs.change(me.roomId, (doc) => this.record(doc, me, level, kind, wanted));
    if (entry.kind === 'after') return { id: entry.id };
    if (entry.ackedAt === null) {
      // A resend of a stored signal goes out again (the partner's client drops a second copy).
      this.deps.events.emitToSeat(me.roomId, otherSeat(me.seat), 'signal', toEvent(entry));
      if (fresh) this.watch(me.roomId, entry);
    } else {
      this.deps.events.emitToSeat(me.roomId, me.seat, 'signal:acked', { id: entry.id });
    }
    return { id: entry.id };
  }

  private record(doc: RoomDoc, me: ParticipantRecord, level: SignalLevel, kind: 'signal' | 'checkin', wanted?: string): { entry: SceneLogEntry; fresh: boolean } {
    if (wanted) {
      const existing = doc.logEntry(wanted);
      if (existing) {
        if (existing.from !== me.seat || existing.level !== level) throw new ParleyError('bad_request', 'That signal id is taken.');
        return { entry: existing, fresh: false };
      }
    }
    const limit = this.deps.logLimit ?? SCENE_LOG_LIMIT;
    // Half the log at most waits for one partner's taps: a partner flooding signals the other has
    // not seen yet is refused before the log is full, so the other's red always finds room.
    if (waitingFrom(doc, me.seat) >= Math.floor(limit / 2)) {
      throw new ParleyError('rate_limited', 'Too many of your signals are waiting to be seen.');
    }
    if (doc.logSize >= limit) makeRoom(doc, limit);
    const scene = doc.scene;
    const active = sceneActive(scene);
    // A signal always goes through, scene or not: a red must never be refused for want of a button press.
    const entry: SceneLogEntry = {
      id: wanted ?? newId(),
      sceneId: scene?.id ?? '',
      kind: kind === 'checkin' && !active ? 'after' : kind,
      level,
      from: me.seat,
      at: this.deps.now(),
      ackedAt: null,
    };
    doc.write((d) => d.setLogEntry(entry));
    return { entry, fresh: true };
  }

  /** Tells the sender if nobody acknowledged in time; reads the stored state, so an ack on another node counts. */
  private watch(roomId: string, entry: SceneLogEntry): void {
    const key = timerKey(roomId, entry.id);
    const timer = setTimeout(() => {
      this.unseenTimers.delete(key);
      void this.deps.roomDocs
        .read(roomId, (doc) => doc.logEntry(entry.id))
        .then((now) => {
          if (now && now.ackedAt === null) this.deps.events.emitToSeat(roomId, entry.from, 'signal:unseen', { id: entry.id });
        })
        .catch((e: unknown) => this.deps.log.warn({ err: (e as Error).message }, 'unseen check failed'));
    }, this.deps.unseenMs);
    timer.unref();
    this.unseenTimers.set(key, timer);
  }

  private clearTimer(roomId: string, id: string): void {
    const key = timerKey(roomId, id);
    clearTimeout(this.unseenTimers.get(key));
    this.unseenTimers.delete(key);
  }
}
