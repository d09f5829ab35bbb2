import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, judges, marks } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
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
/** Marking closes at T0 (Thursday 12 February 2026, 09:00 China time), just before the Spring Festival. */
const T0 = new Date('2026-02-12T01:00:00Z');
const clock = fixedClock(T0);

beforeAll(async () => {
  // Sessions outlast the clock's jumps across the publicity period.
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
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

describe('appeals as the competition’s rule says, by default during the publicity period', () => {
  it('waits for the release under the default rule: nothing to appeal while results are not public', async () => {
    const early = await call(app, supervisor, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { number: 29, lodgedBy: '领队', reason: '发布前的申诉' } });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('appeal_window_not_open');
    const pub = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json();
    expect(pub).toMatchObject({ stage: 'awaiting_release', appealRule: 'publicity_period', appealsOpenAt: null, appealsOpen: false });
  });

  it('takes the rule, the window and the publicity length as competition settings in the API', async () => {
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { appealWindowHours: -1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.appealWindowHours');
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { appealRule: 'hours_after_marking' } })).statusCode).toBe(403);
    const set = await call(app, organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { appealRule: 'hours_after_marking', appealWindowHours: 2, publicityDays: 5 } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ appealRule: 'hours_after_marking', appealWindowHours: 2, publicityDays: 5 });

    // Marking closed at T0: the provincial rule takes appeals for 2 hours from then, before release.
    clock.set(new Date(T0.getTime() + 3600_000));
    const bad2 = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { number: 99, lodgedBy: '国网代表队领队', reason: '对第99号评分有异议' } });
    expect(bad2.statusCode).toBe(400);
    expect(bad2.json().errors[0].field).toBe('body.number');
    expect((await call(app, judge, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: 'x', reason: '评分有异议' } })).statusCode).toBe(403);
    const inTime = await call(app, supervisor, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: '肥西消防救援大队领队', reason: '对比赛组织有异议' } });
    expect(inTime.statusCode).toBe(201);
    await call(app, supervisor, { method: 'POST', url: `/api/appeals/${inTime.json().id}/decision`, payload: { decision: 'dismissed', note: '组织程序符合规程' } });
    clock.set(new Date(T0.getTime() + 2 * 3600_000 + 1000));
    const late = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: '领队', reason: '时间已过的申诉' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('appeal_window_closed');
    expect((await call(app, organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { appealRule: 'publicity_period' } })).statusCode).toBe(200);
  });

  it('counts the publicity period in working days across a make-up Saturday (调休) and the Spring Festival', async () => {
    // Released Thu 2026-02-12 12:00 China time: Fri 13, Sat 14 (调休上班), 15–23 off, Tue 24, Wed 25, Thu 26.
    clock.set('2026-02-12T04:00:00Z');
    const release = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    expect(release.statusCode).toBe(200);
    expect(release.json().publicityEndsAt).toBe('2026-02-26T16:00:00.000Z');
    const pub = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json();
    expect(pub).toMatchObject({ stage: 'publicity', appealsOpenAt: '2026-02-12T04:00:00.000Z', appealsCloseAt: '2026-02-26T16:00:00.000Z', appealsOpen: true });
  });

  it('records an appeal lodged during the publicity period', async () => {
    clock.set('2026-02-25T02:00:00Z');
    const res = await call(app, supervisor, {
      method: 'POST',
      url: `/api/events/${s.eventId}/appeals`,
      payload: { number: 29, lodgedBy: '肥西消防救援大队领队', contact: '13800000000', reason: '第29号选手操作规范项被少计5分' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ number: 29, status: 'lodged', lodgedAt: '2026-02-25T02:00:00.000Z' });
  });

  it('an upheld appeal changes the marks it names, recomputes the ranking and is audited', async () => {
    const appeal = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/appeals` })).json().find((a: { number: number | null }) => a.number === 29);
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

  it('closes appeals with the publicity period; becomes final only after it, and is read-only then', async () => {
    const early = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/finalise` });
    expect(early.json().code).toBe('publicity_running');
    clock.set('2026-02-26T16:00:01Z');
    const late = await call(app, supervisor, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: '领队', reason: '公示期后的申诉' } });
    expect(late.json().code).toBe('appeal_window_closed');
    expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/finalise` })).statusCode).toBe(403);
    const ok = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/finalise` });
    expect(ok.statusCode).toBe(200);
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json().stage).toBe('final');
    const final = await call(app, supervisor, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { lodgedBy: '领队', reason: '终局后的申诉' } });
    expect(final.json().code).toBe('results_final');
  });
});
