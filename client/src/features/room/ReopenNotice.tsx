import type { Section } from '@parley/shared/template/schema';
import { useRoom, useRoomState, useSectionStatus } from '../../lib/room-context';
import { formatWhen, strings } from '../../lib/strings';

/**
 * In a section the partner reopened: who did it, when and why, so a reveal never just
 * disappears. Shown for the round they opened, until the section is revealed again.
 */
export function ReopenNotice({ section }: { section: Section }) {
  const { seat, names } = useRoom();
  const { history } = useRoomState();
  const status = useSectionStatus(section);
  if (status.state !== 'open' || status.round < 2) return null;
  const event = [...history].reverse().find((e) => e.type === 'reopened' && e.sectionId === section.id && e.round === status.round);
  if (!event?.seat || event.seat === seat) return null;
  return (
    <aside className="reopen-notice" role="status" data-testid="reopen-notice">
      <p>{strings.room.reopenedBy(names[event.seat], status.round, formatWhen(event.at))}</p>
      {event.note && <blockquote className="reopen-notice__note">{event.note}</blockquote>}
    </aside>
  );
}
