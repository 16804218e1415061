import { Countdown } from '../../components/Countdown';
import { QrCode } from '../../components/QrCode';
import { strings } from '../../lib/strings';
import { useProjector } from './facilitator';
import { FacilitatorOnly, FacilitatorWaiting } from './FacilitatorOnly';

/**
 * The screen everyone in the room looks at: the join code, the timer, the facilitator's last
 * message to all and the section in play. It opens its own `view: "projector"` connection, so
 * no pair, no name and no per-pair message ever reaches this browser tab.
 */
export function ProjectorPage({ workshopId }: { workshopId: string }) {
  return <FacilitatorOnly workshopId={workshopId}>{(token) => <LiveProjector workshopId={workshopId} token={token} />}</FacilitatorOnly>;
}

function LiveProjector({ workshopId, token }: { workshopId: string; token: string }) {
  const { projector, connection } = useProjector(workshopId, token);
  if (connection === 'unauthorized' || !projector) return <FacilitatorWaiting refused={connection === 'unauthorized'} />;
  const joinAt = strings.workshop.joinAt(projector.joinUrl.replace(/\/j\/.*$/, '/j'));
  return (
    <main id="main" className="projector" tabIndex={-1} aria-label={strings.workshop.projectorLabel}>
      <h1 className="projector__title">{projector.title}</h1>
      {projector.ended ? (
        <p className="projector__section">{strings.workshop.projectorEnded}</p>
      ) : (
        <div className="projector__grid">
          <section className="projector__join" aria-label={strings.workshop.joinCodeLabel}>
            <p className="projector__url">{joinAt}</p>
            <p className="projector__code" aria-label={projector.joinCode.split('').join(' ')}>
              {projector.joinCode}
            </p>
            <div className="projector__qr">
              <QrCode value={projector.joinUrl} alt={strings.workshop.qrAlt} />
            </div>
          </section>
          <section className="projector__now" aria-label={strings.workshop.pacingHeading}>
            <p className="projector__section">{projector.section ? strings.workshop.projectorSection(projector.section.number, projector.section.title) : strings.workshop.projectorNoSection}</p>
            {projector.timerEndsAt !== null && <Countdown className="projector__timer" endsAt={projector.timerEndsAt} />}
            {projector.message && (
              <blockquote className="projector__message">
                <p className="projector__from">{strings.workshop.projectorPrompt}</p>
                <p>{projector.message.message}</p>
              </blockquote>
            )}
          </section>
        </div>
      )}
      <a className="button button--secondary projector__back" href={`/w/${encodeURIComponent(workshopId)}`}>
        {strings.workshop.projectorClose}
      </a>
    </main>
  );
}
