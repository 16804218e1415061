import type { Answer } from '@parley/shared/protocol/answers';
import { docName } from '@parley/shared/protocol/ids';
import { PRIVATE_DOC_KEYS } from '@parley/shared/protocol/room-doc';
import type { Question, Template } from '@parley/shared/template/schema';
import type { RevealService } from '../reveal/reveal-service';
import type { RoomStore } from '../store/room-store';
import type { DocHub } from '../yjs/doc-hub';
import { Origin } from '../yjs/live-doc';

export const DEMO_PARTNER_NAME = 'Demo partner';
const DEMO_TEXT = 'Demo answer — made up by the practice partner.';

/** An obviously made-up answer for one question, so a projector never shows anything real. */
export function demoAnswer(q: Question, at: number): Answer {
  switch (q.type) {
    case 'rating':
      return { rating: 'curious', updatedAt: at };
    case 'dual_rating':
      return { giving: 'yes', receiving: 'curious', updatedAt: at };
    case 'choice':
      return { choice: q.options[0]?.id ?? '', updatedAt: at };
    case 'multi':
      return { choices: q.options.slice(0, 1).map((o) => o.id), updatedAt: at };
    case 'scale':
      return { scale: 3, updatedAt: at };
    case 'text':
      return { text: DEMO_TEXT, updatedAt: at };
  }
}

/**
 * The scripted partner of a practice pair: once the facilitator's demo seat (a) marks a
 * section ready, it fills made-up answers for that section into its own private doc and marks
 * ready too, so the reveal can be shown without anyone's real answers.
 */
export class DemoPartner {
  private readonly busy = new Set<string>();
  /** rooms that changed while their response was running: run once more afterwards */
  private readonly again = new Set<string>();

  constructor(
    private readonly deps: { rooms: RoomStore; hub: DocHub; reveal: RevealService; now: () => number },
  ) {}

  async respond(roomId: string, template: Template): Promise<void> {
    if (this.busy.has(roomId)) {
      this.again.add(roomId);
      return;
    }
    this.busy.add(roomId);
    try {
      const participants = await this.deps.rooms.listParticipants(roomId);
      const demo = participants.find((p) => p.seat === 'b');
      if (!demo) return;
      const waiting = (await this.deps.rooms.listSections(roomId)).filter((s) => s.state === 'open' && s.readyA && !s.readyB);
      for (const row of waiting) {
        const section = template.sections.find((s) => s.id === row.sectionId);
        if (!section) continue;
        const at = this.deps.now();
        await this.deps.hub.read(docName.private(roomId, demo.id), (live) => {
          const answers = live.doc.getMap(PRIVATE_DOC_KEYS.answers);
          live.doc.transact(() => {
            for (const q of section.items) if (!answers.has(q.id)) answers.set(q.id, demoAnswer(q, at));
          }, Origin.server);
        });
        await this.deps.hub.flushed();
        await this.deps.reveal.markReady(demo, row.sectionId, true);
      }
    } finally {
      this.busy.delete(roomId);
    }
    if (this.again.delete(roomId)) await this.respond(roomId, template);
  }
}
