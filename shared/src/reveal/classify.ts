import type { Answer, Rating } from '../protocol/answers';
import type { Question } from '../template/schema';

/**
 * Match classes shown on the reveal, and the rules that produce them.
 *
 * Ratings fall into four groups:
 *   positive  = favourite, yes, yes_for_you
 *   tentative = curious, unsure, fantasy_only
 *   soft      = not_now
 *   hard      = hard_limit
 *
 * Two ratings (x, y) classify as:
 *   limit      either is hard_limit (even if the other is unanswered: a hard limit always shows)
 *   null       either is unanswered
 *   mutual     both positive
 *   mismatch   one positive, the other not_now
 *   one_sided  one positive, the other tentative
 *   null       otherwise (neither positive: nothing to match)
 *
 * A dual_rating item pairs the directions a.giving ↔ b.receiving and a.receiving ↔ b.giving;
 * the item takes the most serious non-null direction (limit > mismatch > one_sided > mutual),
 * and is `limit` whenever any of the four ratings is hard_limit.
 * Other question types carry no yes/no and have no class.
 */
export const MATCH_CLASSES = ['mutual', 'one_sided', 'mismatch', 'limit'] as const;
export type MatchClass = (typeof MATCH_CLASSES)[number];

const POSITIVE: ReadonlySet<Rating> = new Set<Rating>(['favourite', 'yes', 'yes_for_you']);
const TENTATIVE: ReadonlySet<Rating> = new Set<Rating>(['curious', 'unsure', 'fantasy_only']);

export const isPositive = (r: Rating | undefined): boolean => r !== undefined && POSITIVE.has(r);
export const isTentative = (r: Rating | undefined): boolean => r !== undefined && TENTATIVE.has(r);

const SERIOUSNESS: Record<MatchClass, number> = { mutual: 0, one_sided: 1, mismatch: 2, limit: 3 };

/** The most serious of the given classes; null when all are null. */
export function mostSerious(classes: readonly (MatchClass | null)[]): MatchClass | null {
  let worst: MatchClass | null = null;
  for (const c of classes) {
    if (c !== null && (worst === null || SERIOUSNESS[c] > SERIOUSNESS[worst])) worst = c;
  }
  return worst;
}

export function classifyRatings(x?: Rating, y?: Rating): MatchClass | null {
  if (x === 'hard_limit' || y === 'hard_limit') return 'limit';
  if (x === undefined || y === undefined) return null;
  const px = isPositive(x);
  const py = isPositive(y);
  if (px && py) return 'mutual';
  if (!px && !py) return null;
  const other = px ? y : x;
  if (other === 'not_now') return 'mismatch';
  if (isTentative(other)) return 'one_sided';
  return null;
}

export interface Directions {
  /** a gives, b receives */
  aToB: MatchClass | null;
  /** b gives, a receives */
  bToA: MatchClass | null;
}

/** The two directions of a dual_rating item, classified separately. */
export function classifyDirections(a?: Answer, b?: Answer): Directions {
  return {
    aToB: classifyRatings(a?.giving, b?.receiving),
    bToA: classifyRatings(b?.giving, a?.receiving),
  };
}

export function classifyItem(question: Question, a?: Answer, b?: Answer): MatchClass | null {
  switch (question.type) {
    case 'rating':
      return classifyRatings(a?.rating, b?.rating);
    case 'dual_rating': {
      const ratings = [a?.giving, a?.receiving, b?.giving, b?.receiving];
      if (ratings.includes('hard_limit')) return 'limit';
      const { aToB, bToA } = classifyDirections(a, b);
      return mostSerious([aToB, bToA]);
    }
    default:
      return null;
  }
}
