import type { ReactNode } from 'react';
import type { Section } from '@parley/shared/template/schema';
import { FormError } from '../../components/form/FormError';
import { errorWords } from '../../lib/error-words';
import { useRoom, useSealedRoom, useSectionStatus } from '../../lib/room-context';
import { isLocked, useRoomWorkshop } from './room-workshop';
import { strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';

export const readyButtonId = (sectionId: string) => `ready-button-${sectionId}`;

interface Props {
  section: Section;
  progress: { answered: number; total: number };
  /** the way to a category, kept in reach with the ready button */
  jump: ReactNode;
}

/**
 * Mark a section ready (or take it back), and see where both of you stand — without nudges.
 * It stays at the bottom of the screen while the section's form scrolls, with the count of
 * answered items, so neither the count nor the button is ever 60 items away.
 */
export function ReadyBar({ section, progress, jump }: Props) {
  const { session, seat, partnerSeat, names, partnerJoined, sealed } = useRoom();
  const sealedRoom = useSealedRoom();
  const status = useSectionStatus(section);
  const { workshop } = useRoomWorkshop();
  const mine = status.ready[seat];
  const theirs = status.ready[partnerSeat];
  const toggle = useCommand(
    async () => {
      // A sealed room's ready mark carries this person's own side, sealed for the partner (docs/sealed-rooms.md §5, §6).
      if (!mine && sealedRoom) return sealedRoom.uploads.markReady(section.id, status.round);
      if (mine) sealedRoom?.uploads.withdraw(section.id);
      const ack = await session.command('section:ready', { sectionId: section.id, ready: !mine });
      if (!ack.ok && mine) sealedRoom?.uploads.withdrawFailed(section.id);
      return ack;
    },
    { failed: (error) => errorWords(error, {}, strings.ready.failed) },
  );

  // In a workshop a ready mark waits for a confirmed partner (the server refuses it before),
  // and for the facilitator to open the section when they keep sections locked.
  // A sealed room's ready mark waits for the partner's keys: there is no one to seal it for before.
  const waiting = !mine && workshop && !workshop.practice && !partnerJoined
    ? { heading: strings.workshop.aloneHeading, body: strings.workshop.aloneBody }
    : !mine && isLocked(workshop, section.id)
      ? { heading: strings.workshop.lockedHeading, body: strings.workshop.lockedBody }
      : !mine && sealed && !sealedRoom
        ? { heading: strings.workshop.aloneHeading, body: strings.sealed.readyNeedsPartner }
        : null;
  const count = progress.total > 0 && (
    <p className="ready__count" data-testid="answered-count">
      {strings.room.progress(progress.answered, progress.total)}
    </p>
  );
  if (waiting) {
    return (
      <section className="ready ready--locked" aria-labelledby={`ready-${section.id}`}>
        <h2 id={`ready-${section.id}`} className="ready__heading">
          {waiting.heading}
        </h2>
        <p className="hint">{waiting.body}</p>
        {count}
        {jump}
      </section>
    );
  }

  return (
    <>
      <p className="hint ready-explain">{strings.ready.explain}</p>
      <section className="ready ready--sticky" aria-labelledby={`ready-${section.id}`}>
        <h2 id={`ready-${section.id}`} className="visually-hidden">
          {strings.ready.heading}
        </h2>
        <div className="ready__line">
          {count}
          <ul className="ready__states" aria-live="polite">
            <li className={mine ? 'ready__state ready__state--on' : 'ready__state'} data-testid="ready-me">
              <span className="ready__who">{strings.ready.you}</span>
              <span className="ready__what">{mine ? strings.ready.isReady : strings.ready.notYet}</span>
            </li>
            {partnerJoined && (
              <li className={theirs ? 'ready__state ready__state--on' : 'ready__state'} data-testid="ready-partner">
                <span className="ready__who">{names[partnerSeat]}</span>
                <span className="ready__what">{theirs ? strings.ready.isReady : strings.ready.notYet}</span>
              </li>
            )}
          </ul>
        </div>
        <div className="ready__actions">
          {jump}
          <button
            id={readyButtonId(section.id)}
            type="button"
            className={mine ? 'button button--secondary' : 'button button--primary'}
            onClick={() => void toggle.run()}
            disabled={toggle.busy}
            aria-pressed={mine}
          >
            {mine ? strings.ready.markNotReady : strings.ready.markReady}
          </button>
        </div>
        <FormError message={toggle.error} takeFocus={false} />
      </section>
    </>
  );
}
