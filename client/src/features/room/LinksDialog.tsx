import { CopyField } from '../../components/CopyField';
import { Dialog } from '../../components/Dialog';
import { QrCode } from '../../components/QrCode';
import { loadCredentials, resumeUrlFor } from '../../lib/credentials';
import { downloadText } from '../../lib/download';
import { useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';

interface Props {
  open: boolean;
  onClose: () => void;
  inviteUrl: string | null;
}

/** The invite (while the partner has not joined) and one's own resume link, any time. */
export function LinksDialog({ open, onClose, inviteUrl }: Props) {
  const { roomId, token, partnerJoined, names, partnerSeat, view } = useRoom();
  const resumeUrl = resumeUrlFor(roomId, loadCredentials(roomId) ?? { token });
  return (
    <Dialog open={open} title={strings.links.dialogTitle} onClose={onClose}>
      <section aria-labelledby="links-invite">
        <h3 id="links-invite">{strings.links.inviteHeading}</h3>
        {partnerJoined ? (
          <p>{strings.links.partnerJoined(names[partnerSeat])}</p>
        ) : inviteUrl ? (
          <div className="invite">
            <CopyField label={strings.links.inviteHeading} value={inviteUrl} help={strings.create.inviteHelp} />
            <QrCode value={inviteUrl} alt={strings.create.qrAlt} />
          </div>
        ) : (
          <p>{strings.links.inviteUnavailable}</p>
        )}
      </section>
      <section aria-labelledby="links-resume">
        <h3 id="links-resume">{strings.links.resumeHeading}</h3>
        <p className="warning-text">{strings.create.resumeWarning}</p>
        <CopyField label={strings.links.resumeHeading} value={resumeUrl} />
        <button
          type="button"
          className="button button--secondary"
          onClick={() => downloadText(strings.create.resumeFileText(resumeUrl, view.title), strings.create.resumeFileName)}
        >
          {strings.create.downloadResume}
        </button>
      </section>
      <div className="actions">
        <button type="button" className="button button--primary" onClick={onClose}>
          {strings.common.close}
        </button>
      </div>
    </Dialog>
  );
}
