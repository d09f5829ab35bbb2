/**
 * Working days in China time (UTC+8). A day is a working day when the calendar says it is a
 * make-up working day (调休上班, usually a Saturday or Sunday next to a holiday); otherwise when it
 * is Monday to Friday and not a public holiday (放假). The publicity period (公示期) of released
 * results runs for a number of working days.
 *
 * The calendar is data (the State Council's notice each year, kept in the database and editable
 * by an administrator: server/features/calendar); this module only counts.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Days that differ from Monday–Friday, as `yyyy-mm-dd` China dates. */
export type WorkingCalendar = {
  /** Public holidays off work (a weekend day inside a holiday block may be listed too: it changes nothing). */
  holidays: ReadonlySet<string>;
  /** Make-up working days (调休): weekend days that are worked. */
  workdays: ReadonlySet<string>;
};

export const EMPTY_CALENDAR: WorkingCalendar = { holidays: new Set(), workdays: new Set() };

/** yyyy-mm-dd of an instant, in China time. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day after a `yyyy-mm-dd` date. */
export function nextDate(isoDate: string): string {
  return new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

/** A plain list of holidays (older callers) or a full calendar. */
function asCalendar(calendar: WorkingCalendar | readonly string[]): WorkingCalendar {
  return Array.isArray(calendar) ? { holidays: new Set(calendar), workdays: new Set() } : (calendar as WorkingCalendar);
}

export function isWorkingDay(isoDate: string, calendar: WorkingCalendar | readonly string[] = EMPTY_CALENDAR): boolean {
  const cal = asCalendar(calendar);
  if (cal.workdays.has(isoDate)) return true;
  const day = weekday(isoDate);
  return day !== 0 && day !== 6 && !cal.holidays.has(isoDate);
}

/**
 * When a publicity period that starts at `start` ends: the end (24:00 China time) of the
 * `workingDays`-th working day after the day it starts on. Released on Friday with 5 days and
 * no holiday: ends at the end of the next Friday. A make-up Saturday counts; a holiday does not.
 */
export function publicityEnd(start: Date, workingDays = 5, calendar: WorkingCalendar | readonly string[] = EMPTY_CALENDAR): Date {
  const cal = asCalendar(calendar);
  let date = chinaDate(start);
  let left = workingDays;
  // A year has at most ~40 days off: a bound that no real period reaches, against a broken calendar.
  for (let guard = 0; left > 0 && guard < 3660; guard++) {
    date = nextDate(date);
    if (isWorkingDay(date, cal)) left--;
  }
  // Midnight at the end of that day in China is 16:00 UTC on the same date.
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + DAY_MS - CHINA_OFFSET_MS);
}
