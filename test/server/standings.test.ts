import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, rounds } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { fixedClock } from '../../server/clock.ts';
import { loginAs } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * A preliminary and a final that carries the preliminary forward: the round winner and the
 * overall winner differ; the final standings list everyone; delegations ranked by placing
 * points in the event and over the competition; prizes with a minimum score per tier.
 */
const PRACTICAL: SchemeInput = {
  totaling: 'weighted',
  parts: [
    {
      id: 'task1',
      name: '技能操作',
      role: 'practical',
      weight: 100,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'c1', name: '操作规范', max: 60, step: 0.5 },
        { id: 'c2', name: '完成质量', max: 40, step: 0.5 },
      ],
      aggregation: { kind: 'mean' },
      minMarks: 3,
      expectedMarks: 3,
    },
  ],
};

let app: TestApp;
let s: Scenario;
let organiser: string;
let chief: string;
let judgesCookies: string[];
let finalId: number;
const clock = fixedClock('2026-11-02T02:00:00Z');

const sheet = (number: number, total: number, roundId: number) => ({
  marks: [
    { idempotencyKey: newKey(), roundId, number, partId: 'task1', criterionId: 'c1', value: Math.min(60, total - 20) },
    { idempotencyKey: newKey(), roundId, number, partId: 'task1', criterionId: 'c2', value: total - Math.min(60, total - 20) },
  ],
});
async function markAll(roundId: number, totals: Record<number, number>) {
  for (const j of judgesCookies)
    for (const [n, total] of Object.entries(totals)) {
      const res = await call(app, j, { method: 'POST', url: '/api/marks', payload: sheet(Number(n), total, roundId) });
      expect(res.statusCode, res.body).toBe(200);
    }
}
const get = (url: string, cookie: string | null = organiser) => call(app, cookie, { method: 'GET', url });

