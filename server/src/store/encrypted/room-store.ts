import type { ClaimInviteResult, EscrowChange, EscrowRecord, ParticipantRecord, RoomRecord, RoomStore, SectionRecord } from '../room-store';
import { sealContext, type DataCipher } from './cipher';

/**
 * Encrypts the free text of any `RoomStore`: room titles and display names, each bound to
 * its row's id so it cannot be moved to another room or participant. A sealed room's escrow
 * envelopes get this second layer too, bound to their room, section and seat. Token hashes stay as
 * they are — they are one-way already and must stay lookup-able; ids, section state and
 * timestamps carry no content.
 */
export class EncryptedRoomStore implements RoomStore {
  constructor(
    private readonly inner: RoomStore,
    private readonly cipher: DataCipher,
  ) {}

  createRoom(input: Parameters<RoomStore['createRoom']>[0]): Promise<void> {
    return this.inner.createRoom({ ...input, room: this.sealRoom(input.room), creator: this.sealParticipant(input.creator) });
  }

  claimInvite(roomId: string, inviteHash: Uint8Array, joiner: ParticipantRecord): Promise<ClaimInviteResult> {
    return this.inner.claimInvite(roomId, inviteHash, this.sealParticipant(joiner));
  }

  inviteState(roomId: string, inviteHash: Uint8Array): Promise<'open' | 'used' | 'not_found'> {
    return this.inner.inviteState(roomId, inviteHash);
  }

  async getRoom(roomId: string): Promise<RoomRecord | null> {
    const room = await this.inner.getRoom(roomId);
    return room ? this.openRoom(room) : null;
  }

  async findParticipantByTokenHash(tokenHash: Uint8Array): Promise<ParticipantRecord | null> {
    const participant = await this.inner.findParticipantByTokenHash(tokenHash);
    return participant ? this.openParticipant(participant) : null;
  }

  async listParticipants(roomId: string): Promise<ParticipantRecord[]> {
    return (await this.inner.listParticipants(roomId)).map((p) => this.openParticipant(p));
  }

  listSections(roomId: string): Promise<SectionRecord[]> {
    return this.inner.listSections(roomId);
  }

  getSection(roomId: string, sectionId: string): Promise<SectionRecord | null> {
    return this.inner.getSection(roomId, sectionId);
  }

  saveSections(rows: readonly SectionRecord[], escrow: EscrowChange = {}): Promise<void> {
    const put = escrow.put?.map((e) => ({ ...e, envelope: this.cipher.seal(e.envelope, sealContext.escrow(e.roomId, e.sectionId, e.seat)) }));
    return this.inner.saveSections(rows, { ...escrow, ...(put ? { put } : {}) });
  }

  async listEscrow(roomId: string, sectionId: string): Promise<EscrowRecord[]> {
    return (await this.inner.listEscrow(roomId, sectionId)).map((e) => ({ ...e, envelope: this.cipher.open(e.envelope, sealContext.escrow(e.roomId, e.sectionId, e.seat)) }));
  }

  touchRoom(roomId: string, at: number): Promise<void> {
    return this.inner.touchRoom(roomId, at);
  }

  markErasing(roomId: string, at: number): Promise<boolean> {
    return this.inner.markErasing(roomId, at);
  }

  clearErasing(roomId: string): Promise<void> {
    return this.inner.clearErasing(roomId);
  }

  isRoomLive(roomId: string): Promise<boolean> {
    return this.inner.isRoomLive(roomId);
  }

  listErasingBefore(before: number): Promise<string[]> {
    return this.inner.listErasingBefore(before);
  }

  deleteRoom(roomId: string, at: number): Promise<boolean> {
    return this.inner.deleteRoom(roomId, at);
  }

  isDeletedToken(tokenHash: Uint8Array): Promise<boolean> {
    return this.inner.isDeletedToken(tokenHash);
  }

  purgeTombstones(before: number): Promise<void> {
    return this.inner.purgeTombstones(before);
  }

  listRoomsUntouchedSince(before: number): Promise<string[]> {
    return this.inner.listRoomsUntouchedSince(before);
  }

  private sealRoom(room: RoomRecord): RoomRecord {
    return room.title === null ? room : { ...room, title: this.cipher.sealText(room.title, sealContext.roomTitle(room.id)) };
  }

  private openRoom(room: RoomRecord): RoomRecord {
    return room.title === null ? room : { ...room, title: this.cipher.openText(room.title, sealContext.roomTitle(room.id)) };
  }

  private sealParticipant(p: ParticipantRecord): ParticipantRecord {
    return { ...p, displayName: this.cipher.sealText(p.displayName, sealContext.displayName(p.id)) };
  }

  private openParticipant(p: ParticipantRecord): ParticipantRecord {
    return { ...p, displayName: this.cipher.openText(p.displayName, sealContext.displayName(p.id)) };
  }
}
