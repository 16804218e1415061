import { agreement } from '../default/closing';
import { talkPrompts } from '../default';
import { deepFreeze } from '../freeze';
import { parseTemplate, type Template } from '../schema';
import { option, safewordItem } from '../author';

/**
 * "First conversation": about fifteen minutes for two people who are just starting to talk.
 * Broad strokes only — a few areas rather than the full catalogue, the limits and a safeword —
 * so a first talk stays a conversation, and the full worksheet can follow another day.
 */


/** A broad area, rated both ways; no extras, to keep the first talk light. */
const area = (id: string, label: string) => ({ id, type: 'dual_rating' as const, label });

export const firstConversationTemplate: Template = deepFreeze(
  parseTemplate({
    id: 'first-conversation',
    version: 1,
    title: 'First conversation',
    description:
      'A short first talk, about fifteen minutes: how you arrive, what draws you, your limits, a safeword and what helps afterwards. The full worksheet can wait for another day.',
    guidance: {
      primer: [
        'This is a first conversation, not a contract: nothing you say here commits you to anything.',
        'Honesty over pleasing: answer for yourself, not for the answer you think the other hopes for.',
        'Your answers stay hidden until both of you mark a section as ready.',
        'You can pause, skip, or change an answer at any point. A yes can always be taken back.',
        '“Unsure” is a complete answer, and so is “not now”.',
      ],
      revealReminder:
        'This is a first look at each other’s answers. Ask what the other meant before anything else; differences are for understanding, not for settling today.',
      talkPrompts,
      debriefPrompts: [],
    },
    sections: [
      {
        id: 'arrival',
        title: 'Arriving',
        why: 'Saying how you arrive, and how much time you have, lets the talk go at a pace that suits you both.',
        kind: 'questions',
        items: [
          {
            id: 'arrival_feeling',
            type: 'text',
            label: 'How are you arriving to this conversation?',
            help: 'A few words are plenty: curious, nervous, excited, unsure.',
            placeholder: 'Right now I feel…',
          },
          {
            id: 'arrival_talk_only',
            type: 'choice',
            label: 'Is this talk only?',
            help: 'A first conversation with no plan to play is a complete, worthwhile conversation.',
            options: [
              option('talk_only', 'Talk only'),
              option('maybe_later', 'Talk now, maybe play another time'),
              option('not_sure', 'Not sure yet'),
            ],
          },
        ],
      },
      {
        id: 'draws',
        title: 'What draws you',
        why: 'Broad strokes first: knowing which areas interest each of you shows where a longer conversation could go.',
        kind: 'questions',
        items: [
          {
            id: 'draws_roles',
            type: 'multi',
            label: 'Which roles feel like yours, for now?',
            help: 'Choose as many as fit. Exploring is a role too.',
            options: [
              option('dominant', 'Dominant'),
              option('submissive', 'submissive'),
              option('switch', 'Switch'),
              option('exploring', 'Exploring'),
            ],
          },
          area('draws_impact', 'Impact (spanking and the like)'),
          area('draws_restraint', 'Restraint (being held, cuffs, rope)'),
          area('draws_sensation', 'Sensation (light touch, temperature, scratching)'),
          area('draws_protocol', 'Power and protocol (rules, titles, service)'),
          area('draws_verbal', 'Words (praise, teasing, commands)'),
          area('draws_remote', 'Remote play (over video, voice or text)'),
          {
            id: 'draws_in_words',
            type: 'text',
            label: 'Anything that draws you, in your own words',
            help: 'Only what you want to share today.',
            multiline: true,
          },
        ],
      },
      {
        id: 'limits',
        title: 'Limits',
        why: 'Knowing each other’s limits from the start is what makes the rest safe to talk about.',
        kind: 'questions',
        alwaysFull: true,
        items: [
          {
            id: 'limits_hard',
            type: 'text',
            label: 'Hard limits: what is never okay',
            help: 'No reasons needed. A hard limit is respected, not negotiated.',
            multiline: true,
          },
          {
            id: 'limits_must_know',
            type: 'text',
            label: 'Health or anything else the other should know',
            help: 'Only what you are comfortable sharing at this stage.',
            multiline: true,
          },
        ],
      },
      {
        id: 'safety',
        title: 'Safety & signals',
        why: 'A word that stops everything makes it safe to try anything at all; agree on one before anything else.',
        kind: 'questions',
        alwaysFull: true,
        items: [
          safewordItem,
          {
            id: 'safety_traffic_lights',
            type: 'choice',
            label: 'Traffic-light words (green: good, yellow: slow down, red: stop)',
            options: [
              option('use_them', 'Yes, let us use them'),
              option('safeword_only', 'A safeword is enough for me'),
              option('not_sure', 'Not sure yet'),
            ],
          },
        ],
      },
      {
        id: 'aftercare',
        title: 'Afterwards',
        why: 'Even a conversation can stir things up; saying what helps afterwards means nobody has to ask later.',
        kind: 'questions',
        items: [
          {
            id: 'aftercare_after_talk',
            type: 'multi',
            label: 'After this conversation, what would you like?',
            options: [
              option('message_later', 'A message later today'),
              option('space', 'Some space to think'),
              option('talk_again', 'To talk again soon'),
              option('full_worksheet', 'To go through the full worksheet another day'),
            ],
          },
        ],
      },
      agreement,
    ],
  }),
);
