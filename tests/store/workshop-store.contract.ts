import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocStore } from '@parley/server/store/doc-store';
import type { ParticipantRecord, RoomRecord, RoomStore } from '@parley/server/store/room-store';
import type { PairRecord, ProposalRecord, WorkshopRecord, WorkshopStore } from '@parley/server/store/workshop-store';

export interface WorkshopStoreFixture {
  workshops: WorkshopStore;
  /** the room store over the same storage: pairs are rooms */
  rooms: RoomStore;
  docs: DocStore;
  cleanup: () => Promise<void>;
}

const T0 = 1_700_000_000_000;
const newId = (): string => randomBytes(16).toString('base64url');
const sha256 = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest());
const hex = (b: Uint8Array | null): string | null => (b ? Buffer.from(b).toString('hex') : null);

function workshopFixture(overrides: Partial<WorkshopRecord> = {}): WorkshopRecord {
  return {
    id: newId(),
    title: 'Negotiation basics',
    facilitatorName: 'Robin',
    facilitatorHash: sha256(newId()),
    joinCode: randomBytes(4).toString('hex').toUpperCase().slice(0, 6),
    templateId: 'default',
    templateVersion: 1,
    lockSections: true,
    unlocked: [],
    timerEndsAt: null,
    message: null,
    createdAt: T0,
    endedAt: null,
    ...overrides,
  };
}

