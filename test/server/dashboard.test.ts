import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { marks } from '../../db/schema.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Dashboard } from '../../server/contracts/dashboard.ts';
import { buildCertificateNumber } from '../../server/domain/awards/index.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeJudge, makeOrg } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';

describe('GET /api/dashboard on a built tree', () => {
  let app: TestApp;
  let countyA: ReturnType<typeof makeOrg>;
  let countyB: ReturnType<typeof makeOrg>;
  let organiserA: string;
  let organiserB: string;
  let viewerA: string;
  let runningId: number;

  beforeAll(async () => {
    app = await buildTestApp();
    rootOrg(app);
    countyA = makeOrg(app, { name: '肥西县总工会' });
    const township = makeOrg(app, { name: '桃花工业园工会', level: 'township', parentId: countyA.id });
    countyB = makeOrg(app, { name: '庐江县总工会' });
    organiserA = await loginAs(app, 'organiser', countyA.id);
    organiserB = await loginAs(app, 'organiser', countyB.id);
    viewerA = await loginAs(app, 'viewer', countyA.id);

    // County A: a running B-level competition with two events, a draft C-level one, a township C-level in registration (2025).
    const running = makeCompetition(app, { orgId: countyA.id, grade: 'B', year: 2026, status: 'running', startDate: '2026-11-21', name: '肥西大赛' });
    runningId = running.id;
    const drone = makeEvent(app, { competitionId: running.id });
    const fire = makeEvent(app, { competitionId: running.id });
    const e1 = makeEntry(app, drone, { status: 'checked_in' });
    makeEntry(app, drone, { status: 'checked_in' });
    makeEntry(app, drone, { status: 'absent' });
    makeEntry(app, fire, { status: 'registered' });
    makeEntry(app, fire, { status: 'disqualified', disqualifiedReason: '冒名顶替' });
    const judge = makeJudge(app, drone.id);
    makeJudge(app, drone.id);
    makeJudge(app, fire.id, { role: 'chief' });
    // One mark and its correction (version 2): one mark in.
    for (const version of [1, 2])
      app.db.insert(marks).values({ roundId: drone.round.id, entryId: e1.id, judgeId: judge.id, partId: 'theory', criterionId: 'theory', version, value: 80 + version, enteredAt: new Date() }).run();
    app.db.insert(marks).values({ roundId: drone.round.id, entryId: e1.id, judgeId: judge.id, partId: 'practical', criterionId: 'safety', version: 1, value: 30, enteredAt: new Date() }).run();
    makeCompetition(app, { orgId: countyA.id, grade: 'C', year: 2026, status: 'draft' });
    const townComp = makeCompetition(app, { orgId: township.id, grade: 'C', year: 2025, status: 'registration', name: '园区焊工赛' });
    makeEvent(app, { competitionId: townComp.id });

    // County B: an A-level competition nobody in county A may see.
    const other = makeCompetition(app, { orgId: countyB.id, grade: 'A', year: 2026, status: 'running', name: '庐江大赛' });
    const otherEvent = makeEvent(app, { competitionId: other.id });
    makeEntry(app, otherEvent, { status: 'checked_in' });
    makeJudge(app, otherEvent.id);
  });
  afterAll(() => app.close());

  it("counts the organiser's subtree: competitions by grade and status, events, entrants, judges, marks", async () => {
    const res = await call(app, organiserA, { method: 'GET', url: '/api/dashboard' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as Dashboard;
    expect(d.organisation).toEqual({ id: countyA.id, name: '肥西县总工会' });
    expect(d.competitions).toEqual({
      total: 3,
      byGrade: { A: 0, B: 1, C: 2 },
      byStatus: { draft: 1, registration: 1, running: 1, marking_closed: 0, results_published: 0, final: 0 },
    });
    expect(d.years).toEqual([
      { year: 2026, count: 2 },
      { year: 2025, count: 1 },
    ]);
    expect(d.events).toBe(3);
    expect(d.entrants).toEqual({ total: 5, checkedIn: 2, absent: 1, disqualified: 1 });
    expect(d.judges).toBe(3);
    expect(d.marksIn).toBe(2);
    expect(d.active.map((c) => c.name)).toEqual(['肥西大赛', '园区焊工赛']);
    expect(d.active[0]).toMatchObject({ id: runningId, grade: 'B', status: 'running', events: 2, entrants: 5, checkedIn: 2, judges: 3, marksIn: 2 });
  });

  it('keeps other subtrees out and filters by year', async () => {
    const b = (await call(app, organiserB, { method: 'GET', url: '/api/dashboard' })).json() as Dashboard;
    expect(b.competitions.total).toBe(1);
    expect(b.competitions.byGrade).toEqual({ A: 1, B: 0, C: 0 });
    expect(b.entrants.total).toBe(1);
    expect(b.judges).toBe(1);
    expect(b.marksIn).toBe(0);
    expect(b.active.map((c) => c.name)).toEqual(['庐江大赛']);

    const y2025 = (await call(app, organiserA, { method: 'GET', url: '/api/dashboard?year=2025' })).json() as Dashboard;
    expect(y2025).toMatchObject({ year: 2025, events: 1, judges: 0, marksIn: 0 });
    expect(y2025.competitions.total).toBe(1);
    expect(y2025.active.map((c) => c.name)).toEqual(['园区焊工赛']);
    // The year list stays whole, so the filter can offer every year.
    expect(y2025.years).toHaveLength(2);
  });

  it('is readable by every staff role, refuses the signed-out and bad input', async () => {
    expect((await call(app, viewerA, { method: 'GET', url: '/api/dashboard' })).json().competitions.total).toBe(3);
    const anonymous = await call(app, null, { method: 'GET', url: '/api/dashboard' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    const bad = await call(app, organiserA, { method: 'GET', url: '/api/dashboard?year=nineteen' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('querystring.year');
  });
});

describe('GET /api/dashboard on the demo data', () => {
  let app: TestApp;
  const login = async (username: string) =>
    sessionCookie(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } }));

  beforeAll(async () => {
    const config = { ...loadConfig({ DEMO: 'true', LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent' }) };
    app = (await buildApp(config, { db: openDb(':memory:'), logger: false })) as TestApp;
    await app.ready();
  });
  afterAll(() => app.close());

  /** A demo competition's full name: its year follows the day the demo data was created. */
  function named(suffix: string): string {
    const row = app.db.get<{ name: string }>(sql`select name from competitions where name like ${'%' + suffix}`);
    return row.name;
  }

  /** Marks in (first versions) of the competitions with these names, counted straight from the tables. */
  function marksOf(names: string[]): number {
    const list = sql.join(names.map((n) => sql`${n}`), sql`, `);
    return app.db.get<{ n: number }>(sql`select count(*) as n from marks m join rounds r on r.id = m.round_id join events e on e.id = r.event_id
      join competitions c on c.id = e.competition_id where m.version = 1 and c.name in (${list})`).n;
  }

  it("shows the Feixi county union its three competitions, and the province everything", async () => {
    const feixi = (await call(app, await login('organiser'), { method: 'GET', url: '/api/dashboard' })).json() as Dashboard;
    expect(feixi.organisation.name).toBe('肥西县总工会');
    expect(feixi.competitions).toMatchObject({ total: 3, byGrade: { A: 0, B: 3, C: 0 }, byStatus: { running: 1, results_published: 0, final: 2 } });
    expect(feixi.events).toBe(4); // 无人机驾驶, 消防救援, 焊工, 电工
    expect(feixi.entrants).toEqual({ total: 42, checkedIn: 40, absent: 2, disqualified: 0 });
    expect(feixi.judges).toBe(20);
    const feixiNames = [named('肥西县职工职业技能大赛'), named('肥西县焊工技能竞赛'), named('肥西县电工技能竞赛')];
    expect(feixi.marksIn).toBe(marksOf(feixiNames));
    expect(feixi.marksIn).toBeGreaterThan(0);
    expect(feixi.active.map((c) => c.name)).toEqual([named('肥西县职工职业技能大赛')]);
    expect(feixi.active[0]).toMatchObject({ grade: 'B', events: 2, entrants: 24, checkedIn: 22, judges: 12 });

    const province = (await call(app, await login('admin'), { method: 'GET', url: '/api/dashboard' })).json() as Dashboard;
    expect(province.competitions).toMatchObject({ total: 4, byGrade: { A: 1, B: 3, C: 0 } });
    expect(province.entrants.total).toBe(72);
    expect(province.marksIn).toBe(marksOf([...feixiNames, named('皖北地区配电线路工技能竞赛')]));

    // 合肥市总工会 sits above Feixi: the same three competitions, not the province's power contest.
    const hefei = (await call(app, await login('viewer'), { method: 'GET', url: '/api/dashboard' })).json() as Dashboard;
    expect(hefei.competitions.total).toBe(3);
    expect(hefei.active.map((c) => c.name)).not.toContain(named('皖北地区配电线路工技能竞赛'));
  });

  it("shows where the year led: finalists, prize winners, titles by type, promotions, certificates by level and occupation", async () => {
    const union = await login('organiser');
    const hr = await login('hr');
    const welding = app.db.get<{ id: number }>(sql`select id from events where name = '焊工'`).id;
    expect((await call(app, union, { method: 'POST', url: `/api/events/${welding}/prizes` })).statusCode).toBeLessThan(300);
    expect((await call(app, union, { method: 'POST', url: '/api/title-rules', payload: { presetKey: 'feixi_b_level' } })).statusCode).toBe(201);
    expect((await call(app, union, { method: 'POST', url: `/api/events/${welding}/proposals/generate` })).statusCode).toBeLessThan(300);
    const proposals = (await call(app, union, { method: 'GET', url: `/api/proposals?eventId=${welding}` })).json() as { id: number; kind: string }[];
    // The Feixi rules give titles and recommendations (no promotion): the union and the HR bureau sign one of each.
    const title = proposals.find((p) => p.kind === 'title')!;
    const recommendation = proposals.find((p) => p.kind === 'recommendation')!;
    for (const p of [title, recommendation]) {
      expect((await call(app, union, { method: 'POST', url: `/api/proposals/${p.id}/sign` })).statusCode).toBe(200);
      expect((await call(app, hr, { method: 'POST', url: `/api/proposals/${p.id}/sign` })).statusCode).toBe(200);
    }
    const person = app.db.get<{ id: number }>(sql`select person_id as id from entries where event_id = ${welding} limit 1`).id;
    let serial = 0;
    const cert = (level: number, occupationCode: string, occupationName: string, issueDate: string | null) =>
      call(app, hr, {
        method: 'POST',
        url: '/api/certificates',
        payload: {
          personId: person,
          occupationCode,
          occupationName,
          level,
          basis: 'exam',
          evaluationBody: '肥西县职业技术学校',
          ...(issueDate
            ? {
                issueDate,
                certificateNumber: buildCertificateNumber({ issuer: 'employer', bodyCode: '0012', provinceCode: '34', siteSequence: '000045', year: Number(issueDate.slice(0, 4)), level, serial: ++serial }),
              }
            : { status: 'pending' }),
        },
      });
    const year = app.db.get<{ year: number }>(sql`select year from competitions where name = ${named('肥西县焊工技能竞赛')}`).year;
    for (const [level, code, name] of [[4, '6-18-02-04', '焊工'], [3, '6-18-02-04', '焊工'], [4, '6-31-01-03', '电工']] as const)
      expect((await cert(level, code, name, `${year}-06-0${level}`)).statusCode).toBe(201);
    expect((await cert(2, '6-18-02-04', '焊工', null)).statusCode).toBe(201);

    const d = (await call(app, union, { method: 'GET', url: `/api/dashboard?year=${year}` })).json() as Dashboard;
    const feixiNames = [named('肥西县职工职业技能大赛'), named('肥西县焊工技能竞赛'), named('肥西县电工技能竞赛')].filter(
      (n) => app.db.get<{ year: number }>(sql`select year from competitions where name = ${n}`).year === year,
    );
    const list = sql.join(feixiNames.map((n) => sql`${n}`), sql`, `);
    const finalists = app.db.get<{ n: number }>(sql`select count(*) as n from entries en join events e on e.id = en.event_id join competitions c on c.id = e.competition_id
      where c.name in (${list}) and en.status not in ('absent', 'reserve')`).n;
    const winners = app.db.get<{ n: number; money: number }>(sql`select count(*) as n, coalesce(sum(money_yuan), 0) as money from prizes where event_id = ${welding}`);
    expect(d.outcomes.finalists).toBe(finalists);
    expect(d.outcomes.prizeWinners).toBe(winners.n);
    expect(d.outcomes.prizeWinners).toBeGreaterThan(0);
    expect(d.outcomes.prizeMoneyYuan).toBe(winners.money);
    expect(d.outcomes.titles).toEqual([expect.objectContaining({ count: 1 })]);
    expect(d.outcomes.promotions).toBe(0);
    expect(d.outcomes.proposalsWaiting).toBe(proposals.length - 2);

    // The HR bureau sees the certificates it recorded: by level and by occupation, and one waiting.
    const h = (await call(app, hr, { method: 'GET', url: `/api/dashboard?year=${year}` })).json() as Dashboard;
    expect(h.certificates.issued).toBe(3);
    expect(h.certificates.pending).toBe(1);
    expect(h.certificates.byLevel).toEqual([
      { level: 3, count: 1 },
      { level: 4, count: 2 },
    ]);
    expect(h.certificates.byOccupation[0]).toEqual({ occupationCode: '6-18-02-04', occupationName: '焊工', count: 2 });
    // Another year holds none of them (the pending one has no date: it waits in every year).
    const other = (await call(app, hr, { method: 'GET', url: `/api/dashboard?year=${year - 3}` })).json() as Dashboard;
    expect(other.certificates).toMatchObject({ issued: 0, pending: 1, byLevel: [] });

    // The union sees none of the bureau's exam certificates, but one that came from its own contest
    // (a promotion the bureau signed) it does, whichever body recorded it.
    expect(d.certificates).toMatchObject({ issued: 0, pending: 0 });
    app.db.run(sql`update skill_certificates set basis = 'competition_promotion', proposal_id = ${title.id} where occupation_code = '6-31-01-03'`);
    const fromContest = (await call(app, union, { method: 'GET', url: `/api/dashboard?year=${year}` })).json() as Dashboard;
    expect(fromContest.certificates).toMatchObject({ issued: 1, pending: 0, byLevel: [{ level: 4, count: 1 }] });
    expect(fromContest.certificates.byOccupation).toEqual([{ occupationCode: '6-31-01-03', occupationName: '电工', count: 1 }]);
    // The figure opens the records behind it: the union reads that one (ID number masked), and only that one.
    const listed = (await call(app, union, { method: 'GET', url: '/api/certificates' })).json() as { items: { occupationCode: string; idNumber: string }[] };
    expect(listed.items.map((c) => c.occupationCode)).toEqual(['6-31-01-03']);
    expect(listed.items[0]!.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('refuses a judge', async () => {
    const judge = sessionCookie(await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'WRJ00001' } }));
    const res = await call(app, judge, { method: 'GET', url: '/api/dashboard' });
    expect(res.statusCode).toBe(403);
  });
});
