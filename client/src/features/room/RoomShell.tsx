import { useEffect, useRef, useState } from 'react';
import type { Question, Section } from '@parley/shared/template/schema';
import { Disclosure } from '../../components/Disclosure';
import { Notice } from '../../components/Notice';
import { forgetRoom, loadCredentials, markPrimerSeen, primerSeen } from '../../lib/credentials';
import { useRoom, useRoomState } from '../../lib/room-context';
import type { SectionRenderers } from '../../lib/room-context';
import type { SessionState } from '../../lib/room-session';
import { strings } from '../../lib/strings';
import { DeleteRoomDialog } from './DeleteRoom';
import { ItemEditor } from './ItemEditor';
import { LinksDialog } from './LinksDialog';
import { SharedNotes } from './Notes';
import { PauseDialog, PauseScreen } from './Pause';
import { ConnectionBadge, PartnerPresence } from './Presence';
import { PrimerDialog } from './Primer';
import { SignalsButton } from './Signals';
import { DeletedNotice } from './RoomGone';
import { SectionForm } from './SectionForm';
import { SectionNav } from './SectionNav';
import { WorkshopBar } from './WorkshopBar';
import { IncomingSignal, SoundToggle } from './scene/IncomingSignal';
import { HowAreYouNow, SceneEnded, SceneLog, StartSceneDialog } from './scene/SceneAfter';
import { SceneMode } from './scene/SceneMode';
import { useSceneChannel, useSceneDoc } from './scene/use-scene';
import { sceneActive, type SceneState } from '@parley/shared/protocol/scene';

type Open = null | 'primer' | 'links' | 'pause' | 'delete' | 'scene';

const editItem = (question: Question) => <ItemEditor question={question} />;

const sectionKey = (roomId: string) => `parley:section:${roomId}`;

