import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, judges, marks } from '../../db/schema.ts';
import { loginAs } from '../helpers/factories.ts';
import { completeRecheck, reasonsForIncomplete, judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let judge1: string;
let chief: string;

const sheet = (number: number, c1: number, c2: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app);
  judge1 = await judgeLogin(app, s.judgeCodes[0]!);
  chief = await judgeLogin(app, s.chiefCode);
});
afterAll(() => app.close());

describe('submitting marks', () => {
  it('stores a sheet and answers a retry with the first answer, storing nothing twice', async () => {
    const body = sheet(1, 50, 35.5);
    const first = await call(app, judge1, { method: 'POST', url: '/api/marks', payload: body });
    expect(first.statusCode).toBe(200);
    expect(first.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['stored', 'stored']);
    const retry = await call(app, judge1, { method: 'POST', url: '/api/marks', payload: body });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(retry.json().results[0].mark.id).toBe(first.json().results[0].mark.id);
    const stored = app.db.select().from(marks).where(eq(marks.entryId, s.entryIds[0]!)).all();
    expect(stored).toHaveLength(2);
    const audited = app.db.select().from(auditLog).where(eq(auditLog.action, 'mark.submit')).all();
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps the judge’s sign-off of the sheet with each mark in the audit log, and refuses a malformed one', async () => {
    const signedOffAt = '2026-11-21T05:12:30.000Z';
    const j2 = await judgeLogin(app, s.judgeCodes[1]!);
    const body = { marks: sheet(4, 48, 30).marks.map((m) => ({ ...m, signedOffAt })) };
    const res = await call(app, j2, { method: 'POST', url: '/api/marks', payload: body });
    expect(res.statusCode, res.body).toBe(200);
    const ids = new Set(res.json().results.map((r: { mark: { id: number } }) => r.mark.id));
    const audited = app.db.select().from(auditLog).where(eq(auditLog.action, 'mark.submit')).all().filter((a) => ids.has(a.entityId));
    expect(audited.map((a) => (a.after as { signedOffAt: string }).signedOffAt)).toEqual([signedOffAt, signedOffAt]);
    const bad = await call(app, j2, { method: 'POST', url: '/api/marks', payload: { marks: sheet(5, 40, 30).marks.map((m) => ({ ...m, signedOffAt: 'yesterday' })) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.marks.0.signedOffAt');
  });

  it('refuses a value above the maximum or off the step, naming the field, and stores nothing of the sheet', async () => {
    const res = await call(app, judge1, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [...sheet(2, 50, 30).marks.slice(0, 1), { idempotencyKey: newKey(), number: 2, partId: 'task1', criterionId: 'c2', value: 41 }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('mark_out_of_range');
    expect(res.json().errors[0].field).toBe('body.marks.1.value');
    expect(app.db.select().from(marks).where(eq(marks.entryId, s.entryIds[1]!)).all()).toHaveLength(0);

    const off = await call(app, judge1, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: newKey(), number: 2, partId: 'task1', criterionId: 'c1', value: 50.3 }] },
    });
    expect(off.statusCode).toBe(400);
    expect(off.json().code).toBe('mark_off_step');
  });

  it('stores concurrent sheets independently: a refused one does not take the others down', async () => {
    const j3 = await judgeLogin(app, s.judgeCodes[2]!);
    const [good, bad, good2] = await Promise.all([
      call(app, j3, { method: 'POST', url: '/api/marks', payload: sheet(1, 45, 30) }),
      call(app, j3, { method: 'POST', url: '/api/marks', payload: sheet(2, 99, 30) }),
      call(app, j3, { method: 'POST', url: '/api/marks', payload: sheet(3, 44, 30) }),
    ]);
    expect([good.statusCode, bad.statusCode, good2.statusCode]).toEqual([200, 400, 200]);
    const stored = app.db.select().from(marks).where(eq(marks.judgeId, s.judgeIds[2]!)).all();
    expect(stored.map((m) => m.value).sort((a, b) => a - b)).toEqual([30, 30, 44, 45]);
  });

  it('refuses a schema-invalid body with the field named', async () => {
    const res = await call(app, judge1, { method: 'POST', url: '/api/marks', payload: { marks: [{ number: 'x' }] } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('body.marks.0.number');
    expect(fields).toContain('body.marks.0.idempotencyKey');
  });

  it('refuses a second mark for the same criterion (corrections go through the chief judge)', async () => {
    const res = await call(app, judge1, { method: 'POST', url: '/api/marks', payload: sheet(1, 40, 30) });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('already_marked');
  });

  it('refuses marks for a contestant who is not checked in', async () => {
    app.db.update(entries).set({ status: 'absent' }).where(eq(entries.id, s.entryIds[5]!)).run();
    const res = await call(app, judge1, { method: 'POST', url: '/api/marks', payload: sheet(6, 40, 30) });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('entry_not_checked_in');
  });

  it('refuses a judge who works for the contestant’s employer (recusal)', async () => {
    app.db.update(judges).set({ employerId: s.employerIds[1] }).where(eq(judges.id, s.judgeIds[1]!)).run();
    const j2 = await judgeLogin(app, s.judgeCodes[1]!);
    // Entrant 3 works for employerIds[3 % 2] = employerIds[1].
    const res = await call(app, j2, { method: 'POST', url: '/api/marks', payload: sheet(3, 40, 30) });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('recused');
    const ok = await call(app, j2, { method: 'POST', url: '/api/marks', payload: sheet(2, 40, 30) });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses callers who are not judges', async () => {
    expect((await call(app, null, { method: 'POST', url: '/api/marks', payload: sheet(1, 1, 1) })).statusCode).toBe(401);
    const organiser = await loginAs(app, 'organiser', s.orgId);
    const res = await call(app, organiser, { method: 'POST', url: '/api/marks', payload: sheet(1, 1, 1) });
    expect(res.statusCode).toBe(403);
  });

  it('reuses of an idempotency key for a different mark are refused', async () => {
    const key = newKey();
    await call(app, judge1, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: key, number: 4, partId: 'task1', criterionId: 'c1', value: 10 }] } });
    const res = await call(app, judge1, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: key, number: 4, partId: 'task1', criterionId: 'c1', value: 11 }] },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('idempotency_key_reused');
  });
});

