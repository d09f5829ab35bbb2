/**
 * The publicity period (公示期) after results are released, and the appeal window (申诉).
 *
 * The working-day arithmetic lives in ../working-days.ts (the release service uses it); this
 * module checks the inputs that function takes on trust and delegates, so the two can never
 * disagree.
 */
import { publicityEnd as workingDaysEnd, type WorkingCalendar } from '../working-days.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function assertIsoDate(day: string, what: string): void {
  const real = ISO_DATE.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  if (!real) throw new RangeError(`${what} ${JSON.stringify(day)} is not a yyyy-mm-dd date`);
}

/**
 * The end of a publicity period: 24:00 China time (UTC+8) of the `workingDays`-th working day
 * after the day, in China, that `start` falls on. Released on a Friday with 5 days: it ends at
 * the end of the next Friday. A make-up working day on a weekend (调休) counts; a holiday does not.
 *
 * @param calendar public holidays as `yyyy-mm-dd` (China dates), or a calendar with the make-up
 *   working days too; a malformed date throws, since it would silently never match
 */
export function publicityEnd(start: Date, workingDays = 5, calendar: readonly string[] | WorkingCalendar = []): Date {
  if (Number.isNaN(start.getTime())) throw new RangeError('start is not a valid date');
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`workingDays must be a whole number ≥ 0, got ${workingDays}`);
  const cal: WorkingCalendar = Array.isArray(calendar)
    ? { holidays: new Set(calendar), workdays: new Set() }
    : (calendar as WorkingCalendar);
  for (const day of cal.holidays) assertIsoDate(day, 'holiday');
  for (const day of cal.workdays) assertIsoDate(day, 'make-up working day');
  return workingDaysEnd(start, workingDays, cal);
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

/**
 * When appeals may be lodged (a competition setting):
 * - `publicity_period`: from release to the end of the publicity period (the national practice:
 *   objections are raised while the results are on public display);
 * - `hours_after_marking`: `hours` after marking closed (the provincial technical rule: 2 h after
 *   the event ends), whether or not the results are released yet;
 * - `hours_after_release`: `hours` after the results were released online (some use 48 h).
 */
export type AppealRule = 'publicity_period' | 'hours_after_marking' | 'hours_after_release';

/**
 * The window the rule gives, or null while it has not opened (no release yet, or marking still
 * open): `{ opensAt, closesAt }`, both inclusive.
 */
export function appealWindowOf(
  rule: AppealRule,
  hours: number,
  at: { markingClosedAt: Date | null; releasedAt: Date | null; publicityEndsAt: Date | null },
): { opensAt: Date; closesAt: Date } | null {
  if (rule === 'hours_after_marking') return at.markingClosedAt ? { opensAt: at.markingClosedAt, closesAt: appealDeadline(at.markingClosedAt, hours) } : null;
  if (!at.releasedAt) return null;
  if (rule === 'hours_after_release') return { opensAt: at.releasedAt, closesAt: appealDeadline(at.releasedAt, hours) };
  return at.publicityEndsAt ? { opensAt: at.releasedAt, closesAt: at.publicityEndsAt } : null;
}
