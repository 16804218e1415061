import { useEffect, useRef, useState } from 'react';
import { CopyField } from '../../components/CopyField';
import { Notice } from '../../components/Notice';
import { QrCode } from '../../components/QrCode';
import { downloadText } from '../../lib/download';
import { loadCredentials, resumeUrlFor, type RoomCredentials } from '../../lib/credentials';
import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';
import { usePartnerJoined } from './use-partner-joined';

const roomPath = (roomId: string) => `/r/${encodeURIComponent(roomId)}`;

/**
 * `/r/:roomId/invite`, the "room is ready" page: the invite for the partner, and one's own
 * resume link with its warning. Everything comes from this browser's saved credentials (no
 * secret in the path), so a reload brings the same page back; it says live when the partner
 * has joined.
 */
export function RoomCreated({ roomId }: { roomId: string }) {
  // read once: the invite is forgotten from storage when the partner joins, the page keeps its copy
  const [creds] = useState(() => loadCredentials(roomId));
  if (!creds) {
    return (
      <Notice heading={strings.create.noInviteHeading}>
        <p>{strings.create.noInviteBody}</p>
        <a className="button button--secondary" href="/">
          {strings.common.backHome}
        </a>
      </Notice>
    );
  }
  return <Ready roomId={roomId} creds={creds} />;
}

function Ready({ roomId, creds }: { roomId: string; creds: RoomCredentials }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const state = usePartnerJoined(roomId, creds);
  const resumeUrl = resumeUrlFor(roomId, creds);

  if (state.status === 'gone') {
    return (
      <Notice heading={strings.create.goneHeading}>
        <p>{strings.create.goneBody}</p>
        <a className="button button--secondary" href="/">
          {strings.common.backHome}
        </a>
      </Notice>
    );
  }
  const title = state.status === 'ready' ? state.title : null;
  const partner = state.status === 'ready' ? state.partner : null;

  return (
    <main id="main" className="page page--narrow">
      <h1 ref={headingRef} tabIndex={-1} className="page__title">
        {strings.create.readyHeading}
      </h1>
      {title && <p className="page__subtitle">{title}</p>}

      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">{partner ? strings.create.partnerHeading : strings.create.inviteHeading}</h2>
        {/* a live region from the first render, so the change to "joined" is announced */}
        <p role="status" className={partner ? 'invite-status invite-status--joined' : 'invite-status'}>
          {state.status === 'loading' ? '' : partner ? strings.create.partnerJoined(partner.displayName) : strings.create.waitingForPartner}
        </p>
        {!partner &&
          (creds.inviteUrl ? (
            <div className="invite">
              <CopyField label={strings.links.inviteHeading} value={creds.inviteUrl} help={strings.create.inviteHelp} />
              <QrCode value={creds.inviteUrl} alt={strings.create.qrAlt} />
            </div>
          ) : (
            <p>{strings.create.inviteNotHere}</p>
          ))}
      </section>

      <section className="card card--warning" aria-labelledby="resume-heading">
        <h2 id="resume-heading">{strings.create.resumeHeading}</h2>
        <p className="warning-text">{strings.create.resumeWarning}</p>
        <CopyField label={strings.links.resumeHeading} value={resumeUrl} />
        <button
          type="button"
          className="button button--secondary"
          onClick={() => downloadText(strings.create.resumeFileText(resumeUrl, title), strings.create.resumeFileName)}
        >
          {strings.create.downloadResume}
        </button>
      </section>

      <div className="actions">
        <button type="button" className="button button--primary" onClick={() => navigate(roomPath(roomId))}>
          {strings.create.enterRoom}
        </button>
      </div>
    </main>
  );
}
