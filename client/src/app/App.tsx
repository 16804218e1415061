import { lazy, Suspense } from 'react';
import { LandingPage } from '../features/create/LandingPage';
import { JoinPage } from '../features/join/JoinPage';
import { Notice } from '../components/Notice';
import { parseRoute, usePathname } from '../lib/router';
import { strings } from '../lib/strings';

// The landing and join pages ship in the entry chunk; everything else (Yjs, socket.io, the
// room, reveal, agreement and workshop code) loads when its route is first visited.
const RoomRoute = lazy(() => import('./RoomRoute'));
const RoomCreated = lazy(() => import('../features/create/RoomCreated').then((m) => ({ default: m.RoomCreated })));
const CreateWorkshopPage = lazy(() =>
  import('../features/workshop/CreateWorkshopPage').then((m) => ({ default: m.CreateWorkshopPage })),
);
const WorksheetPage = lazy(() => import('../features/workshop/worksheet/WorksheetPage').then((m) => ({ default: m.WorksheetPage })));
const DashboardPage = lazy(() => import('../features/workshop/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const ProjectorPage = lazy(() => import('../features/workshop/ProjectorPage').then((m) => ({ default: m.ProjectorPage })));
const JoinWorkshopPage = lazy(() =>
  import('../features/workshop/JoinWorkshopPage').then((m) => ({ default: m.JoinWorkshopPage })),
);

/** Shown while a route's code loads: the same calm frame the room shows while it connects. */
function RouteLoading({ text }: { text: string }) {
  return (
    <main id="main" className="page page--narrow loading" aria-busy="true">
      <p role="status">{text}</p>
    </main>
  );
}

export function App() {
  const route = parseRoute(usePathname());
  return (
    <>
      <a className="skip-link" href="#main">
        {strings.skipToContent}
      </a>
      {route.name === 'home' && <LandingPage />}
      {route.name === 'join' && <JoinPage key={route.roomId} roomId={route.roomId} />}
      <Suspense fallback={<RouteLoading text={route.name === 'room' ? strings.common.loading : strings.common.loadingPage} />}>
        {route.name === 'room' && <RoomRoute key={route.roomId} roomId={route.roomId} />}
        {route.name === 'invite' && <RoomCreated key={route.roomId} roomId={route.roomId} />}
        {route.name === 'workshopNew' && <CreateWorkshopPage />}
        {route.name === 'worksheet' && <WorksheetPage key={route.workshopId} workshopId={route.workshopId} />}
        {route.name === 'workshopJoin' && <JoinWorkshopPage key={route.code ?? ''} code={route.code} />}
        {route.name === 'dashboard' && <DashboardPage key={route.workshopId} workshopId={route.workshopId} />}
        {route.name === 'projector' && <ProjectorPage key={route.workshopId} workshopId={route.workshopId} />}
      </Suspense>
      {route.name === 'notFound' && (
        <Notice heading={strings.notFound.heading}>
          <p>{strings.notFound.body}</p>
          <a className="button button--secondary" href="/">
            {strings.common.backHome}
          </a>
        </Notice>
      )}
    </>
  );
}
