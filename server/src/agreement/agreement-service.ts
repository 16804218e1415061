import { agreementToMarkdown, currentAgreement, type Agreement } from '@parley/shared/agreement/build';
import { confirmedSeats } from '@parley/shared/agreement/confirmations';
import { agreementLines } from '@parley/shared/agreement/lines';
import { ParleyError } from '@parley/shared/protocol/errors';
import { docName } from '@parley/shared/protocol/ids';
import type { RoomBroadcaster } from '../lib/broadcaster';
import { readAgreementText } from '../reveal/room-doc';
import type { RoomDocs } from '../rooms/room-docs';
import type { TemplateResolver } from '../templates/template-catalog';
import type { ParticipantRecord, RoomStore } from '../store/room-store';
import type { DocHub } from '../yjs/doc-hub';

export interface AgreementDeps {
  rooms: RoomStore;
  hub: DocHub;
  roomDocs: RoomDocs;
  events: RoomBroadcaster;
  templates: TemplateResolver;
  now: () => number;
}

/**
 * The agreement is derived, never stored: built from revealed sections plus the shared free
 * text. A confirmation stores the hash it confirmed, so it goes stale by itself when anything
 * in the agreement changes. A sealed room's agreement is built and hashed only by its clients
 * (docs/sealed-rooms.md §7): the server stores their keyed hashes and builds nothing.
 */
export class AgreementService {
  constructor(private readonly deps: AgreementDeps) {}

  async current(roomId: string): Promise<{ agreement: Agreement; hash: string }> {
    const room = await this.deps.rooms.getRoom(roomId);
    if (!room) throw new ParleyError('not_found', 'This room no longer exists.');
    // A sealed room's answers and agreement text never reach the server: it has nothing to
    // build an agreement from (sealed-rooms.md §7). Its clients build and hash it themselves.
    if (room.sealed) throw new ParleyError('not_found', 'A sealed room has no agreement on the server.');
    const participants = await this.deps.rooms.listParticipants(roomId);
    const state = await this.deps.roomDocs.read(roomId, (doc) => doc.state());
    const agreementText = await this.deps.hub.readDurable(docName.shared(roomId), (live) => readAgreementText(live.doc));
    const name = (seat: 'a' | 'b') => participants.find((p) => p.seat === seat)?.displayName ?? null;
    return currentAgreement({
      template: await this.deps.templates.require(room.templateId, room.templateVersion),
      room: state,
      agreementText,
      names: { a: name('a'), b: name('b') },
      title: room.title,
    });
  }

  /** The agreement as a file, saying who confirmed it and when (in `timeZone`, the reader's). */
  async export(participant: ParticipantRecord, format: 'json' | 'md', timeZone?: string): Promise<{ body: string; contentType: string }> {
    const { agreement, hash } = await this.current(participant.roomId);
    const confirmations = await this.deps.roomDocs.read(participant.roomId, (doc) => doc.confirmations);
    if (format === 'md') {
      return { body: agreementToMarkdown(agreement, { confirmations, hash, ...(timeZone ? { timeZone } : {}) }), contentType: 'text/markdown; charset=utf-8' };
    }
    const confirmedBy = confirmedSeats(confirmations, hash);
    const confirmed = confirmedBy.map((seat) => ({ seat, at: new Date(confirmations[seat]?.at ?? 0).toISOString() }));
    return { body: JSON.stringify({ ...agreement, hash, confirmedBy, confirmed }), contentType: 'application/json; charset=utf-8' };
  }

  async confirm(participant: ParticipantRecord, hash: string): Promise<{ hash: string }> {
    if (await this.isSealed(participant.roomId)) return this.confirmSealed(participant, hash);
    return this.deps.roomDocs.change(participant.roomId, async (doc) => {
      const current = await this.current(participant.roomId);
      if (current.hash !== hash) {
        throw new ParleyError('stale', 'The agreement changed since you loaded it. Read it again, then confirm.');
      }
      const at = this.deps.now();
      const lines = agreementLines(current.agreement);
      doc.write((d) => {
        d.setConfirmation(participant.seat, hash, at, lines);
        d.addHistory({ type: 'confirmed', seat: participant.seat, at });
      });
      return { hash };
    });
  }

  /**
   * A sealed room's confirmation: the seat's keyed hash (`sealedAgreementHash`, 64 hex like a
   * standard one, checked by the command's schema), stored as it came, replacing the seat's
   * earlier one. The server has no agreement to check it against, so there is no `stale`: each
   * client compares both stored hashes with the hash of what it sees itself
   * (`confirmedInSealedRoom`), and a confirmation of an older agreement simply does not count
   * there. No `lines` either: in a sealed room they would be the agreement in plaintext.
   */
  private async confirmSealed(participant: ParticipantRecord, hash: string): Promise<{ hash: string }> {
    return this.deps.roomDocs.change(participant.roomId, (doc) => {
      const at = this.deps.now();
      doc.write((d) => {
        d.setConfirmation(participant.seat, hash, at);
        d.addHistory({ type: 'confirmed', seat: participant.seat, at });
      });
      return { hash };
    });
  }

  async setReviewDate(participant: ParticipantRecord, date: string | null): Promise<void> {
    // The review date is content (sealed-rooms.md §9): until it can travel sealed, a sealed room has none.
    if (await this.isSealed(participant.roomId)) throw new ParleyError('bad_request', 'A review date cannot be set in a sealed room yet: it would reach the server unsealed.');
    await this.deps.roomDocs.change(participant.roomId, (doc) => {
      const at = this.deps.now();
      doc.write((d) => {
        d.setReviewDate(date);
        d.addHistory({ type: 'review_date', seat: participant.seat, at });
      });
    });
  }

  /**
   * This seat's choice to leave an item out of the agreement, or to take it back. Only an item
   * the current agreement holds can be chosen: one of a revealed section with something shown,
   * so the answer says nothing about a section that is not revealed (`agreement-leave-out`).
   */
  async leaveOut(participant: ParticipantRecord, itemId: string, out: boolean): Promise<void> {
    const { seat, roomId } = participant;
    // Which item a partner leaves out is content, and the server cannot check it against a sealed
    // agreement: until the choice can travel sealed, a sealed room takes none (sealed-rooms.md §7).
    if (await this.isSealed(roomId)) throw new ParleyError('bad_request', 'Items cannot be left out of the agreement in a sealed room yet: the choice would reach the server unsealed.');
    await this.deps.roomDocs.change(roomId, async (doc) => {
      const mine = doc.leftOut[seat];
      if (!out) {
        if (!Object.hasOwn(mine, itemId)) return;
        doc.write((d) => {
          d.setLeftOut(seat, itemId, null);
          d.addHistory({ type: 'put_back', seat, itemId, at: this.deps.now() });
        });
        return;
      }
      const { agreement } = await this.current(roomId);
      if (agreement.leftOut.some((i) => i.id === itemId)) return;
      const section = agreement.sections.find((s) => s.items.some((i) => i.id === itemId));
      if (!section) throw new ParleyError('bad_request', 'Only an item of the agreement can be left out of it.');
      if (mine[itemId] === section.round) return;
      doc.write((d) => {
        d.setLeftOut(seat, itemId, section.round);
        d.addHistory({ type: 'left_out', seat, itemId, sectionId: section.id, round: section.round, at: this.deps.now() });
      });
    });
  }

  /** A room that is gone reads as standard: its commands then fail as they always did. */
  private async isSealed(roomId: string): Promise<boolean> {
    return (await this.deps.rooms.getRoom(roomId))?.sealed ?? false;
  }
}
