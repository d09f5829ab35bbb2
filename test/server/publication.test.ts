import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, competitions, events, judges, marks } from '../../db/schema.ts';
import { tokenHash } from '../../server/security.ts';
import { loginAs, makeJudge } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let chief: string;
let judge: string;
let organiser: string;
let supervisor: string;

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 30, judgeCount: 3 });
  const judgeCookies = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  judge = judgeCookies[0]!;
  chief = await judgeLogin(app, s.chiefCode);
  organiser = await loginAs(app, 'organiser', s.orgId);
  // A supervisor (监督) on the panel: the supervision and arbitration group.
  makeJudge(app, s.eventId, { name: '监督组长', role: 'supervisor', codeHash: tokenHash(app.sessionSecret, 'SUPV0001'), codeExpiresAt: new Date('2099-01-01') });
  supervisor = await judgeLogin(app, 'SUPV0001');
  // Every judge marks everyone: contestant n gets c1 = n, so the ranking is 30, 29, … 1.
  for (const cookie of judgeCookies)
    for (let n = 1; n <= 30; n++) {
      const res = await call(app, cookie, {
        method: 'POST',
        url: '/api/marks',
        payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 10 }] },
      });
      expect(res.statusCode).toBe(200);
    }
});
afterAll(() => app.close());

describe('the results check before release', () => {
  it('cannot be drawn while marking is open', async () => {
    const res = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/rechecks/draw` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marking_open');
  });

  it('draws every top-10 result and 15 % of the rest, records the draw, and only the chief judge checks', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    expect((await call(app, judge, { method: 'POST', url: `/api/events/${s.eventId}/rechecks/draw` })).statusCode).toBe(403);
    const res = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/rechecks/draw` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number; number: number; rank: number; selection: string }[];
    const top = items.filter((i) => i.selection === 'top10');
    const sample = items.filter((i) => i.selection === 'sample');
    expect(top.map((i) => i.number).sort((a, b) => a - b)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(sample).toHaveLength(3); // 15 % of the other 20, rounded up
    expect(sample.every((i) => i.rank > 10)).toBe(true);
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'recheck.draw')).all();
    expect((audit.at(-1)!.after as { sample: number[] }).sample).toHaveLength(3);

    expect((await call(app, organiser, { method: 'POST', url: `/api/rechecks/${items[0]!.id}/check`, payload: {} })).statusCode).toBe(403);
    const early = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    expect(early.json().code).toBe('recheck_incomplete');
    for (const item of items) {
      const ok = await call(app, chief, { method: 'POST', url: `/api/rechecks/${item.id}/check`, payload: { note: '复核无误' } });
      expect(ok.statusCode).toBe(200);
    }
    const again = await call(app, chief, { method: 'POST', url: `/api/rechecks/${items[0]!.id}/check`, payload: {} });
    expect(again.json().code).toBe('already_checked');
    const redraw = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/rechecks/draw` });
    expect(redraw.json().code).toBe('recheck_started');
  });
});

describe('appeals during the window and the publicity period', () => {
  it('records an appeal within the window and names a bad contestant number', async () => {
    const bad = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { number: 99, lodgedBy: '国网代表队领队', reason: '对第99号评分有异议' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.number');
    expect((await call(app, judge, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: 'x', reason: '评分有异议' } })).statusCode).toBe(403);
    const res = await call(app, supervisor, {
      method: 'POST',
      url: `/api/events/${s.eventId}/appeals`,
      payload: { number: 29, lodgedBy: '肥西消防救援大队领队', contact: '13800000000', reason: '第29号选手操作规范项被少计5分' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ number: 29, status: 'lodged' });
  });

  it('refuses an appeal after the window closed', async () => {
    app.db.update(competitions).set({ appealWindowHours: 0 }).where(eq(competitions.id, s.competitionId)).run();
    const late = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: '领队', reason: '时间已过的申诉' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('appeal_window_closed');
    app.db.update(competitions).set({ appealWindowHours: 2 }).where(eq(competitions.id, s.competitionId)).run();
  });

  it('an upheld appeal changes the marks it names, recomputes the ranking and is audited', async () => {
    await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    const appeal = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/appeals` })).json()[0];
    const entry29 = app.db.select().from(marks).all().filter((m) => m.criterionId === 'c1' && m.value === 29);
    expect(entry29).toHaveLength(3);
    const before = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect(before.rows.find((r: { number: number }) => r.number === 29).rank).toBe(2);

    const bad = await call(app, supervisor, { method: 'POST', url: `/api/appeals/${appeal.id}/decision`, payload: { decision: 'upheld', note: '维持', corrections: [{ markId: entry29[0]!.id, value: 61 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.corrections.0.value');
    const res = await call(app, supervisor, {
      method: 'POST',
      url: `/api/appeals/${appeal.id}/decision`,
      payload: { decision: 'upheld', note: '经核查录像，操作规范项应加5分', corrections: entry29.map((m) => ({ markId: m.id, value: 34 })) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'upheld', decidedBy: '监督组长' });
    const after = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect(after.rows.find((r: { number: number }) => r.number === 29).rank).toBe(1);
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'mark.appeal_decision')).all()).toHaveLength(3);
    const again = await call(app, supervisor, { method: 'POST', url: `/api/appeals/${appeal.id}/decision`, payload: { decision: 'dismissed', note: '重复' } });
    expect(again.json().code).toBe('already_decided');
  });

  it('becomes final only after the publicity period, and is read-only then', async () => {
    const pub = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` });
    expect(pub.json()).toMatchObject({ stage: 'publicity', openAppeals: 0 });
    const early = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/finalise` });
    expect(early.json().code).toBe('publicity_running');
    app.db.update(events).set({ publicityEndsAt: new Date(Date.now() - 1000) }).where(eq(events.id, s.eventId)).run();
    expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/finalise` })).statusCode).toBe(403);
    const ok = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/finalise` });
    expect(ok.statusCode).toBe(200);
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json().stage).toBe('final');
    const late = await call(app, supervisor, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: '领队', reason: '终局后的申诉' } });
    expect(late.json().code).toBe('results_final');
  });
});
