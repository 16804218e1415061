import { z } from 'zod';
import { CONTROL_RE } from '../protocol/http';
import { firstIssue } from '../protocol/issue-path';
import { Slug } from '../protocol/ids';

/**
 * Templates are data: JSON validated by this schema, from which every type is derived.
 * Objects are strict so a typo in a facilitator's template fails loudly instead of being ignored.
 */

export const QUESTION_TYPES = ['rating', 'dual_rating', 'choice', 'multi', 'scale', 'text'] as const;
export const QuestionType = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof QuestionType>;

/**
 * Size caps of a template (a facilitator's is untrusted input): every string is bounded below,
 * and so is every list. The built-in worksheets sit well inside them.
 */
export const TEMPLATE_LIMITS = {
  label: 200,
  help: 600,
  description: 1000,
  sections: 24,
  itemsPerSection: 150,
  items: 400,
  options: 24,
  categories: 24,
  /** primer lines, section prompts, debrief prompts */
  lines: 16,
  /** bytes of the template's JSON in a request body */
  bodyBytes: 256 * 1024,
} as const;

/** Template text is shown as plain text: no control characters or bidi overrides. */
const text = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL_RE.test(s), 'must not contain control characters');
const Label = text(TEMPLATE_LIMITS.label).pipe(z.string().min(1, 'must not be empty'));
const Help = text(TEMPLATE_LIMITS.help).pipe(z.string().min(1, 'must not be empty'));
const lines = (item: z.ZodType<string>) => z.array(item).max(TEMPLATE_LIMITS.lines, `at most ${TEMPLATE_LIMITS.lines} lines`);

const Option = z.strictObject({ id: Slug, label: Label });
export type Option = z.infer<typeof Option>;

/** Fields every question shares. The three flags say which optional extras the UI offers. */
const questionBase = {
  id: Slug,
  label: Label,
  help: Help.optional(),
  /** for activity items: a category declared by the section */
  category: Slug.optional(),
  /** offer the experience field (none / some / lots) */
  experience: z.boolean().optional(),
  /** offer conditions (only with you, check in first, …) */
  conditions: z.boolean().optional(),
  /** offer a short per-item note */
  note: z.boolean().optional(),
};

const RatingQuestion = z.strictObject({ ...questionBase, type: z.literal('rating') });
const DualRatingQuestion = z.strictObject({ ...questionBase, type: z.literal('dual_rating') });
const ChoiceQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('choice'),
  options: z.array(Option).min(2).max(TEMPLATE_LIMITS.options),
});
const MultiQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('multi'),
  options: z.array(Option).min(2).max(TEMPLATE_LIMITS.options),
});
const ScaleQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('scale'),
  min: z.literal(1),
  max: z.literal(5),
  labels: z.strictObject({ low: Label, high: Label }).optional(),
});
const TextQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  placeholder: text(TEMPLATE_LIMITS.label).optional(),
  multiline: z.boolean().optional(),
});

export const Question = z.discriminatedUnion('type', [
  RatingQuestion,
  DualRatingQuestion,
  ChoiceQuestion,
  MultiQuestion,
  ScaleQuestion,
  TextQuestion,
]);
export type Question = z.infer<typeof Question>;
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;

export const SECTION_KINDS = ['questions', 'agreement', 'debrief'] as const;

export const Section = z.strictObject({
  id: Slug,
  title: Label,
  /** the one-line "why this matters" shown at the top of the section */
  why: Help,
  kind: z.enum(SECTION_KINDS),
  /** safety-critical: answers are shown in full even in a discreet room */
  alwaysFull: z.boolean().optional(),
  categories: z.array(z.strictObject({ id: Slug, label: Label })).max(TEMPLATE_LIMITS.categories).optional(),
  items: z.array(Question).max(TEMPLATE_LIMITS.itemsPerSection),
  /** debrief prompts or talking points */
  prompts: lines(Help).optional(),
});
export type Section = z.infer<typeof Section>;
/** What a template author writes (before defaults and validation). */
export type SectionInput = z.input<typeof Section>;

