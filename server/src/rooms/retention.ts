import type { FastifyBaseLogger } from 'fastify';
import type { DocStore } from '../store/doc-store';
import type { RoomStore } from '../store/room-store';
import type { RoomService } from './room-service';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** how long a deleted room's token hashes keep answering 4410 instead of 4401 */
const TOMBSTONE_DAYS = 30;
/** an erasing mark older than this belongs to an erase that stopped half-way (a crash) */
const STUCK_ERASE_MS = 10 * 60 * 1000;

/**
 * Erases rooms nobody touched for ROOM_TTL_DAYS, the same way a partner's delete does, and
 * workshops past their use; finishes erases that stopped half-way and removes stored docs whose
 * room row is gone (older versions could leave such rows behind).
 * Owns its interval; `stop()` clears it.
 */
export class RoomRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      rooms: RoomStore;
      docs: DocStore;
      roomService: RoomService;
      /** workshops go the same way (see `WorkshopService.sweepExpired`) */
      workshops?: { sweepExpired(ttlDays: number): Promise<number> };
      /** a workshop's own templates go once neither the workshop nor any room uses them */
      templates?: { deleteOrphanTemplates(): Promise<number> };
      /** runs after doc rows without a room were deleted (SQLite: checkpoint, as after an erase) */
      afterErase?: () => Promise<void>;
      ttlDays: number;
      now: () => number;
      log: FastifyBaseLogger;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
    void this.sweep();
  }

  /** Erases every expired room; returns how many. */
  async sweep(): Promise<number> {
    const now = this.deps.now();
    try {
      const expired = await this.deps.rooms.listRoomsUntouchedSince(now - this.deps.ttlDays * DAY_MS);
      for (const roomId of expired) await this.deps.roomService.erase(roomId);
      await this.deps.rooms.purgeTombstones(now - TOMBSTONE_DAYS * DAY_MS);
      if (expired.length > 0) this.deps.log.info({ count: expired.length }, 'expired rooms erased');
      const stuck = await this.deps.rooms.listErasingBefore(now - STUCK_ERASE_MS);
      for (const roomId of stuck) await this.deps.roomService.erase(roomId);
      if (stuck.length > 0) this.deps.log.info({ count: stuck.length }, 'unfinished erases completed');
      const orphans = await this.deps.docs.deleteOrphanDocs();
      if (orphans > 0) {
        await this.deps.afterErase?.();
        this.deps.log.info({ rows: orphans }, 'doc rows without a room erased');
      }
      const workshops = (await this.deps.workshops?.sweepExpired(this.deps.ttlDays)) ?? 0;
      if (workshops > 0) this.deps.log.info({ count: workshops }, 'expired workshops erased');
      const templates = (await this.deps.templates?.deleteOrphanTemplates()) ?? 0;
      if (templates > 0) this.deps.log.info({ count: templates }, 'unused workshop templates erased');
      return expired.length;
    } catch (error) {
      this.deps.log.error({ err: (error as Error).message }, 'room retention sweep failed');
      return 0;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
