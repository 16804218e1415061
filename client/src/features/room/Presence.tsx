import type { Template } from '@parley/shared/template/schema';
import type { PresenceParticipant } from '@parley/shared/protocol/socket';
import type { ConnectionState } from '../../lib/room-session';
import { formatWhen, strings } from '../../lib/strings';

interface PartnerProps {
  partner: PresenceParticipant | undefined;
  /** our own connection is down: what we last heard of the partner may no longer hold */
  connected: boolean;
  name: string;
  joined: boolean;
  paused: boolean;
  template: Template;
}

/** “Sam: online · on Safety & signals” — where the partner is, never what they typed. */
export function PartnerPresence({ partner, name, joined, paused, template, connected }: PartnerProps) {
  if (!joined && !partner) {
    return <p className="presence presence--alone">{strings.presence.alone}</p>;
  }
  if (!connected) {
    return (
      <p className="presence presence--unknown" data-testid="partner-presence">
        <span className="presence__dot" aria-hidden="true" />
        {strings.presence.summary(name, [strings.presence.unknown])}
      </p>
    );
  }
  const online = partner?.online ?? false;
  const parts: string[] = [online ? strings.presence.online : strings.presence.offline];
  const focus = partner?.focus ? template.sections.find((s) => s.id === partner.focus) : undefined;
  if (online && focus) parts.push(strings.presence.on(focus.title));
  if (!online && partner?.lastSeen) parts.push(strings.presence.lastSeen(formatWhen(partner.lastSeen)));
  if (paused) parts.push(strings.presence.paused);
  return (
    <p className={`presence${online ? ' presence--online' : ''}`} data-testid="partner-presence">
      <span className="presence__dot" aria-hidden="true" />
      {strings.presence.summary(name, parts)}
    </p>
  );
}

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const text =
    state === 'online' ? strings.connection.online
    : state === 'offline' ? strings.connection.offline
    : strings.connection.reconnecting;
  return (
    <p className={`connection connection--${state}`} role="status" data-state={state} data-testid="connection">
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__text">{text}</span>
    </p>
  );
}
