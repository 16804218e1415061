import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { isOffTable } from '../protocol/room-doc';
import type { RevealedAnswer, RoomDocState } from '../protocol/room-doc';
import { classifyDirections, classifyItem } from '../reveal/classify';
import type { MatchClass } from '../reveal/classify';
import { readRevealedAnswer } from '../reveal/project';
import { AGREEMENT_TEXT } from '../template/labels';
import type { Question, Template } from '../template/schema';
import { formatAnswer } from './format';

export { agreementToMarkdown } from './markdown';

/**
 * The agreement: a plain, JSON-able record built only from what the reveal already showed
 * both partners (current rounds of revealed sections), plus the shared free text and the
 * review date. Deterministic, so both partners and the server hash the same bytes.
 */

/** Human-readable answers side by side (Markdown and print use these, no template needed). */
export interface AgreementLine {
  label: string;
  a?: string;
  b?: string;
}

export interface AgreementItem {
  id: string;
  label: string;
  class: MatchClass | null;
  a?: RevealedAnswer;
  b?: RevealedAnswer;
  display: { a?: string; b?: string };
}

export interface AgreementSection {
  id: string;
  title: string;
  round: number;
  /** ms since epoch */
  revealedAt: number | null;
  items: AgreementItem[];
}

export interface AgreementSummary {
  mutual: string[];
  limits: string[];
  mismatches: string[];
  signals: AgreementLine[];
  aftercare: AgreementLine[];
}

export interface Agreement {
  title: string | null;
  templateId: string;
  templateVersion: number;
  partners: { a: string; b: string | null };
  sections: AgreementSection[];
  summary: AgreementSummary;
  freeText: string;
  /** ISO date (YYYY-MM-DD) or null */
  reviewDate: string | null;
}

export interface BuildAgreementInput {
  template: Template;
  room: RoomDocState;
  agreementText: string;
  names: { a: string; b: string | null };
  title: string | null;
}

/** Summary lines for these sections are taken from the section of that id, by convention. */
export const SUMMARY_SECTION_IDS = { signals: 'safety', aftercare: 'aftercare' } as const;

// Room-doc maps come from Yjs JSON; read own properties only.
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export function buildAgreement(input: BuildAgreementInput): Agreement {
  const { template, room } = input;
  const sections: AgreementSection[] = [];
  for (const section of template.sections) {
    if (section.kind === 'agreement') continue;
    const status = own(room.sections, section.id);
    const revealed = own(room.revealed, section.id);
    if (status?.state !== 'revealed' || !revealed) continue;
    const items = section.items.flatMap((question) => {
      const item = agreementItem(question, own(revealed.a, question.id), own(revealed.b, question.id));
      return item ? [item] : [];
    });
    sections.push({
      id: section.id,
      title: section.title,
      round: revealed.round,
      revealedAt: status.revealedAt ?? null,
      items,
    });
  }
  return {
    title: input.title,
    templateId: template.id,
    templateVersion: template.version,
    partners: { a: input.names.a, b: input.names.b },
    sections,
    summary: summarize(template, sections, input.names),
    freeText: input.agreementText,
    reviewDate: room.meta.reviewDate ?? null,
  };
}

function agreementItem(question: Question, rawA: unknown, rawB: unknown): AgreementItem | undefined {
  const a = readRevealedAnswer(question, rawA);
  const b = readRevealedAnswer(question, rawB);
  if (!a && !b) return undefined;
  // An off-table item has no class to show: the mode hid what would produce it.
  const hidden = isOffTable(a) || isOffTable(b);
  const item: AgreementItem = {
    id: question.id,
    label: question.label,
    class: hidden ? null : classifyItem(question, a, b),
    display: {},
  };
  if (a) {
    item.a = a;
    item.display.a = formatAnswer(question, a);
  }
  if (b) {
    item.b = b;
    item.display.b = formatAnswer(question, b);
  }
  return item;
}

function summarize(
  template: Template,
  sections: readonly AgreementSection[],
  names: BuildAgreementInput['names'],
): AgreementSummary {
  const summary: AgreementSummary = { mutual: [], limits: [], mismatches: [], signals: [], aftercare: [] };
  const nameA = names.a;
  const nameB = names.b ?? AGREEMENT_TEXT.unnamedPartner;
  const questions = new Map(template.sections.flatMap((s) => s.items.map((q) => [q.id, q] as const)));

  for (const section of sections) {
    for (const item of section.items) {
      const question = questions.get(item.id);
      if (!question) continue;
      if (section.id === SUMMARY_SECTION_IDS.signals || section.id === SUMMARY_SECTION_IDS.aftercare) {
        const key = section.id === SUMMARY_SECTION_IDS.signals ? 'signals' : 'aftercare';
        summary[key].push({ label: item.label, ...item.display });
      }
      if (item.class === null || isOffTable(item.a) || isOffTable(item.b)) continue;
      if (question.type !== 'dual_rating') {
        if (item.class === 'mutual') summary.mutual.push(item.label);
        if (item.class === 'mismatch') summary.mismatches.push(item.label);
        if (item.class === 'limit') summary.limits.push(item.label);
        continue;
      }
      // Per direction: "Rope (Alex gives, Sam receives)" says more than the item's worst class.
      const { aToB, bToA } = classifyDirections(item.a, item.b);
      const list = (cls: MatchClass, target: string[]) => {
        if (aToB === cls && bToA === cls) target.push(`${item.label} (${AGREEMENT_TEXT.bothWays})`);
        else if (aToB === cls) target.push(`${item.label} (${AGREEMENT_TEXT.direction(nameA, nameB)})`);
        else if (bToA === cls) target.push(`${item.label} (${AGREEMENT_TEXT.direction(nameB, nameA)})`);
      };
      list('mutual', summary.mutual);
      list('mismatch', summary.mismatches);
      list('limit', summary.limits);
    }
  }
  return summary;
}

/** JSON with object keys sorted at every level; `undefined` members are left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const member: unknown = (value as Record<string, unknown>)[key];
        return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
      });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Hex SHA-256 of the canonical JSON: what each partner confirms (`agreement:confirm`). */
export function agreementHash(agreement: Agreement): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(agreement))));
}