export const Template = z
  .strictObject({
    // Same shape as the `template` field of POST /api/rooms.
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'template id: 1–40 of a-z, 0-9, -'),
    version: z.number().int().min(1),
    title: Label,
    description: text(TEMPLATE_LIMITS.description).pipe(z.string().min(1, 'must not be empty')),
    guidance: z.strictObject({
      primer: lines(Help).min(1),
      revealReminder: Help,
      debriefPrompts: lines(Help),
      /**
       * A talking prompt the reveal shows next to each line worth a conversation, by class.
       * Optional, so templates written before the direction model stay valid.
       */
      talkPrompts: z
        .strictObject({
          difference: Help,
          limit: Help,
          maybe: Help,
          pleasing: Help,
          explore: Help,
          different: Help,
        })
        .partial()
        .optional(),
    }),
    sections: z.array(Section).min(1).max(TEMPLATE_LIMITS.sections),
  })
  .superRefine((template, ctx) => {
    const sectionIds = new Set<string>();
    // Item ids key the answers map of a private doc, so they must be unique template-wide.
    const itemIds = new Set<string>();
    template.sections.forEach((section, s) => {
      const at = (...path: (string | number)[]) => ['sections', s, ...path];
      if (sectionIds.has(section.id)) {
        ctx.addIssue({ code: 'custom', message: `duplicate section id "${section.id}"`, path: at('id') });
      }
      sectionIds.add(section.id);
      const categories = new Set<string>();
      section.categories?.forEach((category, c) => {
        if (categories.has(category.id)) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicate category id "${category.id}"`,
            path: at('categories', c, 'id'),
          });
        }
        categories.add(category.id);
      });
      section.items.forEach((item, i) => {
        if (itemIds.has(item.id)) {
          ctx.addIssue({ code: 'custom', message: `duplicate item id "${item.id}"`, path: at('items', i, 'id') });
        }
        itemIds.add(item.id);
        if (item.category !== undefined && !categories.has(item.category)) {
          ctx.addIssue({
            code: 'custom',
            message: `item "${item.id}" refers to undeclared category "${item.category}"`,
            path: at('items', i, 'category'),
          });
        }
        if (item.type === 'choice' || item.type === 'multi') {
          const optionIds = new Set(item.options.map((o) => o.id));
          if (optionIds.size !== item.options.length) {
            ctx.addIssue({
              code: 'custom',
              message: `item "${item.id}" has duplicate option ids`,
              path: at('items', i, 'options'),
            });
          }
        }
      });
    });
    if (itemIds.size > TEMPLATE_LIMITS.items) {
      ctx.addIssue({ code: 'custom', message: `at most ${TEMPLATE_LIMITS.items} items in all`, path: ['sections'] });
    }
  });
export type Template = z.infer<typeof Template>;
export type TemplateInput = z.input<typeof Template>;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** The first problem of untrusted template JSON, with its path (`sections[3].items[7].type`); null if valid. */
export function firstTemplateProblem(json: unknown): { path: string; message: string } | null {
  const result = Template.safeParse(json);
  return result.success ? null : firstIssue(result.error);
}

/** Validates untrusted template JSON; throws a TemplateError listing every problem with its path. */
export function parseTemplate(json: unknown): Template {
  const result = Template.safeParse(json);
  if (!result.success) throw new TemplateError(`invalid template:\n${z.prettifyError(result.error)}`);
  return result.data;
}

interface ItemEntry {
  section: Section;
  question: Question;
}

// Lookups happen per item on every reveal; index each (immutable) template once.
const indexes = new WeakMap<Template, Map<string, ItemEntry>>();

function itemIndex(template: Template): Map<string, ItemEntry> {
  let index = indexes.get(template);
  if (!index) {
    index = new Map();
    for (const section of template.sections) {
      for (const question of section.items) index.set(question.id, { section, question });
    }
    indexes.set(template, index);
  }
  return index;
}

export function findSection(template: Template, sectionId: string): Section | undefined {
  return template.sections.find((s) => s.id === sectionId);
}

export function sectionOfItem(template: Template, itemId: string): Section | undefined {
  return itemIndex(template).get(itemId)?.section;
}

export function findQuestion(template: Template, itemId: string): Question | undefined {
  return itemIndex(template).get(itemId)?.question;
}