beforeAll(async () => {
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
  s = makeScenario(app, { entrants: 6, judgeCount: 3, scheme: PRACTICAL });
  app.db.update(rounds).set({ name: '预赛', kind: 'preliminary', advancement: { rule: { kind: 'top_n', n: 3 }, tiesAtCut: 'include' } }).where(eq(rounds.id, s.roundId)).run();
  finalId = app.db.insert(rounds).values({ eventId: s.eventId, seq: 2, name: '决赛', kind: 'final', carryOver: 'previous' }).returning().get().id;
  app.rankings.invalidate(s.eventId);
  organiser = await loginAs(app, 'organiser', s.orgId);
  chief = await judgeLogin(app, s.chiefCode);
  judgesCookies = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  // Preliminary: 1 → 90, 2 → 85, 3 → 80, 4 and 5 → 75, 6 → 60; the top three go to the final.
  await markAll(s.roundId, { 1: 90, 2: 85, 3: 80, 4: 75, 5: 75, 6: 60 });
  expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
  expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` })).statusCode).toBe(200);
  // Final: 3 wins the round (92) but 1 wins overall (90 + 85 = 175 against 80 + 92 = 172).
  await markAll(finalId, { 3: 92, 1: 85, 2: 60 });
});
afterAll(() => app.close());

describe('round placements and final standings', () => {
  it('gives each round its own placement beside the carried standing: round winner and overall winner', async () => {
    const res = await get(`/api/events/${s.eventId}/standings`);
    expect(res.statusCode, res.body).toBe(200);
    const final = res.json().rounds[1];
    expect(final).toMatchObject({ name: '决赛', carryOver: 'previous', roundWinners: [3], standingLeaders: [1] });
    expect(final.rows.map((r: { number: number; roundRank: number; standingRank: number; roundTotal: number; total: number }) => [r.number, r.roundRank, r.standingRank, r.roundTotal, r.total])).toEqual([
      [1, 2, 1, 85, 175],
      [3, 1, 2, 92, 172],
      [2, 3, 3, 60, 145],
    ]);
  });

  it('lists everyone in the final standings: finalists by the final, then the rest by the preliminary', async () => {
    const standings = (await get(`/api/events/${s.eventId}/standings`)).json().standings;
    expect(standings.map((x: { number: number; place: number; finalist: boolean; roundName: string }) => [x.number, x.place, x.finalist, x.roundName])).toEqual([
      [1, 1, true, '决赛'],
      [3, 2, true, '决赛'],
      [2, 3, true, '决赛'],
      [4, 4, false, '预赛'],
      [5, 4, false, '预赛'],
      [6, 6, false, '预赛'],
    ]);
    expect(standings[0].name).toBe('选手1'); // the organiser may know who is behind a number
  });

  it('is not public before release', async () => {
    expect((await get(`/api/public/events/${s.eventId}/standings`, null)).statusCode).toBe(404);
    expect((await get(`/api/public/competitions/${s.competitionId}/standings`, null)).statusCode).toBe(404);
  });
});

describe('team ranking by placing points', () => {
  it('ranks delegations by the points of their members’ places in the event', async () => {
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { teamRanking: { method: 'placing_points', bestN: 2 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.teamRanking.points');
    const ok = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/events/${s.eventId}`,
      payload: { teamRanking: { method: 'placing_points', bestN: 2, points: [10, 9, 8, 7, 6, 5] }, showDelegationsBeforeRelease: true },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    // The final ranks 1, 3, 2. Entrants 1 and 3 are of the second employer (10 + 9), 2 of the first (8).
    const ranking = (await get(`/api/events/${s.eventId}/ranking?roundId=${finalId}`)).json();
    expect(ranking.teams.map((t: { rank: number; delegation: string; value: number }) => [t.rank, t.delegation, t.value])).toEqual([
      [1, '肥西消防救援大队', 19],
      [2, '国网肥西供电公司', 8],
    ]);
  });

  it('sets a competition team standing over its events, refusing an event of another competition by its field', async () => {
    const bad = await call(app, organiser, { method: 'PUT', url: `/api/competitions/${s.competitionId}/team-standing`, payload: { setting: { points: [10, 9], bestN: 1, eventIds: [999_999] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.setting.eventIds.0');
    const res = await call(app, organiser, { method: 'PUT', url: `/api/competitions/${s.competitionId}/team-standing`, payload: { setting: { points: [5, 3, 1], bestN: 3 } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows.map((r: { delegation: string; value: number; rank: number }) => [r.rank, r.delegation, r.value])).toEqual([
      [1, '肥西消防救援大队', 8],
      [2, '国网肥西供电公司', 1],
    ]);
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'competition.team_standing')).all()).toHaveLength(1);
    expect((await get(`/api/competitions/${s.competitionId}/team-standing`)).json().setting).toMatchObject({ points: [5, 3, 1], bestN: 3, eventIds: null });
  });
});

describe('a minimum score for each prize tier', () => {
  it('previews who falls below a line and why, then stores the reason with the prize', async () => {
    const rule = {
      basis: 'count',
      tiers: [
        { label: '一等奖', count: 1, minScore: 180 },
        { label: '二等奖', count: 2, minScore: 150 },
      ],
    };
    const bad = await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: { ...rule, tiers: [rule.tiers[0], { ...rule.tiers[1], minScore: 190 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.tiers.1.minScore');
    expect((await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: rule })).statusCode).toBe(200);
    const preview = (await get(`/api/events/${s.eventId}/prizes/preview`)).json();
    // 175 is first by place but below 180: second prize, beside 172; 145 is below the 150 line: none.
    expect(preview.awards.map((a: { number: number; tier: number; placeTier: number }) => [a.number, a.tier, a.placeTier])).toEqual([
      [1, 2, 1],
      [3, 2, 2],
    ]);
    expect(preview.tiers.map((t: { awarded: number }) => t.awarded)).toEqual([0, 2]);
    expect(preview.lineChanges.map((c: { number: number; tier: number | null; note: string }) => [c.number, c.tier, c.note])).toEqual([
      [1, 2, '总分175.00，低于一等奖分数线180.00，获二等奖'],
      [2, null, '总分145.00，低于二等奖分数线150.00，不获奖'],
    ]);

    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${finalId}/close` })).statusCode).toBe(200);
    await completeRecheck(app, chief, s.eventId);
    expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: { incompleteReasons: [] } })).statusCode).toBe(200);
    await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/awards-override`, payload: { reason: '测试：颁奖典礼提前举行' } });
    const awarded = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(awarded.statusCode, awarded.body).toBe(200);
    // The delegations' prizes (团体) follow the team ranking; lines are on entries' totals only.
    const individual = awarded.json().filter((p: { entryId: number | null }) => p.entryId !== null);
    expect(individual.map((p: { number: number; label: string; note: string | null }) => [p.number, p.label, p.note])).toEqual([
      [1, '二等奖', '总分175.00，低于一等奖分数线180.00，获二等奖'],
      [3, '二等奖', null],
    ]);
  });

  it('after release, the public gets the final standings and the team standing over released events', async () => {
    const event = (await get(`/api/public/events/${s.eventId}/standings`, null)).json();
    expect(event.standings.map((x: { name: string; place: number }) => [x.name, x.place])).toEqual([
      ['选手1', 1],
      ['选手3', 2],
      ['选手2', 3],
      ['选手4', 4],
      ['选手5', 4],
      ['选手6', 6],
    ]);
    const comp = (await get(`/api/public/competitions/${s.competitionId}/standings`, null)).json();
    expect(comp.events).toHaveLength(1);
    expect(comp.teamStanding.rows.map((r: { delegation: string; value: number }) => [r.delegation, r.value])).toEqual([
      ['肥西消防救援大队', 8],
      ['国网肥西供电公司', 1],
    ]);
    expect(JSON.stringify(comp)).not.toMatch(/\d{6}(19|20)\d{6}\d{3}[\dX]/); // no full ID number anywhere
  });
});
