import { useState } from 'react';
import type { Answer } from '@parley/shared/protocol/answers';
import type { Question, Section } from '@parley/shared/template/schema';
import { isAnswered } from './answers';

/**
 * The ways to move faster through a long section: skipping a category and showing only what is
 * unanswered. Neither writes anything: a skipped category is remembered in this browser tab only
 * (never in the private doc), and its items simply stay unanswered.
 */
export interface QuickFill {
  skipped: ReadonlySet<string>;
  toggleSkip: (categoryId: string) => void;
  onlyUnanswered: boolean;
  setOnlyUnanswered: (on: boolean) => void;
  /** whether an item is in view under "only unanswered" */
  inView: (question: Question) => boolean;
}

const skipKey = (roomId: string, sectionId: string) => `parley:skipped:${roomId}:${sectionId}`;

function loadSkipped(roomId: string, sectionId: string): Set<string> {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(skipKey(roomId, sectionId)) ?? '[]');
    return new Set(Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

export function useQuickFill(roomId: string, section: Section, answers: Record<string, Answer>): QuickFill {
  const [skipped, setSkipped] = useState<Set<string>>(() => loadSkipped(roomId, section.id));
  // The items unanswered when the filter was turned on: one answered since stays in view, so
  // it does not vanish between its giving and its receiving tap.
  const [pinned, setPinned] = useState<Set<string> | null>(null);

  const toggleSkip = (categoryId: string) => {
    const next = new Set(skipped);
    if (next.has(categoryId)) next.delete(categoryId);
    else next.add(categoryId);
    sessionStorage.setItem(skipKey(roomId, section.id), JSON.stringify([...next]));
    setSkipped(next);
  };
  const setOnlyUnanswered = (on: boolean) =>
    setPinned(on ? new Set(section.items.filter((q) => !isAnswered(q, answers[q.id])).map((q) => q.id)) : null);

  return {
    skipped,
    toggleSkip,
    onlyUnanswered: pinned !== null,
    setOnlyUnanswered,
    inView: (question) => pinned === null || pinned.has(question.id),
  };
}
