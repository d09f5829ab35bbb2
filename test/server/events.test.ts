import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, marks, rounds } from '../../db/schema.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeJudge, makeOrg, testScheme } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let admin: string;
let organiser: string;
let viewer: string;
let countyAdmin: string;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser');
  viewer = await loginAs(app, 'viewer');
  countyAdmin = await loginAs(app, 'admin', makeOrg(app, { name: '长丰县总工会' }).id);
});
afterAll(() => app.close());

const eventBody = () => ({
  name: '配电线路工',
  occupationCode: '6-31-01-03',
  occupationName: '配电线路工',
  targetLevel: 3,
  scheme: testScheme,
});

/** A mark by a new judge on a new entry, so the event counts as "being marked". */
function insertMark(event: ReturnType<typeof makeEvent>, partId = 'theory') {
  const entry = makeEntry(app, event);
  const judge = makeJudge(app, event.id);
  app.db
    .insert(marks)
    .values({ roundId: event.round.id, entryId: entry.id, judgeId: judge.id, partId, criterionId: partId, version: 1, value: 80, enteredAt: new Date() })
    .run();
  return entry;
}

function auditRows(action: string, entityId: number) {
  return app.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)))
    .all();
}

describe('POST /api/competitions/:id/events', () => {
  it('creates an event with one final round by default, flagged below the minimum', async () => {
    const competition = makeCompetition(app);
    const res = await call(app, organiser, { method: 'POST', url: `/api/competitions/${competition.id}/events`, payload: eventBody() });
    expect(res.statusCode).toBe(201);
    const event = res.json();
    expect(event).toMatchObject({ competitionId: competition.id, mode: 'individual', minEntrants: 30, entrantCount: 0, belowMinimum: true, releasedAt: null, teamRanking: null });
    expect(event.rounds).toEqual([expect.objectContaining({ seq: 1, name: '决赛', kind: 'final', carryOver: 'none', status: 'open' })]);
    // The scheme comes back with its defaults filled in.
    expect(event.scheme.parts[0].aggregation).toEqual({ kind: 'trimmed_mean', drop: 1 });
    expect(auditRows('event.create', event.id)).toHaveLength(1);
  });

  it('creates the rounds the body lists, in order', async () => {
    const competition = makeCompetition(app);
    const res = await call(app, admin, {
      method: 'POST',
      url: `/api/competitions/${competition.id}/events`,
      payload: {
        ...eventBody(),
        mode: 'team',
        teamRanking: { method: 'sum', bestN: 3 },
        rounds: [
          { name: '预赛', kind: 'preliminary', advancement: { rule: { kind: 'top_n', n: 10 } } },
          { name: '决赛', kind: 'final', carryOver: 'previous' },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const rows = res.json().rounds as { seq: number; name: string; carryOver: string; advancement: unknown }[];
    expect(rows.map((r) => [r.seq, r.name, r.carryOver])).toEqual([
      [1, '预赛', 'none'],
      [2, '决赛', 'previous'],
    ]);
    expect(rows[0]!.advancement).toEqual({ rule: { kind: 'top_n', n: 10 }, tiesAtCut: 'include' });
  });

  it('refuses weights that do not add up to 100, naming the field', async () => {
    const competition = makeCompetition(app);
    const scheme = structuredClone(testScheme);
    scheme.parts[0]!.weight = 20;
    const res = await call(app, organiser, { method: 'POST', url: `/api/competitions/${competition.id}/events`, payload: { ...eventBody(), scheme } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ field: 'body.scheme.parts', message: 'weights add up to 90, not 100' });
  });

  it('names a bad part weight and a bad occupation code', async () => {
    const competition = makeCompetition(app);
    const scheme = structuredClone(testScheme);
    scheme.parts[0]!.weight = 130;
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/competitions/${competition.id}/events`,
      payload: { ...eventBody(), occupationCode: '6-31-1-3', scheme },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.occupationCode', 'body.scheme.parts.0.weight']));
  });

  it('refuses a viewer, anyone signed out and an admin outside the subtree', async () => {
    const competition = makeCompetition(app);
    const url = `/api/competitions/${competition.id}/events`;
    expect((await call(app, viewer, { method: 'POST', url, payload: eventBody() })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url, payload: eventBody() })).statusCode).toBe(401);
    expect((await call(app, countyAdmin, { method: 'POST', url, payload: eventBody() })).statusCode).toBe(403);
  });

  it('answers 404 for an unknown competition', async () => {
    const res = await call(app, admin, { method: 'POST', url: '/api/competitions/99999/events', payload: eventBody() });
    expect(res.statusCode).toBe(404);
  });
});

describe('GET /api/competitions/:id/events', () => {
  it('lists events with entrant counts that leave out absent entries', async () => {
    const competition = makeCompetition(app);
    const a = makeEvent(app, { competitionId: competition.id, name: '焊工', minEntrants: 2 });
    makeEvent(app, { competitionId: competition.id, name: '无人机驾驶员' });
    makeEntry(app, a);
    makeEntry(app, a);
    makeEntry(app, a, { status: 'absent' });
    const res = await call(app, viewer, { method: 'GET', url: `/api/competitions/${competition.id}/events` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(2);
    const welding = body.items.find((e: { name: string }) => e.name === '焊工');
    expect(welding).toMatchObject({ entrantCount: 2, belowMinimum: false });
    expect(welding.rounds).toHaveLength(1);
    const filtered = await call(app, viewer, { method: 'GET', url: `/api/competitions/${competition.id}/events?q=无人机` });
    expect(filtered.json().items.map((e: { name: string }) => e.name)).toEqual(['无人机驾驶员']);
  });

  it('names a bad page size', async () => {
    const competition = makeCompetition(app);
    const res = await call(app, viewer, { method: 'GET', url: `/api/competitions/${competition.id}/events?pageSize=0` });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('querystring.pageSize');
  });

  it('refuses anyone signed out and staff outside the subtree', async () => {
    const competition = makeCompetition(app);
    const url = `/api/competitions/${competition.id}/events`;
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
    expect((await call(app, countyAdmin, { method: 'GET', url })).statusCode).toBe(403);
  });
});

describe('GET /api/events/:id', () => {
  it('shows the event with its rounds', async () => {
    const event = makeEvent(app);
    const res = await call(app, viewer, { method: 'GET', url: `/api/events/${event.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: event.id, name: event.name, rounds: [{ id: event.round.id, seq: 1 }] });
  });

  it('names a bad id', async () => {
    const res = await call(app, viewer, { method: 'GET', url: '/api/events/abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses anyone signed out, staff outside the subtree and judges', async () => {
    const event = makeEvent(app);
    const url = `/api/events/${event.id}`;
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
    expect((await call(app, countyAdmin, { method: 'GET', url })).statusCode).toBe(403);
    makeJudge(app, event.id, { role: 'chief', code: 'CHIEFEVT' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'CHIEFEVT' } });
    const judgeCookie = `sid=${login.cookies.find((c) => c.name === 'sid')!.value}`;
    expect((await call(app, judgeCookie, { method: 'GET', url })).statusCode).toBe(403);
  });
});

describe('PATCH /api/events/:id', () => {
  it('changes fields, keeps the ones not mentioned, audits and refreshes the ranking', async () => {
    const event = makeEvent(app, { targetLevel: 3, mode: 'team', minEntrants: 30 });
    makeEntry(app, event);
    const invalidate = vi.spyOn(app.rankings, 'invalidate');
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}`, payload: { name: '配电线路工（高级）', minEntrants: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '配电线路工（高级）', minEntrants: 1, belowMinimum: false, targetLevel: 3, mode: 'team' });
    expect(invalidate).toHaveBeenCalledWith(event.id);
    invalidate.mockRestore();
    const [audit] = auditRows('event.update', event.id);
    expect(audit).toMatchObject({ before: { name: event.name }, after: { name: '配电线路工（高级）' } });
  });

  it('refuses a target level outside 1..5', async () => {
    const event = makeEvent(app);
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}`, payload: { targetLevel: 9 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.targetLevel');
  });

  it('refuses to change the scheme once a mark exists, but accepts the same scheme again', async () => {
    const event = makeEvent(app);
    insertMark(event);
    const scheme = structuredClone(testScheme);
    scheme.parts[0]!.weight = 20;
    scheme.parts[1]!.weight = 80;
    const changed = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}`, payload: { scheme } });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('marks_exist');
    const same = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}`, payload: { scheme: testScheme, name: '改名' } });
    expect(same.statusCode).toBe(200);
    expect(same.json().name).toBe('改名');
  });

  it('refuses a viewer and staff outside the subtree', async () => {
    const event = makeEvent(app);
    const url = `/api/events/${event.id}`;
    expect((await call(app, viewer, { method: 'PATCH', url, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await call(app, countyAdmin, { method: 'PATCH', url, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'PATCH', url, payload: { name: 'x' } })).statusCode).toBe(401);
  });
});

describe('DELETE /api/events/:id', () => {
  it('deletes an unmarked event with its rounds and entries', async () => {
    const event = makeEvent(app);
    makeEntry(app, event);
    const res = await call(app, admin, { method: 'DELETE', url: `/api/events/${event.id}` });
    expect(res.statusCode).toBe(200);
    expect((await call(app, admin, { method: 'GET', url: `/api/events/${event.id}` })).statusCode).toBe(404);
    expect(app.db.select().from(rounds).where(eq(rounds.eventId, event.id)).all()).toEqual([]);
    expect(auditRows('event.delete', event.id)).toHaveLength(1);
  });

  it('refuses an event with marks', async () => {
    const event = makeEvent(app);
    insertMark(event);
    const res = await call(app, admin, { method: 'DELETE', url: `/api/events/${event.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
  });

  it('names a bad id and refuses a viewer', async () => {
    const bad = await call(app, admin, { method: 'DELETE', url: '/api/events/0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.id');
    const event = makeEvent(app);
    expect((await call(app, viewer, { method: 'DELETE', url: `/api/events/${event.id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'DELETE', url: `/api/events/${event.id}` })).statusCode).toBe(401);
  });
});

describe('rounds', () => {
  it('lists rounds in order', async () => {
    const event = makeEvent(app);
    await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/rounds`, payload: { name: '总决赛', kind: 'final' } });
    const res = await call(app, viewer, { method: 'GET', url: `/api/events/${event.id}/rounds` });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((r: { seq: number }) => r.seq)).toEqual([1, 2]);
  });

  it('refuses to list for a bad id, for anyone signed out and outside the subtree', async () => {
    const event = makeEvent(app);
    expect((await call(app, viewer, { method: 'GET', url: '/api/events/x/rounds' })).json().errors[0].field).toBe('params.id');
    expect((await call(app, null, { method: 'GET', url: `/api/events/${event.id}/rounds` })).statusCode).toBe(401);
    expect((await call(app, countyAdmin, { method: 'GET', url: `/api/events/${event.id}/rounds` })).statusCode).toBe(403);
  });

  it('adds a round at the next free seq, audited', async () => {
    const event = makeEvent(app);
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${event.id}/rounds`,
      payload: { name: '决赛', kind: 'final', carryOver: 'all' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ seq: 2, carryOver: 'all', advancement: null, status: 'open' });
    expect(auditRows('round.create', res.json().id)).toHaveLength(1);
  });

  it('names a bad kind and a bad advancement rule', async () => {
    const event = makeEvent(app);
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/events/${event.id}/rounds`,
      payload: { name: '复赛', kind: 'quarterfinal', advancement: { rule: { kind: 'top_n', n: 0 } } },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.kind', 'body.advancement.rule.n']));
  });

  it('refuses a viewer adding a round', async () => {
    const event = makeEvent(app);
    const res = await call(app, viewer, { method: 'POST', url: `/api/events/${event.id}/rounds`, payload: { name: '决赛', kind: 'final' } });
    expect(res.statusCode).toBe(403);
  });

  it('changes a round without touching what the patch leaves out', async () => {
    const event = makeEvent(app);
    await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${event.round.id}`, payload: { carryOver: 'previous' } });
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${event.round.id}`, payload: { name: '预赛', kind: 'preliminary' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '预赛', kind: 'preliminary', carryOver: 'previous' });
  });

  it('names a bad carry-over and refuses a viewer changing a round', async () => {
    const event = makeEvent(app);
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/rounds/${event.round.id}`, payload: { carryOver: 'some' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.carryOver');
    expect((await call(app, viewer, { method: 'PATCH', url: `/api/rounds/${event.round.id}`, payload: { name: 'x' } })).statusCode).toBe(403);
  });

  it('deletes an empty later round but never the only one nor one with entries or marks', async () => {
    const event = makeEvent(app);
    const only = await call(app, organiser, { method: 'DELETE', url: `/api/rounds/${event.round.id}` });
    expect(only.statusCode).toBe(409);
    expect(only.json().code).toBe('last_round');

    const second = (await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/rounds`, payload: { name: '决赛', kind: 'final' } })).json();
    makeEntry(app, event);
    const first = await call(app, organiser, { method: 'DELETE', url: `/api/rounds/${event.round.id}` });
    expect(first.statusCode).toBe(409);
    expect(first.json().code).toBe('round_not_empty');

    const res = await call(app, organiser, { method: 'DELETE', url: `/api/rounds/${second.id}` });
    expect(res.statusCode).toBe(200);
    expect(app.db.select().from(rounds).where(eq(rounds.eventId, event.id)).all().map((r) => r.id)).toEqual([event.round.id]);
  });

  it('refuses to delete a round with marks', async () => {
    const event = makeEvent(app);
    const second = (await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/rounds`, payload: { name: '决赛', kind: 'final' } })).json();
    insertMark({ ...event, round: { ...event.round, id: second.id } });
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/rounds/${second.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
  });

  it('names a bad round id and refuses a viewer deleting', async () => {
    expect((await call(app, organiser, { method: 'DELETE', url: '/api/rounds/-1' })).json().errors[0].field).toBe('params.id');
    const event = makeEvent(app);
    expect((await call(app, viewer, { method: 'DELETE', url: `/api/rounds/${event.round.id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'DELETE', url: `/api/rounds/${event.round.id}` })).statusCode).toBe(401);
  });
});
