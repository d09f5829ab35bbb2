/**
 * Working days in China time (UTC+8): Monday to Friday, less the given public holidays.
 * The publicity period (公示期) of released results runs for a number of working days.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** yyyy-mm-dd of an instant, in China time. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function isWorkingDay(isoDate: string, holidays: ReadonlySet<string>): boolean {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(isoDate);
}

/**
 * When a publicity period that starts at `start` ends: the end (24:00 China time) of the
 * `workingDays`-th working day after the day it starts on. Released on Friday with 5 days:
 * ends at the end of the next Friday.
 */
export function publicityEnd(start: Date, workingDays = 5, holidays: readonly string[] = []): Date {
  const off = new Set(holidays);
  let date = chinaDate(start);
  let left = workingDays;
  while (left > 0) {
    date = new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    if (isWorkingDay(date, off)) left--;
  }
  // Midnight at the end of that day in China is 16:00 UTC on the same date.
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000 - CHINA_OFFSET_MS);
}
