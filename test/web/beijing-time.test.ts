import { afterEach, describe, expect, it, vi } from 'vitest';
import { beijingDate, beijingDateZh, beijingEndMinute, beijingLastDay, beijingMinute, beijingSecond, beijingYear } from '../../web/app/beijing-time.ts';

describe('times as Beijing reads them, whatever the device’s zone', () => {
  it('shows a code that expires at midnight as 23:59, not the UTC 15:59', () => {
    expect(beijingMinute('2026-12-05T15:59:00.000Z')).toBe('2026-12-05 23:59');
    expect(beijingSecond('2026-12-05T06:05:33.000Z')).toBe('2026-12-05 14:05:33');
  });

  it('turns the day over at Beijing midnight', () => {
    expect(beijingDate('2026-12-31T15:59:59.000Z')).toBe('2026-12-31');
    expect(beijingDate('2026-12-31T16:00:00.000Z')).toBe('2027-01-01');
    expect(beijingDateZh('2026-12-31T16:00:00.000Z')).toBe('2027年1月1日');
  });

  it('names the last day of a period that ends at 24:00 Beijing time, not the next day', () => {
    // 公示期 through 9 December: it ends at 00:00 on the 10th Beijing time (16:00 UTC on the 9th).
    expect(beijingLastDay('2026-12-09T16:00:00.000Z')).toBe('2026-12-09');
    expect(beijingDate('2026-12-09T16:00:00.000Z')).toBe('2026-12-10');
    // An end during the day is that day.
    expect(beijingLastDay('2026-12-09T06:00:00.000Z')).toBe('2026-12-09');
    // Written with its time, such an end is 24:00 of the last day, as notices put it.
    expect(beijingEndMinute('2026-12-09T16:00:00.000Z')).toBe('2026-12-09 24:00');
    expect(beijingEndMinute('2026-12-09T06:00:00.000Z')).toBe('2026-12-09 14:00');
  });

  afterEach(() => vi.useRealTimers());

  it('starts a new year at Beijing midnight, whatever the device’s own year says', () => {
    // 17:00 UTC on 31 December: still 2026 in Los Angeles or London, already 1 January 2027 in Beijing.
    vi.useFakeTimers({ now: new Date('2026-12-31T17:00:00.000Z'), toFake: ['Date'] });
    expect(beijingYear()).toBe(2027);
    vi.setSystemTime(new Date('2026-12-31T15:59:00.000Z'));
    expect(beijingYear()).toBe(2026);
  });
});
