import type { SectionInput } from '../schema';
import { option } from '../author';

/** Default worksheet, sections 1–3: arriving, framing what this is, and honest experience. */


export const arrival: SectionInput = {
  id: 'arrival',
  title: 'Arrival & pace',
  why: 'How you arrive shapes how well you can listen; naming it first sets a kind pace.',
  kind: 'questions',
  items: [
    {
      id: 'arrival_feeling',
      type: 'text',
      label: 'How are you arriving today?',
      help: 'A few words are plenty: tired, excited, nervous, distracted, glad to be here.',
      placeholder: 'Right now I feel…',
      multiline: true,
    },
    {
      id: 'arrival_energy',
      type: 'scale',
      label: 'Your energy right now',
      min: 1,
      max: 5,
      labels: { low: 'Running on empty', high: 'Full of energy' },
    },
    {
      id: 'arrival_time',
      type: 'choice',
      label: 'How much time do you have for this conversation?',
      options: [
        option('under_30', 'Less than half an hour'),
        option('about_hour', 'About an hour'),
        option('couple_hours', 'A couple of hours'),
        option('open', 'No rush at all'),
      ],
    },
    {
      id: 'arrival_talk_only',
      type: 'choice',
      label: 'Is today talk only?',
      help: 'Talking without any plan to play is a complete, worthwhile conversation.',
      options: [
        option('talk_only', 'Talk only today'),
        option('maybe_later', 'Talk now, maybe play another time'),
        option('not_sure', 'Not sure yet'),
      ],
    },
  ],
};

export const frame: SectionInput = {
  id: 'frame',
  title: 'Frame',
  why: 'Agreeing on what you are building keeps every later answer in the right context.',
  kind: 'questions',
  items: [
    {
      id: 'frame_span',
      type: 'choice',
      label: 'Are we talking about one scene or something ongoing?',
      options: [
        option('one_scene', 'One scene'),
        option('ongoing', 'An ongoing dynamic'),
        option('not_sure', 'Not sure yet'),
      ],
    },
    {
      id: 'frame_roles',
      type: 'multi',
      label: 'Which roles feel like yours?',
      help: 'Choose as many as fit. Exploring is a role too.',
      options: [
        option('dominant', 'Dominant'),
        option('submissive', 'submissive'),
        option('switch', 'Switch'),
        option('exploring', 'Exploring'),
      ],
    },
    {
      id: 'frame_medium',
      type: 'multi',
      label: 'Where would this happen?',
      options: [
        option('in_person', 'In person'),
        option('video', 'Over video'),
        option('voice', 'Over voice'),
        option('text', 'Over text'),
      ],
    },
    {
      id: 'frame_scope',
      type: 'text',
      label: 'What is this negotiation about, in your words?',
      help: 'For example: a first scene together, a weekend, or the shape of a longer dynamic.',
      placeholder: 'This time we are deciding…',
      multiline: true,
    },
  ],
};

export const experience: SectionInput = {
  id: 'experience',
  title: 'Experience',
  why: 'Honest experience levels let you match intensity to skill, not to pride.',
  kind: 'questions',
  items: [
    {
      id: 'experience_overall',
      type: 'scale',
      label: 'Your experience overall',
      help: 'There is no better or worse answer here, only a more or less honest one.',
      min: 1,
      max: 5,
      labels: { low: 'Completely new', high: 'Very experienced' },
    },
    {
      id: 'experience_areas',
      type: 'text',
      label: 'Your experience, area by area',
      help: 'Where you feel at home, where you have dabbled, where you are just starting.',
      placeholder: 'Comfortable with… some experience of… new to…',
      multiline: true,
    },
    {
      id: 'experience_never',
      type: 'text',
      label: 'What have you never done?',
      help: 'Include things you might like to try one day, and things you simply never have.',
      multiline: true,
    },
    {
      id: 'experience_past',
      type: 'text',
      label: 'Anything from past experiences that would help me understand you?',
      help: 'Only what you want to share. Leaving this empty is fine.',
      multiline: true,
    },
  ],
};
