import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeAssignments, judges as judgesTable } from '../../db/schema.ts';
import { tokenHash } from '../../server/security.ts';
import { loginAs } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { SseClient, waitFor } from '../helpers/sse-client.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

// Live certainty through the API: judges mark through POST /api/marks, the chief enters theory
// results, and the chief judge reads each drawn number's reachable range and its prize state.
// The scheme is the scenario's: theory 30 % (objective, out of 100) + task 70 % (c1 out of 60 +
// c2 out of 40, 5 judges, the highest and the lowest dropped). Prizes: one first, one second.

let app: TestApp;
let base: string;
let s: Scenario;
let judges: string[];
let chief: string;
let organiser: string;

const sheet = (number: number, c1: number, c2: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});

async function mark(judge: number, number: number, c1: number, c2: number) {
  const res = await call(app, judges[judge]!, { method: 'POST', url: '/api/marks', payload: sheet(number, c1, c2) });
  expect(res.statusCode, res.body).toBe(200);
}

async function theory(number: number, value: number) {
  const res = await call(app, chief, {
    method: 'POST',
    url: `/api/events/${s.eventId}/objective-values`,
    payload: { cells: [{ idempotencyKey: newKey(), number, field: 'theory', value }] },
  });
  expect(res.statusCode, res.body).toBe(200);
}

type Row = { number: number; min: number; max: number; total: number; missing: number; prize: { state: string; guaranteedTier: number | null; bestTier: number | null } };

async function certainty(cookie = chief): Promise<{ rows: Row[]; prize: { tiers: { places: number }[] } }> {
  const res = await call(app, cookie, { method: 'GET', url: `/api/events/${s.eventId}/certainty` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const byNumber = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.number, r]));

/** A judge of the event with another panel role (makeScenario seats chief and judges only). */
async function panelMember(role: 'supervisor' | 'judge', code: string): Promise<string> {
  const id = app.db
    .insert(judgesTable)
    .values({ competitionId: s.competitionId, name: role, codeHash: tokenHash(app.sessionSecret, code), codeNumber: 1, codeIssuedAt: app.clock.now(), codeExpiresAt: new Date('2099-12-31T15:59:59Z') })
    .returning()
    .get().id;
  app.db.insert(judgeAssignments).values({ judgeId: id, eventId: s.eventId, role }).run();
  return judgeLogin(app, code);
}

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 4, judgeCount: 5 });
  judges = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  chief = await judgeLogin(app, s.chiefCode);
  organiser = await loginAs(app, 'organiser', s.orgId);
  const rule = await call(app, organiser, {
    method: 'PUT',
    url: `/api/events/${s.eventId}/prize-rule`,
    payload: { basis: 'count', tiers: [{ label: '一等奖', count: 1 }, { label: '二等奖', count: 1 }] },
  });
  expect(rule.statusCode, rule.body).toBe(200);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => app.close());

