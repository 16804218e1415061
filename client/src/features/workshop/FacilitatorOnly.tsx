import type { ReactNode } from 'react';
import { Notice } from '../../components/Notice';
import { strings } from '../../lib/strings';
import { useFacilitatorToken } from './facilitator';

/**
 * A facilitator's page: rendered with the token this browser holds for `workshopId`, or a
 * notice that it holds none (the dashboard link was opened elsewhere).
 */
export function FacilitatorOnly({ workshopId, children }: { workshopId: string; children: (token: string) => ReactNode }) {
  const token = useFacilitatorToken(workshopId);
  if (!token) {
    return (
      <Notice heading={strings.appName}>
        <p>{strings.workshop.missingToken}</p>
      </Notice>
    );
  }
  return children(token);
}

/** What a facilitator's page shows while its connection is refused, or not yet answered. */
export function FacilitatorWaiting({ refused }: { refused: boolean }) {
  if (refused) {
    return (
      <Notice heading={strings.appName}>
        <p>{strings.workshop.unauthorized}</p>
      </Notice>
    );
  }
  return (
    <main id="main" className="page loading" aria-busy="true">
      <p role="status">{strings.workshop.dashboardLoading}</p>
    </main>
  );
}
