import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, json, refused, studioThrough, studioWorld, type StudioWorld } from './fixture.ts';

/**
 * Achievements of two studios in county A (one in the township, one directly under the county)
 * and one in county B, then yearly figures per studio and totals per organisation subtree.
 */

let w: StudioWorld;
let township: { id: number; leader: number; member: number };
let direct: { id: number; leader: number };
let other: { id: number };

beforeAll(async () => {
  w = await studioWorld();
  const leader1 = w.person(w.orgs.e1.id, 3);
  const member1 = w.person(w.orgs.e1.id, 4);
  const s1 = await studioThrough(
    w.app,
    w.cookies.studioA,
    { name: '翔宇工作室', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader1.id, appliedOn: '2022-01-05', members: [{ personId: member1.id, role: 'member' }] },
    [
      { action: 'start_evaluation', date: '2022-02-01' },
      { action: 'recognise', date: '2022-06-30', level: 'city' },
    ],
  );
  township = { id: s1.id, leader: leader1.id, member: member1.id };
  const leader2 = w.person(w.orgs.e3.id, 2);
  const s2 = await studioThrough(w.app, w.cookies.hrA, { name: '供电技能大师工作室', kind: 'skill_master', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader2.id, appliedOn: '2022-01-05' }, [
    { action: 'start_evaluation', date: '2022-02-01' },
    { action: 'recognise', date: '2022-06-30', level: 'province' },
  ]);
  direct = { id: s2.id, leader: leader2.id };
  const leader3 = w.person(w.orgs.f1.id, 3, w.orgs.countyB.id);
  const s3 = await studioThrough(w.app, w.cookies.studioB, { name: '长丰工作室', hostEmployerId: w.orgs.f1.id, leaderPersonId: leader3.id, appliedOn: '2022-01-05' }, [
    { action: 'start_evaluation', date: '2022-02-01' },
    { action: 'recognise', date: '2022-06-30', level: 'county' },
  ]);
  other = { id: s3.id };
});
afterAll(() => w.app.close());

const add = (cookie: string, studioId: number, body: Record<string, unknown>) => call(w.app, cookie, { method: 'POST', url: `/api/studios/${studioId}/achievements`, payload: body });

