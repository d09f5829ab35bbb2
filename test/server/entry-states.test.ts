import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, people, roundEntries, rounds } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { loginAs, makeOrg, makePerson } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/** Two practical tasks of 50 % each, one criterion out of 100, one judge: an entry is complete after two marks. */
const TWO_TASKS: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'task1', name: '任务一', role: 'practical', weight: 50, max: 100, marking: 'rubric', criteria: [{ id: 'a', name: '任务一', max: 100, step: 0.5 }] },
    { id: 'task2', name: '任务二', role: 'practical', weight: 50, max: 100, marking: 'rubric', criteria: [{ id: 'b', name: '任务二', max: 100, step: 0.5 }] },
  ],
};

type Row = { number: number; rank: number | null; status: string; total: number; provisional: boolean; parts: { partId: string; score: number | null }[] };

const mark = (number: number, partId: 'task1' | 'task2', value: number, roundId?: number) => ({
  marks: [{ idempotencyKey: newKey(), roundId, number, partId, criterionId: partId === 'task1' ? 'a' : 'b', value }],
});

async function markBoth(app: TestApp, judge: string, number: number, t1: number, t2: number, roundId?: number) {
  for (const [part, value] of [['task1', t1], ['task2', t2]] as const) {
    const res = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(number, part, value, roundId) });
    expect(res.statusCode, res.body).toBe(200);
  }
}

describe('withdrawn during the event (退赛)', () => {
  let app: TestApp;
  let s: Scenario;
  let organiser: string;
  let judge: string;
  const publicRows = async (): Promise<Row[]> => (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json().rows;

  beforeAll(async () => {
    app = await buildTestApp();
    s = makeScenario(app, { entrants: 4, judgeCount: 1, scheme: TWO_TASKS });
    organiser = await loginAs(app, 'organiser', s.orgId);
    judge = await judgeLogin(app, s.judgeCodes[0]!);
    await markBoth(app, judge, 1, 90, 90); // 90
    await markBoth(app, judge, 2, 80, 80); // 80
    await markBoth(app, judge, 4, 30, 30); // 30
    // Number 3 completes task 1 only (100 → 50 points), then withdraws.
    expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(3, 'task1', 100) })).statusCode).toBe(200);
  });
  afterAll(() => app.close());

  it('keeps the parts done and ranks the entry after every complete entry, even above them on points', async () => {
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/entries/${s.entryIds[2]}/status`,
      payload: { status: 'withdrawn', note: '手部受伤，第二项未参加' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn', statusNote: '手部受伤，第二项未参加', disqualifiedReason: null });

    const rows = await publicRows();
    expect(rows.map((r) => [r.number, r.rank])).toEqual([
      [1, 1],
      [2, 2],
      [4, 3],
      [3, 4],
    ]);
    const withdrawn = rows.find((r) => r.number === 3)!;
    expect(withdrawn).toMatchObject({ status: 'withdrawn', total: 50, provisional: false });
    expect(withdrawn.parts.map((p) => p.score)).toEqual([100, null]);

    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'entry.status'), eq(auditLog.entityId, s.entryIds[2]!)))
      .get();
    expect(audit?.after).toMatchObject({ status: 'withdrawn', statusNote: '手部受伤，第二项未参加' });
  });

  it('refuses further marks for a withdrawn entry', async () => {
    const res = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(3, 'task2', 60) });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('entry_not_checked_in');
    expect(res.json().detail).toContain('withdrawn');
  });

  it('leaves the entry unranked when the event rule says so, and the rule is audited', async () => {
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { withdrawnRanking: 'unranked' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().withdrawnRanking).toBe('unranked');
    const rows = await publicRows();
    expect(rows.map((r) => [r.number, r.rank])).toEqual([
      [1, 1],
      [2, 2],
      [4, 3],
      [3, null],
    ]);
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { withdrawnRanking: 'last' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.withdrawnRanking');
  });

  it('a withdrawn entry cannot become a reserve (it has marks) and read-only roles cannot withdraw', async () => {
    const reserve = await call(app, organiser, { method: 'POST', url: `/api/entries/${s.entryIds[2]}/status`, payload: { status: 'reserve' } });
    expect(reserve.statusCode).toBe(409);
    expect(reserve.json().code).toBe('marks_exist');
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'POST', url: `/api/entries/${s.entryIds[0]}/status`, payload: { status: 'withdrawn' } })).statusCode).toBe(403);
  });
});

describe('disqualified (取消资格)', () => {
  let app: TestApp;
  let s: Scenario;
  let organiser: string;
  let judge: string;
  let chief: string;

  beforeAll(async () => {
    app = await buildTestApp();
    s = makeScenario(app, { entrants: 3, judgeCount: 1, scheme: TWO_TASKS });
    organiser = await loginAs(app, 'organiser', s.orgId);
    judge = await judgeLogin(app, s.judgeCodes[0]!);
    chief = await judgeLogin(app, s.chiefCode);
    await markBoth(app, judge, 1, 70, 70);
    await markBoth(app, judge, 2, 95, 95);
    await markBoth(app, judge, 3, 60, 60);
  });
  afterAll(() => app.close());

  it('needs a reason, naming the field', async () => {
    const res = await call(app, organiser, { method: 'POST', url: `/api/entries/${s.entryIds[1]}/status`, payload: { status: 'disqualified' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.reason');
  });

  it('records the reason and the private note, audits them, and shows both in the staff ranking only', async () => {
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/entries/${s.entryIds[1]}/status`,
      payload: { status: 'disqualified', reason: '违反安全操作规程', note: '监督员王某现场记录：未断电作业' },
    });
    expect(res.statusCode).toBe(200);
    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'entry.status'), eq(auditLog.entityId, s.entryIds[1]!)))
      .get();
    expect(audit?.before).toMatchObject({ status: 'checked_in' });
    expect(audit?.after).toMatchObject({ status: 'disqualified', disqualifiedReason: '违反安全操作规程', statusNote: '监督员王某现场记录：未断电作业' });

    const staff = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    const row = staff.staffRows.find((r: { number: number }) => r.number === 2);
    expect(row).toMatchObject({ rank: null, status: 'disqualified', disqualifiedReason: '违反安全操作规程', statusNote: '监督员王某现场记录：未断电作业' });
    expect(staff.staffRows.map((r: { number: number; rank: number | null }) => [r.number, r.rank])).toEqual([
      [1, 1],
      [3, 2],
      [2, null],
    ]);

    const live = await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
    expect(live.json().rows.find((r: Row) => r.number === 2).status).toBe('disqualified');
    expect(live.body).not.toContain('未断电作业');
    expect(live.body).not.toContain('违反安全操作规程');
  });

  it('published results show 取消资格 with the reason, never the private note', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    await completeRecheck(app, chief, s.eventId);
    expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release` })).statusCode).toBe(200);
    const res = await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` });
    expect(res.statusCode).toBe(200);
    const row = res.json().events[0].rows.find((r: { number: number }) => r.number === 2);
    expect(row).toMatchObject({ status: 'disqualified', rank: null, disqualifiedReason: '违反安全操作规程' });
    expect(res.body).not.toContain('未断电作业');
  });
});

