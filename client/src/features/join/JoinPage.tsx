import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { NameField } from '../../components/form/Field';
import { FormError } from '../../components/form/FormError';
import { ApiError } from '../../lib/api';
import { errorWords, FORM_WORDS } from '../../lib/error-words';
import { loadCredentials, saveCredentials, takeFragment } from '../../lib/credentials';
import { navigate } from '../../lib/router';
import type { OpenedInvite } from '../../lib/sealed-room';
import { strings } from '../../lib/strings';
import { overHttp, useCommand } from '../../lib/use-command';
import { inviteFromHash, joinWith, loadPreview, type Invite, type Preview } from './join-invite';

interface Props {
  roomId: string;
}

const inviteKey = (roomId: string) => `parley:invite:${roomId}`;

function takeInvite(roomId: string): Invite | null {
  const fromHash = inviteFromHash(takeFragment());
  try {
    if (fromHash) sessionStorage.setItem(inviteKey(roomId), JSON.stringify(fromHash));
    const kept = sessionStorage.getItem(inviteKey(roomId));
    return fromHash ?? (kept ? (JSON.parse(kept) as Invite) : null);
  } catch {
    return fromHash;
  }
}

export function JoinPage({ roomId }: Props) {
  const [invite] = useState(() => takeInvite(roomId));
  const [name, setName] = useState('');
  // What the invite is, before anyone types a name; 'unknown' when the check could not run.
  const [preview, setPreview] = useState<Preview>(invite ? 'loading' : 'unknown');
  const [sealed, setSealed] = useState<OpenedInvite | null>(null);

  useEffect(() => {
    // Already joined in this browser (e.g. the invite was opened twice): go straight in.
    if (!invite && loadCredentials(roomId)) navigate(`/r/${encodeURIComponent(roomId)}`);
  }, [invite, roomId]);

  useEffect(() => {
    if (!invite) return;
    let live = true;
    loadPreview(roomId, invite).then(
      (p) => {
        if (!live) return;
        setPreview(p.preview);
        setSealed(p.sealed);
      },
      (err: unknown) => live && setPreview(err instanceof ApiError && err.code === 'not_found' ? 'not_found' : 'unknown'),
    );
    return () => {
      live = false;
    };
  }, [invite, roomId]);

  const join = useCommand(
    overHttp(async (invite: Invite) => {
      const joined = await joinWith(roomId, invite, sealed, name);
      saveCredentials(joined.roomId, {
        token: joined.token,
        ...(joined.seatSecret ? { seatSecret: joined.seatSecret } : {}),
        ...(joined.inviteSecret ? { inviteSecret: joined.inviteSecret } : {}),
        participantId: joined.participantId,
        seat: joined.seat,
      });
      forgetInvite(roomId);
      navigate(`/r/${encodeURIComponent(joined.roomId)}`);
    }),
    { failed: (failure) => errorWords(failure, JOIN_WORDS) },
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (invite && name.trim()) void join.run(invite);
  };

  const dead =
    typeof preview === 'object' && preview.status === 'used'
      ? { heading: strings.join.usedHeading, body: strings.join.inviteUsed }
      : preview === 'not_found'
        ? { heading: strings.join.notFoundHeading, body: strings.join.inviteNotFound }
        : preview === 'partner_key'
          ? { heading: strings.join.notFoundHeading, body: strings.sealedRoom.partnerKeyUnchecked }
          : null;

  return (
    <main id="main" className="page page--narrow" tabIndex={-1}>
      <section className="hero">
        <h1 className="hero__title">{dead ? dead.heading : strings.join.heading}</h1>
        {typeof preview === 'object' && preview.status === 'open' && (
          <p className="hero__invited" data-testid="invited-by">
            {preview.title ? strings.join.invitedTo(preview.inviterName, preview.title) : strings.join.invitedBy(preview.inviterName)}
          </p>
        )}
        {!dead && <p className="hero__lead">{strings.join.lead}</p>}
      </section>
      <section className="card">
        {dead ? (
          <>
            <p role="alert">{dead.body}</p>
            <a className="button button--secondary" href="/">
              {strings.join.home}
            </a>
          </>
        ) : preview === 'loading' ? (
          <p role="status">{strings.join.checking}</p>
        ) : !invite ? (
          <p className="error" role="alert">
            {strings.join.missingInvite}
          </p>
        ) : (
          <form className="form" onSubmit={submit}>
            <NameField id="join-name" label={strings.join.nameLabel} hint={strings.join.nameHelp} value={name} onChange={setName} />
            <FormError message={join.error} />
            <button type="submit" className="button button--primary" disabled={join.busy}>
              {join.busy ? strings.join.submitting : strings.join.submit}
            </button>
          </form>
        )}
      </section>
    </main>
  );
}

function forgetInvite(roomId: string): void {
  try {
    sessionStorage.removeItem(inviteKey(roomId));
  } catch {
    // nothing to remove
  }
}

const JOIN_WORDS = { ...FORM_WORDS, invite_used: strings.join.inviteUsed, room_full: strings.join.roomFull, not_found: strings.join.inviteNotFound };
