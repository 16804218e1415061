import { useEffect, useRef } from 'react';
import type { CreateRoomResponse } from '@parley/shared/protocol/http';
import { CopyField } from '../../components/CopyField';
import { QrCode } from '../../components/QrCode';
import { downloadText } from '../../lib/download';
import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';

interface Props {
  created: CreateRoomResponse;
  title: string | null;
}

/** After creating: the invite for the partner, and one's own resume link with its warning. */
export function RoomCreated({ created, title }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  return (
    <main id="main" className="page page--narrow">
      <h1 ref={headingRef} tabIndex={-1} className="page__title">
        {strings.create.readyHeading}
      </h1>
      {title && <p className="page__subtitle">{title}</p>}

      <section className="card" aria-labelledby="invite-heading">
        <h2 id="invite-heading">{strings.create.inviteHeading}</h2>
        <div className="invite">
          <CopyField label={strings.links.inviteHeading} value={created.invite.url} help={strings.create.inviteHelp} />
          <QrCode value={created.invite.url} alt={strings.create.qrAlt} />
        </div>
      </section>

      <section className="card card--warning" aria-labelledby="resume-heading">
        <h2 id="resume-heading">{strings.create.resumeHeading}</h2>
        <p className="warning-text">{strings.create.resumeWarning}</p>
        <CopyField label={strings.links.resumeHeading} value={created.resumeUrl} />
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            downloadText(strings.create.resumeFileText(created.resumeUrl, title), strings.create.resumeFileName)
          }
        >
          {strings.create.downloadResume}
        </button>
      </section>

      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => navigate(`/r/${encodeURIComponent(created.roomId)}`)}
        >
          {strings.create.enterRoom}
        </button>
      </div>
    </main>
  );
}
