import { describe, expect, it } from 'vitest';
import { competitions, craftsmanCandidates, craftsmanObjections, craftsmanRewardPayments, craftsmanSelections, events, judgeAssignments, judges, marks, personTitles, studioSteps } from '../../db/schema.ts';
import { DEMO_JUDGE_CODES, DEMO_PASSWORD } from '../../db/seed.ts';
import { fixedClock } from '../../server/clock.ts';
import { buildTestApp, call, sessionCookie } from '../helpers/test-app.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The demo data is laid out around the day the database is created, so `npm start` shows a live
 * competition and the README's judge codes work on any date. Created on several days (one just
 * after midnight Beijing time, a leap day, years ahead), it must look the same each time.
 */
describe.each([
  '2026-12-02T10:00:00+08:00',
  '2027-12-02T00:30:00+08:00',
  '2028-02-29T15:00:00+08:00',
  '2031-07-15T09:00:00+08:00',
])('demo data created on %s', (when) => {
  it('has a competition running today, last year’s released one, and nothing dated after today', async () => {
    const clock = fixedClock(when);
    const app = await buildTestApp({ demo: true, sessionSecret: SECRET }, { clock });
    try {
      const now = clock.now();
      const today = chinaDay(now);
      const list = app.db.select().from(competitions).all();
      const feixi = list.find((c) => c.name.endsWith(DEMO_JUDGE_CODES.无人机驾驶.competition))!;
      expect(feixi.status).toBe('running');
      expect(feixi.startDate! <= today && today <= feixi.endDate!).toBe(true);
      expect(feixi.name.startsWith(`${feixi.year}年`)).toBe(true);
      const power = list.find((c) => c.name.endsWith(DEMO_JUDGE_CODES.配电线路工.competition))!;
      expect(power.startDate! <= today && today <= power.endDate!).toBe(true);
      const welding = list.find((c) => c.name.endsWith(DEMO_JUDGE_CODES.焊工.competition))!;
      expect(welding.year).toBe(Number(today.slice(0, 4)) - 1);
      const weldingEvent = app.db.select().from(events).all().find((e) => e.competitionId === welding.id)!;
      expect(weldingEvent.releasedAt!.getTime()).toBeLessThan(now.getTime());
      expect(weldingEvent.finalAt!.getTime()).toBeLessThan(now.getTime());

      // Nothing happened in the future: marks, studio decisions.
      const lastMark = Math.max(...app.db.select({ at: marks.enteredAt }).from(marks).all().map((m) => m.at.getTime()));
      expect(lastMark).toBeLessThan(now.getTime());
      const lastStep = app.db.select({ date: studioSteps.date }).from(studioSteps).all().map((s) => s.date).sort().at(-1)!;
      expect(lastStep <= today).toBe(true);

      // Last year's craftsman selection is over (nominations, publicity, naming, payments); this year's takes nominations today.
      const [finished, open] = app.db.select().from(craftsmanSelections).all();
      expect([finished!.year, open!.year]).toEqual([Number(today.slice(0, 4)) - 1, Number(today.slice(0, 4))]);
      expect(finished!.nominationsClose < today && finished!.namingDate! < today).toBe(true);
      expect(finished!.publicityEndsAt!.getTime()).toBeLessThan(finished!.namedAt!.getTime());
      expect(finished!.namedAt!.getTime()).toBeLessThan(now.getTime());
      expect(open!.nominationsOpen <= today && today <= open!.nominationsClose).toBe(true);
      const times = [
        ...app.db.select({ at: craftsmanCandidates.createdAt }).from(craftsmanCandidates).all(),
        ...app.db.select({ at: craftsmanCandidates.updatedAt }).from(craftsmanCandidates).all(),
        ...app.db.select({ at: craftsmanObjections.decidedAt }).from(craftsmanObjections).all(),
        ...app.db.select({ at: personTitles.conferredAt }).from(personTitles).all(),
      ];
      expect(Math.max(...times.map((t) => t.at!.getTime()))).toBeLessThan(now.getTime());
      expect(app.db.select().from(craftsmanRewardPayments).all().every((p) => p.paidOn < today && p.budgetYear === finished!.year)).toBe(true);

      // Every README judge code signs in, and an organiser can still issue a new code today.
      for (const codes of Object.values(DEMO_JUDGE_CODES))
        for (const code of [codes.chief, ...codes.judges]) {
          const res = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code } });
          expect(res.statusCode, code).toBe(200);
        }
      const organiser = sessionCookie(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'organiser', password: DEMO_PASSWORD } }));
      const droneEvent = app.db.select().from(events).all().find((e) => e.competitionId === feixi.id)!;
      const seat = app.db.select().from(judgeAssignments).all().find((a) => a.eventId === droneEvent.id && a.role === 'judge')!;
      const judge = app.db.select().from(judges).all().find((j) => j.id === seat.judgeId)!;
      const issued = await call(app, organiser, { method: 'POST', url: `/api/judges/${judge.id}/code` });
      expect(issued.statusCode, issued.body).toBe(200);
      expect(new Date(issued.json().expiresAt).getTime()).toBeGreaterThan(now.getTime());
    } finally {
      await app.close();
    }
  });
});
