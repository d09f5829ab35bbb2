import { describe, expect, it } from 'vitest';
import { appealDeadline, appealWindowOf, appealWindowOpen, publicityEnd } from '../../../server/domain/awards/index.ts';
import { chinaDate } from '../../../server/domain/working-days.ts';

/** The last China-time day a period covers (it ends at that day's 24:00). */
const lastDay = (end: Date) => chinaDate(new Date(end.getTime() - 1));

describe('publicityEnd', () => {
  it('runs 5 working days across a weekend: released Thursday, ends the next Thursday at 24:00 China time', () => {
    // Released Thu 2024-06-13 10:00 China time: Fri 14, Mon 17, Tue 18, Wed 19, Thu 20.
    const end = publicityEnd(new Date('2024-06-13T02:00:00Z'));
    expect(lastDay(end)).toBe('2024-06-20');
    expect(end.toISOString()).toBe('2024-06-20T16:00:00.000Z');
  });

  it('skips a public holiday (Dragon Boat Festival, Monday 2024-06-10)', () => {
    // Released Fri 7 June: Mon 10 is a holiday → Tue 11, Wed 12, Thu 13, Fri 14, Mon 17.
    expect(lastDay(publicityEnd(new Date('2024-06-07T09:00:00Z'), 5, ['2024-06-10']))).toBe('2024-06-17');
    expect(lastDay(publicityEnd(new Date('2024-06-07T09:00:00Z'), 5))).toBe('2024-06-14');
  });

  it('skips the National Day week', () => {
    // Released Mon 2024-09-30: 1–7 October are off → Tue 8, Wed 9, Thu 10, Fri 11, Mon 14.
    const holidays = ['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-07'];
    expect(lastDay(publicityEnd(new Date('2024-09-30T01:00:00Z'), 5, holidays))).toBe('2024-10-14');
  });

  it('counts from the China date of the release', () => {
    // Sunday 2024-06-16 20:00 UTC is Monday 17 June 04:00 in China: the period starts counting on Tuesday.
    expect(lastDay(publicityEnd(new Date('2024-06-16T20:00:00Z'), 1))).toBe('2024-06-18');
  });

  it('refuses a malformed holiday, a negative or fractional number of days and an invalid start', () => {
    expect(() => publicityEnd(new Date('2024-06-07T09:00:00Z'), 5, ['2024-6-10'])).toThrow(/2024-6-10/);
    expect(() => publicityEnd(new Date('2024-06-07T09:00:00Z'), 5, ['2024-02-30'])).toThrow(RangeError);
    expect(() => publicityEnd(new Date('2024-06-07T09:00:00Z'), -1)).toThrow(RangeError);
    expect(() => publicityEnd(new Date('2024-06-07T09:00:00Z'), 2.5)).toThrow(RangeError);
    expect(() => publicityEnd(new Date('nope'))).toThrow(RangeError);
  });
});

describe('appeal window (申诉, 2 hours after the event ends)', () => {
  const end = new Date('2024-06-13T08:30:00Z'); // 16:30 China time
  const at = (iso: string) => new Date(iso);

  it('is open from the end of the event to the deadline, inclusive', () => {
    expect(appealDeadline(end).toISOString()).toBe('2024-06-13T10:30:00.000Z');
    expect(appealWindowOpen(end, at('2024-06-13T08:30:00Z'))).toBe(true);
    expect(appealWindowOpen(end, at('2024-06-13T10:30:00Z'))).toBe(true);
    expect(appealWindowOpen(end, at('2024-06-13T10:30:00.001Z'))).toBe(false);
    expect(appealWindowOpen(end, at('2024-06-13T08:29:59Z'))).toBe(false);
  });

  it('takes other windows (48 hours after online publication)', () => {
    expect(appealWindowOpen(end, at('2024-06-15T08:00:00Z'), 48)).toBe(true);
    expect(appealWindowOpen(end, at('2024-06-15T09:00:00Z'), 48)).toBe(false);
    expect(() => appealDeadline(end, -1)).toThrow(RangeError);
  });
});

describe('the appeal window by the competition’s rule', () => {
  const markingClosedAt = new Date('2026-11-20T08:00:00Z');
  const releasedAt = new Date('2026-11-21T02:00:00Z');
  const publicityEndsAt = new Date('2026-11-27T16:00:00Z');

  it('runs through the publicity period by default, and not before release', () => {
    expect(appealWindowOf('publicity_period', 2, { markingClosedAt, releasedAt, publicityEndsAt })).toEqual({ opensAt: releasedAt, closesAt: publicityEndsAt });
    expect(appealWindowOf('publicity_period', 2, { markingClosedAt, releasedAt: null, publicityEndsAt: null })).toBeNull();
  });

  it('takes the hour-based rules: after marking closes, or after release', () => {
    expect(appealWindowOf('hours_after_marking', 2, { markingClosedAt, releasedAt: null, publicityEndsAt: null })!.closesAt.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(appealWindowOf('hours_after_marking', 2, { markingClosedAt: null, releasedAt: null, publicityEndsAt: null })).toBeNull();
    expect(appealWindowOf('hours_after_release', 48, { markingClosedAt, releasedAt, publicityEndsAt })!.closesAt.toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });

  it('checks make-up working days like holidays', () => {
    expect(() => publicityEnd(new Date('2026-02-12T04:00:00Z'), 5, { holidays: new Set(), workdays: new Set(['2026-2-14']) })).toThrow(/make-up working day/);
  });
});
