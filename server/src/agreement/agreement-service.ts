import { agreementToMarkdown, currentAgreement, type Agreement } from '@parley/shared/agreement/build';
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
 * in the agreement changes.
 */
export class AgreementService {
  constructor(private readonly deps: AgreementDeps) {}

  async current(roomId: string): Promise<{ agreement: Agreement; hash: string }> {
    const room = await this.deps.rooms.getRoom(roomId);
    if (!room) throw new ParleyError('not_found', 'This room no longer exists.');
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

  async export(participant: ParticipantRecord, format: 'json' | 'md'): Promise<{ body: string; contentType: string }> {
    const { agreement, hash } = await this.current(participant.roomId);
    if (format === 'md') return { body: agreementToMarkdown(agreement), contentType: 'text/markdown; charset=utf-8' };
    const confirmations = await this.deps.roomDocs.read(participant.roomId, (doc) => doc.confirmations);
    const confirmedBy = (['a', 'b'] as const).filter((seat) => confirmations[seat]?.hash === hash);
    return { body: JSON.stringify({ ...agreement, hash, confirmedBy }), contentType: 'application/json; charset=utf-8' };
  }

  async confirm(participant: ParticipantRecord, hash: string): Promise<{ hash: string }> {
    return this.deps.roomDocs.change(participant.roomId, async (doc) => {
      const current = await this.current(participant.roomId);
      if (current.hash !== hash) {
        throw new ParleyError('stale', 'The agreement changed since you loaded it. Read it again, then confirm.');
      }
      const at = this.deps.now();
      doc.write((d) => {
        d.setConfirmation(participant.seat, hash, at);
        d.addHistory({ type: 'confirmed', seat: participant.seat, at });
      });
      return { hash };
    });
  }

  async setReviewDate(participant: ParticipantRecord, date: string | null): Promise<void> {
    await this.deps.roomDocs.change(participant.roomId, (doc) => {
      const at = this.deps.now();
      doc.write((d) => {
        d.setReviewDate(date);
        d.addHistory({ type: 'review_date', seat: participant.seat, at });
      });
    });
  }
}
