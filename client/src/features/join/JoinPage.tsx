import { useEffect, useState } from 'react';
import type { InvitePreview } from '@parley/shared/protocol/http';
import type { FormEvent } from 'react';
import { NameField } from '../../components/form/Field';
import { FormError } from '../../components/form/FormError';
import { api, ApiError } from '../../lib/api';
import { errorWords, FORM_WORDS } from '../../lib/error-words';
import { loadCredentials, saveCredentials, takeFragment } from '../../lib/credentials';
import { navigate } from '../../lib/router';
import { parseSealedFragment } from '../../lib/sealed-links';
import type { OpenedInvite } from '../../lib/sealed-room';
import { strings } from '../../lib/strings';
import { overHttp, useCommand } from '../../lib/use-command';

interface Props {
  roomId: string;
}

const inviteKey = (roomId: string) => `parley:invite:${roomId}`;

/**
 * What the link carries: a standard invite token (`#i=`) or a sealed room's invite secret
 * (`#s=`, whose token is derived here). Kept for this tab so a reload still works.
 */
type Invite = { kind: 'standard'; token: string } | { kind: 'sealed'; secret: string };

function inviteFromHash(hash: string): Invite | null {
  const sealed = parseSealedFragment(hash);
  if (sealed.kind === 'sealed') return { kind: 'sealed', secret: sealed.secret };
  if (sealed.kind === 'broken') return null;
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('i')?.trim();
  return token ? { kind: 'standard', token } : null;
}

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

/** Loaded on demand: the start page's bundle (which holds this page) stays without the sealed-room crypto. */
const sealedRoom = () => import('../../lib/sealed-room');

/** The invite's auth token: the link's own, or the one a sealed invite secret derives. */
async function inviteToken(invite: Invite): Promise<string | null> {
  if (invite.kind === 'standard') return invite.token;
  return (await sealedRoom()).inviteTokenOf(invite.secret);
}

type Preview = InvitePreview | 'loading' | 'not_found' | 'unknown' | 'partner_key';

/** The preview as the page shows it: a sealed one opened (and seat a's key checked) first. */
async function loadPreview(roomId: string, invite: Invite): Promise<{ preview: Preview; sealed: OpenedInvite | null }> {
  const token = await inviteToken(invite);
  if (!token) return { preview: 'not_found', sealed: null };
  const preview = await api.invitePreview(roomId, token);
  if (preview.status !== 'open' || !('sealed' in preview)) return { preview, sealed: null };
  if (invite.kind !== 'sealed') return { preview: 'not_found', sealed: null };
  const opened = await (await sealedRoom()).openSealedInvite(invite.secret, preview);
  if (!opened.ok) return { preview: 'partner_key', sealed: null };
  return {
    preview: { status: 'open', title: opened.title, inviterName: opened.inviterName ?? strings.common.partnerFallback },
    sealed: opened,
  };
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
      if (sealed && invite.kind === 'sealed') return joinSealed(sealed, invite.secret);
      const inviteToken = invite.kind === 'standard' ? invite.token : '';
      const res = await api.joinRoom(roomId, { inviteToken, displayName: name.trim() });
      saveCredentials(res.roomId, {
        token: res.participant.token,
        participantId: res.participant.id,
        seat: res.participant.seat,
      });
      forgetInvite(roomId);
      navigate(`/r/${encodeURIComponent(res.roomId)}`);
    }),
    { failed: (failure) => errorWords(failure, JOIN_WORDS) },
  );

  /** B's own secret is made here; the server gets its derived token, B's public key and binding, and B's sealed name. */
  async function joinSealed(opened: OpenedInvite, inviteSecret: string): Promise<void> {
    const prepared = await (await sealedRoom()).prepareSealedJoin(opened.invite, name);
    if (!prepared.ok) throw new Error(prepared.reason);
    const res = await api.joinSealedRoom(roomId, prepared.body);
    saveCredentials(res.roomId, {
      token: prepared.token,
      seatSecret: prepared.seatSecret,
      inviteSecret,
      participantId: res.participant.id,
      seat: res.participant.seat,
    });
    forgetInvite(roomId);
    navigate(`/r/${encodeURIComponent(res.roomId)}`);
  }

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
