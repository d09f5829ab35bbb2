import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { ensureShippedCalendar } from '../../server/features/calendar/calendar.service.ts';
import { loginAs } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

// The working-day calendar (issue 8 §6): shipped national years, kept by administrators, and
// the publicity period counted on it.
let app: TestApp;
let admin: string;
let organiser: string;
const clock = fixedClock('2027-02-04T04:00:00Z'); // Thursday 4 February 2027, 12:00 China time

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser');
});
afterAll(() => app.close());

describe('the holiday calendar', () => {
  it('ships 2026 from the State Council’s notice, with its make-up working days, and 2027 as provisional', async () => {
    const years = (await call(app, organiser, { method: 'GET', url: '/api/calendar' })).json();
    expect(years).toEqual([
      expect.objectContaining({ year: 2026, status: 'official', workdays: 6 }),
      expect.objectContaining({ year: 2027, status: 'provisional', workdays: 0 }),
    ]);
    const y2026 = (await call(app, organiser, { method: 'GET', url: '/api/calendar/2026' })).json();
    const kind = (date: string) => y2026.days.find((d: { date: string }) => d.date === date)?.kind;
    expect([kind('2026-01-04'), kind('2026-02-14'), kind('2026-02-28'), kind('2026-05-09'), kind('2026-09-20'), kind('2026-10-10')]).toEqual(Array(6).fill('workday'));
    expect([kind('2026-02-15'), kind('2026-02-23'), kind('2026-10-07'), kind('2026-06-19')]).toEqual(Array(4).fill('holiday'));
    expect(kind('2026-02-24')).toBeUndefined();
    expect((await call(app, null, { method: 'GET', url: '/api/calendar' })).statusCode).toBe(401);
  });

  it('is kept by administrators: a year is replaced as a whole, each bad day named, and audited', async () => {
    const notice = {
      source: '国务院办公厅关于2027年部分节假日安排的通知（测试用）',
      days: [
        ...['05', '06', '07', '08', '09', '10', '11'].map((d) => ({ date: `2027-02-${d}`, kind: 'holiday', name: '春节' })),
        { date: '2027-02-13', kind: 'workday', name: '春节调休上班' },
      ],
    };
    expect((await call(app, organiser, { method: 'PUT', url: '/api/calendar/2027', payload: notice })).statusCode).toBe(403);
    const bad = await call(app, admin, {
      method: 'PUT',
      url: '/api/calendar/2027',
      payload: { days: [{ date: '2026-12-31', kind: 'holiday', name: '元旦' }, { date: '2027-02-12', kind: 'workday', name: '周五' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.days.0.date', 'body.days.1.kind']);
    const twice = await call(app, admin, { method: 'PUT', url: '/api/calendar/2027', payload: { days: [notice.days[0], notice.days[0]] } });
    expect(twice.json().errors[0].field).toBe('body.days.1.date');

    const ok = await call(app, admin, { method: 'PUT', url: '/api/calendar/2027', payload: notice });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ year: 2027, status: 'edited', holidays: 7, workdays: 1, source: notice.source });
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'calendar.update')).all()).toHaveLength(1);
    // Starting again never overwrites what an administrator entered.
    ensureShippedCalendar(app.db);
    expect((await call(app, admin, { method: 'GET', url: '/api/calendar/2027' })).json()).toMatchObject({ status: 'edited', holidays: 7, workdays: 1 });
  });

  it('counts the publicity period on it: released before the holiday, across a make-up Saturday', async () => {
    const s = makeScenario(app, { entrants: 3, judgeCount: 3 });
    for (const code of s.judgeCodes) {
      const j = await judgeLogin(app, code);
      for (let n = 1; n <= 3; n++)
        await call(app, j, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 40 + n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 }] } });
    }
    const chief = await judgeLogin(app, s.chiefCode);
    await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    await completeRecheck(app, chief, s.eventId);
    const res = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    // Thu 4 Feb: 5–11 off; Fri 12 (1), Sat 13 worked (2), Mon 15 (3), Tue 16 (4), Wed 17 (5).
    expect(res.json().publicityEndsAt).toBe('2027-02-17T16:00:00.000Z');
  });
});
