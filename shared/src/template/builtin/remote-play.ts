import { aftercare, agreement, debrief } from '../default/closing';
import { limits, safety } from '../default/care';
import { talkPrompts } from '../default';
import { deepFreeze } from '../freeze';
import { parseTemplate, type SectionInput, type Template } from '../schema';
import { activity, option } from '../author';

/**
 * "Remote play": for partners in two places, over video, voice, text or an app. The questions a
 * distance raises come first — privacy where each of you is, the camera, recordings, what happens
 * when the connection drops — then the remote activities, limits, signals and aftercare.
 */


const setting: SectionInput = {
  id: 'setting',
  title: 'Setting & privacy',
  why: 'At a distance each of you is in your own space; knowing it is private and how you will connect lets you both relax into it.',
  kind: 'questions',
  items: [
    {
      id: 'setting_medium',
      type: 'multi',
      label: 'How would you like to connect?',
      options: [
        option('video', 'Video'),
        option('voice', 'Voice'),
        option('text', 'Text messages'),
        option('app', 'An app that controls a toy'),
      ],
    },
    {
      id: 'setting_privacy',
      type: 'choice',
      label: 'Where you will be, can you speak and be seen freely?',
      help: 'Someone walking in, thin walls or a shared screen all change what feels possible.',
      options: [
        option('private', 'Yes, I will be alone and undisturbed'),
        option('mostly', 'Mostly; I may need to pause'),
        option('not_private', 'Not really; text suits me better'),
      ],
    },
    {
      id: 'setting_camera',
      type: 'choice',
      label: 'On camera, what is shown?',
      options: [
        option('face_and_body', 'Face and body are fine'),
        option('no_face', 'My body, but not my face'),
        option('face_only', 'My face, but little else'),
        option('no_camera', 'No camera for me'),
      ],
    },
    {
      id: 'setting_recording',
      type: 'choice',
      label: 'Recordings and screenshots',
      help: 'Anything recorded can outlive the moment and the relationship; most people say never.',
      options: [
        option('never', 'Never'),
        option('ask_each_time', 'Only if I say yes each time'),
        option('kept_private', 'Allowed, kept private and deleted on request'),
      ],
    },
    {
      id: 'setting_time',
      type: 'text',
      label: 'Time zones and good times to meet',
      placeholder: 'Evenings after 9 my time, weekends…',
    },
  ],
};

const remoteActivities: SectionInput = {
  id: 'activities',
  title: 'Remote activities',
  why: 'Rating each one both ways — giving (you lead or do it) and receiving (you follow) — shows where your wishes meet across the distance.',
  kind: 'questions',
  categories: [
    { id: 'live', label: 'Together, live' },
    { id: 'apart', label: 'Between calls' },
  ],
  items: [
    activity('live', 'remote_video_scene', 'A scene over video'),
    activity('live', 'remote_voice_scene', 'A scene over voice only'),
    activity('live', 'remote_instructions', 'Following instructions live', 'Positions, actions or pace, told in the moment.'),
    activity('live', 'remote_toy_app', 'An app-controlled toy', 'Agree who holds the controls and how to stop it at once.'),
    activity('live', 'remote_denial', 'Being teased, edged or denied from afar'),
    activity('live', 'remote_praise', 'Praise and encouragement'),
    activity('live', 'remote_firm_words', 'Commands and a firm tone'),
    activity('apart', 'remote_text_tasks', 'Tasks set by text'),
    activity('apart', 'remote_check_in_tasks', 'Check-in tasks through the day', 'A message at set times, a photo of a finished task.'),
    activity('apart', 'remote_rules', 'Rules that hold between calls'),
    activity('apart', 'remote_wearing', 'Wearing something the other chose'),
    activity('apart', 'remote_photos', 'Sharing photos', 'Decide together what may be in a photo, and what happens to it afterwards.'),
    activity('apart', 'remote_writing', 'Writing for each other (stories, letters, journals)'),
  ],
};

const remoteSafety: SectionInput = {
  ...safety,
  why: 'At a distance nobody can see you falter; clear signals, and a plan for a dropped line, make it safe to go further.',
};

export const remotePlayTemplate: Template = deepFreeze(
  parseTemplate({
    id: 'remote-play',
    version: 1,
    title: 'Remote play',
    description:
      'For partners in two places, over video, voice, text or an app: privacy and recordings, remote activities, limits, signals that work at a distance, aftercare over the line, an agreement and a debrief.',
    guidance: {
      primer: [
        'Honesty over pleasing: answer for yourself, not for the answer you think your partner hopes for.',
        'Take your time. Nothing here has to be finished today.',
        'Your answers stay hidden until both of you mark a section as ready.',
        'At a distance, stopping is one word or one click away, and it is always enough.',
        'You can pause, or change any answer, at any point. A yes can be withdrawn at any time.',
      ],
      revealReminder:
        'Where your answers differ, talk it through rather than negotiate it away. On a call it can help to say back what you heard before answering.',
      talkPrompts,
      debriefPrompts: [
        'How did the distance feel: closer than expected, or further?',
        'Did the signals and the connection work when you needed them?',
        'How was the time after the call ended?',
      ],
    },
    sections: [setting, remoteActivities, limits, remoteSafety, aftercare, agreement, debrief],
  }),
);
