import { useState } from 'react';
import type { FormEvent } from 'react';
import type { PairProgress } from '@parley/shared/protocol/workshop';
import { isEmptyPair } from '@parley/shared/workshop/pace';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/form/FormError';
import { strings } from '../../lib/strings';
import { useCommand } from '../../lib/use-command';
import type { Dashboard } from './facilitator';
import { pairName } from './pair-words';

type Command = Dashboard['command'];

/** "Message": a note to this pair only (the projector and the other pairs never see it). */
export function MessagePairDialog({ pair, command }: { pair: PairProgress; command: Command }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const names = pairName(pair);
  const send = useCommand((message: string) => command('workshop:message-pair', { roomId: pair.roomId, message }), { failed: strings.workshop.commandFailed });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    const ack = await send.run(text);
    if (ack.ok) {
      setText('');
      setOpen(false);
      setSent(true);
    }
  };
  return (
    <>
      <button type="button" className="button button--secondary button--small" aria-label={strings.workshop.messagePairOf(names)} onClick={() => (setSent(false), setOpen(true))}>
        {strings.workshop.messagePair}
      </button>
      {sent && (
        <span className="visually-hidden" role="status">
          {strings.workshop.messagePairSent(names)}
        </span>
      )}
      <Dialog open={open} title={strings.workshop.messagePairHeading(names)} onClose={() => setOpen(false)}>
        <form onSubmit={submit} className="dialog-form">
          <p className="hint">{strings.workshop.messagePairHelp}</p>
          <label htmlFor={`message-${pair.roomId}`}>{strings.workshop.broadcastLabel}</label>
          <textarea id={`message-${pair.roomId}`} rows={3} maxLength={280} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
          <FormError message={send.error} takeFocus={false} />
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
              {strings.common.cancel}
            </button>
            <button type="submit" className="button button--primary" disabled={send.busy}>
              {strings.workshop.messagePairSend}
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

/**
 * "Remove": an empty pair (one person, not connected — what a retried join leaves) goes at
 * once; a pair with someone in it only after a warning. If the server finds someone in a pair
 * that looked empty (they just connected), it refuses with `pair_occupied` and the warning opens.
 */
export function RemovePairButton({ pair, command }: { pair: PairProgress; command: Command }) {
  const [warn, setWarn] = useState(false);
  const names = pairName(pair);
  // Someone turned out to be in it: that is the warning opening, not a failure to word.
  const remove = useCommand((confirmed: boolean) => command('workshop:remove-pair', { roomId: pair.roomId, confirmed }), {
    failed: (f) => (f.reason === 'pair_occupied' ? '' : strings.workshop.commandFailed),
  });
  const start = async () => {
    if (!isEmptyPair(pair)) return setWarn(true);
    const ack = await remove.run(false);
    if (!ack.ok && ack.error.reason === 'pair_occupied') setWarn(true);
  };
  const confirm = async () => {
    const ack = await remove.run(true);
    if (ack.ok) setWarn(false);
  };
  return (
    <>
      <button type="button" className="button button--secondary button--small" aria-label={strings.workshop.removePairOf(names)} onClick={() => void start()} disabled={remove.busy}>
        {strings.workshop.removePair}
      </button>
      {!warn && <FormError message={remove.error} takeFocus={false} />}
      <Dialog open={warn} title={strings.workshop.removeHeading(names)} onClose={() => setWarn(false)} role="alertdialog">
        <p>{strings.workshop.removeWarning(names, pair.online.a || pair.online.b)}</p>
        <FormError message={remove.error} takeFocus={false} />
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={() => setWarn(false)} autoFocus>
            {strings.common.cancel}
          </button>
          <button type="button" className="button button--danger" onClick={() => void confirm()} disabled={remove.busy}>
            {strings.workshop.removeConfirm}
          </button>
        </div>
      </Dialog>
    </>
  );
}