export function describeWorkshopStoreContract(name: string, setup: () => Promise<WorkshopStoreFixture>): void {
  describe(`WorkshopStore contract: ${name}`, () => {
    let f: WorkshopStoreFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    const person = (roomId: string, seat: 'a' | 'b', name: string): ParticipantRecord => ({
      id: newId(),
      roomId,
      seat,
      displayName: name,
      tokenHash: sha256(newId()),
      createdAt: T0,
      publicKey: null,
      binding: null,
    });

    /** A pair room of `workshopId` with one person in seat a. */
    async function pairRoom(workshopId: string, pairCode: string, opts: { practice?: boolean; at?: number } = {}) {
      const room: RoomRecord = { id: newId(), title: null, revealMode: 'full', templateId: 'default', templateVersion: 1, createdAt: T0, touchedAt: T0, workshopId, sealed: false };
      const creator = person(room.id, 'a', `Alone ${pairCode}`);
      const inviteHash = sha256(newId());
      await f.rooms.createRoom({ room, creator, inviteHash, sections: [{ roomId: room.id, sectionId: 'frame', state: 'open', round: 1, readyA: false, readyB: false, revealedAt: null }] });
      const pair: PairRecord = { workshopId, roomId: room.id, pairCode, handRaised: false, practice: opts.practice ?? false, createdAt: opts.at ?? T0 };
      expect(await f.workshops.addPair(pair)).toBe('ok');
      return { room, creator, inviteHash, pair };
    }

    it('WS1 creates a workshop and reads it back by id and by join code', async () => {
      const w = workshopFixture({ unlocked: ['arrival', 'frame'], timerEndsAt: T0 + 5, message: { message: 'Breathe', at: T0 + 1 } });
      expect(await f.workshops.createWorkshop(w)).toBe('ok');
      const read = await f.workshops.getWorkshop(w.id);
      expect({ ...read, facilitatorHash: hex(read?.facilitatorHash ?? null) }).toEqual({ ...w, facilitatorHash: hex(w.facilitatorHash) });
      expect((await f.workshops.findByJoinCode(w.joinCode))?.id).toBe(w.id);
      expect(await f.workshops.findByJoinCode('ZZZZZZ')).toBeNull();
      expect(await f.workshops.getWorkshop(newId())).toBeNull();
    });

    it('WS2 a join code is unique among running workshops and free again once one ended', async () => {
      const w = workshopFixture();
      await f.workshops.createWorkshop(w);
      expect(await f.workshops.createWorkshop(workshopFixture({ joinCode: w.joinCode }))).toBe('code_taken');
      await f.workshops.endWorkshop(w.id, T0 + 10);
      expect(await f.workshops.findByJoinCode(w.joinCode)).toBeNull();
      const again = workshopFixture({ joinCode: w.joinCode });
      expect(await f.workshops.createWorkshop(again)).toBe('ok');
      expect((await f.workshops.findByJoinCode(w.joinCode))?.id).toBe(again.id);
    });

    it('WS3 updates unlocked sections, timer and message independently', async () => {
      const w = workshopFixture();
      await f.workshops.createWorkshop(w);
      await f.workshops.updateWorkshop(w.id, { unlocked: ['arrival'] });
      await f.workshops.updateWorkshop(w.id, { timerEndsAt: T0 + 60_000 });
      await f.workshops.updateWorkshop(w.id, { message: { message: 'Two minutes left', at: T0 + 2 } });
      expect(await f.workshops.getWorkshop(w.id)).toMatchObject({ unlocked: ['arrival'], timerEndsAt: T0 + 60_000, message: { message: 'Two minutes left', at: T0 + 2 } });
      await f.workshops.updateWorkshop(w.id, { timerEndsAt: null, message: null });
      expect(await f.workshops.getWorkshop(w.id)).toMatchObject({ unlocked: ['arrival'], timerEndsAt: null, message: null });
    });

    it('WS4 pairs: listed in creation order, found by room and by code, codes unique per workshop', async () => {
      const w = workshopFixture();
      const other = workshopFixture();
      await f.workshops.createWorkshop(w);
      await f.workshops.createWorkshop(other);
      const one = await pairRoom(w.id, 'AB23', { at: T0 + 1 });
      const two = await pairRoom(w.id, 'CD45', { at: T0 + 2, practice: true });
      await pairRoom(other.id, 'AB23'); // same code, other workshop: fine
      const clash = await f.workshops.addPair({ ...two.pair, roomId: (await pairRoomless()).id, pairCode: 'AB23' });
      expect(clash).toBe('code_taken');
      expect((await f.workshops.listPairs(w.id)).map((p) => p.pairCode)).toEqual(['AB23', 'CD45']);
      expect(await f.workshops.getPair(two.room.id)).toEqual(two.pair);
      expect((await f.workshops.findPairByCode(w.id, 'AB23'))?.roomId).toBe(one.room.id);
      expect(await f.workshops.findPairByCode(w.id, 'ZZZZ')).toBeNull();
      expect(await f.workshops.getPair(newId())).toBeNull();
      await f.workshops.setHand(one.room.id, true);
      expect((await f.workshops.getPair(one.room.id))?.handRaised).toBe(true);
    });

    /** A room that is not (yet) a pair. */
    async function pairRoomless(): Promise<RoomRecord> {
      const room: RoomRecord = { id: newId(), title: null, revealMode: 'full', templateId: 'default', templateVersion: 1, createdAt: T0, touchedAt: T0, workshopId: null, sealed: false };
      await f.rooms.createRoom({ room, creator: person(room.id, 'a', 'Solo'), inviteHash: sha256(newId()), sections: [] });
      return room;
    }

    it('WS5 movePartner seats a waiting person in another pair, keeps their token, erases the empty room', async () => {
      const w = workshopFixture();
      await f.workshops.createWorkshop(w);
      const into = await pairRoom(w.id, 'GH89');
      const from = await pairRoom(w.id, 'JK23');
      await f.docs.appendUpdates([{ docName: `${from.room.id}/shared`, update: new Uint8Array([0, 0]) }]);
      expect(await f.workshops.movePartner(from.room.id, into.room.id, T0 + 5)).toBe(from.creator.id);
      const seated = await f.rooms.listParticipants(into.room.id);
      expect(seated.map((p) => [p.id, p.seat])).toEqual([
        [into.creator.id, 'a'],
        [from.creator.id, 'b'],
      ]);
      expect((await f.rooms.findParticipantByTokenHash(from.creator.tokenHash))?.roomId).toBe(into.room.id);
      expect(await f.rooms.getRoom(from.room.id)).toBeNull();
      expect(await f.workshops.getPair(from.room.id)).toBeNull();
      expect(await f.docs.loadDoc(`${from.room.id}/shared`)).toEqual([]);
      // the pair's invite is used up: nobody else gets in by the pair code now
      expect(await f.rooms.claimInvite(into.room.id, into.inviteHash, person(into.room.id, 'b', 'Late'))).toBe('used');
      // a full pair cannot take a third person
      const third = await pairRoom(w.id, 'MN45');
      expect(await f.workshops.movePartner(third.room.id, into.room.id, T0 + 6)).toBeNull();
      expect(await f.rooms.listParticipants(third.room.id)).toHaveLength(1);
    });

    it('WS6 movePartner refuses pairs of different workshops, practice pairs and itself', async () => {
      const w = workshopFixture();
      const other = workshopFixture();
      await f.workshops.createWorkshop(w);
      await f.workshops.createWorkshop(other);
      const a = await pairRoom(w.id, 'PQ67');
      const b = await pairRoom(other.id, 'RS89');
      const practice = await pairRoom(w.id, 'TW23', { practice: true });
      expect(await f.workshops.movePartner(b.room.id, a.room.id, T0)).toBeNull();
      expect(await f.workshops.movePartner(practice.room.id, a.room.id, T0)).toBeNull();
      expect(await f.workshops.movePartner(a.room.id, a.room.id, T0)).toBeNull();
      expect(await f.rooms.listParticipants(b.room.id)).toHaveLength(1);
    });

    const proposal = (workshopId: string, into: string, from: string, over: Partial<ProposalRecord> = {}): ProposalRecord => ({
      workshopId,
      into,
      from,
      proposedBy: 'code',
      seed: newId(),
      intoConfirmed: false,
      fromConfirmed: false,
      createdAt: T0,
      ...over,
    });

    it('WS7 a proposal pairs two waiting rooms of one workshop; each room is in one proposal at a time', async () => {
      const w = workshopFixture();
      const other = workshopFixture();
      await f.workshops.createWorkshop(w);
      await f.workshops.createWorkshop(other);
      const a = await pairRoom(w.id, 'AB23');
      const b = await pairRoom(w.id, 'CD45');
      const c = await pairRoom(w.id, 'EF67');
      const foreign = await pairRoom(other.id, 'GH89');
      const ab = proposal(w.id, a.room.id, b.room.id, { proposedBy: 'facilitator' });
      expect(await f.workshops.proposePair(ab)).toBe('ok');
      expect(await f.workshops.getProposal(a.room.id)).toEqual(ab);
      expect(await f.workshops.getProposal(b.room.id)).toEqual(ab);
      expect(await f.workshops.getProposal(c.room.id)).toBeNull();
      // neither side may be in a second proposal, on either side
      expect(await f.workshops.proposePair(proposal(w.id, c.room.id, a.room.id))).toBe('busy');
      expect(await f.workshops.proposePair(proposal(w.id, b.room.id, c.room.id))).toBe('busy');
      // only rooms of the proposal's own workshop
      expect(await f.workshops.proposePair(proposal(w.id, c.room.id, foreign.room.id))).toBe('busy');
      expect(await f.workshops.listProposals(w.id)).toEqual([ab]);
      expect(await f.workshops.listProposals(other.id)).toEqual([]);
    });

    it('WS8 each side confirms only its own flag; a declined or completed proposal is gone', async () => {
      const w = workshopFixture();
      await f.workshops.createWorkshop(w);
      const a = await pairRoom(w.id, 'JK23');
      const b = await pairRoom(w.id, 'MN45');
      await f.workshops.proposePair(proposal(w.id, a.room.id, b.room.id));
      expect(await f.workshops.confirmProposal(b.room.id)).toMatchObject({ intoConfirmed: false, fromConfirmed: true });
      expect(await f.workshops.confirmProposal(b.room.id)).toMatchObject({ intoConfirmed: false, fromConfirmed: true });
      expect(await f.workshops.confirmProposal(a.room.id)).toMatchObject({ intoConfirmed: true, fromConfirmed: true });
      expect(await f.workshops.confirmProposal(newId())).toBeNull();
      // completing it (the person of `from` moves) removes it with room `from`
      expect(await f.workshops.movePartner(b.room.id, a.room.id, T0 + 1)).toBe(b.creator.id);
      expect(await f.workshops.getProposal(a.room.id)).toBeNull();

      const c = await pairRoom(w.id, 'PQ67');
      const d = await pairRoom(w.id, 'RS89');
      const cd = proposal(w.id, c.room.id, d.room.id);
      await f.workshops.proposePair(cd);
      expect(await f.workshops.deleteProposal(d.room.id)).toEqual(cd);
      expect(await f.workshops.deleteProposal(d.room.id)).toBeNull();
      expect(await f.rooms.listParticipants(c.room.id)).toHaveLength(1);
      expect(await f.rooms.listParticipants(d.room.id)).toHaveLength(1);
      // ending the workshop drops its proposals
      await f.workshops.proposePair(proposal(w.id, c.room.id, d.room.id));
      await f.workshops.endWorkshop(w.id, T0 + 9);
      expect(await f.workshops.getProposal(c.room.id)).toBeNull();
    });

    it('WS9 endWorkshop unlinks every pair room (rooms stay) and is done once', async () => {
      const w = workshopFixture({ timerEndsAt: T0 + 100 });
      await f.workshops.createWorkshop(w);
      const one = await pairRoom(w.id, 'XY23');
      const two = await pairRoom(w.id, 'XY45');
      expect((await f.workshops.endWorkshop(w.id, T0 + 50)).sort()).toEqual([one.room.id, two.room.id].sort());
      expect(await f.workshops.endWorkshop(w.id, T0 + 60)).toEqual([]);
      expect(await f.workshops.getWorkshop(w.id)).toMatchObject({ endedAt: T0 + 50, timerEndsAt: null });
      expect(await f.workshops.listPairs(w.id)).toEqual([]);
      expect(await f.rooms.getRoom(one.room.id)).toMatchObject({ id: one.room.id, workshopId: null });
      expect(await f.rooms.listParticipants(two.room.id)).toHaveLength(1);
    });

    it('WS10 lists workshops ended before a time or still running though made before another; erases only ended ones', async () => {
      const endedLongAgo = workshopFixture();
      const endedRecently = workshopFixture();
      const abandoned = workshopFixture({ createdAt: T0 - 1000 });
      const running = workshopFixture({ createdAt: T0 + 1000 });
      for (const w of [endedLongAgo, endedRecently, abandoned, running]) expect(await f.workshops.createWorkshop(w)).toBe('ok');
      const pair = await pairRoom(endedLongAgo.id, 'QW23');
      await f.workshops.endWorkshop(endedLongAgo.id, T0 + 10);
      await f.workshops.endWorkshop(endedRecently.id, T0 + 500);
      expect((await f.workshops.listExpiredWorkshops(T0 + 100, T0)).sort()).toEqual([endedLongAgo.id, abandoned.id].sort());

      expect(await f.workshops.deleteWorkshop(abandoned.id)).toBe(false); // still running: end it first
      expect(await f.workshops.deleteWorkshop(endedLongAgo.id)).toBe(true);
      expect(await f.workshops.getWorkshop(endedLongAgo.id)).toBeNull();
      expect(await f.workshops.getWorkshop(abandoned.id)).not.toBeNull();
      // the pair's room stays with the pair
      expect(await f.rooms.getRoom(pair.room.id)).toMatchObject({ id: pair.room.id, workshopId: null });
      expect((await f.workshops.listExpiredWorkshops(T0 + 100, T0)).sort()).toEqual([abandoned.id]);
    });

    it('WS12 removePair takes one pair out (room stays, unlinked) with its proposal; the others stay', async () => {
      const w = workshopFixture();
      await f.workshops.createWorkshop(w);
      const gone = await pairRoom(w.id, 'RM23');
      const waiting = await pairRoom(w.id, 'RM45');
      const stays = await pairRoom(w.id, 'RM67');
      await f.workshops.proposePair(proposal(w.id, waiting.room.id, gone.room.id));
      expect(await f.workshops.removePair(gone.room.id)).toBe(true);
      expect(await f.workshops.removePair(gone.room.id)).toBe(false);
      expect(await f.workshops.getPair(gone.room.id)).toBeNull();
      expect(await f.workshops.getProposal(waiting.room.id)).toBeNull();
      expect((await f.workshops.listPairs(w.id)).map((p) => p.roomId).sort()).toEqual([waiting.room.id, stays.room.id].sort());
      expect(await f.rooms.getRoom(gone.room.id)).toMatchObject({ id: gone.room.id, workshopId: null });
      expect(await f.rooms.listParticipants(gone.room.id)).toHaveLength(1);
      expect(await f.rooms.getRoom(stays.room.id)).toMatchObject({ workshopId: w.id });
      expect(await f.workshops.findPairByCode(w.id, 'RM23')).toBeNull();
    });

    it('WS11 a deleted room leaves the workshop with it', async () => {
      const w = workshopFixture();
      await f.workshops.createWorkshop(w);
      const p = await pairRoom(w.id, 'ZA23');
      await f.rooms.deleteRoom(p.room.id, T0 + 1);
      expect(await f.workshops.listPairs(w.id)).toEqual([]);
      expect(await f.workshops.getPair(p.room.id)).toBeNull();
    });
  });
}
