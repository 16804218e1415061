import { navigate } from '../../lib/router';
import { strings } from '../../lib/strings';
import { CreateRoomForm } from './CreateRoomForm';

/** The start page: what Parley is, in two sentences, and a room in one form. */
export function LandingPage() {
  return (
    <main id="main" className="page page--narrow" tabIndex={-1}>
      <section className="hero">
        <h1 className="hero__title">{strings.landing.title}</h1>
        <p className="hero__lead">{strings.landing.lead}</p>
        <ul className="hero__points">
          {strings.landing.points.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="start-heading">
        <h2 id="start-heading">{strings.landing.startHeading}</h2>
        <CreateRoomForm onCreated={(roomId) => navigate(`/r/${encodeURIComponent(roomId)}/invite`)} />
      </section>
      <nav className="workshop-links" aria-label={strings.workshop.linksLabel}>
        <a href="/j">{strings.workshop.joinLink}</a>
        <a href="/workshop">{strings.workshop.landingLink}</a>
      </nav>
    </main>
  );
}
