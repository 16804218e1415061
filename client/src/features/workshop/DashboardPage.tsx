import { useState } from 'react';
import { CopyField } from '../../components/CopyField';
import { QrCode } from '../../components/QrCode';
import { strings } from '../../lib/strings';
import { useDashboard } from './facilitator';
import { FacilitatorOnly, FacilitatorWaiting } from './FacilitatorOnly';
import { PacingPanel } from './PacingPanel';
import { PairTable } from './PairTable';
import { SectionOverview } from './SectionOverview';

export function DashboardPage({ workshopId }: { workshopId: string }) {
  return <FacilitatorOnly workshopId={workshopId}>{(token) => <LiveDashboard workshopId={workshopId} token={token} />}</FacilitatorOnly>;
}

function LiveDashboard({ workshopId, token }: { workshopId: string; token: string }) {
  const { state, connection, command } = useDashboard(workshopId, token);
  const [dashboardUrl] = useState(() => sessionStorage.getItem(`parley:workshop-new:${workshopId}`));

  if (connection === 'unauthorized' || !state) return <FacilitatorWaiting refused={connection === 'unauthorized'} />;

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
              <p className="hint">{strings.workshop.projectorHelp}</p>
              <a className="button button--primary" href={`/w/${encodeURIComponent(workshopId)}/projector`} target="_blank" rel="noopener">
                {strings.workshop.projector}
              </a>
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

          <SectionOverview state={state} />
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

