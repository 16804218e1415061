import { useCallback } from 'react';
import type { Section } from '@parley/shared/template/schema';
import { groupByCategory } from '../../lib/sections';
import { usePrivateState, useRoom } from '../../lib/room-context';
import { strings } from '../../lib/strings';
import type { AnswerPatch } from './answers';
import { writeAnswer } from './answers';
import { QuestionField } from './QuestionField';
import { PrivateNotes } from './Notes';
import { ReadyBar } from './ReadyBar';
import { ReopenNotice } from './ReopenNotice';

/** An open (hidden) section: its questions, private notes and the ready control. */
export function SectionForm({ section, afterReveal = false }: { section: Section; afterReveal?: boolean }) {
  const { session, template } = useRoom();
  const { answers } = usePrivateState();
  const change = useCallback(
    (itemId: string, patch: AnswerPatch) => writeAnswer(session.privateDoc, itemId, patch),
    [session],
  );
  const groups = groupByCategory(section);
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
      {groups.map((group) => (
        <section key={group.id ?? 'all'} className="question-group" aria-label={group.label ?? undefined}>
          {group.label && <h2 className="question-group__heading">{group.label}</h2>}
          {group.items.map((q) => (
            <QuestionField key={q.id} question={q} answer={answers[q.id]} onChange={(patch) => change(q.id, patch)} />
          ))}
        </section>
      ))}
      <PrivateNotes sectionId={section.id} sectionTitle={section.title} />
      {!afterReveal && <ReadyBar section={section} />}
    </div>
  );
}
