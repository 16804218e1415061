import type { Answer } from '@parley/shared/protocol/answers';
import type { ItemGroup } from '../../lib/sections';
import { strings } from '../../lib/strings';
import type { AnswerPatch } from './answers';
import { isAnswered } from './answers';
import type { QuickFill } from './quick-fill';
import { QuestionField } from './QuestionField';

export const categoryHeadingId = (sectionId: string, categoryId: string) => `cat-${sectionId}-${categoryId}`;

interface Props {
  sectionId: string;
  group: ItemGroup;
  answers: Record<string, Answer>;
  fill: QuickFill;
  change: (itemId: string, patch: AnswerPatch) => void;
}

/** A category of items under its heading, which it can skip: skipped, its items stay unanswered. */
export function QuestionGroup({ sectionId, group, answers, fill, change }: Props) {
  const skipped = group.id !== null && fill.skipped.has(group.id);
  const answered = group.items.filter((q) => isAnswered(q, answers[q.id])).length;
  const shown = group.items.filter(fill.inView);
  const headingId = group.id && group.label ? categoryHeadingId(sectionId, group.id) : undefined;
  return (
    <section
      className={`question-group${skipped ? ' question-group--skipped' : ''}`}
      aria-labelledby={headingId}
      data-category={group.id ?? undefined}
    >
      {group.label && group.id && (
        <div className="question-group__head">
          <h2 id={headingId} className="question-group__heading" tabIndex={-1}>
            {group.label}
          </h2>
          <button type="button" className="button button--quiet question-group__skip" aria-expanded={!skipped} onClick={() => fill.toggleSkip(group.id as string)}>
            {skipped ? strings.fill.unskip : strings.fill.skip}
            <span className="visually-hidden"> ({group.label})</span>
          </button>
        </div>
      )}
      {skipped ? (
        <p className="question-group__skipped" data-testid="skipped-note">
          {strings.fill.skipped(group.items.length - answered)}
          {answered > 0 && strings.fill.skippedKept(answered)}
        </p>
      ) : shown.length === 0 ? (
        <p className="hint">{strings.fill.allAnsweredHere}</p>
      ) : (
        <div className="question-group__items">
          {shown.map((q) => (
            <QuestionField key={q.id} question={q} answer={answers[q.id]} onChange={(patch) => change(q.id, patch)} />
          ))}
        </div>
      )}
    </section>
  );
}
