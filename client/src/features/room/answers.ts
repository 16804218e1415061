import type * as Y from 'yjs';
import { readAnswer } from '@parley/shared/protocol/answers';
import type { Answer } from '@parley/shared/protocol/answers';
import type { Question } from '@parley/shared/template/schema';
import { privateMaps } from '../../lib/room-doc';

export type AnswerPatch = { [K in keyof Answer]?: Answer[K] | undefined };

const CONTENT_KEYS = [
  'rating',
  'giving',
  'receiving',
  'choice',
  'choices',
  'scale',
  'text',
  'experience',
  'conditions',
  'note',
] as const satisfies ReadonlyArray<keyof Answer>;

/** Writes one answer to the private doc as a whole plain value (the contract's shape). */
export function writeAnswer(doc: Y.Doc, itemId: string, patch: AnswerPatch): void {
  const map = privateMaps.answers(doc);
  const current = readAnswer(map.get(itemId)) ?? {};
  const next: Record<string, unknown> = {};
  for (const key of CONTENT_KEYS) {
    const value = key in patch ? patch[key] : current[key];
    if (value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    next[key] = value;
  }
  if (Object.keys(next).length === 0) {
    if (map.has(itemId)) map.delete(itemId);
    return;
  }
  next.updatedAt = Date.now();
  map.set(itemId, next);
}

export function writePrivateNote(doc: Y.Doc, sectionId: string, text: string): void {
  const map = privateMaps.notes(doc);
  if (text) map.set(sectionId, text);
  else if (map.has(sectionId)) map.delete(sectionId);
}

/** Whether the main part of a question has been answered (details alone do not count). */
export function isAnswered(question: Question, answer: Answer | undefined): boolean {
  if (!answer) return false;
  switch (question.type) {
    case 'rating':
      return answer.rating !== undefined;
    case 'dual_rating':
      return answer.giving !== undefined || answer.receiving !== undefined;
    case 'choice':
      return answer.choice !== undefined;
    case 'multi':
      return (answer.choices?.length ?? 0) > 0;
    case 'scale':
      return answer.scale !== undefined;
    case 'text':
      return !!answer.text?.trim();
  }
}
