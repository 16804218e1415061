import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { RevealedAnswer, RoomDocState } from '../protocol/room-doc';
import { TALK_CLASSES } from '../reveal/directions';
import type { ItemReading, Way } from '../reveal/directions';
import { revealItems } from '../reveal/view';
import type { RevealItem } from '../reveal/view';
import { AGREEMENT_TEXT, COMPARE_CLASS_LABELS, DIRECTION_CLASS_LABELS } from '../template/labels';
import type { Template } from '../template/schema';
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
  items: AgreementItem[];
  /** discreet rooms: yes/no items with no shared direction, counted not listed */
  notShared?: number;
}

export interface AgreementSummary {
  /** one entry per item with a matching direction: "Rope (Alex gives, Sam receives)" */
  matches: string[];
  /** each person's hard limits, as theirs: "Rope (Sam, receiving)" */
  hardLimits: string[];
  /** differences, limits, maybes, pleasing, explore, different choices */
  toTalkAbout: string[];
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
    const items = revealItems(section, revealed).flatMap((r) => (r.a || r.b ? [agreementItem(r)] : []));
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
    summary: summarize(template, sections, input.names),
    freeText: input.agreementText,
    reviewDate: room.meta.reviewDate ?? null,
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

/** "Alex gives, Sam receives", "both ways", or nothing for a rating item's one axis. */
function wayText(ways: readonly Way[], nameA: string, nameB: string): string {
  if (ways.length === 2) return ` (${AGREEMENT_TEXT.bothWays})`;
  if (ways[0] === 'aToB') return ` (${AGREEMENT_TEXT.direction(nameA, nameB)})`;
  if (ways[0] === 'bToA') return ` (${AGREEMENT_TEXT.direction(nameB, nameA)})`;
  return '';
}

function summarize(
  template: Template,
  sections: readonly AgreementSection[],
  names: BuildAgreementInput['names'],
): AgreementSummary {
  const summary: AgreementSummary = { matches: [], hardLimits: [], toTalkAbout: [], signals: [], aftercare: [] };
  const nameA = names.a;
  const nameB = names.b ?? AGREEMENT_TEXT.unnamedPartner;
  const questions = new Map(template.sections.flatMap((s) => s.items.map((q) => [q.id, q] as const)));

  for (const section of sections) {
    for (const item of section.items) {
      if (!questions.has(item.id)) continue;
      if (section.id === SUMMARY_SECTION_IDS.signals || section.id === SUMMARY_SECTION_IDS.aftercare) {
        const key = section.id === SUMMARY_SECTION_IDS.signals ? 'signals' : 'aftercare';
        summary[key].push({ label: item.label, ...item.display });
      }
      const { lines, compare, hardLimits } = item.reading;
      for (const [seat, name] of [['a', nameA], ['b', nameB]] as const) {
        for (const { field } of hardLimits[seat]) {
          summary.hardLimits.push(`${item.label} (${AGREEMENT_TEXT.hardLimit(name, field === 'rating' ? null : field)})`);
        }
      }
      const matching = lines.filter((l) => l.cls === 'match').map((l) => l.way);
      if (matching.length > 0) summary.matches.push(`${item.label}${wayText(matching, nameA, nameB)}`);
      for (const line of lines) {
        if (!TALK_CLASSES.has(line.cls)) continue;
        summary.toTalkAbout.push(`${item.label}${wayText([line.way], nameA, nameB)}: ${DIRECTION_CLASS_LABELS[line.cls]}`);
      }
      if (compare === 'different') summary.toTalkAbout.push(`${item.label}: ${COMPARE_CLASS_LABELS.different}`);
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

/**
 * The agreement as both sides hash it, from what each has: the server from its rows and docs,
 * the client from the docs it holds. `names` are of the people in the room (null for a seat
 * nobody has taken yet). A confirmation holds only if both built it from the same input, so
 * this is the one place that input is put together.
 */
export function currentAgreement(input: Omit<BuildAgreementInput, 'names'> & { names: { a: string | null; b: string | null } }): { agreement: Agreement; hash: string } {
  const agreement = buildAgreement({ ...input, names: { a: input.names.a ?? '', b: input.names.b } });
  return { agreement, hash: agreementHash(agreement) };
}
