/**
 * A calendar file (RFC 5545) with one event: a title and a time, nothing else — no link, no
 * token, no answer, no description, no attendee — so a calendar that syncs it somewhere learns
 * only that something is planned.
 */
export interface CalendarEvent {
  title: string;
  /** a moment (ms since epoch) for a timed event, or a date YYYY-MM-DD for an all-day one */
  start: number | string;
  /** length of a timed event */
  minutes?: number;
  /** makes the UID stable (the same event downloaded twice is one event) */
  uidSeed: string;
}

const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const escapeText = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
/** A short, non-reversible-looking UID from the seed (FNV-1a); it carries no id of the room. */
function uid(seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return `${h.toString(16).padStart(8, '0')}@parley`;
}

export function calendarFile(event: CalendarEvent, stamp: number): string {
  const when =
    typeof event.start === 'string'
      ? [`DTSTART;VALUE=DATE:${event.start.replace(/-/g, '')}`]
      : [`DTSTART:${utc(event.start)}`, `DTEND:${utc(event.start + (event.minutes ?? 15) * 60_000)}`];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Parley//Scene//EN',
    'BEGIN:VEVENT',
    `UID:${uid(event.uidSeed)}`,
    `DTSTAMP:${utc(stamp)}`,
    ...when,
    `SUMMARY:${escapeText(event.title)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** When the next-day check-in goes in the calendar, from the agreed check-in plan (local time of `endedAt`). */
export function checkInTime(choice: string | undefined, endedAt: number): number | null {
  const at = (daysLater: number, hour: number) => {
    const d = new Date(endedAt);
    d.setDate(d.getDate() + daysLater);
    d.setHours(hour, 0, 0, 0);
    return d.getTime();
  };
  switch (choice) {
    case 'same_evening':
      return Math.max(at(0, 20), endedAt + 60 * 60_000);
    case 'next_morning':
      return at(1, 9);
    case 'when_ready':
      return null;
    default:
      // next_day_and_later, or nothing agreed: the next day
      return at(1, 10);
  }
}