describe('live certainty (GET /api/events/:id/certainty)', () => {
  it('gives each number its reachable range and prize state, and they tighten as marks arrive', async () => {
    // No. 1: theory 90 (27.00) and all five sheets: 93, 80, 98, 95, 90 → drop 80 and 98 →
    // (90 + 93 + 95) / 3 = 92.67 → × 0.7 = 64.87 → 91.87, complete.
    await theory(1, 90);
    await mark(0, 1, 55, 38);
    await mark(1, 1, 50, 30);
    await mark(2, 1, 59, 39);
    await mark(3, 1, 56, 39);
    await mark(4, 1, 54, 36);
    // No. 3: theory 80 (24.00), three sheets 80, 70, 100; two to come.
    await theory(3, 80);
    await mark(0, 3, 50, 30);
    await mark(1, 3, 40, 30);
    await mark(2, 3, 60, 40);
    // No. 4: theory 20 (6.00), five sheets of 30 → 30 → 21.00 → 27.00.
    await theory(4, 20);
    for (let j = 0; j < 5; j++) await mark(j, 4, 20, 10);
    // No. 2: nothing yet.

    let r = byNumber((await certainty()).rows);
    expect(r[1]).toMatchObject({ total: 91.87, min: 91.87, max: 91.87, missing: 0 });
    // No. 2 can still reach anything from 0 to 100 (theory 0–30, task 0–70), 11 values to come (theory + 5 × 2 criteria).
    expect(r[2]).toMatchObject({ min: 0, max: 100, missing: 11 });
    // No. 3 lowest: 0, 0, 70, 80, 100 → (0 + 70 + 80) / 3 = 50 → 35 + 24 = 59; highest:
    // 70, 80, 100, 100, 100 → (80 + 100 + 100) / 3 = 93.33 → 65.33 + 24 = 89.33.
    expect(r[3]).toMatchObject({ min: 59, max: 89.33, missing: 4 });
    expect(r[4]).toMatchObject({ min: 27, max: 27 });
    // No. 1: only No. 2 (up to 100) can pass it: second prize sure, first open. No. 4: No. 1
    // (91.87) and No. 3 (at least 59) are ahead whatever comes: both prizes out of reach.
    expect(r[1]!.prize).toMatchObject({ state: 'open', guaranteedTier: 2, bestTier: 1 });
    expect(r[2]!.prize).toMatchObject({ state: 'open', guaranteedTier: null, bestTier: 1 });
    expect(r[3]!.prize).toMatchObject({ state: 'open', guaranteedTier: null, bestTier: 2 });
    expect(r[4]!.prize).toMatchObject({ state: 'out_of_reach', guaranteedTier: null, bestTier: null });

    // No. 3's last two sheets: 80, 70, 100, 75, 85 → drop 70 and 100 → 80 → 56 + 24 = 80.00.
    await mark(3, 3, 45, 30);
    await mark(4, 3, 52, 33);
    r = byNumber((await certainty()).rows);
    expect(r[3]).toMatchObject({ total: 80, min: 80, max: 80, missing: 0 });
    expect(r[3]!.prize).toMatchObject({ state: 'open', guaranteedTier: null, bestTier: 2 });
  });

  it('the venue screen shows the badges only when the event asks, numbers only, and a mark elsewhere moves them', async () => {
    // Off by default: no badge field at all.
    let pub = await app.inject({ method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
    expect(pub.json().rows.every((row: object) => !('clinched' in row))).toBe(true);

    const on = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { showCertaintyOnScreen: true } });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().showCertaintyOnScreen).toBe(true);
    pub = await app.inject({ method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
    const badges = Object.fromEntries(pub.json().rows.map((row: { number: number; clinched: string[] }) => [row.number, row.clinched]));
    // No. 1 has a prize for sure (at least second); nobody else yet.
    expect(badges).toEqual({ 1: ['prize'], 2: [], 3: [], 4: [] });
    expect(pub.body).not.toContain('选手');

    // No. 2's five sheets of 30 → 21.00; with its theory still to come it can reach 21–51, below
    // No. 3's 80: No. 3 now has second prize for sure although none of its own marks came.
    const sse = await SseClient.open(`${base}/api/public/events/${s.eventId}/live`);
    await sse.next('snapshot');
    for (let j = 0; j < 5; j++) await mark(j, 2, 20, 10);
    const update = await waitFor(sse, (m) => m.event === 'ranking' && m.data.rows.some((row: { number: number; clinched?: string[] }) => row.number === 3 && row.clinched?.includes('prize')));
    expect(update.data.rows.find((row: { number: number }) => row.number === 3).clinched).toEqual(['prize']);
    expect(JSON.stringify(update.data)).not.toContain('选手');
    sse.close();

    const r = byNumber((await certainty()).rows);
    expect(r[2]).toMatchObject({ min: 21, max: 51, missing: 1 });
    expect(r[1]!.prize).toMatchObject({ state: 'clinched', guaranteedTier: 1, bestTier: 1 });
    expect(r[3]!.prize).toMatchObject({ state: 'clinched', guaranteedTier: 2, bestTier: 2 });
    expect(r[2]!.prize).toMatchObject({ state: 'out_of_reach' });
  });

  it('once the round is closed nothing can arrive: every state is decided', async () => {
    const closed = await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    expect(closed.statusCode, closed.body).toBe(200);
    const c = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/certainty?roundId=${s.roundId}` });
    expect(c.json().arriving).toBe(false);
    for (const row of c.json().rows as Row[]) {
      expect(row.min).toBe(row.total);
      expect(row.max).toBe(row.total);
      expect(row.prize.state).not.toBe('open');
    }
    const reopened = await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/reopen` });
    expect(reopened.statusCode, reopened.body).toBe(200);
  });

  it('is for the chief judge, supervisors, organisers and administrators; not for a judge who marks, nor the public', async () => {
    const supervisor = await panelMember('supervisor', 'SUPV0001');
    expect((await call(app, supervisor, { method: 'GET', url: `/api/events/${s.eventId}/certainty` })).statusCode).toBe(200);
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/certainty` })).statusCode).toBe(200);
    const admin = await loginAs(app, 'admin', s.orgId);
    expect((await call(app, admin, { method: 'GET', url: `/api/events/${s.eventId}/certainty` })).statusCode).toBe(200);
    expect((await call(app, judges[0]!, { method: 'GET', url: `/api/events/${s.eventId}/certainty` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/events/${s.eventId}/certainty` })).statusCode).toBe(401);
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'GET', url: `/api/events/${s.eventId}/certainty` })).statusCode).toBe(403);
    // Numbers only, for the chief as for anyone.
    expect(JSON.stringify(await certainty())).not.toContain('选手');
  });

  it('refuses bad input by name: a round of another event, an id that is not a number', async () => {
    const res = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/certainty?roundId=abc` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toContain('roundId');
    const missing = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/certainty?roundId=999999` });
    expect(missing.statusCode).toBe(404);
    const other = await call(app, organiser, { method: 'GET', url: `/api/events/999999/certainty` });
    expect(other.statusCode).toBe(404);
  });
});

describe('live certainty across rounds', () => {
  it('a preliminary with an advancement rule says who is through', async () => {
    const s2 = makeScenario(app, { entrants: 3, judgeCount: 5 });
    const org2 = await loginAs(app, 'organiser', s2.orgId);
    // A final after the preliminary; top 1 goes through.
    const rounds = await call(app, org2, { method: 'PATCH', url: `/api/rounds/${s2.roundId}`, payload: { kind: 'preliminary', name: '预赛', advancement: { rule: { kind: 'top_n', n: 1 }, tiesAtCut: 'include' } } });
    expect(rounds.statusCode, rounds.body).toBe(200);
    const added = await call(app, org2, { method: 'POST', url: `/api/events/${s2.eventId}/rounds`, payload: { name: '决赛', kind: 'final' } });
    expect(added.statusCode, added.body).toBe(201);
    const chief2 = await judgeLogin(app, s2.chiefCode);
    const c = await call(app, chief2, { method: 'GET', url: `/api/events/${s2.eventId}/certainty?roundId=${s2.roundId}` });
    expect(c.statusCode, c.body).toBe(200);
    const body = c.json();
    expect(body.prize).toBeNull();
    expect(body.advancement).toMatchObject({ rule: { rule: { kind: 'top_n', n: 1 } }, places: 1 });
    expect(body.rows.map((r: { advancement: string }) => r.advancement)).toEqual(['open', 'open', 'open']);
  });
});
