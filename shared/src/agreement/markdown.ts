import type { RoomMeta } from '../protocol/room-doc';
import { AGREEMENT_TEXT } from '../template/labels';
import type { Agreement, AgreementItem, AgreementLine } from './build';
import { confirmationWords } from './confirmations';
import { formatDay, formatIsoDate } from './format';
import { itemClassText, sidesText, wayHeading } from './plan';

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

function bulletList(entries: readonly string[]): string[] {
  if (entries.length === 0) return [`_${inline(AGREEMENT_TEXT.nothingYet)}_`, ''];
  return [...entries.map((e) => `- ${inline(e, '  ')}`), ''];
}

function sideBySide(lineItem: AgreementLine, names: Names, heading: string): string[] {
  const out = [`- ${heading}`];
  if (lineItem.a !== undefined) out.push(`  - **${inline(names.a)}:** ${inline(lineItem.a, '    ')}`);
  if (lineItem.b !== undefined) out.push(`  - **${inline(names.b)}:** ${inline(lineItem.b, '    ')}`);
  return out;
}

function itemClasses(item: AgreementItem, names: Names): string {
  const text = itemClassText(item, names);
  return text ? ` — ${inline(text)}` : '';
}

type Names = { a: string; b: string };

export const agreementNames = (agreement: Agreement): Names => ({
  a: agreement.partners.a,
  b: agreement.partners.b ?? AGREEMENT_TEXT.unnamedPartner,
});

export interface MarkdownOptions {
  /** the room's confirmations and the agreement's hash: who confirmed, and when */
  confirmations?: RoomMeta['confirmations'];
  hash?: string;
  /** IANA zone the confirmation times are written in (UTC, said so, when absent) */
  timeZone?: string;
}

/** The plan: what both want by direction, each person's limits, signals, aftercare, own words. */
function planMarkdown(agreement: Agreement, names: Names): string[] {
  const t = AGREEMENT_TEXT;
  const { summary } = agreement;
  const out: string[] = [`## ${inline(t.plan)}`, ''];
  out.push(`### ${inline(t.matches)}`, '');
  if (summary.matches.length === 0) out.push(...bulletList([]));
  else {
    out.push(`_${inline(t.matchesLead)}_`, '');
    for (const { way, items } of summary.matches) {
      out.push(`- **${inline(wayHeading(way, names))}:** ${inline(items.map((i) => i.label).join(', '), '  ')}`);
    }
    out.push('');
  }
  out.push(`### ${inline(t.limits)}`, '');
  for (const seat of ['a', 'b'] as const) {
    const { hardLimits, written } = summary.limits[seat];
    out.push(`- **${inline(t.limitsOf(names[seat]))}**`);
    out.push(`  - ${hardLimits.length === 0 ? inline(t.noHardLimits) : `${inline(t.hardLimits)}: ${inline(hardLimits.join(', '), '    ')}`}`);
    for (const { label, text } of written) out.push(`  - ${inline(label)}: ${inline(text, '    ')}`);
  }
  out.push('');
  for (const [title, entries] of [
    [t.signals, summary.signals],
    [t.aftercare, summary.aftercare],
  ] as const) {
    out.push(`### ${inline(title)}`, '');
    if (entries.length === 0) out.push(...bulletList([]));
    else out.push(...entries.map((e) => `- **${inline(e.label)}:** ${inline(sidesText(e, names), '  ')}`), '');
  }
  out.push(`### ${inline(t.freeText)}`, '');
  const freeText = paragraphs(agreement.freeText);
  out.push(freeText === '' ? `_${inline(t.noFreeText)}_` : freeText, '');
  if (agreement.leftOut.length > 0) out.push(`_${inline(t.leftOutCount(agreement.leftOut.length))}_`, '');
  return out;
}

function detailMarkdown(agreement: Agreement, names: Names): string[] {
  const t = AGREEMENT_TEXT;
  const out: string[] = [`## ${inline(t.detail)}`, ''];
  if (agreement.summary.toTalkAbout.length > 0) {
    out.push(`### ${inline(t.toTalkAbout)}`, '', ...bulletList(agreement.summary.toTalkAbout));
  }
  if (agreement.sections.length === 0) out.push(`_${inline(t.noSections)}_`, '');
  for (const section of agreement.sections) {
    out.push(`### ${inline(section.title)}`, '');
    const when = section.revealedAt !== null && Number.isFinite(section.revealedAt) ? ` · ${t.revealedOn} ${formatDay(section.revealedAt)}` : '';
    out.push(`_${inline(`${t.round} ${section.round}${when}`)}_`, '');
    if (section.items.length === 0) out.push(...bulletList([]));
    for (const item of section.items) {
      const cls = itemClasses(item, names);
      out.push(...sideBySide({ label: item.label, ...item.display }, names, `**${inline(item.label)}**${cls}`));
    }
    if (section.notShared) out.push(`_${inline(t.notShared(section.notShared))}_`, '');
    if (section.items.length > 0) out.push('');
  }
  return out;
}

/** The agreement as a Markdown file: the plan first, then the full detail. */
export function agreementToMarkdown(agreement: Agreement, options: MarkdownOptions = {}): string {
  const t = AGREEMENT_TEXT;
  const names = agreementNames(agreement);
  const out: string[] = [];
  out.push(`# ${inline(agreement.title ?? '') || inline(t.defaultTitle)}`, '');
  const review = agreement.reviewDate ? t.reviewOn(formatIsoDate(agreement.reviewDate)) : t.noReviewDate;
  out.push(inline(`${names.a} ${t.and} ${names.b} · ${review}`), '');
  const { confirmations, hash } = options;
  if (confirmations && hash) {
    for (const seat of ['a', 'b'] as const) out.push(`- ${inline(confirmationWords(names[seat], confirmations[seat], hash, options.timeZone))}`);
    out.push('');
  }
  out.push(...planMarkdown(agreement, names), ...detailMarkdown(agreement, names));
  return `${out.join('\n').trimEnd()}\n`;
}
