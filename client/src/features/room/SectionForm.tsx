import { useCallback } from 'react';
import type { Section } from '@parley/shared/template/schema';
import { groupByCategory } from '../../lib/sections';
import { usePrivateState, useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import type { AnswerPatch } from './answers';
import { isAnswered, writeAnswer } from './answers';
import { CategoryJump } from './CategoryJump';
import { PrivateNotes } from './Notes';
import { QuestionGroup } from './QuestionGroup';
import { RatingKey } from './RatingScale';
import { ReadyBar, readyButtonId } from './ReadyBar';
import { ReopenNotice } from './ReopenNotice';
import { useQuickFill } from './quick-fill';

/** An open (hidden) section: its questions, private notes and the ready control. */
export function SectionForm({ section, afterReveal = false }: { section: Section; afterReveal?: boolean }) {
  const { roomId, session, template } = useRoom();
  const { answers } = usePrivateState();
  const change = useCallback(
    (itemId: string, patch: AnswerPatch) => writeAnswer(session.privateDoc, itemId, patch),
    [session],
  );
  const fill = useQuickFill(roomId, section, answers);
  const groups = groupByCategory(section);
  const categories = groups.filter((g) => g.id !== null && g.label !== null);
  const rated = section.items.some((q) => q.type === 'rating' || q.type === 'dual_rating');
  const answered = section.items.filter((q) => isAnswered(q, answers[q.id])).length;
  const inView = section.items.filter(fill.inView).length;
  const prompts = section.kind === 'debrief' ? [...(section.prompts ?? []), ...template.guidance.debriefPrompts] : section.prompts ?? [];

  return (
    <div className="section-form">
      {!afterReveal && <ReopenNotice section={section} />}
      {!afterReveal && <p className="privacy-note">{strings.room.answersHidden}</p>}
      {prompts.length > 0 && !afterReveal && (
        <aside className="prompts" aria-labelledby={`prompts-${section.id}`}>
          <h2 id={`prompts-${section.id}`} className="prompts__heading">
            {strings.room.debriefPromptsHeading}
          </h2>
          <ul>
            {[...new Set(prompts)].map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </aside>
      )}
      {(categories.length > 0 || rated) && (
        <div className="fill-tools">
          {!afterReveal && (
            // for the keyboard: past sixty items' radio groups in one step
            <button type="button" className="link-button fill-tools__to-ready visually-hidden" onClick={() => document.getElementById(readyButtonId(section.id))?.focus()}>
              {strings.fill.toReady}
            </button>
          )}
          {categories.length > 0 && (
            <label className="chip fill-tools__only">
              <input type="checkbox" checked={fill.onlyUnanswered} onChange={(e) => fill.setOnlyUnanswered(e.target.checked)} />
              <span>{strings.fill.onlyUnanswered}</span>
            </label>
          )}
          {fill.onlyUnanswered && (
            <p className="hint fill-tools__showing" role="status">
              {strings.fill.showingUnanswered(inView, section.items.length)}
            </p>
          )}
          {rated && <RatingKey />}
        </div>
      )}
      {groups.map((group) => (
        <QuestionGroup key={group.id ?? 'all'} sectionId={section.id} group={group} answers={answers} fill={fill} change={change} />
      ))}
      <PrivateNotes sectionId={section.id} sectionTitle={section.title} />
      {!afterReveal && (
        <ReadyBar
          section={section}
          progress={{ answered, total: section.items.length }}
          jump={categories.length > 0 ? <CategoryJump sectionId={section.id} categories={categories} skipped={fill.skipped} /> : null}
        />
      )}
    </div>
  );
}
