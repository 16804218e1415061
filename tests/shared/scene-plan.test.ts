import { describe, expect, it } from 'vitest';
import type { RevealedSection } from '@parley/shared/protocol/room-doc';
import { calendarFile, checkInTime } from '@parley/shared/scene/ics';
import { aftercarePlan, connectionDrop, DEFAULT_CHECKIN_MS, DEFAULT_DROP_WAIT_MS, lastCheckinDue, nextCheckinAt, scenePlan } from '@parley/shared/scene/plan';
import { defaultTemplate } from '@parley/shared/template/default';

const section = (id: string) => defaultTemplate.sections.find((s) => s.id === id);
const revealed = (a: RevealedSection['a'], b: RevealedSection['b']) => ({ a, b });
const MIN = 60_000;

describe('scene plan: what scene mode says and when', () => {
  it('SP1 nothing revealed: generic words and default timings, whatever the private answers hold', () => {
    const plan = scenePlan(section('safety'), undefined);
    expect(plan).toEqual({
      agreed: false,
      safewords: [],
      ownWords: [],
      nonverbal: [],
      backup: [],
      dropPlan: [],
      afterSafeword: [],
      dropWaitMs: DEFAULT_DROP_WAIT_MS,
      checkinEveryMs: DEFAULT_CHECKIN_MS,
      trafficLights: false,
    });
  });

  it('SP2 revealed: each person\'s words as theirs, the shorter drop wait, the more frequent cadence, the plan in the template\'s words', () => {
    const plan = scenePlan(
      section('safety'),
      revealed(
        {
          safety_safeword: { text: ' Pineapple ', updatedAt: 1 },
          safety_backup: { text: 'call me', updatedAt: 1 },
          safety_connection_drop: { choice: 'phone', updatedAt: 1 },
          safety_connection_drop_wait: { choice: 'ten_minutes', updatedAt: 1 },
          safety_check_in_cadence: { choice: 'on_signal', updatedAt: 1 },
          safety_traffic_lights: { choice: 'use_them', updatedAt: 1 },
        },
        {
          safety_after_safeword: { text: 'blanket, water', updatedAt: 1 },
          safety_connection_drop_wait: { choice: 'one_minute', updatedAt: 1 },
          safety_check_in_cadence: { choice: 'often', updatedAt: 1 },
          safety_traffic_lights: { choice: 'own_words', updatedAt: 1 },
        },
      ),
    );
    expect(plan).toMatchObject({
      agreed: true,
      safewords: [{ seat: 'a', text: 'Pineapple' }],
      backup: [{ seat: 'a', text: 'call me' }],
      afterSafeword: [{ seat: 'b', text: 'blanket, water' }],
      dropPlan: [{ seat: 'a', text: 'Call by phone straight away' }],
      dropWaitMs: MIN,
      checkinEveryMs: 10 * MIN,
      trafficLights: true,
    });
    // both "only if I signal": no timed prompt at all
    const quiet = scenePlan(section('safety'), revealed({ safety_check_in_cadence: { choice: 'on_signal', updatedAt: 1 } }, { safety_check_in_cadence: { choice: 'at_changes', updatedAt: 1 } }));
    expect(quiet.checkinEveryMs).toBeNull();
  });

  it('SP3 check-in times count from the scene\'s start; the drop plan applies once the connection was down for the agreed time', () => {
    expect(nextCheckinAt(1000, 10 * MIN, 1000)).toBe(1000 + 10 * MIN);
    expect(nextCheckinAt(1000, 10 * MIN, 1000 + 25 * MIN)).toBe(1000 + 30 * MIN);
    expect(nextCheckinAt(1000, null, 5000)).toBeNull();
    expect(lastCheckinDue(0, 10 * MIN, 9 * MIN)).toBe(0);
    expect(lastCheckinDue(0, 10 * MIN, 21 * MIN)).toBe(20 * MIN);
    expect(connectionDrop(null, MIN, 10 * MIN)).toEqual({ applies: false, downMs: 0 });
    expect(connectionDrop(0, 2 * MIN, MIN)).toEqual({ applies: false, downMs: MIN });
    expect(connectionDrop(0, 2 * MIN, 2 * MIN)).toEqual({ applies: true, downMs: 2 * MIN });
  });

  it('SP4 aftercare from the revealed section only; choices in the template\'s words', () => {
    expect(aftercarePlan(section('aftercare'), undefined)).toMatchObject({ agreed: false, rightAfter: [], checkInChoices: [] });
    const plan = aftercarePlan(section('aftercare'), revealed({ aftercare_right_after: { choices: ['held', 'water_snack'], updatedAt: 1 }, aftercare_check_in: { choice: 'next_morning', updatedAt: 1 } }, { aftercare_next_day: { text: 'a message', updatedAt: 1 } }));
    expect(plan).toMatchObject({
      agreed: true,
      rightAfter: [{ seat: 'a', text: 'Being held, Water and a snack' }],
      nextDay: [{ seat: 'b', text: 'a message' }],
      checkIn: [{ seat: 'a', text: 'The next morning' }],
      checkInChoices: ['next_morning'],
    });
  });
});

describe('calendar files: a title and a time, nothing else', () => {
  it('SP5 a timed and an all-day event carry only the title, the time and a UID that names no room', () => {
    const timed = calendarFile({ title: 'Check in, with; commas', start: Date.UTC(2026, 11, 2, 9, 0), minutes: 15, uidSeed: 'SceneIdThatIsSecret' }, Date.UTC(2026, 11, 1, 20, 0));
    const lines = timed.split('\r\n');
    expect(lines).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Parley//Scene//EN',
      'BEGIN:VEVENT',
      expect.stringMatching(/^UID:[0-9a-f]{8}@parley$/),
      'DTSTAMP:20261201T200000Z',
      'DTSTART:20261202T090000Z',
      'DTEND:20261202T091500Z',
      'SUMMARY:Check in\\, with\\; commas',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
    expect(timed).not.toContain('SceneIdThatIsSecret');
    const allDay = calendarFile({ title: 'Review', start: '2027-01-15', uidSeed: 'x' }, 0);
    expect(allDay).toContain('DTSTART;VALUE=DATE:20270115');
    expect(allDay).not.toContain('DTEND');
  });

  it('SP6 the check-in time follows the agreed plan; "I will reach out" makes no file', () => {
    const ended = new Date(2026, 11, 1, 22, 30).getTime();
    expect(new Date(checkInTime('next_morning', ended)!).getHours()).toBe(9);
    expect(new Date(checkInTime('next_morning', ended)!).getDate()).toBe(2);
    expect(checkInTime('same_evening', ended)).toBe(ended + 60 * 60_000);
    expect(checkInTime('when_ready', ended)).toBeNull();
    expect(new Date(checkInTime(undefined, ended)!).getHours()).toBe(10);
  });
});
