import { z } from 'zod';
import { isoDate } from './common.ts';

/** A day that differs from Monday–Friday: a public holiday off (放假) or a make-up working day (调休上班). */
export const calendarDaySchema = z
  .object({
    date: isoDate,
    kind: z.enum(['holiday', 'workday']),
    name: z.string().trim().max(50).default('').describe('The holiday, e.g. 春节; for a make-up day, e.g. 春节调休上班'),
  })
  .meta({ id: 'CalendarDay' });
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarYearStatus = z.enum(['official', 'provisional', 'edited']);

export const calendarYearSchema = z
  .object({
    year: z.int(),
    status: calendarYearStatus.describe('official: the shipped State Council notice; provisional: shipped without it, to be checked; edited: changed by an administrator'),
    source: z.string(),
    updatedAt: z.string().nullable(),
    holidays: z.int(),
    workdays: z.int(),
  })
  .meta({ id: 'CalendarYear' });

export const calendarYearDetailSchema = calendarYearSchema.extend({ days: z.array(calendarDaySchema) }).meta({ id: 'CalendarYearDetail' });

export const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const putCalendarYearBody = z
  .object({
    source: z.string().trim().max(300).default('').describe('Where the days come from, e.g. the notice and its date'),
    days: z.array(calendarDaySchema).max(200),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.days.forEach((d, i) => {
      if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: `${d.date} is listed twice` });
      seen.add(d.date);
    });
  });
export type PutCalendarYearInput = z.infer<typeof putCalendarYearBody>;
