import type { SectionInput } from '../schema';
import { option } from '../author';

/** Default worksheet, sections 8–11: feelings, aftercare, the agreement and the debrief. */


export const emotional: SectionInput = {
  id: 'emotional',
  title: 'Emotional expectations',
  why: 'Saying what you hope to feel prevents quiet disappointment later.',
  kind: 'questions',
  items: [
    {
      id: 'emotional_span',
      type: 'choice',
      label: 'For you, is this one time or part of something ongoing?',
      options: [
        option('one_time', 'One time'),
        option('ongoing', 'Ongoing'),
        option('see', 'Let us see how it feels'),
      ],
    },
    {
      id: 'emotional_connection',
      type: 'scale',
      label: 'The level of emotional connection you would like',
      min: 1,
      max: 5,
      labels: { low: 'Light and playful', high: 'Deep and intimate' },
    },
    {
      id: 'emotional_want_to_feel',
      type: 'text',
      label: 'What do you want to feel?',
      placeholder: 'Cared for, challenged, free, powerful, small, seen…',
      multiline: true,
    },
    {
      id: 'emotional_after_contact',
      type: 'choice',
      label: 'How should we be in touch after the experience?',
      options: [
        option('same_day', 'Talk the same day'),
        option('next_day', 'A message the next day'),
        option('space_then_talk', 'Some space first, then talk'),
        option('decide_together', 'Decide together at the time'),
      ],
    },
  ],
};

export const aftercare: SectionInput = {
  id: 'aftercare',
  title: 'Aftercare',
  why: 'Intense experiences need a soft landing; planning it means nobody has to ask in the moment.',
  kind: 'questions',
  items: [
    {
      id: 'aftercare_right_after',
      type: 'multi',
      label: 'What helps you right after?',
      options: [
        option('held', 'Being held'),
        option('quiet', 'Quiet time'),
        option('alone', 'Some time alone'),
        option('water_snack', 'Water and a snack'),
        option('warmth', 'A blanket, warmth'),
        option('reassurance', 'Words of reassurance'),
        option('talk', 'Talking it through'),
        option('stay_on_call', 'Staying on the call a while (remote)'),
      ],
    },
    {
      id: 'aftercare_next_day',
      type: 'text',
      label: 'What helps you the next day?',
      multiline: true,
    },
    {
      id: 'aftercare_check_in',
      type: 'choice',
      label: 'Check-in plan',
      options: [
        option('same_evening', 'The same evening'),
        option('next_morning', 'The next morning'),
        option('next_day_and_later', 'The next day, and again a few days later'),
        option('when_ready', 'I will reach out when I am ready'),
      ],
    },
    {
      id: 'aftercare_drop',
      type: 'text',
      label: 'If one of us feels low afterwards (drop), what helps?',
      help: 'Drop can come hours or days later, for either partner. It is common and it passes.',
      multiline: true,
    },
  ],
};

export const agreement: SectionInput = {
  id: 'agreement',
  title: 'Agreement',
  why: 'Writing it down together turns a conversation into something you both can hold on to.',
  kind: 'agreement',
  items: [],
  prompts: [
    'Read the summary together, out loud if you can.',
    'Add anything that is not captured yet, in your own words.',
    'Pick a date to look at this again.',
    'Confirm only when it feels right for you; you can change your mind later.',
  ],
};

export const debrief: SectionInput = {
  id: 'debrief',
  title: 'Debrief',
  why: 'Looking back together is how the next time gets better, and how care continues.',
  kind: 'debrief',
  prompts: [
    'Start with something you appreciated about each other.',
    'Share what surprised you, pleasant or not.',
    'Move items between yes, curious and limit if something changed.',
  ],
  items: [
    {
      id: 'debrief_feeling',
      type: 'scale',
      label: 'How do you feel about it now?',
      min: 1,
      max: 5,
      labels: { low: 'Unsettled', high: 'Wonderful' },
    },
    {
      id: 'debrief_worked',
      type: 'text',
      label: 'What worked for you?',
      multiline: true,
    },
    {
      id: 'debrief_surprised',
      type: 'text',
      label: 'What surprised you?',
      multiline: true,
    },
    {
      id: 'debrief_change',
      type: 'text',
      label: 'What would you change next time?',
      multiline: true,
    },
    {
      id: 'debrief_again',
      type: 'rating',
      label: 'Doing this again',
      note: true,
    },
    {
      id: 'debrief_pace',
      type: 'rating',
      label: 'The same pace and intensity next time',
      note: true,
    },
    {
      id: 'debrief_moves',
      type: 'text',
      label: 'Anything to move between yes, curious and limit?',
      multiline: true,
    },
  ],
};
