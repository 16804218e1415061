import { useRef } from 'react';
import type { ItemGroup } from '../../lib/sections';
import { strings } from '../../lib/strings';
import { categoryHeadingId } from './QuestionGroup';

/**
 * Takes the reader, and the focus, to a category's heading from anywhere in the section.
 * A disclosure of buttons rather than a select: a select would jump on every arrow key.
 */
export function CategoryJump({ sectionId, categories, skipped }: { sectionId: string; categories: ItemGroup[]; skipped: ReadonlySet<string> }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const jump = (categoryId: string) => {
    if (ref.current) ref.current.open = false;
    const heading = document.getElementById(categoryHeadingId(sectionId, categoryId));
    if (!heading) return;
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  };
  return (
    <details ref={ref} className="jump">
      <summary className="button button--secondary jump__toggle">
        {strings.fill.jump}
        <span className="visually-hidden"> {strings.fill.jumpRest}</span>
      </summary>
      <ul className="jump__list">
        {categories.map((g) => (
          <li key={g.id}>
            <button type="button" className="jump__item" onClick={() => jump(g.id as string)}>
              {g.label}
              {g.id && skipped.has(g.id) && <span className="jump__skipped"> · {strings.fill.skippedShort}</span>}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
