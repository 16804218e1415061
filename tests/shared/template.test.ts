import { describe, expect, it } from 'vitest';
import { defaultTemplate } from '@parley/shared/template/default';
import { findTemplate, listTemplates, templates } from '@parley/shared/template/registry';
import {
  QUESTION_TYPES,
  TemplateError,
  findQuestion,
  parseTemplate,
  sectionOfItem,
} from '@parley/shared/template/schema';
import type { TemplateInput } from '@parley/shared/template/schema';

/** A small valid template to break in one place per test. */
function tiny(): TemplateInput {
  return {
    id: 'tiny',
    version: 1,
    title: 'Tiny',
    description: 'A template for tests',
    guidance: { primer: ['Be honest'], revealReminder: 'Talk it through', debriefPrompts: [] },
    sections: [
      {
        id: 'one',
        title: 'One',
        why: 'Because',
        kind: 'questions',
        categories: [{ id: 'cat', label: 'Cat' }],
        items: [
          { id: 'item_a', type: 'dual_rating', label: 'A', category: 'cat' },
          { id: 'item_b', type: 'choice', label: 'B', options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }] },
        ],
      },
      {
        id: 'two',
        title: 'Two',
        why: 'Because',
        kind: 'questions',
        items: [{ id: 'item_c', type: 'scale', label: 'C', min: 1, max: 5 }],
      },
    ],
  };
}

const ACTIVITY_CATEGORIES = [
  'impact',
  'restraint',
  'sensation',
  'protocol',
  'verbal',
  'pleasure',
  'roleplay',
  'marks',
  'remote',
];

describe('default template', () => {
  it('TP1 validates against the schema and survives a JSON round trip', () => {
    expect(parseTemplate(JSON.parse(JSON.stringify(defaultTemplate)))).toEqual(defaultTemplate);
    expect(defaultTemplate.id).toBe('default');
    expect(defaultTemplate.version).toBe(2);
  });

  it('TP2 has the eleven sections of the brief, in order', () => {
    expect(defaultTemplate.sections.map((s) => s.id)).toEqual([
      'arrival',
      'frame',
      'experience',
      'activities',
      'curious',
      'limits',
      'safety',
      'emotional',
      'aftercare',
      'agreement',
      'debrief',
    ]);
    const kinds = Object.fromEntries(defaultTemplate.sections.map((s) => [s.id, s.kind]));
    expect(kinds.agreement).toBe('agreement');
    expect(kinds.debrief).toBe('debrief');
    expect(defaultTemplate.sections.every((s) => s.why.length > 0)).toBe(true);
  });

  it('TP3 catalogues at least 45 giving/receiving activities across all nine categories', () => {
    const activities = defaultTemplate.sections.find((s) => s.id === 'activities');
    expect(activities?.categories?.map((c) => c.id)).toEqual(ACTIVITY_CATEGORIES);
    const items = activities?.items ?? [];
    expect(items.length).toBeGreaterThanOrEqual(45);
    expect(items.every((q) => q.type === 'dual_rating')).toBe(true);
    expect(items.every((q) => q.experience && q.conditions && q.note)).toBe(true);
    for (const category of ACTIVITY_CATEGORIES) {
      expect(items.filter((q) => q.category === category).length, category).toBeGreaterThanOrEqual(4);
    }
    const remote = items.filter((q) => q.category === 'remote').map((q) => q.label.toLowerCase());
    for (const word of ['video', 'voice', 'text', 'app', 'photos', 'check-in']) {
      expect(remote.some((label) => label.includes(word)), word).toBe(true);
    }
  });

  it('TP4 uses every question type', () => {
    const used = new Set(defaultTemplate.sections.flatMap((s) => s.items.map((q) => q.type)));
    expect([...used].sort()).toEqual([...QUESTION_TYPES].sort());
  });

  it('TP5 marks limits and safety as always shown in full, and nothing else', () => {
    const full = defaultTemplate.sections.filter((s) => s.alwaysFull).map((s) => s.id);
    expect(full).toEqual(['limits', 'safety']);
  });

  it('TP6 carries its guidance as data', () => {
    const { guidance } = defaultTemplate;
    expect(guidance.primer.length).toBeGreaterThanOrEqual(5);
    expect(guidance.primer.join(' ')).toMatch(/withdrawn/);
    expect(guidance.primer.join(' ')).toMatch(/hidden until both/);
    expect(guidance.revealReminder).toMatch(/talk it through/i);
    expect(guidance.debriefPrompts.length).toBeGreaterThan(0);
    expect(defaultTemplate.sections.find((s) => s.id === 'debrief')?.prompts?.length).toBeGreaterThan(0);
  });

  it('TP7 is frozen, so no consumer can change the shared instance', () => {
    expect(Object.isFrozen(defaultTemplate)).toBe(true);
    expect(Object.isFrozen(defaultTemplate.sections[3]?.items[0])).toBe(true);
  });
});

