import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocStore } from '@parley/server/store/doc-store';
import {
  TokenInUseError,
  type EscrowRecord,
  type ParticipantRecord,
  type RoomRecord,
  type RoomStore,
  type SectionRecord,
} from '@parley/server/store/room-store';

export interface RoomStoreFixture {
  store: RoomStore;
  /** The doc store over the same storage, if any: lets the suite check an erase's deletes (rows, then docs) leave no doc. */
  docStore?: DocStore;
  /** Closes the stores and removes their storage. */
  cleanup: () => Promise<void>;
}

const T0 = 1_700_000_000_000;
const newId = (): string => randomBytes(16).toString('base64url');
const sha256 = (token: string): Uint8Array => new Uint8Array(createHash('sha256').update(token).digest());
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** Stores may hand hashes back as Buffer; compare bytes, not classes. */
const plain = (p: ParticipantRecord | null) =>
  p ? { ...p, tokenHash: hex(p.tokenHash), publicKey: p.publicKey && hex(p.publicKey), binding: p.binding && hex(p.binding) } : null;

function roomFixture(overrides: Partial<RoomRecord> = {}) {
  const room: RoomRecord = {
    id: newId(),
    title: 'Our week',
    revealMode: 'discreet',
    templateId: 'default',
    templateVersion: 3,
    createdAt: T0,
    touchedAt: T0,
    workshopId: null,
    sealed: false,
    ...overrides,
  };
  const participant = (seat: 'a' | 'b', displayName: string): ParticipantRecord => ({
    id: newId(),
    roomId: room.id,
    seat,
    displayName,
    tokenHash: sha256(newId()),
    createdAt: T0 + (seat === 'a' ? 0 : 60_000),
    publicKey: null,
    binding: null,
  });
  const creator = participant('a', 'Alex');
  const joiner = participant('b', 'Sam');
  const inviteHash = sha256(newId());
  const section = (sectionId: string): SectionRecord => ({
    roomId: room.id,
    sectionId,
    state: 'open',
    round: 1,
    readyA: false,
    readyB: false,
    revealedAt: null,
  });
  // deliberately not alphabetical: the store must keep template order
  const sections = [section('touch'), section('boundaries'), section('aftercare')];
  return { room, creator, joiner, inviteHash, sections };
}

/** A sealed room's fixture: the room says so, and both seats carry a public key and binding. */
function sealedFixture() {
  const f = roomFixture({ sealed: true, title: 'c2VhbGVkIHRpdGxl' });
  const keyed = (p: ParticipantRecord): ParticipantRecord => ({ ...p, publicKey: randomBytes(32), binding: randomBytes(32) });
  return { ...f, creator: keyed(f.creator), joiner: keyed(f.joiner) };
}

