import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entryMembers, events, judges } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { fixedClock } from '../../server/clock.ts';
import { verifyPackage, type CompetitionPackage } from '../../server/domain/package/index.ts';
import { loginAs, makeEvent, makeOrg, makePerson, makeResidentId } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Team events end to end: a team (班组) or a pair enters as one entrant with all its members,
 * draws one number, is marked by that number, ranked and awarded as one, and is named (its team
 * name, or "甲、乙") only once the results are released.
 */

/** One practical task marked by the panel of three, mean of the marks. */
const PRACTICAL: SchemeInput = {
  totaling: 'weighted',
  parts: [
    {
      id: 'task1',
      name: '故障抢修',
      role: 'practical',
      weight: 100,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'c1', name: '操作规范', max: 60, step: 0.5 },
        { id: 'c2', name: '完成质量', max: 40, step: 0.5 },
      ],
      aggregation: { kind: 'mean' },
      minMarks: 2,
      expectedMarks: 3,
    },
  ],
};

let app: TestApp;
let s: Scenario;
let organiser: string;
let chief: string;
const clock = fixedClock('2026-11-02T02:00:00Z');
const people: Record<string, { id: number; idNumber: string; name: string }> = {};
const entryOf: Record<string, number> = {};
const numberOf: Record<string, number> = {};

const post = (url: string, payload?: unknown, cookie = organiser) => call(app, cookie, { method: 'POST', url, payload: payload as object });

beforeAll(async () => {
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
  s = makeScenario(app, { entrants: 0, judgeCount: 3, scheme: PRACTICAL });
  app.db.update(events).set({ mode: 'team' }).where(eq(events.id, s.eventId)).run();
  // Judge 1 works for the second employer, where only one member of 电力抢修一班 (not its captain) works.
  app.db.update(judges).set({ employerId: s.employerIds[1]! }).where(eq(judges.id, s.judgeIds[0]!)).run();
  organiser = await loginAs(app, 'organiser', s.orgId);
  chief = await judgeLogin(app, s.chiefCode);
  const [e0, e1] = s.employerIds;
  for (const [key, name, employerId] of [
    ['a1', '王强', e0],
    ['a2', '赵敏', e1],
    ['b1', '张甲', e0],
    ['b2', '李乙', e0],
    ['c1', '孙丙', null],
    ['c2', '周丁', null],
    ['c3', '吴戊', null],
  ] as const) {
    const p = makePerson(app, { orgId: s.orgId, name, employerId });
    people[key] = { id: p.id, idNumber: p.idNumber, name };
  }
});
afterAll(() => app.close());

