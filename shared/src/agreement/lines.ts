import { AGREEMENT_TEXT } from '../template/labels';
import { SUMMARY_SECTION_IDS, type Agreement } from './build';
import { formatDay, formatIsoDate } from './format';
import { agreementNames } from './markdown';
import { sidesText, wayHeading } from './plan';

/**
 * The agreement as plain lines, each one a statement that reads on its own ("What you both
 * want · Alex → Blake: Rope bondage"). The server stores them with a confirmation, so both
 * partners can later see, line by line, what changed since it. Every line comes from the
 * agreement, which holds only what the reveal showed: storing them reveals nothing new.
 */
const PLAN_SECTIONS: ReadonlySet<string> = new Set(Object.values(SUMMARY_SECTION_IDS));

export function agreementLines(agreement: Agreement): string[] {
  const t = AGREEMENT_TEXT;
  const names = agreementNames(agreement);
  const { summary } = agreement;
  const out: string[] = [];
  const flat = (text: string) => text.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' / ');

  out.push(agreement.reviewDate ? t.reviewOn(formatIsoDate(agreement.reviewDate)) : t.noReviewDate);
  for (const { way, items } of summary.matches) {
    for (const item of items) out.push(`${t.matches} · ${wayHeading(way, names)}: ${item.label}`);
  }
  for (const seat of ['a', 'b'] as const) {
    const { hardLimits, written } = summary.limits[seat];
    for (const limit of hardLimits) out.push(`${t.limitsOf(names[seat])} · ${t.hardLimits}: ${limit}`);
    for (const { label, text } of written) out.push(`${t.limitsOf(names[seat])} · ${label}: ${flat(text)}`);
  }
  for (const [title, entries] of [
    [t.signals, summary.signals],
    [t.aftercare, summary.aftercare],
  ] as const) {
    for (const e of entries) out.push(`${title} · ${e.label}: ${flat(sidesText(e, names))}`);
  }
  for (const line of agreement.freeText.split(/\r\n|\r|\n/)) {
    if (line.trim() !== '') out.push(`${t.freeText}: ${line.trim()}`);
  }
  for (const item of agreement.leftOut) out.push(t.leftOutLine(item.label));
  for (const line of summary.toTalkAbout) out.push(`${t.toTalkAbout} · ${line}`);
  for (const section of agreement.sections) {
    const when = section.revealedAt !== null && Number.isFinite(section.revealedAt) ? `, ${t.revealedOn} ${formatDay(section.revealedAt)}` : '';
    out.push(`${section.title}: ${t.round} ${section.round}${when}`);
    // the plan already says these sections' items in full
    if (PLAN_SECTIONS.has(section.id)) continue;
    for (const item of section.items) out.push(`${section.title} · ${item.label}: ${flat(sidesText({ label: item.label, ...item.display }, names))}`);
  }
  return out;
}
