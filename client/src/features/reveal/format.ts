import type { Answer } from '@parley/shared/protocol/answers';
import type { Question } from '@parley/shared/template/schema';
import { strings } from '../../lib/strings';

/** The main part of an answer in words, e.g. “giving: Yes · receiving: Curious”. */
export function answerSummary(question: Question, answer: Answer | undefined): string | null {
  if (!answer) return null;
  switch (question.type) {
    case 'rating':
      return answer.rating ? strings.ratings[answer.rating] : null;
    case 'dual_rating': {
      const parts: string[] = [];
      if (answer.giving) parts.push(`${strings.reveal.giving}: ${strings.ratings[answer.giving]}`);
      if (answer.receiving) parts.push(`${strings.reveal.receiving}: ${strings.ratings[answer.receiving]}`);
      return parts.length ? parts.join(' · ') : null;
    }
    case 'choice':
      return question.options.find((o) => o.id === answer.choice)?.label ?? null;
    case 'multi': {
      const labels = question.options.filter((o) => answer.choices?.includes(o.id)).map((o) => o.label);
      return labels.length ? labels.join(', ') : null;
    }
    case 'scale': {
      if (answer.scale === undefined) return null;
      const end =
        answer.scale === 1 ? question.labels?.low : answer.scale === 5 ? question.labels?.high : undefined;
      return end ? `${strings.room.scaleValue(answer.scale)} (${end})` : strings.room.scaleValue(answer.scale);
    }
    case 'text':
      return answer.text?.trim() ? answer.text : null;
  }
}

/** Experience, conditions and note, each as a short line. */
export function answerDetails(answer: Answer | undefined): string[] {
  if (!answer) return [];
  const lines: string[] = [];
  if (answer.experience) lines.push(`${strings.reveal.experience}: ${strings.experience[answer.experience]}`);
  if (answer.conditions?.length) {
    lines.push(`${strings.reveal.conditions}: ${answer.conditions.map((c) => strings.conditions[c]).join(', ')}`);
  }
  if (answer.note?.trim()) lines.push(`“${answer.note.trim()}”`);
  return lines;
}
