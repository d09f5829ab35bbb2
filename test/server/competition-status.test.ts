import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, competitions, events, marks } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { deriveCompetitionStatus } from '../../server/domain/competition-status.ts';
import { loginAs, makeEntry, makeJudge, testScheme } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/** One practical task, one criterion, one judge: every entry is complete after one mark. */
const ONE_TASK: SchemeInput = {
  totaling: 'weighted',
  parts: [{ id: 'task1', name: '实操', role: 'practical', weight: 100, max: 100, marking: 'rubric', criteria: [{ id: 'c1', name: '质量', max: 100, step: 0.5 }] }],
};

let app: TestApp;
let s: Scenario;
let organiser: string;
let judge: string;
let chief: string;

const mark = (number: number, value: number) => ({ marks: [{ idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value }] });
const setCompetition = (status: typeof competitions.$inferSelect.status) =>
  app.db.update(competitions).set({ status }).where(eq(competitions.id, s.competitionId)).run();
const competitionStatus = async () => (await call(app, organiser, { method: 'GET', url: `/api/competitions/${s.competitionId}` })).json().status;

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 2, judgeCount: 1, scheme: ONE_TASK });
  organiser = await loginAs(app, 'organiser', s.orgId);
  judge = await judgeLogin(app, s.judgeCodes[0]!);
  chief = await judgeLogin(app, s.chiefCode);
});
afterAll(() => app.close());

describe('marking only while the competition is running', () => {
  it('refuses marks and paper sheets while the competition is a draft or registering, and stores nothing', async () => {
    makeJudge(app, s.eventId, { role: 'scorer', code: 'SCORE001' });
    const scorer = await judgeLogin(app, 'SCORE001');
    for (const status of ['draft', 'registration'] as const) {
      setCompetition(status);
      const res = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(1, 80) });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('competition_not_running');
      expect(res.json().detail).toContain(status);
      const paper = await call(app, scorer, {
        method: 'POST',
        url: '/api/paper-entries',
        payload: { idempotencyKey: newKey(), judgeId: s.judgeIds[0], number: 1, marks: [{ partId: 'task1', criterionId: 'c1', value: 80 }] },
      });
      expect(paper.statusCode).toBe(409);
      expect(paper.json().code).toBe('competition_not_running');
    }
    expect(app.db.select().from(marks).where(eq(marks.entryId, s.entryIds[0]!)).all()).toHaveLength(0);
  });

  it('takes marks once the organiser moves the competition to running', async () => {
    const res = await call(app, organiser, { method: 'POST', url: `/api/competitions/${s.competitionId}/status`, payload: { status: 'running' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('running');
    const stored = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(1, 80) });
    expect(stored.statusCode).toBe(200);
    expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(2, 70) })).statusCode).toBe(200);
  });
});

describe('the competition status follows its events', () => {
  it('becomes marking_closed when the last round closes and running again when one reopens', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('marking_closed');
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/reopen` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('running');
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('marking_closed');
    // The organiser cannot set a status that follows the events.
    const byHand = await call(app, organiser, { method: 'POST', url: `/api/competitions/${s.competitionId}/status`, payload: { status: 'results_published' } });
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().code).toBe('status_follows_events');
  });

  it('a new event (open round) makes it running; results_published only when every event is released; final when every event is final', async () => {
    const created = await call(app, organiser, {
      method: 'POST',
      url: `/api/competitions/${s.competitionId}/events`,
      payload: { name: '钳工', occupationCode: '6-20-01-01', occupationName: '钳工', minEntrants: 1, scheme: testScheme },
    });
    expect(created.statusCode).toBe(201);
    const second = created.json();
    expect(await competitionStatus()).toBe('running');

    await completeRecheck(app, chief, s.eventId);
    expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) })).statusCode).toBe(200);
    // One event released, the other still open: the competition still runs.
    expect(await competitionStatus()).toBe('running');

    makeEntry(app, { id: second.id, round: second.rounds[0] }, { drawnNumber: 1 });
    makeJudge(app, second.id, { role: 'chief', code: 'CHIEF002' });
    const secondChief = await judgeLogin(app, 'CHIEF002');
    expect((await call(app, organiser, { method: 'POST', url: `/api/rounds/${second.rounds[0].id}/close` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('marking_closed');
    await completeRecheck(app, secondChief, second.id);
    const released = await call(app, organiser, { method: 'POST', url: `/api/events/${second.id}/release`, payload: await reasonsForIncomplete(app, organiser, second.id) });
    expect(released.statusCode, released.body).toBe(200);
    expect(await competitionStatus()).toBe('results_published');

    // Publicity over for both: finalising the first keeps results_published, the second makes it final.
    app.db.update(events).set({ publicityEndsAt: new Date(Date.now() - 1000) }).where(eq(events.competitionId, s.competitionId)).run();
    expect((await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/finalise` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('results_published');
    expect((await call(app, organiser, { method: 'POST', url: `/api/events/${second.id}/finalise` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('final');

    const trail = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'competition.status'), eq(auditLog.entityId, s.competitionId)))
      .all()
      .map((a) => (a.after as { status: string }).status);
    expect(trail).toEqual(['running', 'marking_closed', 'running', 'marking_closed', 'running', 'marking_closed', 'results_published', 'final']);
  });

  it('adding an event to a final competition reverses it to running', async () => {
    const created = await call(app, organiser, {
      method: 'POST',
      url: `/api/competitions/${s.competitionId}/events`,
      payload: { name: '电焊工', occupationCode: '6-18-02-04', occupationName: '电焊工', minEntrants: 1, scheme: testScheme },
    });
    expect(created.statusCode).toBe(201);
    expect(await competitionStatus()).toBe('running');
    expect((await call(app, organiser, { method: 'DELETE', url: `/api/events/${created.json().id}` })).statusCode).toBe(200);
    expect(await competitionStatus()).toBe('final');
  });
});

describe('deriveCompetitionStatus', () => {
  const stage = (released: boolean, final: boolean, markingClosed: boolean) => ({ released, final, markingClosed });
  it('leaves draft and registration to the organiser and derives the rest', () => {
    expect(deriveCompetitionStatus('draft', [stage(true, true, true)])).toBe('draft');
    expect(deriveCompetitionStatus('registration', [])).toBe('registration');
    expect(deriveCompetitionStatus('final', [])).toBe('running');
    expect(deriveCompetitionStatus('running', [stage(false, false, true), stage(false, false, false)])).toBe('running');
    expect(deriveCompetitionStatus('running', [stage(true, false, true), stage(false, false, true)])).toBe('marking_closed');
    expect(deriveCompetitionStatus('running', [stage(true, true, true), stage(true, false, true)])).toBe('results_published');
    expect(deriveCompetitionStatus('results_published', [stage(true, true, true), stage(true, true, true)])).toBe('final');
    expect(deriveCompetitionStatus('final', [stage(true, true, true), stage(true, false, true)])).toBe('results_published');
  });
});
