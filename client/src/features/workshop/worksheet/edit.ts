import type { Question, QuestionType, Section, Template } from '@parley/shared/template/schema';

/**
 * The worksheet editor's changes, as pure functions from one draft to the next. A draft is a
 * whole template; the shared schema checks it before anything is saved, so these functions
 * only keep ids unique and lists in order.
 */

/** An editable copy of a template (built-ins are frozen). */
export const draftOf = (template: Template): Template => structuredClone(template);

const move = <T>(list: readonly T[], index: number, delta: number): T[] => {
  const to = index + delta;
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [moved] = next.splice(index, 1);
  next.splice(to, 0, moved as T);
  return next;
};

/** A slug for a new id from its label, unique among `taken`. */
export function newId(label: string, taken: ReadonlySet<string>, prefix = ''): string {
  const base = `${prefix}${label.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`.slice(0, 48) || `${prefix}item`;
  const start = /^[a-z0-9]/.test(base) ? base : `x${base}`;
  let id = start;
  for (let n = 2; taken.has(id); n++) id = `${start}_${n}`;
  return id;
}

const itemIds = (t: Template) => new Set(t.sections.flatMap((s) => s.items.map((i) => i.id)));

/** One line each, blank lines dropped (the schema wants no empty line). */
export const toLines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
/** A one-line field typed into a textarea: line breaks become spaces. */
export const oneLine = (text: string): string => text.replace(/\r?\n/g, ' ');

export const moveSection = (t: Template, index: number, delta: number): Template => ({ ...t, sections: move(t.sections, index, delta) });
export const removeSection = (t: Template, index: number): Template => ({ ...t, sections: t.sections.filter((_, i) => i !== index) });

export function updateSection(t: Template, index: number, patch: Partial<Section>): Template {
  return { ...t, sections: t.sections.map((s, i) => (i === index ? { ...s, ...patch } : s)) };
}

/** Adds a section (one of a built-in's, or a new empty one); ids that clash get a new one. */
export function addSection(t: Template, section: Section | null, words: { title: string; why: string }): Template {
  const sectionIds = new Set(t.sections.map((s) => s.id));
  if (!section) {
    const id = newId(words.title, sectionIds);
    return { ...t, sections: [...t.sections, { id, title: words.title, why: words.why, kind: 'questions', items: [] }] };
  }
  const taken = itemIds(t);
  const items = section.items.map((item) => {
    if (!taken.has(item.id)) return structuredClone(item);
    const id = newId(item.label, taken, `${section.id}_`);
    taken.add(id);
    return { ...structuredClone(item), id };
  });
  const id = sectionIds.has(section.id) ? newId(section.title, sectionIds) : section.id;
  return { ...t, sections: [...t.sections, { ...structuredClone(section), id, items }] };
}

const withItems = (t: Template, s: number, items: (list: Question[]) => Question[]) =>
  updateSection(t, s, { items: items(t.sections[s]?.items ?? []) });

export const moveItem = (t: Template, s: number, i: number, delta: number) => withItems(t, s, (list) => move(list, i, delta));
export const removeItem = (t: Template, s: number, i: number) => withItems(t, s, (list) => list.filter((_, k) => k !== i));
export const updateItem = (t: Template, s: number, i: number, patch: Partial<Question>) =>
  withItems(t, s, (list) => list.map((q, k) => (k === i ? ({ ...q, ...patch } as Question) : q)));

/** A new question of `type` at the end of section `s`; an activity asks for experience, conditions and a note. */
export function addItem(t: Template, s: number, type: QuestionType, label: string, category?: string): Template {
  const id = newId(label, itemIds(t), `${t.sections[s]?.id ?? 'item'}_`);
  const base = { id, label, ...(category ? { category } : {}) };
  const question: Question =
    type === 'dual_rating' ? { ...base, type, experience: true, conditions: true, note: true }
    : type === 'rating' ? { ...base, type, note: true }
    : type === 'choice' || type === 'multi' ? { ...base, type, options: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }] }
    : type === 'scale' ? { ...base, type, min: 1, max: 5 }
    : { ...base, type, multiline: true };
  return withItems(t, s, (list) => [...list, question]);
}

/** Options from one label per line, keeping the ids of labels that stay (answers are keyed by them). */
export function optionsFromLines(text: string, previous: readonly { id: string; label: string }[]): { id: string; label: string }[] {
  const taken = new Set<string>();
  return toLines(text).map((label) => {
    const kept = previous.find((o) => o.label === label && !taken.has(o.id));
    const id = kept?.id ?? newId(label, new Set([...taken, ...previous.map((o) => o.id)]));
    taken.add(id);
    return { id, label };
  });
}

export function addCategory(t: Template, s: number, label: string): Template {
  const section = t.sections[s];
  if (!section) return t;
  const categories = section.categories ?? [];
  const id = newId(label, new Set(categories.map((c) => c.id)));
  return updateSection(t, s, { categories: [...categories, { id, label }] });
}

/** Where a schema path points, as numbers a person reads (1-based), for the editor's problem line. */
export function pathPlace(path: string): { section: number | null; item: number | null } {
  const match = /^sections\[(\d+)\](?:\.items\[(\d+)\])?/.exec(path);
  return { section: match?.[1] ? Number(match[1]) + 1 : null, item: match?.[2] ? Number(match[2]) + 1 : null };
}
