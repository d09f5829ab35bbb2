import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { holidayCalendarDays, holidayCalendarYears } from '../../../db/schema.ts';
import type { PutCalendarYearInput } from '../../contracts/calendar.ts';
import { weekday, type WorkingCalendar } from '../../domain/working-days.ts';
import { AppError } from '../../errors.ts';
import type { StaffActor } from '../../plugins/auth.plugin.ts';
import { recordAudit, type Tx } from '../audit/audit.service.ts';
import { NATIONAL_CALENDAR } from './national-calendar.ts';

/**
 * The working-day calendar: the shipped national years (national-calendar.ts) loaded once,
 * then kept by administrators. Working days for publicity periods are counted on it
 * (server/domain/working-days.ts).
 */

/** Loads every shipped year the database has no row for; a year already there (shipped or edited) is left alone. */
export function ensureShippedCalendar(db: Db): void {
  const known = new Set(db.select({ year: holidayCalendarYears.year }).from(holidayCalendarYears).all().map((r) => r.year));
  const missing = NATIONAL_CALENDAR.filter((y) => !known.has(y.year));
  if (missing.length === 0) return;
  db.transaction(
    (tx) => {
      for (const y of missing) {
        tx.insert(holidayCalendarYears).values({ year: y.year, status: y.status, source: y.source }).run();
        for (const d of y.days) tx.insert(holidayCalendarDays).values({ ...d, year: y.year }).onConflictDoNothing().run();
      }
    },
    { behavior: 'immediate' },
  );
}

/** The whole calendar as the working-day counter takes it (a few dozen rows a year). */
export function workingCalendar(db: Db | Tx): WorkingCalendar {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const d of db.select({ date: holidayCalendarDays.date, kind: holidayCalendarDays.kind }).from(holidayCalendarDays).all())
    (d.kind === 'holiday' ? holidays : workdays).add(d.date);
  return { holidays, workdays };
}

type YearRow = typeof holidayCalendarYears.$inferSelect;

function presentYear(row: YearRow, counts: { holidays: number; workdays: number }) {
  return { year: row.year, status: row.status, source: row.source, updatedAt: row.updatedAt?.toISOString() ?? null, ...counts };
}

function countsByYear(db: Db): Map<number, { holidays: number; workdays: number }> {
  const out = new Map<number, { holidays: number; workdays: number }>();
  for (const r of db
    .select({ year: holidayCalendarDays.year, kind: holidayCalendarDays.kind, n: sql<number>`count(*)` })
    .from(holidayCalendarDays)
    .groupBy(holidayCalendarDays.year, holidayCalendarDays.kind)
    .all()) {
    const c = out.get(r.year) ?? { holidays: 0, workdays: 0 };
    if (r.kind === 'holiday') c.holidays = r.n;
    else c.workdays = r.n;
    out.set(r.year, c);
  }
  return out;
}

export function listCalendarYears(db: Db) {
  const counts = countsByYear(db);
  return db
    .select()
    .from(holidayCalendarYears)
    .orderBy(asc(holidayCalendarYears.year))
    .all()
    .map((y) => presentYear(y, counts.get(y.year) ?? { holidays: 0, workdays: 0 }));
}

/** One year with its days; a year never entered is empty (Monday–Friday only), not a 404. */
export function getCalendarYear(db: Db, year: number) {
  const row = db.select().from(holidayCalendarYears).where(eq(holidayCalendarYears.year, year)).get();
  const days = db
    .select({ date: holidayCalendarDays.date, kind: holidayCalendarDays.kind, name: holidayCalendarDays.name })
    .from(holidayCalendarDays)
    .where(eq(holidayCalendarDays.year, year))
    .orderBy(asc(holidayCalendarDays.date))
    .all();
  const counts = { holidays: days.filter((d) => d.kind === 'holiday').length, workdays: days.filter((d) => d.kind === 'workday').length };
  const base = row ?? { year, status: 'provisional' as const, source: '', updatedAt: null, updatedBy: null };
  return { ...presentYear(base, counts), days };
}

/**
 * Replaces a year's days (an administrator entering the State Council's notice, or correcting
 * it). Each day must lie in that year; a make-up working day must be a Saturday or Sunday (a
 * weekday is worked anyway). Publicity periods already running keep their end: it was fixed at
 * release.
 */
export function putCalendarYear(db: Db, actor: StaffActor, year: number, input: PutCalendarYearInput, now: Date) {
  const problems: { field: string; message: string }[] = [];
  input.days.forEach((d, i) => {
    if (!d.date.startsWith(`${year}-`)) problems.push({ field: `body.days.${i}.date`, message: `${d.date} is not in ${year}` });
    else if (d.kind === 'workday' && ![0, 6].includes(weekday(d.date)))
      problems.push({ field: `body.days.${i}.kind`, message: `${d.date} is a weekday: only a Saturday or Sunday can be a make-up working day` });
  });
  if (problems.length > 0) throw new AppError(400, 'calendar_invalid', problems.map((p) => p.message).join('; '), problems);
  const before = getCalendarYear(db, year);
  db.transaction(
    (tx) => {
      tx.insert(holidayCalendarYears)
        .values({ year, status: 'edited', source: input.source, updatedAt: now, updatedBy: actor.accountId })
        .onConflictDoUpdate({ target: holidayCalendarYears.year, set: { status: 'edited', source: input.source, updatedAt: now, updatedBy: actor.accountId } })
        .run();
      tx.delete(holidayCalendarDays).where(eq(holidayCalendarDays.year, year)).run();
      for (const d of input.days) tx.insert(holidayCalendarDays).values({ date: d.date, kind: d.kind, name: d.name, year }).run();
      recordAudit(tx, actor, { action: 'calendar.update', entityType: 'calendar_year', entityId: year, orgId: actor.orgId, before, after: input });
    },
    { behavior: 'immediate' },
  );
  return getCalendarYear(db, year);
}