describe('a reserve (替补) put into the final', () => {
  let app: TestApp;
  let s: Scenario;
  let organiser: string;
  let judge: string;
  let chief: string;
  let finalId: number;
  let reserveId: number;

  beforeAll(async () => {
    app = await buildTestApp();
    s = makeScenario(app, { entrants: 4, judgeCount: 1, scheme: TWO_TASKS });
    app.db.update(rounds).set({ name: '预赛', kind: 'preliminary', advancement: { rule: { kind: 'top_n', n: 2 }, tiesAtCut: 'include' } }).where(eq(rounds.id, s.roundId)).run();
    finalId = app.db.insert(rounds).values({ eventId: s.eventId, seq: 2, name: '决赛', kind: 'final' }).returning().get().id;
    app.rankings.invalidate(s.eventId);
    organiser = await loginAs(app, 'organiser', s.orgId);
    judge = await judgeLogin(app, s.judgeCodes[0]!);
    chief = await judgeLogin(app, s.chiefCode);
  });
  afterAll(() => app.close());

  it('registers a reserve without putting it into any round', async () => {
    const person = makePerson(app, { orgId: s.orgId, name: '替补队员' });
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/entries`, payload: { personId: person.id, status: 'reserve' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'reserve', drawnNumber: null });
    reserveId = res.json().id;
    expect(app.db.select().from(roundEntries).where(eq(roundEntries.entryId, reserveId)).all()).toHaveLength(0);
    const staff = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking?roundId=${s.roundId}` })).json();
    expect(staff.staffRows.some((r: { entryId: number }) => r.entryId === reserveId)).toBe(false);
  });

  it('the top two go through; one withdraws before the final and the reserve takes the place', async () => {
    await markBoth(app, judge, 1, 90, 90);
    await markBoth(app, judge, 2, 80, 80);
    await markBoth(app, judge, 3, 70, 70);
    await markBoth(app, judge, 4, 60, 60);
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    const advanced = await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/advance` });
    expect(advanced.json().advanced.map((a: { number: number }) => a.number)).toEqual([1, 2]);

    // Number 2 withdraws before the final and is taken out of it.
    expect((await call(app, organiser, { method: 'POST', url: `/api/entries/${s.entryIds[1]}/status`, payload: { status: 'withdrawn' } })).statusCode).toBe(200);
    const out = await call(app, organiser, { method: 'DELETE', url: `/api/rounds/${finalId}/entries/${s.entryIds[1]}?reason=${encodeURIComponent('2号退赛')}` });
    expect(out.statusCode).toBe(200);

    const put = await call(app, organiser, { method: 'POST', url: `/api/rounds/${finalId}/entries`, payload: { entryId: reserveId, reason: '替补2号' } });
    expect(put.statusCode).toBe(201);
    expect(put.json()).toMatchObject({ roundId: finalId, entryId: reserveId });
    const entry = app.db.select().from(entries).where(eq(entries.id, reserveId)).get()!;
    // No longer a reserve; the draw is closed, so the next free number is given.
    expect(entry).toMatchObject({ status: 'registered', drawnNumber: 5 });
    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'round_entry.add'), eq(auditLog.entityId, reserveId)))
      .get();
    expect(audit?.after).toMatchObject({ roundId: finalId, status: 'registered', drawnNumber: 5, reason: '替补2号' });
  });

  it('is marked in the final once checked in and ranked there', async () => {
    const early = await call(app, judge, { method: 'POST', url: '/api/marks', payload: mark(5, 'task1', 85, finalId) });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('entry_not_checked_in');
    expect((await call(app, organiser, { method: 'POST', url: `/api/entries/${reserveId}/status`, payload: { status: 'checked_in' } })).statusCode).toBe(200);
    await markBoth(app, judge, 5, 85, 85, finalId);
    await markBoth(app, judge, 1, 80, 80, finalId);
    const final = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking?roundId=${finalId}` })).json();
    expect(final.rows.map((r: Row) => [r.number, r.rank, r.status])).toEqual([
      [5, 1, 'checked_in'],
      [1, 2, 'checked_in'],
    ]);
  });

  it('refuses an entrant who left, one already in the round, a closed round, and read-only roles', async () => {
    const left = await call(app, organiser, { method: 'POST', url: `/api/rounds/${finalId}/entries`, payload: { entryId: s.entryIds[1] } });
    expect(left.statusCode).toBe(409);
    expect(left.json().code).toBe('entry_not_eligible');
    const twice = await call(app, organiser, { method: 'POST', url: `/api/rounds/${finalId}/entries`, payload: { entryId: reserveId } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('already_in_round');
    const marked = await call(app, organiser, { method: 'DELETE', url: `/api/rounds/${finalId}/entries/${reserveId}` });
    expect(marked.statusCode).toBe(409);
    expect(marked.json().code).toBe('marks_exist');
    const closed = await call(app, organiser, { method: 'POST', url: `/api/rounds/${s.roundId}/entries`, payload: { entryId: s.entryIds[2] } });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('marking_closed');
    const other = await call(app, organiser, { method: 'POST', url: `/api/rounds/${finalId}/entries`, payload: { entryId: 999_999 } });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].field).toBe('body.entryId');
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'POST', url: `/api/rounds/${finalId}/entries`, payload: { entryId: s.entryIds[2] } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url: `/api/rounds/${finalId}/entries`, payload: { entryId: s.entryIds[2] } })).statusCode).toBe(401);
  });
});

