import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** "08:00-20:00", or several ranges "08:00-12:00, 13:00-17:30"; "24:00" ends at midnight. */
const RANGES = /^\s*(?:[01]\d|2[0-3]):[0-5]\d\s*-\s*(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)\s*(?:,\s*(?:[01]\d|2[0-3]):[0-5]\d\s*-\s*(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)\s*)*$/;

/**
 * When people answer live chat, in `data/brand.yml` (`liveChat`). With no hours at all live chat
 * is open whenever an agent is signed in and available; with hours, a day left out is closed.
 */
export const LiveChatHours = z.object({
  timeZone: z.string().default('').refine((tz) => tz === '' || validTimeZone(tz), 'must be an IANA time zone such as America/New_York'),
  hours: z.partialRecord(z.enum(WEEKDAYS), z.string().regex(RANGES, 'must look like "08:00-20:00" (several: "08:00-12:00, 13:00-17:00")')).default({}),
  /** How the hours read to customers ("8am to 8pm Eastern, every day"). */
  hoursText: z.string().default(''),
}).refine((h) => Object.keys(h.hours).length === 0 || h.timeZone !== '', { message: 'hours need a timeZone', path: ['timeZone'] });
export type LiveChatHours = z.infer<typeof LiveChatHours>;

function validTimeZone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether live chat is open at `now` by the configured hours (always, when none are set). */
export function isOpen(hours: LiveChatHours, now: Date): boolean {
  const days = Object.keys(hours.hours);
  if (days.length === 0) return true;
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(now).map((p) => [p.type, p.value]));
  const day = String(parts.weekday).slice(0, 3).toLowerCase() as Weekday;
  const at = Number(parts.hour) * 60 + Number(parts.minute);
  const today = hours.hours[day];
  if (!today) return false;
  return today.split(',').some((range) => {
    const [from, to] = range.split('-').map((s) => s.trim());
    return at >= minutes(from) && at < minutes(to);
  });
}
