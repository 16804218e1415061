import type { RevealedAnswer, RevealedSection } from '../protocol/room-doc';
import type { Question, Section } from '../template/schema';
import { readItem } from './directions';
import type { ItemReading, Way } from './directions';
import { readRevealedAnswer } from './project';

/**
 * What the reveal screen and the agreement read of a revealed section: each item's revealed
 * answers, re-read, with the direction model's reading. Both build on this one function, so
 * a match on the screen is a match in the agreement and every export.
 */
export interface RevealItem {
  question: Question;
  a?: RevealedAnswer;
  b?: RevealedAnswer;
  reading: ItemReading;
}

// Room-doc maps come from Yjs JSON; read own properties only.
const own = (record: Readonly<Record<string, unknown>> | undefined, key: string): unknown =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

/** Every item of the section in template order, answered or not. */
export function revealItems(section: Section, revealed: Pick<RevealedSection, 'a' | 'b'>): RevealItem[] {
  return section.items.map((question) => {
    const a = readRevealedAnswer(question, own(revealed.a, question.id));
    const b = readRevealedAnswer(question, own(revealed.b, question.id));
    return { question, ...(a ? { a } : {}), ...(b ? { b } : {}), reading: readItem(question, a, b) };
  });
}

/** "itemId/way" for every matching direction: the list the property test compares. */
export function matchKeys(items: readonly RevealItem[]): string[] {
  return items.flatMap((item) =>
    item.reading.lines.filter((l) => l.cls === 'match').map((l) => `${item.question.id}/${l.way satisfies Way}`),
  );
}
