import { addYears } from '../studios/iso-dates.ts';
import { chinaDate, publicityEnd, type WorkingCalendar } from '../working-days.ts';

/**
 * Dates of a selection. The publicity period (公示期) is counted in working days by the holiday
 * calendar, like released results (server/domain/working-days.ts).
 */
export function selectionPublicityEnd(start: Date, workingDays: number, calendar: WorkingCalendar): Date {
  return publicityEnd(start, workingDays, calendar);
}

/** Whether nominations are accepted on `today` (a China date): between the open and close dates, both included. */
export function nominationWindow(today: string, open: string, close: string): 'not_open' | 'open' | 'closed' {
  return today < open ? 'not_open' : today > close ? 'closed' : 'open';
}

/** The last day of a fixed-term title named on `namedOn`; null for one held for life. */
export function termEnds(namedOn: string, termYears: number | null): string | null {
  return termYears === null ? null : addYears(namedOn, termYears);
}

/** The naming day as the certificate shows it: the set naming date, or the day it was named. */
export function namingDay(namingDate: string | null, now: Date): string {
  return namingDate ?? chinaDate(now);
}

/** `GJ2027-0003-007`: 工匠 certificate by year, selection and the named craftsman's rank. */
export function certificateNumber(year: number, selectionId: number, seq: number): string {
  return `GJ${year}-${String(selectionId).padStart(4, '0')}-${String(seq).padStart(3, '0')}`;
}
