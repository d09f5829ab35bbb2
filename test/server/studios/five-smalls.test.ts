import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, json, readWorkbook, refused, studioThrough, studioWorld, type StudioWorld } from './fixture.ts';

/**
 * A campaign with three departments: the union (equal weights), the emergency bureau (safety
 * weighed 3) and a finance office that scores economic benefit only; prizes 1 / 2 / 3 of
 * 3,000 / 2,000 / 1,000 yuan, ties taking the higher tier.
 *
 * Uniform entries get the same points on every criterion from every department, so their
 * combined score is that number. The "arithmetic" entry is scored by hand:
 *   union     (90 + 80 + 70 + 60) / 4            = 75.00
 *   emergency (90 + 80 + 3 × 70 + 60) / 6 = 73.333 → 73.33
 *   finance   90                                  = 90.00
 *   combined  (75 + 73.33 + 90) / 3 = 79.443      → 79.44
 */

let w: StudioWorld;
let campaignId: number;
let departments: { union: number; emergency: number; finance: number };
const entry: Record<string, number> = {};
const workers: number[] = [];
let studioId: number;

beforeAll(async () => {
  w = await studioWorld();
  for (let i = 0; i < 8; i++) workers.push(w.person(i % 2 ? w.orgs.e1.id : w.orgs.e2.id, 4).id);
  const leader = w.person(w.orgs.e3.id, 3);
  studioId = (
    await studioThrough(w.app, w.cookies.studioA, { name: '供电职工创新工作室', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader.id, appliedOn: '2022-01-05' }, [
      { action: 'start_evaluation', date: '2022-02-01' },
      { action: 'recognise', date: '2022-06-30', level: 'county' },
    ])
  ).id;
});
afterAll(() => w.app.close());

const CAMPAIGN = {
  name: '2025年度职工“五小”创新成果评选',
  year: 2025,
  screening: { completedFrom: '2024-01-01', completedTo: '2025-09-30', maxEntriesPerSubmitter: 2 },
  departments: [
    { name: '县总工会' },
    { name: '县应急管理局', weights: { economic: 1, social: 1, safety: 3, management: 1 } },
    { name: '县财政局', weights: { economic: 1, social: 0, safety: 0, management: 0 } },
  ],
  tiers: { counts: [1, 2, 3], prizeMoney: [3000, 2000, 1000] },
};

const url = (path = '') => `/api/five-smalls-campaigns/${campaignId}${path}`;
const addEntry = (key: string, body: Record<string, unknown>) =>
  call(w.app, w.cookies.studioA, {
    method: 'POST',
    url: url('/entries'),
    payload: { category: 'innovation', completedOn: '2025-03-01', implemented: true, title: `作品${key}`, ...body },
  }).then((res) => {
    const e = json(res, 201);
    entry[key] = e.id;
    return e;
  });
const scoreAll = (entryId: number, union: number[], emergency: number[], finance: number) =>
  Promise.all([
    call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId, points: { economic: union[0], social: union[1], safety: union[2], management: union[3] } } }),
    call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.emergency, entryId, points: { economic: emergency[0], social: emergency[1], safety: emergency[2], management: emergency[3] } } }),
    call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.finance, entryId, points: { economic: finance } } }),
  ]).then((all) => all.map((r) => json(r, 200)));
const uniform = (entryId: number, level: number) => scoreAll(entryId, [level, level, level, level], [level, level, level, level], level);