export function describeRoomStoreContract(name: string, setup: () => Promise<RoomStoreFixture>): void {
  describe(`RoomStore contract: ${name}`, () => {
    let fixture: RoomStoreFixture;
    let store: RoomStore;

    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    async function created(overrides: Partial<RoomRecord> = {}) {
      const f = roomFixture(overrides);
      await store.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: f.sections });
      return f;
    }

    it('RS1 creates a room with its creator and sections, read back as written', async () => {
      const f = await created({ title: null, workshopId: 'workshop-123' });
      expect(await store.getRoom(f.room.id)).toEqual(f.room);
      expect((await store.listParticipants(f.room.id)).map(plain)).toEqual([plain(f.creator)]);
      expect(await store.listSections(f.room.id)).toEqual(f.sections);
      expect(await store.getRoom(newId())).toBeNull();
    });

    it('RS2 createRoom is all or nothing', async () => {
      const first = await created();
      const clash = roomFixture();
      // the creator reuses a token hash that is already taken (unique)
      const creator = { ...clash.creator, tokenHash: first.creator.tokenHash };
      await expect(
        store.createRoom({ room: clash.room, creator, inviteHash: clash.inviteHash, sections: clash.sections }),
      ).rejects.toThrow();
      expect(await store.getRoom(clash.room.id)).toBeNull();
      expect(await store.listSections(clash.room.id)).toEqual([]);
    });

    it('RS3 claimInvite: a wrong hash or unknown room is not_found and does not use the invite', async () => {
      const f = await created();
      expect(await store.claimInvite(f.room.id, sha256('guess'), f.joiner)).toBe('not_found');
      expect(await store.claimInvite(f.room.id, new Uint8Array(3), f.joiner)).toBe('not_found');
      expect(await store.claimInvite(newId(), f.inviteHash, f.joiner)).toBe('not_found');
      expect(await store.listParticipants(f.room.id)).toHaveLength(1);
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
    });

    it('RS4 claimInvite seats the joiner as b once; a second claim is used', async () => {
      const f = await created();
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
      expect((await store.listParticipants(f.room.id)).map(plain)).toEqual([plain(f.creator), plain(f.joiner)]);

      const intruder = { ...roomFixture().joiner, roomId: f.room.id };
      expect(await store.claimInvite(f.room.id, f.inviteHash, intruder)).toBe('used');
      // a wrong hash on a used invite still says nothing about the invite
      expect(await store.claimInvite(f.room.id, sha256('guess'), intruder)).toBe('not_found');
      expect(await store.listParticipants(f.room.id)).toHaveLength(2);
      expect(await store.findParticipantByTokenHash(intruder.tokenHash)).toBeNull();
    });

    it('RS5 inviteState reads an invite without using it: open, used, or not_found for a wrong hash or room', async () => {
      const f = await created();
      expect(await store.inviteState(f.room.id, f.inviteHash)).toBe('open');
      expect(await store.inviteState(f.room.id, sha256('guess'))).toBe('not_found');
      expect(await store.inviteState(newId(), f.inviteHash)).toBe('not_found');
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
      expect(await store.inviteState(f.room.id, f.inviteHash)).toBe('used');
      expect(await store.inviteState(f.room.id, sha256('guess'))).toBe('not_found');
      await store.deleteRoom(f.room.id, T0);
      expect(await store.inviteState(f.room.id, f.inviteHash)).toBe('not_found');
    });

    it('RS6 claimInvite: of two simultaneous claims exactly one wins', async () => {
      const f = await created();
      const other = { ...roomFixture().joiner, roomId: f.room.id };
      const results = await Promise.all([
        store.claimInvite(f.room.id, f.inviteHash, f.joiner),
        store.claimInvite(f.room.id, f.inviteHash, other),
      ]);
      expect(results.sort()).toEqual(['ok', 'used']);
      expect(await store.listParticipants(f.room.id)).toHaveLength(2);
    });

    it('RS7 finds participants by token hash', async () => {
      const f = await created();
      await store.claimInvite(f.room.id, f.inviteHash, f.joiner);
      expect(plain(await store.findParticipantByTokenHash(f.creator.tokenHash))).toEqual(plain(f.creator));
      expect(plain(await store.findParticipantByTokenHash(f.joiner.tokenHash))).toEqual(plain(f.joiner));
      expect(await store.findParticipantByTokenHash(sha256('nobody'))).toBeNull();
    });

    it('RS8 saveSections updates rows in place and adds new ones, keeping order', async () => {
      const f = await created();
      const [touch, boundaries] = f.sections;
      const revealed: SectionRecord = { ...boundaries!, state: 'revealed', readyA: true, readyB: true, revealedAt: T0 + 5 };
      const readyA: SectionRecord = { ...touch!, round: 2, readyA: true };
      const added: SectionRecord = { ...touch!, sectionId: 'extra' };
      await store.saveSections([revealed, readyA, added]);
      expect(await store.listSections(f.room.id)).toEqual([readyA, revealed, f.sections[2], added]);
    });

    it('RS9 getSection reads one row as saved; null for an unknown section, room or deleted room', async () => {
      const f = await created();
      const other = await created();
      const revealed: SectionRecord = { ...f.sections[1]!, state: 'revealed', round: 2, readyA: true, readyB: true, revealedAt: T0 + 5 };
      await store.saveSections([revealed]);
      expect(await store.getSection(f.room.id, 'boundaries')).toEqual(revealed);
      expect(await store.getSection(f.room.id, 'touch')).toEqual(f.sections[0]);
      expect(await store.getSection(other.room.id, 'boundaries')).toEqual(other.sections[1]);
      expect(await store.getSection(f.room.id, 'nope')).toBeNull();
      expect(await store.getSection(newId(), 'touch')).toBeNull();
      await store.deleteRoom(f.room.id, T0 + 10);
      expect(await store.getSection(f.room.id, 'touch')).toBeNull();
    });

    it('RS10 touchRoom and listRoomsUntouchedSince find idle rooms', async () => {
      const idle = await created({ touchedAt: T0 });
      const active = await created({ touchedAt: T0 });
      await store.touchRoom(active.room.id, T0 + 1_000);
      expect((await store.getRoom(active.room.id))?.touchedAt).toBe(T0 + 1_000);

      expect(await store.listRoomsUntouchedSince(T0 + 1_000)).toEqual([idle.room.id]);
      expect((await store.listRoomsUntouchedSince(T0 + 1_001)).sort()).toEqual([idle.room.id, active.room.id].sort());
      expect(await store.listRoomsUntouchedSince(T0)).toEqual([]);
    });

    it('RS11 deleteRoom erases the room and tombstones both tokens', async () => {
      const f = await created();
      const bystander = await created();
      await store.claimInvite(f.room.id, f.inviteHash, f.joiner);
      const update = new Uint8Array([0, 0]); // an empty Yjs update
      await fixture.docStore?.appendUpdates([
        { docName: `${f.room.id}/shared`, update },
        { docName: `${bystander.room.id}/shared`, update },
      ]);

      expect(await store.isDeletedToken(f.creator.tokenHash)).toBe(false);
      expect(await store.deleteRoom(f.room.id, T0 + 10)).toBe(true);
      // One job each: the rows go with the room store, the docs with the doc store (as RoomService.erase runs them).
      await fixture.docStore?.deleteRoomDocs(f.room.id);

      expect(await store.getRoom(f.room.id)).toBeNull();
      expect(await store.listParticipants(f.room.id)).toEqual([]);
      expect(await store.listSections(f.room.id)).toEqual([]);
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('not_found');
      for (const p of [f.creator, f.joiner]) {
        expect(await store.findParticipantByTokenHash(p.tokenHash)).toBeNull();
        expect(await store.isDeletedToken(p.tokenHash)).toBe(true);
      }
      expect(await store.isDeletedToken(bystander.creator.tokenHash)).toBe(false);
      expect(await store.getRoom(bystander.room.id)).toEqual(bystander.room);
      if (fixture.docStore) {
        expect(await fixture.docStore.loadDoc(`${f.room.id}/shared`)).toEqual([]);
        expect(await fixture.docStore.loadDoc(`${bystander.room.id}/shared`)).toHaveLength(1);
      }

      expect(await store.deleteRoom(f.room.id, T0 + 20)).toBe(false);
      expect(await store.deleteRoom(newId(), T0 + 20)).toBe(false);
    });

    it('RS12 markErasing: the room is no longer live, takes no joiner, keeps its rows until deleteRoom; clearErasing undoes it', async () => {
      const f = await created();
      const bystander = await created();
      expect(await store.isRoomLive(f.room.id)).toBe(true);
      expect(await store.markErasing(f.room.id, T0 + 10)).toBe(true);
      expect(await store.markErasing(f.room.id, T0 + 20)).toBe(true); // the first mark stays
      expect(await store.markErasing(newId(), T0 + 10)).toBe(false);

      expect(await store.isRoomLive(f.room.id)).toBe(false);
      expect(await store.isRoomLive(bystander.room.id)).toBe(true);
      expect(await store.isRoomLive(newId())).toBe(false);
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('not_found');
      // still there for the erase to finish: its participant (for the token tombstones) and rows
      expect((await store.listParticipants(f.room.id)).map(plain)).toEqual([plain(f.creator)]);
      expect(await store.listErasingBefore(T0 + 11)).toEqual([f.room.id]);
      expect(await store.listErasingBefore(T0 + 10)).toEqual([]);

      await store.clearErasing(f.room.id);
      expect(await store.isRoomLive(f.room.id)).toBe(true);
      expect(await store.listErasingBefore(T0 + 100)).toEqual([]);
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');

      await store.markErasing(f.room.id, T0 + 30);
      expect(await store.deleteRoom(f.room.id, T0 + 40)).toBe(true);
      expect(await store.isDeletedToken(f.joiner.tokenHash)).toBe(true);
      expect(await store.listErasingBefore(T0 + 100)).toEqual([]);
    });

    it('RS13 purgeTombstones forgets only tombstones older than the cutoff', async () => {
      const old = await created();
      const recent = await created();
      await store.deleteRoom(old.room.id, T0 + 1_000);
      await store.deleteRoom(recent.room.id, T0 + 2_000);

      await store.purgeTombstones(T0 + 1_000);
      expect(await store.isDeletedToken(old.creator.tokenHash)).toBe(true);
      await store.purgeTombstones(T0 + 1_001);
      expect(await store.isDeletedToken(old.creator.tokenHash)).toBe(false);
      expect(await store.isDeletedToken(recent.creator.tokenHash)).toBe(true);
    });
    it('RS14 a sealed room reads back sealed, with both seats\' public keys and bindings; deleting it removes them', async () => {
      const f = sealedFixture();
      await store.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: f.sections });
      expect(await store.getRoom(f.room.id)).toEqual(f.room);
      expect((await store.listParticipants(f.room.id)).map(plain)).toEqual([plain(f.creator)]);
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
      expect((await store.listParticipants(f.room.id)).map(plain)).toEqual([plain(f.creator), plain(f.joiner)]);
      expect(plain(await store.findParticipantByTokenHash(f.joiner.tokenHash))).toEqual(plain(f.joiner));
      // a standard room next to it keeps sealed false and no keys
      const standard = await created();
      expect((await store.getRoom(standard.room.id))?.sealed).toBe(false);
      expect((await store.listParticipants(standard.room.id))[0]).toMatchObject({ publicKey: null, binding: null });

      expect(await store.deleteRoom(f.room.id, T0 + 10)).toBe(true);
      expect(await store.getRoom(f.room.id)).toBeNull();
      expect(await store.listParticipants(f.room.id)).toEqual([]);
      expect(await store.isDeletedToken(f.joiner.tokenHash)).toBe(true);
    });

    it('RS15 claimInvite: a joiner of the wrong kind is wrong_kind (after the invite check) and takes no seat', async () => {
      const sealed = sealedFixture();
      await store.createRoom({ room: sealed.room, creator: sealed.creator, inviteHash: sealed.inviteHash, sections: sealed.sections });
      const standard = await created();
      const keyless = { ...sealed.joiner, publicKey: null, binding: null };
      const keyed = { ...standard.joiner, publicKey: randomBytes(32), binding: randomBytes(32) };
      const halfKeyed = { ...sealed.joiner, binding: null };

      // a wrong invite still says nothing, not even the room's kind
      expect(await store.claimInvite(sealed.room.id, sha256('guess'), keyless)).toBe('not_found');
      expect(await store.claimInvite(sealed.room.id, sealed.inviteHash, keyless)).toBe('wrong_kind');
      expect(await store.claimInvite(sealed.room.id, sealed.inviteHash, halfKeyed)).toBe('wrong_kind');
      expect(await store.claimInvite(standard.room.id, standard.inviteHash, keyed)).toBe('wrong_kind');
      expect(await store.inviteState(sealed.room.id, sealed.inviteHash)).toBe('open');
      expect(await store.inviteState(standard.room.id, standard.inviteHash)).toBe('open');
      expect(await store.listParticipants(sealed.room.id)).toHaveLength(1);
      expect(await store.listParticipants(standard.room.id)).toHaveLength(1);
      // and a creator of the wrong kind is refused outright
      const odd = roomFixture({ sealed: true });
      await expect(store.createRoom({ room: odd.room, creator: odd.creator, inviteHash: odd.inviteHash, sections: [] })).rejects.toThrow();
      expect(await store.getRoom(odd.room.id)).toBeNull();
    });

    it('RS16 a token hash in use (a participant\'s, an invite\'s, a tombstone\'s) is refused at create and join, writing nothing', async () => {
      const existing = await created();
      await store.claimInvite(existing.room.id, existing.inviteHash, existing.joiner);
      const gone = await created();
      await store.deleteRoom(gone.room.id, T0 + 5);
      const taken = [existing.creator.tokenHash, existing.joiner.tokenHash, existing.inviteHash, gone.creator.tokenHash];

      for (const hash of taken) {
        for (const as of ['creator', 'invite'] as const) {
          const f = sealedFixture();
          const creator = as === 'creator' ? { ...f.creator, tokenHash: hash } : f.creator;
          const inviteHash = as === 'invite' ? hash : f.inviteHash;
          await expect(store.createRoom({ room: f.room, creator, inviteHash, sections: f.sections })).rejects.toBeInstanceOf(TokenInUseError);
          expect(await store.getRoom(f.room.id)).toBeNull();
          expect(await store.listSections(f.room.id)).toEqual([]);
        }
      }
      const same = sealedFixture();
      await expect(
        store.createRoom({ room: same.room, creator: same.creator, inviteHash: same.creator.tokenHash, sections: [] }),
      ).rejects.toBeInstanceOf(TokenInUseError);
      expect(await store.getRoom(same.room.id)).toBeNull();

      const f = sealedFixture();
      await store.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: f.sections });
      for (const hash of [...taken, f.inviteHash, f.creator.tokenHash]) {
        expect(await store.claimInvite(f.room.id, f.inviteHash, { ...f.joiner, tokenHash: hash })).toBe('token_in_use');
      }
      expect(await store.inviteState(f.room.id, f.inviteHash)).toBe('open');
      expect(await store.listParticipants(f.room.id)).toHaveLength(1);
      expect(await store.claimInvite(f.room.id, f.inviteHash, f.joiner)).toBe('ok');
    });

    it('RS17 escrow rows: saved with section rows in one transaction, replaced per seat, dropped per seat or section, erased with the room', async () => {
      const f = sealedFixture();
      await store.createRoom({ room: f.room, creator: f.creator, inviteHash: f.inviteHash, sections: f.sections });
      const escrow = (seat: 'a' | 'b', round = 1, sectionId = 'touch'): EscrowRecord => ({ roomId: f.room.id, sectionId, seat, round, envelope: new Uint8Array(randomBytes(298)) });
      const bytes = (rows: EscrowRecord[]) => rows.map((e) => ({ ...e, envelope: hex(e.envelope) }));
      const touch = f.sections[0]!;
      const readyA = { ...touch, readyA: true };
      const a1 = escrow('a');
      await store.saveSections([readyA], { put: [a1] });
      expect(await store.getSection(f.room.id, 'touch')).toEqual(readyA);
      expect(bytes(await store.listEscrow(f.room.id, 'touch'))).toEqual(bytes([a1]));
      expect(await store.listEscrow(f.room.id, 'boundaries')).toEqual([]);

      // a seat's row is replaced, not added; both seats, in seat order
      const a2 = escrow('a');
      const b1 = escrow('b');
      await store.saveSections([], { put: [b1, a2] });
      expect(bytes(await store.listEscrow(f.room.id, 'touch'))).toEqual(bytes([a2, b1]));

      // all or nothing: an escrow row of an unknown room fails the write, and the section row with it
      const stray = { ...escrow('a'), roomId: newId() };
      await expect(store.saveSections([{ ...readyA, readyB: true }], { put: [stray] })).rejects.toThrow();
      expect(await store.getSection(f.room.id, 'touch')).toEqual(readyA);

      // drop one seat's, then the whole section's (a reopen)
      await store.saveSections([{ ...readyA, readyA: false }], { drop: [{ roomId: f.room.id, sectionId: 'touch', seat: 'a' }] });
      expect(bytes(await store.listEscrow(f.room.id, 'touch'))).toEqual(bytes([b1]));
      const other = escrow('a', 3, 'boundaries');
      await store.saveSections([], { put: [escrow('a')], drop: [] });
      await store.saveSections([], { put: [other] });
      await store.saveSections([], { drop: [{ roomId: f.room.id, sectionId: 'touch', seat: null }] });
      expect(await store.listEscrow(f.room.id, 'touch')).toEqual([]);
      expect(bytes(await store.listEscrow(f.room.id, 'boundaries'))).toEqual(bytes([other]));

      expect(await store.deleteRoom(f.room.id, T0 + 10)).toBe(true);
      expect(await store.listEscrow(f.room.id, 'boundaries')).toEqual([]);
    });
  });
}
