import type { ReactNode } from 'react';

/**
 * Renders the small Markdown subset the agreement uses (headings, lists, paragraphs, bold,
 * quotes) as React elements. Everything is text: nothing is ever parsed as HTML.
 */
export function Markdown({ source, headingOffset = 1 }: { source: string; headingOffset?: number }) {
  const blocks: ReactNode[] = [];
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  let key = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (!line.trim()) {
      i++;
    } else if (heading) {
      const level = Math.min(6, (heading[1]?.length ?? 1) + headingOffset);
      const Tag = `h${level}` as 'h2';
      blocks.push(<Tag key={key++}>{inline(heading[2] ?? '')}</Tag>);
      i++;
    } else if (/^\s*[-*]\s+/.test(line)) {
      const items: ListItem[] = [];
      while (i < lines.length) {
        const current = lines[i] ?? '';
        const bullet = /^(\s*)[-*]\s+(.*)$/.exec(current);
        if (bullet) {
          items.push({ depth: Math.floor((bullet[1]?.length ?? 0) / 2), text: bullet[2] ?? '' });
        } else if (/^\s+\S/.test(current) && items.length > 0) {
          // a continuation line of the previous item (after a hard break)
          const last = items[items.length - 1] as ListItem;
          last.text += `\n${current.trim()}`;
        } else break;
        i++;
      }
      blocks.push(<List key={key++} items={items} depth={0} />);
    } else if (/^>\s?/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i] ?? '')) {
        quoted.push((lines[i] ?? '').replace(/^>\s?/, ''));
        i++;
      }
      blocks.push(<blockquote key={key++}>{inline(quoted.join('\n'))}</blockquote>);
    } else {
      const para: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() && !/^(#{1,6}\s|\s*[-*]\s|>)/.test(lines[i] ?? '')) {
        para.push(lines[i] ?? '');
        i++;
      }
      blocks.push(<p key={key++}>{inline(para.join('\n'))}</p>);
    }
  }
  return <>{blocks}</>;
}

interface ListItem {
  depth: number;
  text: string;
}

/** Nested lists from indentation: an item's deeper followers become its sub-list. */
function List({ items, depth }: { items: ListItem[]; depth: number }) {
  const out: ReactNode[] = [];
  let n = 0;
  while (n < items.length) {
    const item = items[n] as ListItem;
    const children: ListItem[] = [];
    n++;
    while (n < items.length && (items[n] as ListItem).depth > depth) children.push(items[n++] as ListItem);
    out.push(
      <li key={n}>
        {inline(item.text)}
        {children.length > 0 && <List items={children} depth={depth + 1} />}
      </li>,
    );
  }
  return <ul>{out}</ul>;
}

/** Hard line breaks (`\\` + newline or a plain newline) become <br>. */
function inline(text: string): ReactNode[] {
  const parts = text.split(/\\?\n/);
  return parts.flatMap((part, n) => (n === 0 ? spans(part, n) : [<br key={`br${n}`} />, ...spans(part, n)]));
}

/** `**bold**` and `_emphasis_`; backslash escapes are unescaped. */
function spans(text: string, line: number): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /\*\*(.+?)\*\*|(?<![\w\\])_(.+?)_(?!\w)/g;
  let last = 0;
  let n = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(unescape(text.slice(last, m.index)));
    if (m[1] !== undefined) out.push(<strong key={`${line}-${n++}`}>{unescape(m[1])}</strong>);
    else out.push(<em key={`${line}-${n++}`}>{unescape(m[2] ?? '')}</em>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(unescape(text.slice(last)));
  return out;
}

// any backslash-escaped ASCII punctuation (the agreement escapes names, notes and free text)
const unescape = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
