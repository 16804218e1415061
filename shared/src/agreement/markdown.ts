import { AGREEMENT_TEXT, COMPARE_CLASS_LABELS, DIRECTION_CLASS_LABELS } from '../template/labels';
import type { Agreement, AgreementItem, AgreementLine } from './build';

/**
 * The agreement as a printable Markdown document. Every piece of text that came from a
 * person or a template is escaped, so names, notes and free text render as text, never as
 * markup, links or HTML.
 */

// Characters that open inline syntax anywhere in a line: emphasis, code, links, HTML,
// entities, tables, strikethrough, and the escape character itself.
const INLINE_SPECIAL = /[\\`*_[\]<>&|~]/g;
// Characters that only matter at the start of a line: headings, lists, setext underlines.
const LINE_START = /^(?:[#+=-]|\d+[.)])/;

/**
 * Escapes one line. Leading whitespace is dropped so it can never become a code block;
 * other punctuation is left alone so the downloaded file stays readable as plain text.
 */
export function escapeMarkdown(line: string): string {
  const escaped = line.trimStart().replace(INLINE_SPECIAL, '\\$&');
  return escaped.replace(LINE_START, (start) => `${start.slice(0, -1)}\\${start.slice(-1)}`);
}

const lines = (text: string): string[] =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => escapeMarkdown(l.trimEnd()))
    .filter((l) => l !== '');

/** Multi-line text inside one block: hard line breaks, continuation lines indented to `indent`. */
function inline(text: string, indent = ''): string {
  return lines(text).join(`\\\n${indent}`);
}

/** Free text: blank lines separate paragraphs, single newlines stay line breaks. */
function paragraphs(text: string): string {
  return text
    .split(/(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)/)
    .map((p) => inline(p))
    .filter((p) => p !== '')
    .join('\n\n');
}

function isoDate(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString().slice(0, 10);
}

function bulletList(entries: readonly string[]): string[] {
  if (entries.length === 0) return [`_${inline(AGREEMENT_TEXT.nothingYet)}_`, ''];
  return [...entries.map((e) => `- ${inline(e, '  ')}`), ''];
}

function sideBySide(lineItem: AgreementLine, names: { a: string; b: string }, heading: string): string[] {
  const out = [`- ${heading}`];
  if (lineItem.a !== undefined) out.push(`  - **${inline(names.a)}:** ${inline(lineItem.a, '    ')}`);
  if (lineItem.b !== undefined) out.push(`  - **${inline(names.b)}:** ${inline(lineItem.b, '    ')}`);
  return out;
}

/** " — Match (Alex → Sam); Neither wants this (Sam → Alex)": each direction on its own. */
function itemClasses(item: AgreementItem, names: { a: string; b: string }): string {
  const { lines, compare } = item.reading;
  const parts = lines
    .filter((l) => l.cls !== 'unanswered')
    .map((l) => {
      const way = l.way === 'aToB' ? ` (${names.a} → ${names.b})` : l.way === 'bToA' ? ` (${names.b} → ${names.a})` : '';
      return `${DIRECTION_CLASS_LABELS[l.cls]}${way}`;
    });
  if (compare === 'same' || compare === 'different') parts.push(COMPARE_CLASS_LABELS[compare]);
  return parts.length > 0 ? ` — ${inline(parts.join('; '))}` : '';
}

export function agreementToMarkdown(agreement: Agreement): string {
  const t = AGREEMENT_TEXT;
  const names = { a: agreement.partners.a, b: agreement.partners.b ?? t.unnamedPartner };
  const out: string[] = [];

  out.push(`# ${inline(agreement.title ?? '') || inline(t.defaultTitle)}`, '');
  out.push(`- **${inline(t.partners)}:** ${inline(names.a)} ${t.and} ${inline(names.b)}`);
  out.push(`- **${inline(t.worksheet)}:** ${inline(agreement.templateId)}, ${t.version} ${agreement.templateVersion}`);
  const reviewDate = agreement.reviewDate ? inline(agreement.reviewDate) : inline(t.noReviewDate);
  out.push(`- **${inline(t.reviewDate)}:** ${reviewDate}`, '');

  const { summary } = agreement;
  out.push(`## ${inline(t.summary)}`, '');
  out.push(`### ${inline(t.hardLimits)}`, '', ...bulletList(summary.hardLimits));
  out.push(`### ${inline(t.matches)}`, '', ...bulletList(summary.matches));
  out.push(`### ${inline(t.toTalkAbout)}`, '', ...bulletList(summary.toTalkAbout));
  for (const [title, entries] of [
    [t.signals, summary.signals],
    [t.aftercare, summary.aftercare],
  ] as const) {
    out.push(`### ${inline(title)}`, '');
    if (entries.length === 0) out.push(...bulletList([]));
    else out.push(...entries.flatMap((e) => sideBySide(e, names, `**${inline(e.label)}**`)), '');
  }

  out.push(`## ${inline(t.freeText)}`, '');
  const freeText = paragraphs(agreement.freeText);
  out.push(freeText === '' ? `_${inline(t.noFreeText)}_` : freeText, '');

  out.push(`## ${inline(t.sections)}`, '');
  if (agreement.sections.length === 0) out.push(`_${inline(t.noSections)}_`, '');
  for (const section of agreement.sections) {
    out.push(`### ${inline(section.title)}`, '');
    const date = isoDate(section.revealedAt);
    const when = date ? ` · ${inline(t.revealedOn)} ${inline(date)}` : '';
    out.push(`_${inline(t.round)} ${section.round}${when}_`, '');
    if (section.items.length === 0) out.push(...bulletList([]));
    for (const item of section.items) {
      const cls = itemClasses(item, names);
      out.push(...sideBySide({ label: item.label, ...item.display }, names, `**${inline(item.label)}**${cls}`));
    }
    if (section.notShared) out.push(`_${inline(t.notShared(section.notShared))}_`, '');
    if (section.items.length > 0) out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
