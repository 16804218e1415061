import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { CreateRoomResponse, RevealMode, TemplateListEntry } from '@parley/shared/protocol/http';
import { ChoiceCards } from '../../components/form/ChoiceCards';
import { Field, NameField } from '../../components/form/Field';
import { FormError } from '../../components/form/FormError';
import { api } from '../../lib/api';
import { errorWords, FORM_WORDS } from '../../lib/error-words';
import { saveCredentials } from '../../lib/credentials';
import { strings } from '../../lib/strings';
import { overHttp, useCommand } from '../../lib/use-command';

const MODES = [
  { value: 'full', label: strings.create.modeFull, help: strings.create.modeFullHelp },
  { value: 'discreet', label: strings.create.modeDiscreet, help: strings.create.modeDiscreetHelp },
] as const;

interface Props {
  /** The credentials are saved before it is called. */
  onCreated: (res: CreateRoomResponse) => void;
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
  const worksheets = useWorksheets();
  const [worksheet, setWorksheet] = useState('default');
  const create = useCommand(
    overHttp(async () => {
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
      onCreated(res);
    }),
    { failed: (failure) => errorWords(failure, FORM_WORDS) },
  );

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
      <FormError message={create.error} />
      <button type="submit" className="button button--primary" disabled={create.busy}>
        {create.busy ? strings.create.submitting : strings.create.submit}
      </button>
    </form>
  );
}
