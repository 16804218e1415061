import type { Condition, Experience, Rating } from '../protocol/answers';
import type { CompareClass, DirectionClass } from '../reveal/directions';

/** English text for answer values and the agreement document, kept in one place for translation. */

export const RATING_LABELS: Record<Rating, string> = {
  favourite: 'Favourite',
  yes: 'Yes',
  yes_for_you: 'Yes, for you',
  curious: 'Curious',
  fantasy_only: 'Fantasy only',
  not_now: 'Not now',
  hard_limit: 'Hard limit',
  unsure: 'Unsure',
};

/** One line each, for a hover hint or a screen reader description next to the rating. */
export const RATING_HINTS: Record<Rating, string> = {
  favourite: 'Something you love and would like often.',
  yes: 'Something you want.',
  yes_for_you: 'Happy to, mostly because your partner enjoys it.',
  curious: 'Interested, but it would be new or needs more talking.',
  fantasy_only: 'Nice to imagine; not something to actually do.',
  not_now: 'A soft limit: not at the moment, or only with conditions.',
  hard_limit: 'Never. Not open to discussion.',
  unsure: 'You don’t know yet, and that is a fine answer.',
};

export const EXPERIENCE_LABELS: Record<Experience, string> = {
  none: 'None yet',
  some: 'Some',
  lots: 'Lots',
};

export const CONDITION_LABELS: Record<Condition, string> = {
  only_with_you: 'Only with you',
  check_in_first: 'Check in first',
  light_only: 'Light only',
  sober_only: 'Sober only',
  not_on_camera: 'Not on camera',
};

export const DIRECTION_CLASS_LABELS: Record<DirectionClass, string> = {
  match: 'Match',
  pleasing: 'Both only for the other’s sake',
  maybe: 'Maybe',
  difference: 'Difference',
  limit: 'Hard limit',
  explore: 'Both tentative — worth exploring',
  neither: 'Neither wants this',
  unanswered: 'Not answered by both',
};

export const COMPARE_CLASS_LABELS: Record<CompareClass, string> = {
  same: 'Same answer',
  different: 'Different answers',
  unanswered: 'Not answered by both',
};

export const ANSWER_TEXT = {
  giving: 'Giving',
  receiving: 'Receiving',
  experience: 'Experience',
  conditions: 'Conditions',
  note: 'Note',
  scale: (value: number, max: number) => `${value} of ${max}`,
} as const;

export const AGREEMENT_TEXT = {
  defaultTitle: 'Our agreement',
  partners: 'Partners',
  unnamedPartner: 'Partner',
  and: 'and',
  worksheet: 'Worksheet',
  version: 'version',
  summary: 'Summary',
  matches: 'Matches',
  hardLimits: 'Hard limits',
  toTalkAbout: 'To talk through',
  signals: 'Safety & signals',
  aftercare: 'Aftercare',
  nothingYet: 'Nothing here yet.',
  freeText: 'In our own words',
  noFreeText: 'Nothing written yet.',
  reviewDate: 'Review date',
  noReviewDate: 'Not set',
  sections: 'Revealed sections',
  noSections: 'No section has been revealed yet.',
  round: 'Round',
  revealedOn: 'revealed',
  bothWays: 'both ways',
  direction: (giver: string, receiver: string) => `${giver} gives, ${receiver} receives`,
  hardLimit: (name: string, side: 'giving' | 'receiving' | null) => (side ? `${name}, ${side}` : name),
  notShared: (n: number) => (n === 1 ? '1 item not shared' : `${n} items not shared`),
} as const;
