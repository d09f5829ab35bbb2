import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { loginAs } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let organiser: string;
let chief: string;
/** Monday 2 November 2026, 10:00 China time: five working days of publicity end on Monday 9 November at 24:00. */
const clock = fixedClock('2026-11-02T02:00:00Z');

// Contestant n scores n on c1 (out of 60), except 7 and 8 who tie on 8.
const c1 = (n: number) => (n === 7 ? 8 : n);

beforeAll(async () => {
  // Sessions outlast the clock's jumps across the publicity period.
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
  s = makeScenario(app, { entrants: 10, judgeCount: 3 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  chief = await judgeLogin(app, s.chiefCode);
  for (const code of s.judgeCodes) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= 10; n++)
      await call(app, j, {
        method: 'POST',
        url: '/api/marks',
        payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: c1(n) }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 }] },
      });
  }
});
afterAll(() => app.close());

describe('prizes', () => {
  it('previews the default 10/20/30 % shares on the current ranking', async () => {
    const res = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/prizes/preview` });
    expect(res.statusCode).toBe(200);
    expect(res.json().rule.basis).toBe('share');
    expect(res.json().tiers.map((t: { places: number }) => t.places)).toEqual([1, 2, 3]);
    expect(res.json().awards[0]).toMatchObject({ number: 10, tier: 1, label: '一等奖' });
  });

  it('sets fixed counts 1 / 2 / 3 with money; a tie across a boundary gets the higher prize, flagged', async () => {
    const bad = await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: { basis: 'share', tiers: [{ label: '一等奖', percent: 80 }, { label: '二等奖', percent: 30 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.tiers');
    const rule = { basis: 'count', tiers: [{ label: '一等奖', count: 1, moneyYuan: 3000 }, { label: '二等奖', count: 2, moneyYuan: 2000 }, { label: '三等奖', count: 3, moneyYuan: 1000 }], ties: 'include' };
    expect((await call(app, chief, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: rule })).statusCode).toBe(403);
    expect((await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: rule })).statusCode).toBe(200);
    const preview = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/prizes/preview` })).json();
    const tierOf = (n: number) => preview.awards.find((a: { number: number }) => a.number === n)?.tier;
    // Ranks: 10 → 1st, 9 → 2nd, 8 and 7 share 3rd: both inside second prize's three places.
    expect([tierOf(10), tierOf(9), tierOf(8), tierOf(7)]).toEqual([1, 2, 2, 2]);
    expect(tierOf(6)).toBe(3);
  });

  it('awards only once the results stand: refused before release, during publicity and with an appeal waiting', async () => {
    const early = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(early.json().code).toBe('not_released');
    await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    await completeRecheck(app, chief, s.eventId);
    const release = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    expect(release.json().publicityEndsAt).toBe('2026-11-09T16:00:00.000Z');
    const during = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(during.statusCode).toBe(409);
    expect(during.json().code).toBe('publicity_running');
    // An appeal lodged on the last day of publicity still waits when the period ends.
    clock.set('2026-11-09T08:00:00Z');
    const appeal = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/appeals`, payload: { number: 9, lodgedBy: '国网代表队领队', reason: '对第9号的评分有异议' } });
    expect(appeal.statusCode).toBe(201);
    clock.set('2026-11-10T01:00:00Z');
    const waiting = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(waiting.json().code).toBe('appeals_open');
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json()).toMatchObject({ awardsAllowed: false, awardsBlockedBy: 'appeals_open', openAppeals: 1 });
    await call(app, organiser, { method: 'POST', url: `/api/appeals/${appeal.json().id}/decision`, payload: { decision: 'dismissed', note: '复核无误，维持原成绩' } });
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json()).toMatchObject({ awardsAllowed: true, awardsBlockedBy: null });
  });

  it('then awards, replaces earlier awards, audits, and shows on the public page', async () => {
    const first = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(first.statusCode).toBe(200);
    const again = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(again.json()).toHaveLength(first.json().length);
    expect(first.json()[0]).toMatchObject({ label: '一等奖', moneyYuan: 3000, name: '选手10' });
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'prizes.award')).all()).toHaveLength(2);
    const pub = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).json();
    expect(pub.events[0].rows.find((r: { number: number }) => r.number === 10).prize.label).toBe('一等奖');
    const cert = await call(app, null, { method: 'GET', url: `/api/public/prizes/${again.json()[0].id}` });
    expect(cert.json()).toMatchObject({ name: '选手10', label: '一等奖', competitionName: '肥西县职工技能大赛' });
    expect((await call(app, null, { method: 'POST', url: `/api/events/${s.eventId}/prizes` })).statusCode).toBe(401);
  });

  it('keeps the prize and its certificate number for everyone whose prize stays the same when awarding again', async () => {
    type Row = { id: number; number: number; tier: number; moneyYuan: number };
    const list = async () => (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/prizes` })).json() as Row[];
    const before = await list();
    // Nothing changed: the same rows, the same ids (so the same certificate numbers).
    const same = (await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` })).json() as Row[];
    expect(same.map((p) => p.id)).toEqual(before.map((p) => p.id));
    const certificate = (await call(app, null, { method: 'GET', url: `/api/public/prizes/${before[0]!.id}` })).json();

    // Two first prizes now: 9 moves up from second; the others stay in their tiers, with the new money.
    const rule = { basis: 'count', tiers: [{ label: '一等奖', count: 2, moneyYuan: 3000 }, { label: '二等奖', count: 2, moneyYuan: 2500 }, { label: '三等奖', count: 2, moneyYuan: 1000 }], ties: 'include' };
    expect((await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: rule })).statusCode).toBe(200);
    const after = (await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` })).json() as Row[];
    const idOf = (rows: Row[], n: number) => rows.find((p) => p.number === n)?.id;
    for (const n of [10, 8, 7, 6, 5]) expect(idOf(after, n), `number ${n}`).toBe(idOf(before, n));
    expect(after.find((p) => p.number === 8)).toMatchObject({ tier: 2, moneyYuan: 2500 });
    expect(after.find((p) => p.number === 9)!.tier).toBe(1);
    expect(idOf(after, 9)).not.toBe(idOf(before, 9));
    expect(after).toHaveLength(before.length);
    // The printed certificate of a prize that stayed still verifies; the audit names what changed.
    expect((await call(app, null, { method: 'GET', url: `/api/public/prizes/${before[0]!.id}` })).json()).toEqual(certificate);
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'prizes.award')).all().at(-1)!;
    expect(audit.after).toMatchObject({ kept: 5, added: 1, withdrawn: [idOf(before, 9)] });
  });
});
