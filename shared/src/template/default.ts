import { parseTemplate } from './schema';
import type { Template } from './schema';
import { activities } from './default/activities';
import { aftercare, agreement, debrief, emotional } from './default/closing';
import { curious, limits, safety, safetyV2 } from './default/care';
import { arrival, experience, frame } from './default/opening';
import { deepFreeze } from './freeze';

/** The talking prompts of the reveal, by class; the other built-ins share them. */
export const talkPrompts = {
  difference:
    'One of you wants this and the other says not now. What would need to be true for “not now” to change — and is it fine if it never does?',
  limit:
    'This is a hard limit for one of you. It is not up for negotiation; talk about what it means to each of you, if you like, and leave it out.',
  maybe:
    'One of you is sure, the other is tentative. What would a first, small step look like, and how would you check in?',
  pleasing:
    'You both said yes only for the other’s sake, so neither of you actually wants this. Say so out loud — it may be kindest to leave it.',
  explore:
    'You are both curious or unsure. Talk about what draws you to it, and what you would want to know first.',
  different:
    'Your answers differ here. Before anything else, hear what each of you meant by yours.',
};

/** The default worksheet of the product brief, validated at module load; `safetySection` is what changed between versions. */
const defaultWorksheet = (version: number, safetySection: typeof safety): Template =>
  deepFreeze(
    parseTemplate({
      id: 'default',
      version,
      title: 'Negotiation worksheet',
      description:
        'The full worksheet for a scene or a dynamic: arrival, frame, experience, activities, limits, safety, feelings, aftercare, an agreement and a debrief.',
      guidance: {
        primer: [
          'Honesty over pleasing: answer for yourself, not for the answer you think your partner hopes for.',
          'Take your time. Nothing here has to be finished today.',
          'Your answers stay hidden until both of you mark a section as ready.',
          'You can pause, or change any answer, at any point, even after the reveal.',
          'A yes can be withdrawn at any time, and that is always respected.',
          '“Unsure” and “not now” are complete answers; they need no justification.',
        ],
        revealReminder:
          'Where your answers differ, talk it through rather than negotiate it away: a difference is information, not a problem to solve.',
        talkPrompts,
        debriefPrompts: [
          'What felt good, and what would you like more of?',
          'Was there a moment you wanted to slow down or stop?',
          'How was the landing afterwards, that evening and the next day?',
          'Has anything moved between yes, curious and limit?',
        ],
      },
      sections: [
        arrival,
        frame,
        experience,
        activities,
        curious,
        limits,
        safetySection,
        emotional,
        aftercare,
        agreement,
        debrief,
      ],
    }),
  );

/** Version 1, which rooms made before issue 15 keep. */
export const defaultTemplateV1: Template = defaultWorksheet(1, safety);
/** The latest version (2: Safety & signals asks for a backup and how long a dropped connection may last). */
export const defaultTemplate: Template = defaultWorksheet(2, safetyV2);