describe('recording achievements (POST /api/studios/:id/achievements)', () => {
  it('records results, patents of each kind, breakthroughs, five smalls, benefit and apprentices', async () => {
    const s = township.id;
    const c = w.cookies.studioA;
    const result = json(await add(c, s, { type: 'innovation_result', year: 2024, title: '无人机电池低温保温箱', personId: township.member, achievedOn: '2024-03-05' }), 201);
    expect(result).toMatchObject({ type: 'innovation_result', count: 1, title: '无人机电池低温保温箱', person: { id: township.member }, achievedOn: '2024-03-05' });
    json(await add(c, s, { type: 'innovation_result', year: 2025, title: '航线规划模板', count: 2 }), 201);
    const patent = json(await add(c, s, { type: 'patent', year: 2024, patentKind: 'invention', patentNumber: 'ZL202410123456.7', title: '一种无人机巡检装置', personId: township.leader }), 201);
    expect(patent).toMatchObject({ patentKind: 'invention', patentNumber: 'ZL202410123456.7', count: 1 });
    json(await add(c, s, { type: 'patent', year: 2024, patentKind: 'utility_model', count: 2 }), 201);
    json(await add(c, s, { type: 'patent', year: 2025, patentKind: 'design' }), 201);
    json(await add(c, s, { type: 'technical_breakthrough', year: 2024, title: '低温续航攻关' }), 201);
    json(await add(c, s, { type: 'five_smalls', year: 2024, count: 3 }), 201);
    json(await add(c, s, { type: 'economic_benefit', year: 2024, amountYuan: 125000.5 }), 201);
    json(await add(c, s, { type: 'economic_benefit', year: 2025, amountYuan: 300000 }), 201);
    json(await add(c, s, { type: 'apprentices', year: 2024, trained: 8, promoted: 3 }), 201);
    // The HR bureau records its skill-master studio's apprentices.
    json(await add(w.cookies.hrA, direct.id, { type: 'apprentices', year: 2024, trained: 50, promoted: 10 }), 201);
    json(await add(w.cookies.hrA, direct.id, { type: 'economic_benefit', year: 2024, amountYuan: 0.25 }), 201);
    json(await add(w.cookies.studioB, other.id, { type: 'patent', year: 2024, patentKind: 'invention' }), 201);

    const list = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: `/api/studios/${s}/achievements?year=2024` }), 200);
    expect(list).toHaveLength(7);
    expect(list.every((a: { year: number }) => a.year === 2024)).toBe(true);
    const patents = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: `/api/studios/${s}/achievements?type=patent` }), 200);
    expect(patents.map((p: { patentKind: string }) => p.patentKind)).toEqual(['invention', 'utility_model', 'design']);

    const detail = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: `/api/studios/${s}` }), 200);
    expect(detail.figuresByYear.map((y: { year: number }) => y.year)).toEqual([2024, 2025]);
    expect(detail.figuresByYear[0].figures).toEqual({
      innovationResults: 1,
      patents: { invention: 1, utilityModel: 2, design: 0, total: 3 },
      technicalBreakthroughs: 1,
      fiveSmalls: 3,
      economicBenefitYuan: 125000.5,
      apprenticesTrained: 8,
      apprenticesPromoted: 3,
    });
    expect(detail.figuresTotal).toMatchObject({ innovationResults: 3, patents: { total: 4 }, economicBenefitYuan: 425000.5 });
  });

  it('names the bad field', async () => {
    const s = township.id;
    const c = w.cookies.studioA;
    refused(await add(c, s, { type: 'apprentices', year: 2024, trained: 3, promoted: 4 }), 400, 'body.promoted');
    refused(await add(c, s, { type: 'patent', year: 2024, patentKind: 'software' }), 400, 'body.patentKind');
    refused(await add(c, s, { type: 'economic_benefit', year: 2024, amountYuan: 10.001 }), 400, 'body.amountYuan');
    refused(await add(c, s, { type: 'innovation_result', year: 2024 }), 400, 'body.title');
    refused(await add(c, s, { type: 'innovation_result', year: 2024, title: 'x', achievedOn: '2023-12-31' }), 400, 'body.achievedOn');
    refused(await add(c, s, { type: 'moonshot', year: 2024 }), 400, 'body.type');
    const stranger = w.person(w.orgs.e2.id, 3);
    refused(await add(c, s, { type: 'innovation_result', year: 2024, title: 'x', personId: stranger.id }), 400, 'body.personId');
    refused(await call(w.app, c, { method: 'GET', url: `/api/studios/${s}/achievements?year=abc` }), 400, 'querystring.year');
  });

  it('refuses viewers, the other line and another county; deletes a record entered in error', async () => {
    refused(await add(w.cookies.viewerA, township.id, { type: 'five_smalls', year: 2024 }), 403);
    refused(await add(w.cookies.hrA, township.id, { type: 'five_smalls', year: 2024 }), 403);
    refused(await add(w.cookies.studioA, direct.id, { type: 'five_smalls', year: 2024 }), 403);
    refused(await add(w.cookies.studioB, township.id, { type: 'five_smalls', year: 2024 }), 403);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: `/api/studios/${township.id}/achievements` }), 403);
    expect((await call(w.app, null, { method: 'GET', url: `/api/studios/${township.id}/achievements` })).statusCode).toBe(401);

    const extra = json(await add(w.cookies.studioA, township.id, { type: 'five_smalls', year: 2026, count: 9 }), 201);
    refused(await call(w.app, w.cookies.viewerA, { method: 'DELETE', url: `/api/studios/${township.id}/achievements/${extra.id}` }), 403);
    expect(json(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${township.id}/achievements/${extra.id}` }), 200)).toEqual({ ok: true });
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${township.id}/achievements/${extra.id}` }), 404);
  });
});

describe('yearly figures and subtree totals (GET /api/studio-figures)', () => {
  it('adds each studio up per year, and each organisation over its subtree', async () => {
    const report = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-figures' }), 200);
    expect(report.org).toEqual({ id: w.orgs.countyA.id, name: '肥西县总工会' });
    expect(report.byStudio.map((r: { studio: { id: number }; year: number }) => [r.studio.id, r.year])).toEqual([
      [township.id, 2024],
      [township.id, 2025],
      [direct.id, 2024],
    ]);
    const line = (orgId: number) => report.subtree.find((l: { org: { id: number } }) => l.org.id === orgId);
    // The county: both studios; the township and E1: only the township's; county B's never.
    expect(report.subtree[0].org.id).toBe(w.orgs.countyA.id);
    expect(line(w.orgs.countyA.id)).toMatchObject({ studios: 2, total: { economicBenefitYuan: 425000.75, apprenticesTrained: 58, apprenticesPromoted: 13, patents: { invention: 1, total: 4 } } });
    expect(line(w.orgs.township.id)).toMatchObject({ studios: 1, total: { economicBenefitYuan: 425000.5, apprenticesTrained: 8 } });
    expect(line(w.orgs.e1.id)).toMatchObject({ studios: 1 });
    expect(line(w.orgs.e3.id)).toMatchObject({ studios: 1, total: { apprenticesTrained: 50 } });
    expect(line(w.orgs.countyA.id).byYear.map((y: { year: number; figures: { economicBenefitYuan: number } }) => [y.year, y.figures.economicBenefitYuan])).toEqual([
      [2024, 125000.75],
      [2025, 300000],
    ]);
    expect(report.subtree.some((l: { org: { id: number } }) => l.org.id === w.orgs.countyB.id)).toBe(false);

    const township2025 = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: `/api/studio-figures?orgId=${w.orgs.township.id}&fromYear=2025` }), 200);
    expect(township2025.subtree[0]).toMatchObject({ org: { id: w.orgs.township.id }, total: { economicBenefitYuan: 300000, innovationResults: 2 } });
  });

  it('refuses an organisation outside the scope, a bad year range and no session', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studio-figures?orgId=${w.orgs.countyB.id}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-figures?fromYear=2026&toYear=2024' }), 400, 'querystring.toYear');
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-figures?orgId=abc' }), 400, 'querystring.orgId');
    expect((await call(w.app, null, { method: 'GET', url: '/api/studio-figures' })).statusCode).toBe(401);
  });
});

