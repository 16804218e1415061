import type { Question, Section } from '@parley/shared/template/schema';

/** A section's items under their category headings, in template order. */
export interface ItemGroup {
  id: string | null;
  label: string | null;
  items: Question[];
}

export function groupByCategory(section: Section): ItemGroup[] {
  const categories = section.categories ?? [];
  if (categories.length === 0) return [{ id: null, label: null, items: section.items }];
  const groups: ItemGroup[] = categories.map((c) => ({ id: c.id, label: c.label, items: [] }));
  const rest: ItemGroup = { id: null, label: null, items: [] };
  for (const item of section.items) {
    const group = groups.find((g) => g.id === item.category) ?? rest;
    group.items.push(item);
  }
  return [...(rest.items.length ? [rest] : []), ...groups.filter((g) => g.items.length > 0)];
}
