import { describe, expect, it } from 'vitest';
import { chinaDate, publicityEnd } from '../../server/domain/working-days.ts';

/** The last China-time day the period covers (it ends at that day's 24:00). */
const lastDay = (end: Date) => chinaDate(new Date(end.getTime() - 1));

describe('publicity period in working days', () => {
  it('runs five working days from the day after release, across a weekend', () => {
    // Released Friday 2026-11-20 15:00 China time → Mon 23 … Fri 27, ending at 24:00 China time.
    const end = publicityEnd(new Date('2026-11-20T07:00:00Z'), 5);
    expect(end.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('skips public holidays', () => {
    // Released Tue 2026-09-29; 1–7 October are holidays: Wed 30 Sep, then Thu 8, Fri 9, Mon 12, Tue 13.
    const holidays = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
    expect(lastDay(publicityEnd(new Date('2026-09-29T02:00:00Z'), 5, holidays))).toBe('2026-10-13');
  });

  it('counts the China date, not the UTC one', () => {
    // 2026-11-22 20:00 UTC is already Monday 23 November in China.
    expect(chinaDate(new Date('2026-11-22T20:00:00Z'))).toBe('2026-11-23');
    expect(lastDay(publicityEnd(new Date('2026-11-22T20:00:00Z'), 1))).toBe('2026-11-24');
  });
});
