import { LandingPage } from '../features/create/LandingPage';
import { JoinPage } from '../features/join/JoinPage';
import { RoomPage } from '../features/room/RoomPage';
import { AgreementView } from '../features/agreement/AgreementView';
import { RevealView, SectionHistory } from '../features/reveal/RevealView';
import { Notice } from '../components/Notice';
import { CreateWorkshopPage } from '../features/workshop/CreateWorkshopPage';
import { DashboardPage } from '../features/workshop/DashboardPage';
import { JoinWorkshopPage } from '../features/workshop/JoinWorkshopPage';
import type { SectionRenderers } from '../lib/room-context';
import { parseRoute, usePathname } from '../lib/router';
import { strings } from '../lib/strings';

/** The room feature asks the app for the parts that belong to the reveal and agreement features. */
const renderers: SectionRenderers = {
  revealed: (section, { justRevealed }) => (
    <RevealView key={section.id} section={section} justRevealed={justRevealed} />
  ),
  agreement: (section) => <AgreementView key={section.id} section={section} />,
  history: (section) => <SectionHistory key={`history-${section.id}`} section={section} />,
};

export function App() {
  const route = parseRoute(usePathname());
  return (
    <>
      <a className="skip-link" href="#main">
        {strings.skipToContent}
      </a>
      {route.name === 'home' && <LandingPage />}
      {route.name === 'join' && <JoinPage key={route.roomId} roomId={route.roomId} />}
      {route.name === 'room' && <RoomPage key={route.roomId} roomId={route.roomId} renderers={renderers} />}
      {route.name === 'workshopNew' && <CreateWorkshopPage />}
      {route.name === 'workshopJoin' && <JoinWorkshopPage key={route.code ?? ''} code={route.code} />}
      {route.name === 'dashboard' && <DashboardPage key={route.workshopId} workshopId={route.workshopId} />}
      {route.name === 'notFound' && (
        <Notice heading={strings.appName}>
          <a className="button button--secondary" href="/">
            {strings.common.backHome}
          </a>
        </Notice>
      )}
    </>
  );
}
