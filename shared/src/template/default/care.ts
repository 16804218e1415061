import type { SectionInput } from '../schema';
import { option, safewordItem } from '../author';

/** Default worksheet, sections 5–7: what waits, what never happens, and how to stop. */


export const curious: SectionInput = {
  id: 'curious',
  title: 'Curious but not ready',
  why: 'Naming a curiosity without acting on it lets it grow at its own pace.',
  kind: 'questions',
  items: [
    {
      id: 'curious_wonder',
      type: 'text',
      label: 'What are you curious about, but not ready for yet?',
      help: 'Move things here from Activities, or name something that was not on the list.',
      multiline: true,
    },
    {
      id: 'curious_first_step',
      type: 'text',
      label: 'What would help it feel possible one day?',
      placeholder: 'More time, more trust, reading about it together…',
      multiline: true,
    },
    {
      id: 'curious_approach',
      type: 'multi',
      label: 'How would you like to approach new things?',
      options: [
        option('talk_more', 'Talk about it more first'),
        option('read_together', 'Read or learn about it together'),
        option('try_lightly', 'Try a very light version once'),
        option('fantasy_only', 'Keep it as a shared fantasy'),
      ],
    },
    {
      id: 'curious_share_fantasies',
      type: 'dual_rating',
      label: 'Sharing fantasies out loud, with no plan to act on them',
      note: true,
    },
  ],
};

export const limits: SectionInput = {
  id: 'limits',
  title: 'Limits & health',
  why: 'Limits and health facts keep both of you safe; they are shared in full, always.',
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
      id: 'limits_soft',
      type: 'text',
      label: 'Soft limits: not now, or only with conditions',
      multiline: true,
    },
    {
      id: 'limits_health',
      type: 'text',
      label: 'Health, injuries or body areas to be careful with',
      help: 'Joints, back, breathing, circulation, anything recent or recurring.',
      multiline: true,
    },
    {
      id: 'limits_triggers',
      type: 'text',
      label: 'Triggers: words, touch or situations to avoid',
      multiline: true,
    },
    {
      id: 'limits_medication',
      type: 'text',
      label: 'Medication that affects sensation, mood or bruising',
      multiline: true,
    },
    {
      id: 'limits_substances',
      type: 'choice',
      label: 'Alcohol or other substances around play',
      options: [
        option('none', 'None at all, before or during'),
        option('talk_first', 'Only after we talk about it'),
        option('small_ok', 'A small amount is fine for me'),
      ],
    },
    {
      id: 'limits_must_know',
      type: 'text',
      label: 'Anything else I must know',
      multiline: true,
    },
  ],
};

export const safety: SectionInput = {
  id: 'safety',
  title: 'Safety & signals',
  why: 'Clear signals make it easy to slow down or stop, which makes it safe to go further.',
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
        option('own_words', 'Yes, with our own words (see below)'),
      ],
    },
    {
      id: 'safety_own_words',
      type: 'text',
      label: 'Our own words for slow down and stop, if any',
    },
    {
      id: 'safety_nonverbal',
      type: 'text',
      label: 'A non-verbal signal',
      help: 'For moments without words: dropping a held object, tapping three times.',
    },
    {
      id: 'safety_remote_signal',
      type: 'text',
      label: 'A signal for remote play',
      help: 'For example a single word in the chat, or turning the camera off.',
    },
    {
      id: 'safety_connection_drop',
      type: 'choice',
      label: 'If the connection drops during remote play',
      options: [
        option('stop_reconnect', 'Stop, and reconnect to check in'),
        option('phone', 'Call by phone straight away'),
        option('message', 'Send a message and wait for a reply'),
        option('end_scene', 'The scene ends; we talk afterwards'),
      ],
    },
    {
      id: 'safety_check_in_cadence',
      type: 'choice',
      label: 'How often should we check in during a scene?',
      options: [
        option('often', 'Often'),
        option('now_and_then', 'Now and then'),
        option('at_changes', 'Whenever something changes'),
        option('on_signal', 'Only if I signal'),
      ],
    },
    {
      id: 'safety_after_safeword',
      type: 'text',
      label: 'What should happen after a safeword?',
      help: 'For example: stop, untie, sit together, talk later instead of now.',
      multiline: true,
    },
  ],
};

/**
 * Version 2 (issue 15, scene mode): a backup for a signal that is not seen, and how long a
 * dropped connection may last before the plan applies. Rooms made with version 1 keep it.
 */
export const safetyV2: SectionInput = {
  ...safety,
  items: safety.items.flatMap((item) => {
    if (item.id === 'safety_remote_signal') {
      return [
        item,
        {
          id: 'safety_backup',
          type: 'text',
          label: 'If a signal is not seen: the backup',
          help: 'What to do when the other one does not react to a signal, for example: call me, or message me.',
          placeholder: 'e.g. call me',
        },
      ];
    }
    if (item.id === 'safety_connection_drop') {
      return [
        item,
        {
          id: 'safety_connection_drop_wait',
          type: 'choice',
          label: 'How long may the connection be down before that plan applies?',
          options: [
            option('one_minute', 'One minute'),
            option('two_minutes', 'Two minutes'),
            option('five_minutes', 'Five minutes'),
            option('ten_minutes', 'Ten minutes'),
          ],
        },
      ];
    }
    return [item];
  }),
};
