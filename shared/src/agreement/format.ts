import type { Answer } from '../protocol/answers';
import type { RevealedAnswer } from '../protocol/room-doc';
import { ANSWER_TEXT, CONDITION_LABELS, EXPERIENCE_LABELS, RATING_LABELS } from '../template/labels';
import type { Question } from '../template/schema';

/**
 * Human-readable parts of a revealed answer: the value first, then experience, conditions
 * and note. Plain text (not Markdown); callers escape it for their medium.
 */
export function describeAnswer(question: Question, answer: RevealedAnswer): string[] {
  const parts: string[] = [];
  const value = describeValue(question, answer);
  if (value !== undefined) parts.push(value);
  if (answer.experience) {
    parts.push(`${ANSWER_TEXT.experience}: ${EXPERIENCE_LABELS[answer.experience]}`);
  }
  if (answer.conditions && answer.conditions.length > 0) {
    const labels = answer.conditions.map((c) => CONDITION_LABELS[c]);
    parts.push(`${ANSWER_TEXT.conditions}: ${labels.join(', ')}`);
  }
  if (answer.note) parts.push(`${ANSWER_TEXT.note}: ${answer.note}`);
  return parts;
}

/** All parts on one line (multi-line text keeps its line breaks). */
export function formatAnswer(question: Question, answer: RevealedAnswer): string {
  return describeAnswer(question, answer).join(' · ');
}

function describeValue(question: Question, answer: Answer): string | undefined {
  switch (question.type) {
    case 'rating':
      return answer.rating && RATING_LABELS[answer.rating];
    case 'dual_rating': {
      const sides: string[] = [];
      if (answer.giving) sides.push(`${ANSWER_TEXT.giving}: ${RATING_LABELS[answer.giving]}`);
      if (answer.receiving) sides.push(`${ANSWER_TEXT.receiving}: ${RATING_LABELS[answer.receiving]}`);
      return sides.length > 0 ? sides.join(', ') : undefined;
    }
    case 'choice':
      return question.options.find((o) => o.id === answer.choice)?.label;
    case 'multi': {
      const chosen = new Set(answer.choices ?? []);
      const labels = question.options.filter((o) => chosen.has(o.id)).map((o) => o.label);
      return labels.length > 0 ? labels.join(', ') : undefined;
    }
    case 'scale': {
      if (answer.scale === undefined) return undefined;
      const value = ANSWER_TEXT.scale(answer.scale, question.max);
      // The end labels say what the numbers mean ("1 of 5" alone is ambiguous).
      let end: string | undefined;
      if (answer.scale === question.min) end = question.labels?.low;
      if (answer.scale === question.max) end = question.labels?.high;
      return end ? `${value} (${end})` : value;
    }
    case 'text':
      return answer.text;
  }
}

/** "1 December 2026, 18:20" in `timeZone` (an IANA name); the same words on every screen and export. */
export function formatDateTime(ms: number, timeZone = 'UTC'): string {
  const d = new Date(ms);
  const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return `${day}, ${time}`;
}

/** "17 May 2025": the calendar day of `ms` in `timeZone`. */
export function formatDay(ms: number, timeZone = 'UTC'): string {
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone });
}

/** "4 May 2031" from `YYYY-MM-DD` (a calendar date has no time zone). */
export function formatIsoDate(iso: string): string {
  const ms = Date.parse(`${iso}T12:00:00Z`);
  return Number.isNaN(ms) ? iso : formatDay(ms);
}