describe('registering teams and pairs', () => {
  it('enters a team with its members: captain, a person typed in by ID number, the team name', async () => {
    const typed = makeResidentId({ birth: '19880808' });
    const res = await post(`/api/events/${s.eventId}/entries`, {
      teamName: '电力抢修一班',
      delegationId: s.employerIds[0],
      members: [
        { personId: people.a1!.id, captain: true, role: '主操作手' },
        { personId: people.a2!.id },
        { person: { name: '钱己', idNumber: typed, employerName: '合肥顺达机电有限公司' } },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json();
    expect(entry).toMatchObject({ name: '电力抢修一班', teamName: '电力抢修一班', personId: people.a1!.id });
    expect(entry.members.map((m: { name: string; captain: boolean; role: string | null }) => [m.name, m.captain, m.role])).toEqual([
      ['王强', true, '主操作手'],
      ['赵敏', false, null],
      ['钱己', false, null],
    ]);
    entryOf.a = entry.id;
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'entry.create')).all().length).toBeGreaterThan(0);
  });

  it('shows a pair without a team name as "甲、乙", and lists a team by any member’s name', async () => {
    const res = await post(`/api/events/${s.eventId}/entries`, { members: [{ personId: people.b1!.id }, { personId: people.b2!.id, captain: true }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '张甲、李乙', teamName: null, personId: people.b2!.id });
    entryOf.b = res.json().id;
    const c = await post(`/api/events/${s.eventId}/entries`, { teamName: '检修三组', delegationId: s.employerIds[1], members: [{ personId: people.c1!.id }, { personId: people.c2!.id }] });
    expect(c.statusCode, c.body).toBe(201);
    entryOf.c = c.json().id;
    const found = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/entries?q=赵敏` })).json();
    expect(found.items.map((e: { name: string }) => e.name)).toEqual(['电力抢修一班']);
  });

  it('refuses, naming the field: one person in a team event, members in an individual event, a member twice, a member of another entry', async () => {
    const one = await post(`/api/events/${s.eventId}/entries`, { personId: people.c3!.id });
    expect(one.statusCode).toBe(400);
    expect(one.json().errors[0].field).toBe('body.members');
    const individual = makeEvent(app, { competitionId: s.competitionId });
    const members = await post(`/api/events/${individual.id}/entries`, { members: [{ personId: people.c3!.id }, { personId: people.c2!.id }] });
    expect(members.statusCode).toBe(400);
    expect(members.json().errors[0].field).toBe('body.members');
    const twice = await post(`/api/events/${s.eventId}/entries`, { members: [{ personId: people.c3!.id }, { personId: people.c3!.id }] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0].field).toBe('body.members.1.personId');
    const taken = await post(`/api/events/${s.eventId}/entries`, { members: [{ personId: people.c3!.id }, { personId: people.a2!.id }] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'already_entered', errors: [{ field: 'body.members.1' }] });
    const single = await post(`/api/events/${s.eventId}/entries`, { members: [{ personId: people.c3!.id }] });
    expect(single.statusCode).toBe(400);
    expect(single.json().errors[0].field).toBe('body.members');
    // A bulk row is one person: a team event takes teams.
    const bulk = await post(`/api/events/${s.eventId}/entries/bulk`, { entries: [{ personId: people.c3!.id }] });
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json().errors[0].field).toBe('body.entries');
  });

  it('replaces a roster before release (a substitution), audited, keeping the entry', async () => {
    const res = await call(app, organiser, {
      method: 'PUT',
      url: `/api/entries/${entryOf.c}/members`,
      payload: { teamName: '检修三组', members: [{ personId: people.c1!.id, captain: true }, { personId: people.c3!.id }], reason: '替换：周丁因伤退出' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().members.map((m: { name: string }) => m.name)).toEqual(['孙丙', '吴戊']);
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'entry.members')).all();
    expect(audit).toHaveLength(1);
  });
});

describe('a team is marked, ranked and awarded as one', () => {
  it('draws one number per team and checks a team in by any member’s ID card', async () => {
    const draw = await post(`/api/events/${s.eventId}/draw`);
    expect(draw.statusCode, draw.body).toBe(200);
    const mapping = draw.json().mapping as Record<string, number>;
    expect(Object.keys(mapping)).toHaveLength(3);
    for (const [n, id] of Object.entries(mapping)) for (const k of ['a', 'b', 'c']) if (entryOf[k] === id) numberOf[k] = Number(n);
    const res = await post(`/api/events/${s.eventId}/check-in`, { items: [people.a2!.idNumber, String(numberOf.b), String(numberOf.c)] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results[0]).toMatchObject({ outcome: 'checked_in', matchedBy: 'id_number', entryId: entryOf.a, name: '电力抢修一班' });
    expect(res.json().checkedIn).toBe(3);
  });

  it('recuses a judge from a team when any member shares their employer, and takes the others’ marks by drawn number', async () => {
    const values: Record<string, [number, number]> = { a: [50, 35], b: [40, 30], c: [45, 30] };
    const [j1, j2, j3] = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
    const mark = (cookie: string, team: string) =>
      post(
        '/api/marks',
        {
          marks: [
            { idempotencyKey: newKey(), number: numberOf[team], partId: 'task1', criterionId: 'c1', value: values[team]![0] },
            { idempotencyKey: newKey(), number: numberOf[team], partId: 'task1', criterionId: 'c2', value: values[team]![1] },
          ],
        },
        cookie,
      );
    const refused = await mark(j1!, 'a');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('recused');
    for (const team of ['b', 'c']) expect((await mark(j1!, team)).json().results[0].outcome).toBe('stored');
    for (const j of [j2!, j3!]) for (const team of ['a', 'b', 'c']) expect((await mark(j, team)).json().results[0].outcome).toBe('stored');
    // The team expects two marks (three judges, one recused) and is complete with them.
    const staff = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking` })).json();
    const a = staff.staffRows.find((r: { entryId: number }) => r.entryId === entryOf.a);
    expect(a).toMatchObject({ rank: 1, total: 85, provisional: false, name: '电力抢修一班', parts: [{ marksIn: 2, expected: 2 }] });
  });

  it('never names a team before release: the public sees numbers only', async () => {
    const pub = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect(pub.rows.map((r: { number: number }) => r.number)).toEqual([numberOf.a, numberOf.c, numberOf.b]);
    expect(JSON.stringify(pub)).not.toContain('电力抢修一班');
    expect(JSON.stringify(pub)).not.toContain('王强');
  });

  it('after release shows the team name and its members (IDs masked) on the public results, awards it and prints its certificate', async () => {
    expect((await post(`/api/rounds/${s.roundId}/close`, undefined, chief)).statusCode).toBe(200);
    await completeRecheck(app, chief, s.eventId);
    const release = await post(`/api/events/${s.eventId}/release`, { incompleteReasons: [] }, chief);
    expect(release.statusCode, release.body).toBe(200);
    const results = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).json();
    const rows = results.events[0].rows;
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['电力抢修一班', '检修三组', '张甲、李乙']);
    expect(rows[0].members).toEqual([
      { name: '王强', idNumberMasked: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/), captain: true },
      { name: '赵敏', idNumberMasked: expect.stringMatching(/\*{8}/), captain: false },
      { name: '钱己', idNumberMasked: expect.stringMatching(/\*{8}/), captain: false },
    ]);
    // After release the roster is what was published: changed only through an appeal.
    const late = await call(app, organiser, { method: 'PUT', url: `/api/entries/${entryOf.a}/members`, payload: { teamName: 'x', members: [{ personId: people.a1!.id }, { personId: people.c2!.id }] } });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('results_released');

    await post(`/api/events/${s.eventId}/awards-override`, { reason: '测试：颁奖典礼提前举行，组委会决定' });
    await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: { basis: 'count', tiers: [{ label: '一等奖', count: 1 }, { label: '二等奖', count: 1 }] } });
    const prizes = await post(`/api/events/${s.eventId}/prizes`);
    expect(prizes.statusCode, prizes.body).toBe(200);
    expect(prizes.json().map((p: { name: string; label: string }) => [p.name, p.label])).toEqual([
      ['电力抢修一班', '一等奖'],
      ['检修三组', '二等奖'],
    ]);
    const cert = (await call(app, null, { method: 'GET', url: `/api/public/prizes/${prizes.json()[0].id}` })).json();
    expect(cert).toMatchObject({ name: '电力抢修一班', members: ['王强', '赵敏', '钱己'], label: '一等奖' });
  });

  it('shows the team’s result on every member’s record', async () => {
    const record = (await call(app, organiser, { method: 'GET', url: `/api/people/${people.a2!.id}/record` })).json();
    expect(record.results).toEqual([expect.objectContaining({ entryId: entryOf.a, team: '电力抢修一班', rank: 1, total: 85 })]);
  });
});

