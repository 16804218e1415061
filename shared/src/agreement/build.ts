import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { RevealedAnswer, RoomDocState } from '../protocol/room-doc';
import type { ItemReading } from '../reveal/directions';
import { revealItems } from '../reveal/view';
import type { RevealItem } from '../reveal/view';
import { AGREEMENT_TEXT } from '../template/labels';
import type { Template } from '../template/schema';
import { formatAnswer } from './format';
import { isLeftOut } from './left-out';
import { summarize, type AgreementSummary, type PlanEntry, type PlanItem } from './plan';

export { agreementToMarkdown } from './markdown';
export type { AgreementSummary, PersonLimits, PlanDirection, PlanItem } from './plan';

/**
 * The agreement: a plain, JSON-able record built only from what the reveal already showed
 * both partners (current rounds of revealed sections), plus the shared free text, the review
 * date and what both chose to leave out. Deterministic, so both partners and the server hash
 * the same bytes.
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
  /** the direction model's reading of what the reveal showed (shared/src/reveal/directions.ts) */
  reading: ItemReading;
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
  /** the items in the agreement: something shown, and not left out by both */
  items: AgreementItem[];
  /** discreet rooms: yes/no items with no shared direction, counted not listed */
  notShared?: number;
}

export interface Agreement {
  title: string | null;
  templateId: string;
  templateVersion: number;
  partners: { a: string; b: string | null };
  sections: AgreementSection[];
  /** the plan: matches by direction, each person's limits, signals, aftercare */
  summary: AgreementSummary;
  freeText: string;
  /** ISO date (YYYY-MM-DD) or null */
  reviewDate: string | null;
  /**
   * The revealed items both partners chose to leave out, in template order: they are in no
   * section or plan line (exports only count them); a hard limit on one still stands in its
   * owner's limits.
   */
  leftOut: PlanItem[];
}

export interface BuildAgreementInput {
  template: Template;
  room: RoomDocState;
  agreementText: string;
  names: { a: string; b: string | null };
  title: string | null;
}

/** Plan lines for these sections are taken from the section of that id, by convention. */
export const SUMMARY_SECTION_IDS = { signals: 'safety', aftercare: 'aftercare', limits: 'limits' } as const;

// Room-doc maps come from Yjs JSON; read own properties only.
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export function buildAgreement(input: BuildAgreementInput): Agreement {
  const { template, room } = input;
  const sections: AgreementSection[] = [];
  const entries: PlanEntry[] = [];
  const leftOut: PlanItem[] = [];
  for (const section of template.sections) {
    if (section.kind === 'agreement') continue;
    const status = own(room.sections, section.id);
    const revealed = own(room.revealed, section.id);
    if (status?.state !== 'revealed' || !revealed) continue;
    const items: AgreementItem[] = [];
    for (const r of revealItems(section, revealed)) {
      if (!r.a && !r.b) continue;
      const item = agreementItem(r);
      const out = isLeftOut(room.meta.leftOut, item.id, revealed.round);
      entries.push({ sectionId: section.id, item, leftOut: out });
      if (out) leftOut.push({ id: item.id, label: item.label });
      else items.push(item);
    }
    sections.push({
      id: section.id,
      title: section.title,
      round: revealed.round,
      revealedAt: status.revealedAt ?? null,
      items,
      ...(revealed.notShared !== undefined ? { notShared: revealed.notShared } : {}),
    });
  }
  return {
    title: input.title,
    templateId: template.id,
    templateVersion: template.version,
    partners: { a: input.names.a, b: input.names.b },
    sections,
    summary: summarize(entries, SUMMARY_SECTION_IDS, { a: input.names.a, b: input.names.b ?? AGREEMENT_TEXT.unnamedPartner }),
    freeText: input.agreementText,
    reviewDate: room.meta.reviewDate ?? null,
    leftOut,
  };
}

function agreementItem({ question, a, b, reading }: RevealItem): AgreementItem {
  const item: AgreementItem = { id: question.id, label: question.label, reading, display: {} };
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

/**
 * The agreement as both sides hash it, from what each has: the server from its rows and docs,
 * the client from the docs it holds. `names` are of the people in the room (null for a seat
 * nobody has taken yet). A confirmation holds only if both built it from the same input, so
 * this is the one place that input is put together; the left-out choices come in with the room
 * doc (`meta.leftOut`), so changing them changes the hash.
 */
export function currentAgreement(input: Omit<BuildAgreementInput, 'names'> & { names: { a: string | null; b: string | null } }): { agreement: Agreement; hash: string } {
  const agreement = buildAgreement({ ...input, names: { a: input.names.a ?? '', b: input.names.b } });
  return { agreement, hash: agreementHash(agreement) };
}
