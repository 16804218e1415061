import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { Answer } from '@parley/shared/protocol/answers';
import type { RevealedAnswer } from '@parley/shared/protocol/room-doc';
import { TALK_CLASSES } from '@parley/shared/reveal/directions';
import type { CompareClass, DirectionClass } from '@parley/shared/reveal/directions';
import type { Question, Template } from '@parley/shared/template/schema';
import { formatWhen, strings } from '../../lib/strings';
import { answerDetails, answerSummary } from './format';
import type { LineView } from './rows';

export interface RevealRowProps {
  question: Question;
  mine: RevealedAnswer | undefined;
  theirs: RevealedAnswer | undefined;
  lines: LineView[];
  compare: CompareClass | null;
  partnerName: string;
  /** the template's talking prompts, by class */
  prompts?: Template['guidance']['talkPrompts'];
  /** who changed it after the reveal; null name in discreet rooms */
  changed?: { name: string | null; at: number } | undefined;
  /** the editor of the reader's own answer to this item; absent for past rounds */
  edit?: ((question: Question) => ReactNode) | undefined;
}

const ICON: Record<DirectionClass | CompareClass, string> = {
  match: '✓',
  pleasing: '♡',
  maybe: '◐',
  difference: '≠',
  limit: '■',
  explore: '?',
  neither: '–',
  unanswered: '·',
  same: '=',
  different: '≠',
};

function Chip({ cls }: { cls: DirectionClass | CompareClass }) {
  return (
    <span className={`match match--${cls}`}>
      <span aria-hidden="true" className="match__icon">
        {ICON[cls]}
      </span>
      {strings.match[cls]}
    </span>
  );
}

type PromptKey = keyof NonNullable<Template['guidance']['talkPrompts']>;
const isPromptKey = (cls: DirectionClass | CompareClass): cls is PromptKey => TALK_CLASSES.has(cls);

function Prompt({ cls, prompts }: { cls: DirectionClass | CompareClass; prompts: RevealRowProps['prompts'] }) {
  const text = isPromptKey(cls) ? prompts?.[cls] : undefined;
  if (!text) return null;
  return (
    <p className="reveal-line__prompt">
      <span className="visually-hidden">{strings.reveal.talkPrompt}: </span>
      {text}
    </p>
  );
}

/**
 * One item after the reveal. A yes/no item is one line per direction, in plain words naming
 * people; other items show both answers side by side with same / different.
 */
export function RevealRow({ question, mine, theirs, lines, compare, partnerName, prompts, changed, edit }: RevealRowProps) {
  const classes: (DirectionClass | CompareClass)[] = [...lines.map((l) => l.cls), ...(compare && compare !== 'unanswered' ? [compare] : [])];
  const directional = question.type === 'rating' || question.type === 'dual_rating';
  const details = { mine: answerDetails(mine), theirs: answerDetails(theirs) };
  const [editing, setEditing] = useState(false);
  const editorId = useId();
  return (
    <li className={`reveal-row${classes.includes('match') ? ' reveal-row--match' : ''}`} data-item={question.id} data-classes={classes.join(' ')}>
      <div className="reveal-row__head">
        <h3 className="reveal-row__label">{question.label}</h3>
        {compare && compare !== 'unanswered' && <Chip cls={compare} />}
        {edit && <ChangeButton label={question.label} open={editing} controls={editorId} onToggle={() => setEditing((v) => !v)} />}
      </div>
      {directional ? (
        <>
          <ul className="reveal-lines">
            {lines.map((line) => (
              <li key={line.way} className={`reveal-line reveal-line--${line.cls}`} data-way={line.way} data-class={line.cls}>
                <Chip cls={line.cls} />
                <span className="reveal-line__text">{line.text}</span>
                <Prompt cls={line.cls} prompts={prompts} />
              </li>
            ))}
          </ul>
          {(details.mine.length > 0 || details.theirs.length > 0) && (
            <dl className="reveal-row__answers reveal-row__answers--details">
              {details.mine.length > 0 && <Details who={strings.common.you} lines={details.mine} seatClass="me" />}
              {details.theirs.length > 0 && <Details who={partnerName} lines={details.theirs} seatClass="partner" />}
            </dl>
          )}
        </>
      ) : (
        <>
          <dl className="reveal-row__answers">
            <AnswerCell who={strings.common.you} question={question} answer={mine} seatClass="me" />
            <AnswerCell who={partnerName} question={question} answer={theirs} seatClass="partner" />
          </dl>
          {compare && <Prompt cls={compare} prompts={prompts} />}
        </>
      )}
      {changed && (
        <p className="reveal-row__changed">
          <span aria-hidden="true">↻ </span>
          {strings.reveal.changed(changed.name, formatWhen(changed.at))}
        </p>
      )}
      {edit && editing && (
        <div id={editorId} className="reveal-row__edit">
          {edit(question)}
        </div>
      )}
    </li>
  );
}

/**
 * "Change" on the row itself: the reader's own answer to this one item opens in place, instead
 * of the whole form far below. The row updates once the server has mirrored the change.
 */
function ChangeButton({ label, open, controls, onToggle }: { label: string; open: boolean; controls: string; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="button button--quiet reveal-row__change"
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      onClick={onToggle}
    >
      {open ? strings.reveal.changeDone : strings.reveal.change}
      <span className="visually-hidden"> {open ? strings.reveal.changeDoneWhat(label) : strings.reveal.changeWhat(label)}</span>
    </button>
  );
}

function Details({ who, lines, seatClass }: { who: string; lines: string[]; seatClass: 'me' | 'partner' }) {
  return (
    <div className={`answer-cell answer-cell--${seatClass}`}>
      <dt className="answer-cell__who">{who}</dt>
      <dd className="answer-cell__what">
        {lines.map((line) => (
          <span key={line} className="answer-cell__detail">
            {line}
          </span>
        ))}
      </dd>
    </div>
  );
}

function AnswerCell({ who, question, answer, seatClass }: { who: string; question: Question; answer: Answer | undefined; seatClass: 'me' | 'partner' }) {
  const summary = answerSummary(question, answer);
  const details = answerDetails(answer);
  return (
    <div className={`answer-cell answer-cell--${seatClass}`}>
      <dt className="answer-cell__who">{who}</dt>
      <dd className="answer-cell__what">
        {summary ? (
          <span className={question.type === 'text' ? 'answer-cell__text' : 'answer-cell__value'}>{summary}</span>
        ) : (
          <span className="answer-cell__none">{strings.reveal.noAnswer}</span>
        )}
        {details.map((line) => (
          <span key={line} className="answer-cell__detail">
            {line}
          </span>
        ))}
      </dd>
    </div>
  );
}