describe('a team competition in the results workbook', () => {
  it('names each team with its members and lists every member’s masked ID number, public and staff alike', async () => {
    for (const [who, url] of [
      [null, `/api/public/events/${s.eventId}/results.xlsx`],
      [organiser, `/api/events/${s.eventId}/results.xlsx`],
    ] as const) {
      const res = await call(app, who, { method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const text: string[][] = [];
      ws.eachRow((row) => text.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      const team = text.find((cells) => cells.some((c) => c.startsWith('电力抢修一班')))!;
      expect(team).toContain('电力抢修一班（王强（队长）、赵敏、钱己）');
      const ids = team.find((c) => c.includes('\n'))!.split('\n');
      expect(ids).toHaveLength(3);
      for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      // A pair without a team name is its two names, with both ID numbers.
      const pair = text.find((cells) => cells.includes('张甲、李乙'))!;
      expect(pair.find((c) => c.includes('\n'))!.split('\n')).toHaveLength(2);
    }
  });
});

describe('a team competition in the open package', () => {
  it('keeps every member, captain and role, and the team name; moves to another system and verifies', async () => {
    const full = (await call(app, organiser, { method: 'GET', url: `/api/competitions/${s.competitionId}/package` })).json() as CompetitionPackage;
    const team = full.events[0]!.entries.find((e) => e.teamName === '电力抢修一班')!;
    const personOf = new Map(full.people.map((p) => [p.ref, p]));
    expect(team.members!.map((m) => [personOf.get(m.person)!.name, m.captain, m.role])).toEqual([
      ['王强', true, '主操作手'],
      ['赵敏', false, null],
      ['钱己', false, null],
    ]);
    expect(team.members![0]!.person).toBe(team.person);
    // The pair without a team name has its members and no name; the public package masks everyone's ID.
    const pair = full.events[0]!.entries.find((e) => e.members?.some((m) => personOf.get(m.person)!.name === '张甲'))!;
    expect(pair.teamName).toBeUndefined();
    expect(pair.members).toHaveLength(2);
    const pub = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/package` })).json() as CompetitionPackage;
    expect(pub.events[0]!.entries.find((e) => e.teamName === '电力抢修一班')!.members).toHaveLength(3);
    expect(pub.people.every((p) => p.idNumber === undefined)).toBe(true);
    expect(verifyPackage(pub).ok).toBe(true);

    // Into a fresh system: every member created and on the entry again; the same document comes back.
    const other = await buildTestApp({}, { clock });
    try {
      const union = makeOrg(other, { name: '肥西县总工会', kind: 'union', level: 'county' });
      const cookie = await loginAs(other, 'organiser', union.id);
      const res = await call(other, cookie, { method: 'POST', url: '/api/competitions/import', payload: full });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ entries: 3, differences: [] });
      expect(other.db.select().from(entryMembers).all()).toHaveLength(full.events[0]!.entries.reduce((n, e) => n + (e.members?.length ?? 0), 0));
      const again = (await call(other, cookie, { method: 'GET', url: `/api/competitions/${res.json().competitionId}/package` })).json() as CompetitionPackage;
      const normal = (p: CompetitionPackage) => ({ ...p, generatedAt: '', events: p.events.map((ev) => ({ ...ev, prizes: ev.prizes.map((x) => ({ ...x, certificateNumber: null })) })) });
      expect(normal(again)).toEqual(normal(full));
    } finally {
      await other.close();
    }
  });

  it('refuses a package whose team lacks its captain among the members, naming the field', async () => {
    const full = (await call(app, organiser, { method: 'GET', url: `/api/competitions/${s.competitionId}/package` })).json() as CompetitionPackage;
    const i = full.events[0]!.entries.findIndex((e) => e.teamName === '电力抢修一班');
    full.events[0]!.entries[i]!.members![0]!.captain = false;
    const res = await call(app, organiser, { method: 'POST', url: '/api/competitions/import?dryRun=true', payload: full });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe(`body.events.0.entries.${i}.members`);
  });
});
