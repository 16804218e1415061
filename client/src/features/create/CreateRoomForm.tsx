import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { RevealMode, TemplateListEntry } from '@parley/shared/protocol/http';
import { ChoiceCards } from '../../components/form/ChoiceCards';
import { Field, NameField } from '../../components/form/Field';
import { FormError } from '../../components/form/FormError';
import { api } from '../../lib/api';
import { errorWords, FORM_WORDS } from '../../lib/error-words';
import { saveCredentials } from '../../lib/credentials';
import { sealedInviteUrl } from '../../lib/sealed-links';
import { strings } from '../../lib/strings';
import { overHttp, useCommand } from '../../lib/use-command';

/**
 * Whether the form starts on a sealed room (issue 16). The lead decides: sealed rooms do not yet
 * have leave-out, the review date or pause and reopen notes (the sealed choice says so).
 */
export const SEALED_BY_DEFAULT = false;

type RoomKind = 'sealed' | 'standard';
const KINDS = [
  { value: 'sealed', label: strings.sealedRoom.sealed, help: strings.sealedRoom.sealedHelp },
  { value: 'standard', label: strings.sealedRoom.standard, help: strings.sealedRoom.standardHelp },
] as const;

const MODES = [
  { value: 'full', label: strings.create.modeFull, help: strings.create.modeFullHelp },
  { value: 'discreet', label: strings.create.modeDiscreet, help: strings.create.modeDiscreetHelp },
] as const;

interface Props {
  /** The credentials are saved before it is called. */
  onCreated: (roomId: string) => void;
}

/** The built-in worksheets to choose from; offline or on an error, none (the room gets `default`). */
function useWorksheets(): TemplateListEntry[] {
  const [list, setList] = useState<TemplateListEntry[]>([]);
  useEffect(() => {
    let live = true;
    api.listTemplates().then(
      (res) => live && setList(res.templates),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}

export function CreateRoomForm({ onCreated }: Props) {
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<RevealMode>('full');
  const [kind, setKind] = useState<RoomKind>(SEALED_BY_DEFAULT ? 'sealed' : 'standard');
  const worksheets = useWorksheets();
  const [worksheet, setWorksheet] = useState('default');
  const create = useCommand(
    overHttp(async () => {
      if (kind === 'sealed') return createSealed();
      const trimmedTitle = title.trim();
      const res = await api.createRoom({
        displayName: name.trim(),
        revealMode: mode,
        template: worksheet,
        ...(trimmedTitle ? { title: trimmedTitle } : {}),
      });
      saveCredentials(res.roomId, {
        token: res.participant.token,
        participantId: res.participant.id,
        seat: res.participant.seat,
        inviteUrl: res.invite.url,
      });
      onCreated(res.roomId);
    }),
    { failed: (failure) => errorWords(failure, FORM_WORDS) },
  );

  /** The secrets are made here and stay in this browser; the server gets derived tokens and sealed strings. */
  async function createSealed(): Promise<void> {
    // Loaded on demand: the start page's bundle stays without the sealed-room crypto.
    const { prepareSealedCreate } = await import('../../lib/sealed-room');
    const prepared = await prepareSealedCreate({ displayName: name, title, template: worksheet, revealMode: mode });
    if (!prepared.ok) throw new Error(prepared.reason);
    const res = await api.createSealedRoom(prepared.body);
    saveCredentials(res.roomId, {
      token: prepared.token,
      seatSecret: prepared.seatSecret,
      participantId: res.participant.id,
      seat: res.participant.seat,
      inviteUrl: sealedInviteUrl(window.location.origin, res.roomId, prepared.inviteSecret),
    });
    onCreated(res.roomId);
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) void create.run();
  };

  return (
    <form className="form" onSubmit={submit} noValidate={false}>
      <NameField id="create-name" label={strings.create.nameLabel} hint={strings.create.nameHelp} value={name} onChange={setName} />
      <Field
        id="create-title"
        label={strings.create.titleLabel}
        hint={strings.create.titleHelp}
        name="title"
        maxLength={80}
        autoComplete="off"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      {worksheets.length > 1 && (
        <ChoiceCards
          legend={strings.worksheet.pickLegend}
          name="template"
          choices={worksheets.map((w) => ({ value: w.id, label: w.title, help: w.description }))}
          value={worksheet}
          onChange={setWorksheet}
        />
      )}
      <ChoiceCards
        legend={strings.create.modeLegend}
        name="revealMode"
        helpIdPrefix="mode"
        choices={MODES}
        value={mode}
        onChange={setMode}
      />
      <ChoiceCards legend={strings.sealedRoom.kindLegend} name="roomKind" choices={KINDS} value={kind} onChange={setKind} />
      <FormError message={create.error} />
      <button type="submit" className="button button--primary" disabled={create.busy}>
        {create.busy ? strings.create.submitting : strings.create.submit}
      </button>
    </form>
  );
}