describe('editing an entrant', () => {
  let app: TestApp;
  let s: Scenario;
  let organiser: string;

  beforeAll(async () => {
    app = await buildTestApp();
    s = makeScenario(app, { entrants: 2, judgeCount: 1, scheme: TWO_TASKS });
    organiser = await loginAs(app, 'organiser', s.orgId);
  });
  afterAll(() => app.close());

  it('changes name, phone and employer on the person and the delegation on the entry, auditing both', async () => {
    const team = makeOrg(app, { name: '三河镇代表队', kind: 'union', level: 'township', parentId: s.orgId });
    const res = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/entries/${s.entryIds[0]}`,
      payload: { person: { name: '张改名', phone: '13812345678', employerId: s.employerIds[0] }, delegationId: team.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '张改名', phone: '13812345678', employerId: s.employerIds[0], delegationId: team.id, delegationName: '三河镇代表队' });
    const entry = app.db.select().from(entries).where(eq(entries.id, s.entryIds[0]!)).get()!;
    expect(app.db.select().from(people).where(eq(people.id, entry.personId)).get()).toMatchObject({ name: '张改名', phone: '13812345678' });
    const actions = app.db.select().from(auditLog).where(eq(auditLog.actorKind, 'account')).all().map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['person.update', 'entry.update']));
    // The staff ranking shows the new name at once.
    const staff = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    expect(staff.staffRows.find((r: { entryId: number }) => r.entryId === s.entryIds[0]).name).toBe('张改名');
  });

  it('names a bad phone number and an employer outside the scope', async () => {
    const phone = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${s.entryIds[0]}`, payload: { person: { phone: '12345' } } });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().errors[0].field).toBe('body.person.phone');
    const elsewhere = makeOrg(app, { name: '外县单位', kind: 'employer', level: 'enterprise' });
    const employer = await call(app, organiser, { method: 'PATCH', url: `/api/entries/${s.entryIds[0]}`, payload: { person: { employerId: elsewhere.id } } });
    expect(employer.statusCode).toBe(400);
    expect(employer.json().errors[0].field).toBe('body.person.employerId');
  });

  it('refuses read-only roles and anyone signed out', async () => {
    const viewer = await loginAs(app, 'viewer', s.orgId);
    const patch = { method: 'PATCH' as const, url: `/api/entries/${s.entryIds[1]}`, payload: { person: { name: '不许改' } } };
    expect((await call(app, viewer, patch)).statusCode).toBe(403);
    expect((await call(app, null, patch)).statusCode).toBe(401);
  });
});
