import { useEffect, useState } from 'react';
import type { WorkshopState } from '@parley/shared/protocol/workshop';
import { CopyField } from '../../components/CopyField';
import { Notice } from '../../components/Notice';
import { QrCode } from '../../components/QrCode';
import { takeFragmentParam } from '../../lib/credentials';
import { strings } from '../../lib/strings';
import { loadFacilitatorToken, saveFacilitatorToken, useDashboard } from './facilitator';
import { PacingPanel } from './PacingPanel';
import { PairTable } from './PairTable';

/** Takes the facilitator token from the link's fragment (or this browser's storage). */
function useFacilitatorToken(workshopId: string): string | null {
  const [token] = useState(() => {
    const fromLink = takeFragmentParam('f');
    if (fromLink) saveFacilitatorToken(workshopId, fromLink);
    return fromLink ?? loadFacilitatorToken(workshopId);
  });
  return token;
}

export function DashboardPage({ workshopId }: { workshopId: string }) {
  const token = useFacilitatorToken(workshopId);
  if (!token) {
    return (
      <Notice heading={strings.appName}>
        <p>{strings.workshop.missingToken}</p>
      </Notice>
    );
  }
  return <LiveDashboard workshopId={workshopId} token={token} />;
}

function LiveDashboard({ workshopId, token }: { workshopId: string; token: string }) {
  const { state, connection, command } = useDashboard(workshopId, token);
  const [projector, setProjector] = useState(false);
  const [dashboardUrl] = useState(() => sessionStorage.getItem(`parley:workshop-new:${workshopId}`));

  useEffect(() => {
    if (!projector) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setProjector(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [projector]);

  if (connection === 'unauthorized') {
    return (
      <Notice heading={strings.appName}>
        <p>{strings.workshop.unauthorized}</p>
      </Notice>
    );
  }
  if (!state) {
    return (
      <main id="main" className="page loading" aria-busy="true">
        <p role="status">{strings.workshop.dashboardLoading}</p>
      </main>
    );
  }
  if (projector) return <ProjectorView state={state} onClose={() => setProjector(false)} />;

  return (
    <main id="main" className="page page--wide dashboard" tabIndex={-1}>
      <header className="dashboard__header">
        <div>
          <p className="dashboard__kicker">
            {strings.appName} · {state.facilitatorName}
          </p>
          <h1 className="dashboard__title">{state.title}</h1>
        </div>
        <span className={connection === 'live' ? 'badge badge--ok' : 'badge'} role="status">
          {connection === 'live' ? strings.workshop.connection.online : strings.workshop.connection.offline}
        </span>
      </header>

      {state.ended ? (
        <section className="card">
          <p>{strings.workshop.ended}</p>
        </section>
      ) : (
        <>
          <section className="card join-panel" aria-labelledby="join-heading">
            <div className="join-panel__text">
              <h2 id="join-heading">{strings.workshop.joinCodeLabel}</h2>
              <p className="join-code" aria-label={state.joinCode.split('').join(' ')}>
                {state.joinCode}
              </p>
              <p className="join-panel__url">{strings.workshop.joinAt(state.joinUrl.replace(/\/j\/.*$/, '/j'))}</p>
              <button type="button" className="button button--primary" onClick={() => setProjector(true)}>
                {strings.workshop.projector}
              </button>
            </div>
            <QrCode value={state.joinUrl} alt={strings.workshop.qrAlt} />
          </section>

          {dashboardUrl && (
            <section className="card card--warning" aria-labelledby="dash-link-heading">
              <h2 id="dash-link-heading">{strings.workshop.dashboardLinkHeading}</h2>
              <p className="warning-text">{strings.workshop.dashboardLinkWarning}</p>
              <CopyField label={strings.workshop.dashboardLinkHeading} value={dashboardUrl} />
            </section>
          )}

          <PairTable state={state} command={command} />
          <PacingPanel state={state} command={command} />
          <p className="workshop-links">
            <a href={`/w/${encodeURIComponent(workshopId)}/worksheet`}>{strings.worksheet.editWorksheet}</a>
          </p>
        </>
      )}
    </main>
  );
}

/** The join code as large as the screen allows, for the projector. */
function ProjectorView({ state, onClose }: { state: WorkshopState; onClose: () => void }) {
  return (
    <main id="main" className="projector" tabIndex={-1}>
      <h1 className="projector__title">{state.title}</h1>
      <p className="projector__url">{strings.workshop.joinAt(state.joinUrl.replace(/\/j\/.*$/, '/j'))}</p>
      <p className="projector__code" aria-label={state.joinCode.split('').join(' ')}>
        {state.joinCode}
      </p>
      <div className="projector__qr">
        <QrCode value={state.joinUrl} alt={strings.workshop.qrAlt} />
      </div>
      <button type="button" className="button button--secondary" onClick={onClose}>
        {strings.workshop.projectorClose}
      </button>
    </main>
  );
}
