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
  unnamedPartner: 'Partner',
  and: 'and',
  reviewOn: (date: string) => `Review on ${date}`,
  noReviewDate: 'No review date yet',
  plan: 'The plan',
  matches: 'What you both want',
  matchesLead: 'Who gives → who receives.',
  both: 'Both of you',
  limits: 'Limits',
  limitsOf: (name: string) => `${name}’s limits`,
  hardLimits: 'Rated a hard limit',
  noHardLimits: 'No hard limits marked',
  toTalkAbout: 'Still to talk through',
  signals: 'Safety & signals',
  aftercare: 'Aftercare',
  bothSaid: 'both',
  nothingYet: 'Nothing here yet.',
  freeText: 'In our own words',
  noFreeText: 'Nothing written yet.',
  leftOutCount: (n: number) => (n === 1 ? '1 item left out by shared choice.' : `${n} items left out by shared choice.`),
  leftOutLine: (label: string) => `Left out by shared choice: ${label}`,
  detail: 'The full detail',
  noSections: 'No section has been revealed yet.',
  round: 'Round',
  revealedOn: 'revealed',
  hardLimitOn: (label: string, side: 'giving' | 'receiving' | null) => (side ? `${label} (${side})` : label),
  notShared: (n: number) => (n === 1 ? '1 item not shared' : `${n} items not shared`),
  confirmedBy: (name: string, when: string) => `Confirmed by ${name} on ${when}`,
  confirmedEarlier: (name: string, when: string) => `${name} confirmed an earlier version on ${when}; it has changed since`,
  notConfirmed: (name: string) => `Not confirmed by ${name} yet`,
  utc: 'UTC',
} as const;