describe('the dashboard (GET /api/studio-dashboard)', () => {
  it('counts by kind, level, status and area and sums the figures and funding per year', async () => {
    const leader = w.person(w.orgs.e2.id, 3);
    await studioThrough(w.app, w.cookies.studioA, { name: '申报中工作室', hostEmployerId: w.orgs.e2.id, leaderPersonId: leader.id, appliedOn: '2026-03-01' }, []);
    json(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studios/${township.id}/funding`, payload: { year: 2022, kind: 'new_studio', amountYuan: 50000, source: '合肥市总工会' } }), 200);
    json(await call(w.app, w.cookies.hrA, { method: 'POST', url: `/api/studios/${direct.id}/funding`, payload: { year: 2022, kind: 'new_studio', amountYuan: 50000, source: '安徽省人社厅' } }), 200);
    json(await call(w.app, w.cookies.hrA, { method: 'POST', url: `/api/studios/${direct.id}/funding`, payload: { year: 2025, kind: 'annual', amountYuan: 8000.5, source: '肥西县人社局' } }), 200);

    const d = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studio-dashboard' }), 200);
    expect(d.studios).toEqual({ total: 3, inRegistry: 2, applying: 1, delisted: 0 });
    expect(d.byKind.find((k: { kind: string }) => k.kind === 'skill_master').count).toBe(1);
    expect(d.byKind.find((k: { kind: string }) => k.kind === 'worker').count).toBe(1);
    expect(d.byLevel).toEqual([
      { level: 'national_demonstration', count: 0 },
      { level: 'province', count: 1 },
      { level: 'city', count: 1 },
      { level: 'county', count: 0 },
    ]);
    expect(d.byArea).toEqual([
      { org: { id: w.orgs.township.id, name: '桃花工业园工会' }, inRegistry: 1, total: 2 },
      { org: { id: w.orgs.e3.id, name: '国网肥西县供电公司' }, inRegistry: 1, total: 1 },
    ]);
    expect(d.years.map((y: { year: number; figures: { patents: { total: number } } }) => [y.year, y.figures.patents.total])).toEqual([
      [2024, 3],
      [2025, 1],
    ]);
    expect(d.total.economicBenefitYuan).toBe(425000.75);
    expect(d.fundingByYear).toEqual([
      { year: 2022, amountYuan: 100000 },
      { year: 2025, amountYuan: 8000.5 },
    ]);
    expect(d.recentSteps[0].studio.name).toBe('申报中工作室');

    // The province sees county B too; county B sees only its own.
    const province = json(await call(w.app, w.cookies.admin, { method: 'GET', url: '/api/studio-dashboard' }), 200);
    expect(province.studios.total).toBe(4);
    expect(province.byArea.map((a: { org: { id: number } }) => a.org.id)).toEqual([w.orgs.countyA.id, w.orgs.countyB.id]);
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studio-dashboard' }), 200).studios.total).toBe(1);
  });

  it('refuses another county, bad input and no session', async () => {
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: `/api/studio-dashboard?orgId=${w.orgs.countyA.id}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-dashboard?fromYear=1800' }), 400, 'querystring.fromYear');
    expect((await call(w.app, null, { method: 'GET', url: '/api/studio-dashboard' })).statusCode).toBe(401);
  });
});

describe('malformed achievement ids', () => {
  it('names the bad path parameter', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${township.id}/achievements/x1` }), 400, 'params.itemId');
  });
});