describe('judge views hide names until release', () => {
  it('lists contestants by number with the judge’s state and no names', async () => {
    const res = await call(app, judge1, { method: 'GET', url: '/api/judge/entries' });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list[0]).toMatchObject({ number: 1, state: 'submitted', marked: 2, criteria: 2 });
    expect(list[3]).toMatchObject({ number: 4, state: 'partial' });
    expect(list[2]).toMatchObject({ number: 3, state: 'not_started' });
    expect(JSON.stringify(list)).not.toContain('选手');
  });

  it('refuses the judge view to staff', async () => {
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'GET', url: '/api/judge/entries' })).statusCode).toBe(403);
  });
});

describe('corrections, lock and release', () => {
  it('a judge asks, the chief judge approves, a new version is stored and the old one kept', async () => {
    const own = (await call(app, judge1, { method: 'GET', url: '/api/judge/marks?number=1' })).json();
    const c1 = own.find((m: { criterionId: string }) => m.criterionId === 'c1');
    const bad = await call(app, judge1, { method: 'POST', url: '/api/corrections', payload: { markId: c1.id, newValue: 61, reason: '录入错误' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.newValue');

    const req = await call(app, judge1, { method: 'POST', url: '/api/corrections', payload: { markId: c1.id, newValue: 52, reason: '录入错误' } });
    expect(req.statusCode).toBe(201);
    const state = (await call(app, judge1, { method: 'GET', url: '/api/judge/entries' })).json();
    expect(state[0].state).toBe('correction_pending');

    const notChief = await call(app, judge1, { method: 'POST', url: `/api/corrections/${req.json().id}/decision`, payload: { decision: 'approve' } });
    expect(notChief.statusCode).toBe(403);
    const ok = await call(app, chief, { method: 'POST', url: `/api/corrections/${req.json().id}/decision`, payload: { decision: 'approve', note: '核实' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('approved');

    const history = await call(app, chief, { method: 'GET', url: `/api/marks/${c1.id}/history` });
    expect(history.json().versions.map((v: { value: number }) => v.value)).toEqual([50, 52]);
    const current = (await call(app, judge1, { method: 'GET', url: '/api/judge/marks?number=1' })).json();
    expect(current.find((m: { criterionId: string }) => m.criterionId === 'c1').value).toBe(52);
  });

  it('closing marking refuses new marks; release needs every round closed and then shows names', async () => {
    const early = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('marking_open');

    expect((await call(app, judge1, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(403);
    const close = await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    expect(close.statusCode).toBe(200);
    const late = await call(app, judge1, { method: 'POST', url: '/api/marks', payload: sheet(5, 10, 10) });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('marking_closed');

    const unchecked = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release` });
    expect(unchecked.statusCode).toBe(409);
    expect(unchecked.json().code).toBe('recheck_incomplete');
    await completeRecheck(app, chief, s.eventId);
    // Contestants still lack marks: refused until the chief judge gives a reason for each of them.
    const incomplete = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release` });
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().code).toBe('entries_incomplete');
    const release = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    expect(release.statusCode, release.body).toBe(200);
    expect(new Date(release.json().publicityEndsAt).getTime()).toBeGreaterThan(Date.now() + 5 * 86_400_000);
    const list = (await call(app, judge1, { method: 'GET', url: '/api/judge/entries' })).json();
    expect(list[0].name).toBe('选手1');

    const own = (await call(app, judge1, { method: 'GET', url: '/api/judge/marks?number=1' })).json();
    const after = await call(app, judge1, { method: 'POST', url: '/api/corrections', payload: { markId: own[0].id, newValue: 1, reason: '太晚了' } });
    expect(after.statusCode).toBe(409);
    expect(after.json().code).toBe('results_released');

    const pub = await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` });
    expect(pub.statusCode).toBe(200);
    const row = pub.json().events[0].rows.find((r: { number: number }) => r.number === 1);
    expect(row.name).toBe('选手1');
    expect(row.idNumberMasked).toMatch(/^340123\*{8}\d{3}[\dX]$/);
    expect(pub.body).not.toMatch(/340123\d{8}/);
  });
});
