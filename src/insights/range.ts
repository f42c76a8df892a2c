/**
 * The period supervisors ask about: `from` and `to` as dates (`2026-03-01`, whole days in the
 * time zone asked for, `to` included) or times (`2026-03-01T09:00:00Z`, `to` excluded), checked
 * with reasons a person can act on. Days and hours are counted in the time zone (IANA name,
 * UTC by default).
 */

/** Longest period answered: a year (a leap year has 366 days). */
export const MAX_RANGE_DAYS = 366;
/** Without `from`/`to`: the last 30 days, today included. */
export const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

export interface Range {
  /** First instant counted. */
  from: Date;
  /** First instant no longer counted. */
  to: Date;
  timeZone: string;
}

/** A request that cannot be answered, with the reason (the HTTP edge answers 400, the CLI exits 2). */
export class BadRangeError extends Error {
  constructor(message: string) { super(message); this.name = 'BadRangeError'; }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Checks and resolves `from`, `to` and `tz` as given (strings or absent). */
export function parseRange(input: { from?: unknown; to?: unknown; tz?: unknown }, now: Date = new Date()): Range {
  const timeZone = input.tz === undefined || input.tz === '' ? 'UTC' : String(input.tz);
  if (!isTimeZone(timeZone)) throw new BadRangeError(`tz "${timeZone.slice(0, 60)}" is not a time zone; use an IANA name such as Europe/Madrid or America/New_York.`);
  const from = input.from === undefined || input.from === '' ? undefined : instant('from', input.from, timeZone);
  const to = input.to === undefined || input.to === '' ? undefined : instant('to', input.to, timeZone);
  // `to` as a date is the whole day: the range ends where the next day starts
  const tomorrow = startOfDay(addDays(dayKey(now, timeZone), 1), timeZone);
  const end = to ? (to.day ? startOfDay(addDays(to.day, 1), timeZone) : to.at) : from ? new Date(Math.max(from.at.getTime(), tomorrow.getTime())) : tomorrow;
  const start = from?.at ?? new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
  // a date `to` takes its day in: from must start before that day ends; a time `to` may equal from (an empty range)
  if (to && (to.day ? start.getTime() >= end.getTime() : start.getTime() > end.getTime())) {
    throw new BadRangeError(`The range is reversed: from (${String(input.from)}) is after to (${String(input.to ?? 'now')}).`);
  }
  if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new BadRangeError(`The range is longer than a year (${MAX_RANGE_DAYS} days): ask for at most a year at a time.`);
  }
  return { from: start, to: end, timeZone };
}

/** A date's first instant (and the date), or a time. */
function instant(name: string, value: unknown, timeZone: string): { at: Date; day?: string } {
  const s = typeof value === 'string' ? value.trim() : '';
  const d = DATE.exec(s);
  if (d) {
    const day = `${d[1]}-${d[2]}-${d[3]}`;
    if (!validDay(day)) throw new BadRangeError(`${name} "${s}" is not a date on the calendar.`);
    return { at: startOfDay(day, timeZone), day };
  }
  if (TIME.test(s) && !Number.isNaN(Date.parse(s))) return { at: new Date(s) };
  throw new BadRangeError(`${name} must be a date (2026-03-01) or a time with its zone (2026-03-01T09:00:00Z); got "${String(value).slice(0, 40)}".`);
}

/** Whether `tz` is a time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function parts(t: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour) % 24, min: Number(p.minute), s: Number(p.second) };
}

/** The calendar day of `t` in `timeZone` (`2026-03-01`). */
export function dayKey(t: Date, timeZone: string): string {
  const p = parts(t, timeZone);
  return `${String(p.y).padStart(4, '0')}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The hour of the day of `t` in `timeZone` (0–23). */
export function hourOf(t: Date, timeZone: string): number {
  return parts(t, timeZone).h;
}

/** The first instant of `day` in `timeZone` (local midnight; after a DST gap, the first hour that exists). */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // the zone's offset at a guess, then again where that lands (the offset may change that night)
  let t = wall - offset(new Date(wall), timeZone);
  t = wall - offset(new Date(t), timeZone);
  return new Date(t);
}

/** `timeZone`'s offset from UTC at `t`, ms (local wall time − UTC). */
function offset(t: Date, timeZone: string): number {
  const p = parts(t, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(t.getTime() / 1000) * 1000;
}

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function validDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1970 && y <= 9999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
