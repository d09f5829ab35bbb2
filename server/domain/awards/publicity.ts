/**
 * The publicity period (公示期) after results are released, and the appeal window (申诉).
 *
 * The working-day arithmetic already lives in ../working-days.ts (the release service uses it);
 * this module checks the inputs that function takes on trust and delegates, so the two can
 * never disagree.
 */
import { publicityEnd as workingDaysEnd } from '../working-days.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The end of a publicity period: 24:00 China time (UTC+8) of the `workingDays`-th working day
 * (Monday to Friday, not a holiday) after the day, in China, that `start` falls on. Released on
 * a Friday with 5 days: it ends at the end of the next Friday.
 *
 * Make-up working days on a weekend (调休) are not counted: the period only ever gets longer
 * for it, which is the safe side for appeals.
 *
 * @param holidays public holidays as `yyyy-mm-dd` (China dates); a malformed one throws, since
 *   it would silently never match
 */
export function publicityEnd(start: Date, workingDays = 5, holidays: readonly string[] = []): Date {
  if (Number.isNaN(start.getTime())) throw new RangeError('start is not a valid date');
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`workingDays must be a whole number ≥ 0, got ${workingDays}`);
  for (const day of holidays) {
    const real = ISO_DATE.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
    if (!real) throw new RangeError(`holiday ${JSON.stringify(day)} is not a yyyy-mm-dd date`);
  }
  return workingDaysEnd(start, workingDays, holidays);
}

/** When appeals close: `hours` after the event ended. */
export function appealDeadline(eventEnd: Date, hours = 2): Date {
  if (!(hours >= 0) || !Number.isFinite(hours)) throw new RangeError(`hours must be ≥ 0, got ${hours}`);
  return new Date(eventEnd.getTime() + hours * 3_600_000);
}

/**
 * Whether an appeal lodged at `now` is in time: from the end of the event up to and including
 * the deadline `hours` later (the appeals service refuses only after the deadline). Before the
 * event ends there is nothing to appeal yet.
 */
export function appealWindowOpen(eventEnd: Date, now: Date, hours = 2): boolean {
  const t = now.getTime();
  return t >= eventEnd.getTime() && t <= appealDeadline(eventEnd, hours).getTime();
}
