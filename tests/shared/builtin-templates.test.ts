import { describe, expect, it } from 'vitest';
import { afterSceneTemplate } from '@parley/shared/template/builtin/after-scene';
import { firstConversationTemplate } from '@parley/shared/template/builtin/first-conversation';
import { remotePlayTemplate } from '@parley/shared/template/builtin/remote-play';
import { defaultTemplate } from '@parley/shared/template/default';
import { findTemplate, isCustomTemplateId, templates } from '@parley/shared/template/registry';
import { TEMPLATE_LIMITS, firstTemplateProblem, parseTemplate, type Template } from '@parley/shared/template/schema';

const builtins = [firstConversationTemplate, remotePlayTemplate, afterSceneTemplate];
const items = (t: Template) => t.sections.flatMap((s) => s.items);
const copy = (t: Template): Template => JSON.parse(JSON.stringify(t)) as Template;

describe('built-in worksheets beside default', () => {
  it('BW1 each validates against the shared schema, survives a JSON round trip and is served by the registry', () => {
    for (const t of builtins) {
      expect(parseTemplate(JSON.parse(JSON.stringify(t)))).toEqual(t);
      expect(findTemplate(t.id)).toBe(t);
      expect(templates).toContain(t);
      expect(isCustomTemplateId(t.id)).toBe(false);
      expect(t.guidance.primer.length).toBeGreaterThan(0);
      for (const s of t.sections) expect(s.why.length).toBeGreaterThan(20);
      expect(JSON.stringify(t).length).toBeLessThan(TEMPLATE_LIMITS.bodyBytes);
    }
    // One entry per id and version (default keeps version 1 for older rooms).
    expect(new Set(templates.map((t) => `${t.id}@${t.version}`)).size).toBe(templates.length);
  });

  it('BW2 "First conversation" is short (a quarter of an hour), yet keeps limits, a safeword and aftercare', () => {
    const t = firstConversationTemplate;
    expect(t.title).toBe('First conversation');
    expect(items(t).length).toBeLessThanOrEqual(16);
    expect(items(t).length).toBeLessThan(items(defaultTemplate).length / 4);
    expect(t.sections.find((s) => s.id === 'limits')?.alwaysFull).toBe(true);
    expect(t.sections.find((s) => s.id === 'safety')?.items.map((i) => i.id)).toContain('safety_safeword');
    expect(t.sections.map((s) => s.id)).toContain('aftercare');
    expect(t.description).toMatch(/fifteen minutes/);
  });

  it('BW3 "Remote play" asks what distance changes: privacy, recordings, a remote signal, a dropped connection', () => {
    const t = remotePlayTemplate;
    const ids = items(t).map((i) => i.id);
    for (const id of ['setting_privacy', 'setting_recording', 'setting_camera', 'safety_remote_signal', 'safety_connection_drop', 'safety_safeword']) {
      expect(ids).toContain(id);
    }
    const activities = t.sections.find((s) => s.id === 'activities');
    expect(activities?.items.every((i) => i.type === 'dual_rating' && i.category !== undefined)).toBe(true);
    expect(t.sections.find((s) => s.id === 'safety')?.why).toMatch(/distance/);
  });

  it('BW4 "After a scene" is a debrief only, every section hidden then revealed', () => {
    const t = afterSceneTemplate;
    expect(t.sections.length).toBeGreaterThanOrEqual(2);
    expect(t.sections.every((s) => s.kind === 'debrief')).toBe(true);
    expect(t.sections.every((s) => (s.prompts ?? []).length > 0)).toBe(true);
  });
});

describe('template caps and plain text (a facilitator’s template is untrusted input)', () => {
  it('BW5 names the first wrong path, e.g. sections[3].items[7].type', () => {
    const t = copy(defaultTemplate) as unknown as { sections: { items: { type: string }[] }[] };
    t.sections[3]!.items[7]!.type = 'bogus';
    expect(firstTemplateProblem(t)?.path).toBe('sections[3].items[7].type');
    expect(firstTemplateProblem(defaultTemplate)).toBeNull();
  });

  it('BW6 refuses control characters and bidi overrides in any text, and markup stays text', () => {
    for (const bad of ['a\u0007b', 'line\nbreak', 'tab\there', 'x\u202ey', 'nul\u0000']) {
      const t = copy(defaultTemplate);
      (t.sections[1]!.items[0] as { label: string }).label = bad;
      expect(firstTemplateProblem(t)).toEqual({ path: 'sections[1].items[0].label', message: 'must not contain control characters' });
    }
    const markup = copy(defaultTemplate);
    (markup.sections[0] as { why: string }).why = '<img src=x onerror="alert(1)">';
    expect(parseTemplate(markup).sections[0]?.why).toBe('<img src=x onerror="alert(1)">');
  });

  it('BW7 caps strings, sections, items per section, items in all, options and lines', () => {
    const long = copy(defaultTemplate);
    (long.guidance as { revealReminder: string }).revealReminder = 'x'.repeat(TEMPLATE_LIMITS.help + 1);
    expect(firstTemplateProblem(long)).toEqual({ path: 'guidance.revealReminder', message: `at most ${TEMPLATE_LIMITS.help} characters` });

    const many = copy(defaultTemplate);
    const section = many.sections[1]!;
    many.sections = Array.from({ length: TEMPLATE_LIMITS.sections + 1 }, (_, i) => ({ ...section, id: `s${i}`, items: [] }));
    expect(firstTemplateProblem(many)?.path).toBe('sections');

    const crowded = copy(defaultTemplate);
    const item = crowded.sections[0]!.items[0]!;
    crowded.sections[0]!.items = Array.from({ length: TEMPLATE_LIMITS.itemsPerSection + 1 }, (_, i) => ({ ...item, id: `i${i}` }));
    expect(firstTemplateProblem(crowded)?.path).toBe('sections[0].items');

    const total = copy(defaultTemplate);
    total.sections = Array.from({ length: 3 }, (_, s) => ({
      ...section,
      id: `s${s}`,
      items: Array.from({ length: TEMPLATE_LIMITS.itemsPerSection }, (_, i) => ({ ...item, id: `i${s}_${i}` })),
    }));
    expect(firstTemplateProblem(total)).toEqual({ path: 'sections', message: `at most ${TEMPLATE_LIMITS.items} items in all` });

    const lines = copy(defaultTemplate);
    (lines.guidance as { primer: string[] }).primer = Array.from({ length: TEMPLATE_LIMITS.lines + 1 }, () => 'Be kind');
    expect(firstTemplateProblem(lines)?.path).toBe('guidance.primer');
  });
});