describe('template schema', () => {
  it('TP8 accepts the tiny template', () => {
    expect(parseTemplate(tiny()).sections).toHaveLength(2);
  });

  it('TP9 rejects duplicate section ids', () => {
    const t = tiny();
    const second = t.sections[1];
    if (second) second.id = 'one';
    expect(() => parseTemplate(t)).toThrow(/duplicate section id "one"/);
  });

  it('TP10 rejects an item id used twice anywhere in the template', () => {
    const t = tiny();
    t.sections[1]?.items.push({ id: 'item_a', type: 'text', label: 'again' });
    expect(() => parseTemplate(t)).toThrow(/duplicate item id "item_a"/);
  });

  it('TP11 rejects an item whose category the section does not declare', () => {
    const t = tiny();
    t.sections[1]?.items.push({ id: 'item_d', type: 'rating', label: 'D', category: 'cat' });
    expect(() => parseTemplate(t)).toThrow(/undeclared category "cat"/);
  });

  it('TP12 rejects duplicate option ids, single-option choices and bad scales', () => {
    const dupOptions = tiny();
    dupOptions.sections[0]?.items.push({
      id: 'item_e',
      type: 'multi',
      label: 'E',
      options: [{ id: 'x', label: 'X' }, { id: 'x', label: 'X again' }],
    });
    expect(() => parseTemplate(dupOptions)).toThrow(/duplicate option ids/);

    const single = tiny();
    single.sections[0]?.items.push({ id: 'item_f', type: 'choice', label: 'F', options: [{ id: 'x', label: 'X' }] });
    expect(() => parseTemplate(single)).toThrow(TemplateError);

    const scale = JSON.parse(JSON.stringify(tiny())) as { sections: { items: { max?: number }[] }[] };
    const item = scale.sections[1]?.items[0];
    if (item) item.max = 7;
    expect(() => parseTemplate(scale)).toThrow(TemplateError);
  });

  it('TP13 rejects malformed ids, unknown question types and unknown fields', () => {
    const badId = tiny();
    const first = badId.sections[0];
    if (first) first.id = 'Not A Slug';
    expect(() => parseTemplate(badId)).toThrow(/sections\[0\]\.id|sections.0.id/);

    const badType = JSON.parse(JSON.stringify(tiny())) as { sections: { items: { type: string }[] }[] };
    const q = badType.sections[0]?.items[0];
    if (q) q.type = 'slider';
    expect(() => parseTemplate(badType)).toThrow(TemplateError);

    expect(() => parseTemplate({ ...tiny(), colour: 'red' })).toThrow(/colour/);
    expect(() => parseTemplate(null)).toThrow(TemplateError);
  });

  it('TP14 finds an item and its section', () => {
    const t = parseTemplate(tiny());
    expect(sectionOfItem(t, 'item_c')?.id).toBe('two');
    expect(findQuestion(t, 'item_b')?.type).toBe('choice');
    expect(findQuestion(t, 'nope')).toBeUndefined();
    expect(sectionOfItem(t, 'constructor')).toBeUndefined();
    expect(sectionOfItem(defaultTemplate, 'safety_safeword')?.id).toBe('safety');
  });
});

describe('template registry', () => {
  it('TP15 serves the default template, latest version when none is asked for', () => {
    expect(templates).toContain(defaultTemplate);
    expect(findTemplate('default')).toBe(defaultTemplate);
    expect(findTemplate('default', 2)).toBe(defaultTemplate);
    // a room made with version 1 keeps it: same sections, Safety & signals without the scene items
    const v1 = findTemplate('default', 1);
    expect(v1?.version).toBe(1);
    expect(v1?.sections.map((s) => s.id)).toEqual(defaultTemplate.sections.map((s) => s.id));
    const itemsOf = (t: typeof v1) => t?.sections.find((s) => s.id === 'safety')?.items.map((q) => q.id) ?? [];
    expect(itemsOf(defaultTemplate).filter((id) => !itemsOf(v1).includes(id))).toEqual(['safety_backup', 'safety_connection_drop_wait']);
    expect(findTemplate('default', 3)).toBeUndefined();
    expect(findTemplate('unknown')).toBeUndefined();
  });

  it('TP16 lists each template once with its title and description', () => {
    expect(listTemplates()[0]).toEqual({ id: 'default', version: 2, title: defaultTemplate.title, description: defaultTemplate.description });
    expect(listTemplates().map((t) => t.id)).toEqual(['default', 'first-conversation', 'remote-play', 'after-scene']);
  });
});