describe('a five-smalls campaign', () => {
  it('is opened by the union with screening rules, departments and tiers', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: { ...CAMPAIGN, tiers: { counts: [1, 2, 3], prizeMoney: [3000] } } }), 400, 'body.tiers.prizeMoney');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: { ...CAMPAIGN, departments: [] } }), 400, 'body.departments');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: { ...CAMPAIGN, departments: [{ name: 'x', weights: { economic: 0, social: 0, safety: 0, management: 0 } }] } }), 400, 'body.departments.0.weights');
    refused(await call(w.app, w.cookies.hrA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: CAMPAIGN }), 403);
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: CAMPAIGN }), 403);
    const created = json(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: CAMPAIGN }), 201);
    expect(created).toMatchObject({ status: 'open', entries: 0, maxPoints: 100, tiers: { counts: [1, 2, 3], ties: 'include' }, screening: { requireImplemented: true, maxEntriesPerSubmitter: 2 } });
    campaignId = created.id;
    const [union, emergency, finance] = created.departments.map((d: { id: number }) => d.id);
    departments = { union, emergency, finance };
    expect(json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/five-smalls-campaigns' }), 200).map((c: { id: number }) => c.id)).toEqual([campaignId]);
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/five-smalls-campaigns' }), 200)).toEqual([]);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: url() }), 403);
    expect((await call(w.app, null, { method: 'GET', url: '/api/five-smalls-campaigns' })).statusCode).toBe(401);
  });

  it('collects entries from workers and studios and screens out the ineligible with every reason', async () => {
    await addEntry('A', { submitter: { type: 'worker', personId: workers[0] } });
    await addEntry('B', { submitter: { type: 'worker', personId: workers[0] } });
    await addEntry('C', { submitter: { type: 'worker', personId: workers[1] } });
    await addEntry('D', { submitter: { type: 'worker', personId: workers[2] } });
    await addEntry('E', { submitter: { type: 'worker', personId: workers[3] } });
    await addEntry('F', { submitter: { type: 'worker', personId: workers[4] } });
    await addEntry('G', { submitter: { type: 'worker', personId: workers[5] } });
    await addEntry('H', { submitter: { type: 'worker', personId: workers[6] } });
    await addEntry('arith', { submitter: { type: 'worker', personId: workers[7] } });
    const byStudio = await addEntry('S', { category: 'design', submitter: { type: 'studio', studioId } });
    expect(byStudio).toMatchObject({ submitter: { type: 'studio', id: studioId, name: '供电职工创新工作室' }, employer: { id: w.orgs.e3.id }, eligible: true });
    // A suggestion need not be in use yet.
    await addEntry('idea', { category: 'suggestion', implemented: false, submitter: { type: 'worker', personId: workers[1] } });
    // The ineligible: not in use, outside the period, a third entry of one worker, excluded by hand.
    await addEntry('unused', { implemented: false, submitter: { type: 'worker', personId: workers[2] } });
    await addEntry('old', { completedOn: '2023-12-31', submitter: { type: 'worker', personId: workers[3] } });
    await addEntry('third', { submitter: { type: 'worker', personId: workers[0] } });
    await addEntry('faked', { submitter: { type: 'worker', personId: workers[4] } });

    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url(`/entries/${entry.faked}/exclusion`), payload: { reason: '' } }), 400, 'body.reason');
    refused(await call(w.app, w.cookies.viewerA, { method: 'PUT', url: url(`/entries/${entry.faked}/exclusion`), payload: { reason: 'x' } }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/entries/99999/exclusion'), payload: { reason: 'x' } }), 404);
    const detail = json(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url(`/entries/${entry.faked}/exclusion`), payload: { reason: '经核查，经济效益数据不实' } }), 200);
    expect(detail).toMatchObject({ entries: 15, eligible: 11 });
    const reasons = Object.fromEntries(detail.entryList.filter((e: { eligible: boolean }) => !e.eligible).map((e: { id: number; reasons: { code: string }[] }) => [e.id, e.reasons.map((r) => r.code)]));
    expect(reasons).toEqual({
      [entry.unused!]: ['not_implemented'],
      [entry.old!]: ['outside_period'],
      [entry.third!]: ['too_many_entries'],
      [entry.faked!]: ['excluded'],
    });
    expect(detail.entryList.find((e: { id: number }) => e.id === entry.faked).reasons[0].message).toBe('经核查，经济效益数据不实');
    // Taking an exclusion back readmits the entry; then it is excluded again.
    expect(json(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url(`/entries/${entry.faked}/exclusion`), payload: { reason: null } }), 200).eligible).toBe(12);
    json(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url(`/entries/${entry.faked}/exclusion`), payload: { reason: '经核查，经济效益数据不实' } }), 200);
  });

  it('refuses an entry from outside the scope or with a bad field', async () => {
    const outsider = w.person(w.orgs.f1.id, 3, w.orgs.countyB.id);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/entries'), payload: { category: 'innovation', title: 'x', completedOn: '2025-01-01', implemented: true, submitter: { type: 'worker', personId: outsider.id } } }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/entries'), payload: { category: 'innovation', title: 'x', completedOn: '2025-01-01', implemented: true, submitter: { type: 'worker', personId: 99999 } } }), 400, 'body.submitter.personId');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/entries'), payload: { category: 'gadget', title: 'x', completedOn: '2025-01-01', implemented: true, submitter: { type: 'worker', personId: workers[0] } } }), 400, 'body.category');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: url('/entries'), payload: { category: 'innovation', title: 'x', completedOn: '2025-01-01', implemented: true, submitter: { type: 'worker', personId: workers[0] } } }), 403);
  });

  it("takes each department's points on the criteria it weighs, for eligible entries only", async () => {
    const scored = await scoreAll(entry.arith!, [90, 80, 70, 60], [90, 80, 70, 60], 90);
    expect(scored[2]).toMatchObject({ combined: 79.44 });
    expect(scored[2].departmentScores.map((d: { score: number }) => d.score)).toEqual([75, 73.33, 90]);
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.finance, entryId: entry.A, points: { social: 50 } } }), 400, 'body.points.social');
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId: entry.A, points: { economic: 101 } } }), 400, 'body.points.economic');
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: 99999, entryId: entry.A, points: { economic: 1 } } }), 400, 'body.departmentId');
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId: entry.A, points: {} } }), 400, 'body.points');
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId: entry.old, points: { economic: 80 } } }), 409, 'body.entryId', 'entry_ineligible');
    refused(await call(w.app, w.cookies.viewerA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId: entry.A, points: { economic: 80 } } }), 403);
  });

  it('awards the tiers by count once every eligible entry is scored, a tie at a boundary taking the higher tier', async () => {
    const levels: [string, number][] = [['A', 95], ['B', 90], ['C', 88], ['D', 88], ['E', 80], ['F', 75], ['G', 70], ['H', 65], ['S', 55]];
    for (const [key, level] of levels) await uniform(entry[key]!, level);
    // Two of three departments have scored the suggestion: it is not ranked yet, so nothing is awarded.
    json(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId: entry.idea, points: { economic: 50, social: 50, safety: 50, management: 50 } } }), 200);
    json(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.finance, entryId: entry.idea, points: { economic: 50 } } }), 200);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/award'), payload: { date: '2025-12-26' } }), 409, undefined, 'scoring_incomplete');

    const before = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: url() }), 200);
    expect(before.ranked).toBe(10);
    expect(before.entryList.find((e: { id: number }) => e.id === entry.idea)).toMatchObject({ rank: null, combined: null, tier: null });
    json(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.emergency, entryId: entry.idea, points: { economic: 50, social: 50, safety: 50, management: 50 } } }), 200);

    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/award'), payload: { date: 'tomorrow' } }), 400, 'body.date');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: url('/award'), payload: { date: '2025-12-26' } }), 403);
    const awarded = json(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/award'), payload: { date: '2025-12-26' } }), 200);
    expect(awarded).toMatchObject({ status: 'awarded', awardedOn: '2025-12-26', awarded: 6, totalPrizeYuan: 11000, canManage: false });
    const ranked = awarded.entryList.filter((e: { eligible: boolean }) => e.eligible).map((e: { id: number; combined: number; rank: number; tier: number | null; prizeYuan: number | null }) => [e.id, e.combined, e.rank, e.tier, e.prizeYuan]);
    expect(ranked).toEqual([
      [entry.A, 95, 1, 1, 3000],
      [entry.B, 90, 2, 2, 2000],
      [entry.C, 88, 3, 2, 2000],
      [entry.D, 88, 3, 2, 2000],
      [entry.E, 80, 5, 3, 1000],
      [entry.arith, 79.44, 6, 3, 1000],
      [entry.F, 75, 7, null, null],
      [entry.G, 70, 8, null, null],
      [entry.H, 65, 9, null, null],
      [entry.S, 55, 10, null, null],
      [entry.idea, 50, 11, null, null],
    ]);
    expect(awarded.tierSummary).toEqual([
      { tier: 1, planned: 1, awarded: 1, prizeYuanEach: 3000, totalYuan: 3000 },
      { tier: 2, planned: 2, awarded: 3, prizeYuanEach: 2000, totalYuan: 6000 },
      { tier: 3, planned: 3, awarded: 2, prizeYuanEach: 1000, totalYuan: 2000 },
    ]);
    // Final from now on.
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: url('/scores'), payload: { departmentId: departments.union, entryId: entry.A, points: { economic: 1 } } }), 409, undefined, 'campaign_awarded');
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: url(), payload: { tiers: { counts: [5] } } }), 409, undefined, 'campaign_awarded');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/entries'), payload: { category: 'innovation', title: 'late', completedOn: '2025-01-01', implemented: true, submitter: { type: 'worker', personId: workers[0] } } }), 409, undefined, 'campaign_awarded');
  });

  it('exports the results as .xlsx: ranked entries with department scores and prizes, the screened-out with reasons', async () => {
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: url('/export') }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/five-smalls-campaigns/abc/export' }), 400, 'params.id');
    expect((await call(w.app, null, { method: 'GET', url: url('/export') })).statusCode).toBe(401);
    const res = await call(w.app, w.cookies.viewerA, { method: 'GET', url: url('/export') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const sheets = await readWorkbook(res.rawPayload);
    expect(Object.keys(sheets)).toEqual(['评选结果', '资格审查未通过', '奖项设置']);
    const results = sheets['评选结果']!;
    expect(results[0]).toEqual(['名次', '奖项', '奖金（元）', '编号', '成果名称', '类别', '申报人/工作室', '单位', '县总工会评分', '县应急管理局评分', '县财政局评分', '综合得分']);
    expect(results).toHaveLength(12);
    expect(results[1]!.slice(0, 6)).toEqual([1, '一等奖', 3000, entry.A, '作品A', '小革新']);
    expect(results[6]!.slice(0, 5)).toEqual([6, '三等奖', 1000, entry.arith, '作品arith']);
    expect(results[6]!.slice(8)).toEqual([75, 73.33, 90, 79.44]);
    expect(results[7]![1]).toBe('');
    const out = sheets['资格审查未通过']!;
    expect(out).toHaveLength(5);
    expect(out.find((r) => r[0] === entry.faked)![5]).toBe('经核查，经济效益数据不实');
    expect(sheets['奖项设置']!.slice(1)).toEqual([
      ['一等奖', 1, 1, 3000, 3000],
      ['二等奖', 2, 3, 2000, 6000],
      ['三等奖', 3, 2, 1000, 2000],
    ]);
  });

  it('lets the union change the rules of an open campaign only', async () => {
    const other = json(await call(w.app, w.cookies.organiserA, { method: 'POST', url: '/api/five-smalls-campaigns', payload: { ...CAMPAIGN, name: '2026年度评选' } }), 201);
    const changed = json(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/five-smalls-campaigns/${other.id}`, payload: { tiers: { counts: [8, 15, 22], ties: 'exclude' } } }), 200);
    expect(changed.tiers).toEqual({ counts: [8, 15, 22], ties: 'exclude' });
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/five-smalls-campaigns/${other.id}`, payload: { screening: { completedFrom: '2025-01-01', completedTo: '2024-01-01' } } }), 400, 'body.screening.completedTo');
    refused(await call(w.app, w.cookies.hrA, { method: 'PATCH', url: `/api/five-smalls-campaigns/${other.id}`, payload: { name: 'x' } }), 403);
  });
});

describe('malformed campaign ids', () => {
  it('names the bad path parameter', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/five-smalls-campaigns/abc' }), 400, 'params.id');
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: `/api/five-smalls-campaigns/${campaignId}/entries/abc/exclusion`, payload: { reason: 'x' } }), 400, 'params.entryId');
  });
});
