import type { SectionInput } from './schema';

/** Helpers the built-in worksheets are written with. */

type Item = SectionInput['items'][number];

/** A choice option. */
export const option = (id: string, label: string) => ({ id, label });

/** An activity: rated giving and receiving, with experience, conditions and a note. */
export const activity = (category: string, id: string, label: string, help?: string): Item => ({
  id,
  type: 'dual_rating',
  category,
  label,
  ...(help === undefined ? {} : { help }),
  experience: true,
  conditions: true,
  note: true,
});

/** The safeword question, the same in every worksheet that asks it (scene mode reads its answer). */
export const safewordItem: Item = {
  id: 'safety_safeword',
  type: 'text',
  label: 'Your safeword',
  help: 'A word that would never come up in play. When it is said, everything stops.',
  placeholder: 'e.g. red, or a word of your own',
};
