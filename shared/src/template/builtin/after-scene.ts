import { talkPrompts } from '../default';
import { deepFreeze } from '../freeze';
import { parseTemplate, type Template } from '../schema';
import { option } from '../author';

/**
 * "After a scene": a debrief only, for coming back to a scene that happened. Three sections of
 * the hide-then-reveal debrief kind, from how each of you is now, through what happened, to what
 * changes next time, so each answers before seeing the other's.
 */


export const afterSceneTemplate: Template = deepFreeze(
  parseTemplate({
    id: 'after-scene',
    version: 1,
    title: 'After a scene',
    description:
      'A debrief only: how each of you is now, what worked and what surprised you, and what changes next time. Each answers before seeing the other’s answers.',
    guidance: {
      primer: [
        'A debrief is care continuing, not a review of anyone’s performance.',
        'Answer for yourself first; your answers stay hidden until both of you are ready.',
        'Some feelings arrive a day or two later. You can come back and change an answer at any time.',
        'If something hurt, physically or otherwise, it is fine to say so plainly, and to take a break.',
      ],
      revealReminder:
        'Listen first. Where your memories differ, both can be true; talk about what each of you felt rather than what “really” happened.',
      talkPrompts,
      debriefPrompts: [],
    },
    sections: [
      {
        id: 'now',
        title: 'How you are now',
        why: 'Starting with how each of you is today shows what the conversation needs to hold.',
        kind: 'debrief',
        prompts: ['Start with something you appreciated about each other.'],
        items: [
          {
            id: 'now_feeling',
            type: 'scale',
            label: 'How do you feel about the scene now?',
            min: 1,
            max: 5,
            labels: { low: 'Unsettled', high: 'Wonderful' },
          },
          {
            id: 'now_body',
            type: 'text',
            label: 'How is your body: marks, aches, tiredness?',
            help: 'Anything that needs looking after, or that you would like the other to know about.',
            multiline: true,
          },
          {
            id: 'now_drop',
            type: 'choice',
            label: 'Have you felt low since (drop)?',
            help: 'Drop can come hours or days later, for either partner. It is common and it passes.',
            options: [
              option('no', 'No'),
              option('a_little', 'A little'),
              option('yes', 'Yes'),
              option('not_sure', 'Not sure'),
            ],
          },
          {
            id: 'now_need',
            type: 'text',
            label: 'What would help you right now?',
            multiline: true,
          },
        ],
      },
      {
        id: 'looking_back',
        title: 'Looking back',
        why: 'Saying what worked, and what did not, is how the next time gets better.',
        kind: 'debrief',
        prompts: ['Share what surprised you, pleasant or not.', 'Was there a moment you wanted to slow down or stop?'],
        items: [
          { id: 'back_worked', type: 'text', label: 'What worked for you?', multiline: true },
          { id: 'back_surprised', type: 'text', label: 'What surprised you?', multiline: true },
          {
            id: 'back_hard',
            type: 'text',
            label: 'Was anything hard, too much, or not enough?',
            help: 'Only what you want to share. Naming it is not blaming anyone.',
            multiline: true,
          },
          {
            id: 'back_signals',
            type: 'choice',
            label: 'Did the signals and check-ins work for you?',
            options: [
              option('yes', 'Yes'),
              option('mostly', 'Mostly'),
              option('no', 'Not really'),
              option('unused', 'We did not need them'),
            ],
          },
          {
            id: 'back_aftercare',
            type: 'scale',
            label: 'How was the landing afterwards?',
            min: 1,
            max: 5,
            labels: { low: 'Rough', high: 'Soft and caring' },
          },
        ],
      },
      {
        id: 'next_time',
        title: 'Next time',
        why: 'Consent stays active: a yes can move to curious or to a limit, and a maybe can become a yes.',
        kind: 'debrief',
        prompts: ['Move items between yes, curious and limit if something changed.'],
        items: [
          { id: 'next_again', type: 'rating', label: 'Doing this again', note: true },
          { id: 'next_pace', type: 'rating', label: 'The same pace and intensity next time', note: true },
          { id: 'next_change', type: 'text', label: 'What would you change next time?', multiline: true },
          {
            id: 'next_moves',
            type: 'text',
            label: 'Anything to move between yes, curious and limit?',
            multiline: true,
          },
        ],
      },
    ],
  }),
);