export function RoomShell({ renderers, sessionState }: { renderers: SectionRenderers; sessionState: SessionState }) {
  const { roomId, template, session, seat, partnerSeat, names, partnerJoined, view } = useRoom();
  const room = useRoomState();
  const sections = template.sections;
  const [currentId, setCurrentId] = useState<string>(() => {
    const saved = sessionStorage.getItem(sectionKey(roomId));
    return sections.some((s) => s.id === saved) ? (saved as string) : (sections[0]?.id ?? '');
  });
  const [open, setOpen] = useState<Open>(() => (primerSeen(roomId) ? null : 'primer'));
  const [navOpen, setNavOpen] = useState(false);
  const [deletedByMe, setDeletedByMe] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const channel = useSceneChannel(session, seat);
  const { scene } = useSceneDoc();
  const inScene = sceneActive(scene);
  // A scene that ends while this screen is open shows its aftercare here; "how are you now"
  // waits for the next time the room is opened.
  const [endedHere, setEndedHere] = useState<SceneState | null>(null);
  const wasInScene = useRef(inScene);
  useEffect(() => {
    if (wasInScene.current && !inScene && scene) setEndedHere(scene);
    wasInScene.current = inScene;
  }, [inScene, scene]);
  const [sawSceneEnd, setSawSceneEnd] = useState(false);
  useEffect(() => {
    if (endedHere) setSawSceneEnd(true);
  }, [endedHere]);

  const index = Math.max(0, sections.findIndex((s) => s.id === currentId));
  const current = sections[index] as Section;
  const status = room.sections[current.id];
  const revealed = status?.state === 'revealed';

  // The section was open while being looked at and has just flipped: announce the reveal.
  const seenState = useRef<{ id: string; revealed: boolean }>({ id: current.id, revealed });
  const justRevealed = seenState.current.id === current.id && !seenState.current.revealed && revealed;
  useEffect(() => {
    seenState.current = { id: current.id, revealed };
  }, [current.id, revealed]);

  useEffect(() => {
    sessionStorage.setItem(sectionKey(roomId), current.id);
    session.setFocus(current.id);
    if (moved.current) headingRef.current?.focus();
  }, [current.id, roomId, session]);

  const select = (id: string) => {
    moved.current = true;
    setNavOpen(false);
    setCurrentId(id);
  };

  if (deletedByMe) return <DeletedNotice byMe />;
  if (sessionState.ended) return <EndedNotice reason={sessionState.ended} />;

  const pause = room.meta.paused;
  const heard = sessionState.presence.find((p) => p.seat === partnerSeat);
  // In a sealed room the server does not know the partner's section; sealed awareness does.
  const partner = heard && view.sealed ? { ...heard, focus: sessionState.sealedFocus[partnerSeat] ?? null } : heard;
  // What needs no reach during a scene sits in the menu; delete is never a stray tap away.
  const menu: [Exclude<Open, null>, string, boolean][] = [
    ['primer', strings.room.primerLink, false],
    ['links', partnerJoined ? strings.room.myLinkLink : strings.room.inviteLink, false],
    ['delete', strings.room.menuDelete, true],
  ];

  return (
    <div className="room">
      <header className="room-header">
        <div className="room-header__brand">
          <span className="brand" aria-hidden="true">
            {strings.appName}
          </span>
          {view.title && <span className="room-header__title">{view.title}</span>}
        </div>
        <div className="room-header__status">
          <PartnerPresence
            partner={partner}
            name={names[partnerSeat]}
            joined={partnerJoined}
            paused={!!pause}
            template={template}
            connected={sessionState.connection === 'online'}
          />
          <ConnectionBadge state={sessionState.connection} />
        </div>
        <div className="room-header__actions">
          <SignalsButton onOpenSection={select} />
          {!inScene && (
            <button type="button" className="button button--quiet" onClick={() => setOpen('scene')} aria-label={strings.scene.startLong}>
              {strings.scene.start}
            </button>
          )}
          {!pause && (
            <button type="button" className="button button--quiet" onClick={() => setOpen('pause')}>
              {strings.room.menuPause}
            </button>
          )}
          <Disclosure label={strings.room.menu} className="room-menu" toggleClassName="button button--quiet room-menu__toggle">
            {(close) => (
              <ul className="room-menu__list">
                {menu.map(([key, label, danger]) => (
                  <li key={key}>
                    <button
                      type="button"
                      className={`room-menu__item${danger ? ' room-menu__item--danger' : ''}`}
                      onClick={() => {
                        close();
                        setOpen(key);
                      }}
                    >
                      {label}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Disclosure>
        </div>
      </header>

      <WorkshopBar />
      {(sessionState.unreadable.private || sessionState.unreadable.shared) && (
        <p className="unreadable-notice" role="status" data-testid="unreadable">
          {strings.sealedRoom.unreadable}
        </p>
      )}
      {channel && <IncomingSignal channel={channel} />}
      {inScene && channel ? (
        <main id="main" className="room-main room-main--scene" tabIndex={-1}>
          <SceneMode scene={scene} channel={channel} sessionState={sessionState} />
          <SoundToggle />
        </main>
      ) : endedHere ? (
        <main id="main" className="room-main room-main--scene" tabIndex={-1}>
          <SceneEnded scene={endedHere} onClose={() => setEndedHere(null)} />
        </main>
      ) : pause ? (
        <main id="main" className="room-main room-main--paused" tabIndex={-1}>
          <PauseScreen pause={pause} />
        </main>
      ) : (
        <div className="room-layout">
          <aside className={`room-aside${navOpen ? ' room-aside--open' : ''}`}>
            <button
              type="button"
              className="nav-toggle button button--secondary"
              aria-expanded={navOpen}
              aria-controls="section-nav"
              onClick={() => setNavOpen((v) => !v)}
            >
              {strings.room.showSections}
              <span className="nav-toggle__current">
                {index + 1}/{sections.length} · {current.title}
              </span>
            </button>
            <div id="section-nav" className="room-aside__nav">
              <SectionNav sections={sections} current={current.id} seat={seat} onSelect={select} />
            </div>
          </aside>
          <main id="main" className="room-main" tabIndex={-1}>
            <HowAreYouNow skip={sawSceneEnd} />
            <header className="section-header">
              <p className="section-header__kicker">
                {index + 1} / {sections.length}
                {status && status.round > 1 ? ` · ${strings.room.round(status.round)}` : ''}
              </p>
              <h1 ref={headingRef} tabIndex={-1} className="section-header__title">
                {current.title}
              </h1>
              {current.why && (
                <p className="why">
                  <span className="why__label">{strings.room.whyLabel}: </span>
                  {current.why}
                </p>
              )}
            </header>
            {current.kind === 'debrief' && <SceneLog />}
            {current.kind === 'agreement' ? (
              renderers.agreement(current)
            ) : revealed ? (
              <>
                {renderers.revealed(current, { justRevealed, editItem })}
                <details className="edit-after" key={`edit-${current.id}`}>
                  <summary>{strings.room.editAfterReveal}</summary>
                  <p className="hint">{strings.room.editAfterRevealHelp}</p>
                  <SectionForm section={current} afterReveal />
                </details>
              </>
            ) : (
              <>
                <SectionForm key={current.id} section={current} />
                {status && status.round > 1 && renderers.history(current)}
              </>
            )}
            {current.kind !== 'agreement' && <SharedNotes />}
            <nav className="pager" aria-label={strings.room.sectionsNav}>
              {index > 0 && (
                <button type="button" className="button button--secondary" onClick={() => select(sections[index - 1]!.id)}>
                  ← {strings.room.prevSection}
                </button>
              )}
              {index < sections.length - 1 && (
                <button type="button" className="button button--secondary pager__next" onClick={() => select(sections[index + 1]!.id)}>
                  {strings.room.nextSection} →
                </button>
              )}
            </nav>
          </main>
        </div>
      )}

      <PrimerDialog
        open={open === 'primer'}
        first={!primerSeen(roomId)}
        onClose={() => {
          markPrimerSeen(roomId);
          setOpen(null);
          // back to where the person reads on: the section heading, not the button that opened it
          requestAnimationFrame(() => headingRef.current?.focus());
        }}
      />
      <LinksDialog open={open === 'links'} onClose={() => setOpen(null)} inviteUrl={loadCredentials(roomId)?.inviteUrl ?? null} />
      <PauseDialog open={open === 'pause'} onClose={() => setOpen(null)} />
      <StartSceneDialog open={open === 'scene'} onClose={() => setOpen(null)} />
      <DeleteRoomDialog
        open={open === 'delete'}
        onClose={() => setOpen(null)}
        onDeleted={() => {
          session.end('deleted');
          void session.clearLocalData();
          forgetRoom(roomId, { deleted: true });
          setOpen(null);
          setDeletedByMe(true);
        }}
      />
    </div>
  );
}

function EndedNotice({ reason }: { reason: NonNullable<SessionState['ended']> }) {
  const { roomId, session } = useRoom();
  useEffect(() => {
    if (reason === 'deleted') {
      void session.clearLocalData();
      forgetRoom(roomId, { deleted: true });
    }
  }, [reason, roomId, session]);
  if (reason === 'deleted') return <DeletedNotice />;
  return (
    <Notice heading={strings.appName}>
      <p>{reason === 'unauthorized' ? strings.room.unauthorized : strings.room.forbidden}</p>
      <a className="button button--secondary" href="/">
        {strings.common.backHome}
      </a>
    </Notice>
  );
}
