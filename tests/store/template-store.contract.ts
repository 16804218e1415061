import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomStore } from '@parley/server/store/room-store';
import type { TemplateRecord, TemplateStore } from '@parley/server/store/template-store';
import type { WorkshopRecord, WorkshopStore } from '@parley/server/store/workshop-store';

export interface TemplateStoreFixture {
  templates: TemplateStore;
  /** the workshop and room stores over the same storage: a version points its workshop at it, and rooms keep it alive */
  workshops: WorkshopStore;
  rooms: RoomStore;
  cleanup: () => Promise<void>;
}

const T0 = 1_700_000_000_000;
const newId = (): string => randomBytes(16).toString('base64url');
const sha256 = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest());

const workshop = (): WorkshopRecord => ({
  id: newId(),
  title: 'Rope night',
  facilitatorName: 'Robin',
  facilitatorHash: sha256(newId()),
  joinCode: randomBytes(4).toString('hex').toUpperCase().slice(0, 6),
  templateId: 'default',
  templateVersion: 1,
  lockSections: false,
  unlocked: [],
  timerEndsAt: null,
  message: null,
  createdAt: T0,
  endedAt: null,
});

const version = (templateId: string, n: number, workshopId: string): TemplateRecord => ({
  templateId,
  version: n,
  workshopId,
  body: JSON.stringify({ title: `version ${n}`, note: 'ünïcode “quotes”' }),
  createdAt: T0 + n,
});

/** The suite every `TemplateStore` (a workshop's own worksheets) must pass. */
export function describeTemplateStoreContract(name: string, setup: () => Promise<TemplateStoreFixture>): void {
  describe(`TemplateStore contract: ${name}`, () => {
    let f: TemplateStoreFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('TS1 stores each version once, exactly as given; a second save of the same version changes nothing', async () => {
      const w = workshop();
      await f.workshops.createWorkshop(w);
      const id = `w-${randomBytes(12).toString('hex')}`;
      expect(await f.templates.latestTemplateVersion(id)).toBeNull();
      expect(await f.templates.addTemplateVersion(version(id, 1, w.id))).toBe('ok');
      expect(await f.templates.addTemplateVersion(version(id, 2, w.id))).toBe('ok');
      expect(await f.templates.addTemplateVersion({ ...version(id, 2, w.id), body: '{"title":"a concurrent save"}' })).toBe('exists');
      expect(await f.templates.getTemplateVersion(id, 1)).toEqual(version(id, 1, w.id));
      expect(await f.templates.getTemplateVersion(id, 2)).toEqual(version(id, 2, w.id));
      expect(await f.templates.getTemplateVersion(id, 3)).toBeNull();
      expect(await f.templates.latestTemplateVersion(id)).toBe(2);
    });

    it('TS2 a saved version is the one the workshop points at (not when the save was refused)', async () => {
      const w = workshop();
      await f.workshops.createWorkshop(w);
      const id = `w-${randomBytes(12).toString('hex')}`;
      await f.templates.addTemplateVersion(version(id, 1, w.id));
      expect(await f.workshops.getWorkshop(w.id)).toMatchObject({ templateId: id, templateVersion: 1 });
      await f.templates.addTemplateVersion(version(id, 2, w.id));
      expect(await f.workshops.getWorkshop(w.id)).toMatchObject({ templateId: id, templateVersion: 2 });
      const other = workshop();
      await f.workshops.createWorkshop(other);
      expect(await f.templates.addTemplateVersion(version(id, 2, other.id))).toBe('exists');
      expect(await f.workshops.getWorkshop(other.id)).toMatchObject({ templateId: 'default', templateVersion: 1 });
    });

    it('TS3 versions stay while their workshop or any room uses them, and go once neither does', async () => {
      const w = workshop();
      await f.workshops.createWorkshop(w);
      const id = `w-${randomBytes(12).toString('hex')}`;
      await f.templates.addTemplateVersion(version(id, 1, w.id));
      await f.templates.addTemplateVersion(version(id, 2, w.id));
      const roomId = newId();
      await f.rooms.createRoom({
        room: { id: roomId, title: null, revealMode: 'full', templateId: id, templateVersion: 1, createdAt: T0, touchedAt: T0, workshopId: null, sealed: false },
        creator: { id: newId(), roomId, seat: 'a', displayName: 'Ann', tokenHash: sha256(newId()), createdAt: T0, publicKey: null, binding: null },
        inviteHash: sha256(newId()),
        sections: [],
      });
      expect(await f.templates.deleteOrphanTemplates()).toBe(0);
      await f.workshops.endWorkshop(w.id, T0 + 10);
      expect(await f.workshops.deleteWorkshop(w.id)).toBe(true);
      expect(await f.templates.deleteOrphanTemplates()).toBe(0);
      expect(await f.templates.getTemplateVersion(id, 1)).not.toBeNull();
      await f.rooms.deleteRoom(roomId, T0 + 20);
      expect(await f.templates.deleteOrphanTemplates()).toBe(2);
      expect(await f.templates.latestTemplateVersion(id)).toBeNull();
    });
  });
}
