import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, craftsmanCandidates, craftsmanRewardPayments } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { ageBand } from '../../server/domain/selections/report.ts';
import { loginAs, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

/**
 * The year's selections as a union reports them. Candidates are written straight into the table
 * with the statuses a finished selection leaves (the workflow itself is test/server/selections.test.ts),
 * so every figure below is counted by hand from this list.
 */
const clock = fixedClock('2027-11-20T02:00:00Z');
let app: TestApp;
let organiser: string;
let selectionId: number;

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  rootOrg(app);
  const city = makeOrg(app, { name: '合肥市总工会', level: 'city', regionCode: '340100' });
  const feixi = makeOrg(app, { name: '肥西县总工会', parentId: city.id, regionCode: '340123' });
  const employer = makeOrg(app, { name: '合肥江淮汽车', kind: 'employer', level: 'enterprise', parentId: city.id });
  organiser = await loginAs(app, 'organiser', city.id);
  const created = await call(app, organiser, {
    method: 'POST',
    url: '/api/selections',
    payload: { presetKey: 'hefei_craftsman', name: '2027年度合肥工匠评选', year: 2027, nominationsOpen: '2027-03-01', nominationsClose: '2027-04-30' },
  });
  expect(created.statusCode, created.body).toBe(201);
  selectionId = created.json().id;
  // Named: three men and one woman; two with a registered employer, one written as text, one without.
  const people = [
    { orgId: city.id, gender: 'male' as const, birthDate: '1995-06-01', employerId: employer.id, occupationName: '电工', status: 'named' as const },
    { orgId: city.id, gender: 'male' as const, birthDate: '1980-02-03', employerId: employer.id, occupationName: '电工', status: 'named' as const },
    { orgId: feixi.id, gender: 'female' as const, birthDate: '1972-09-09', employerName: '肥西县某机械厂', occupationName: '焊工', status: 'named' as const },
    { orgId: feixi.id, gender: 'male' as const, birthDate: '1965-01-01', occupationName: '钳工', status: 'named' as const },
    { orgId: feixi.id, gender: 'male' as const, birthDate: '1990-01-01', occupationName: '钳工', status: 'nomination_award' as const },
    { orgId: feixi.id, gender: 'female' as const, birthDate: '1999-01-01', occupationName: '焊工', status: 'ineligible' as const },
  ];
  const recordedBy = app.db.select().from(accounts).get()!.id;
  people.forEach(({ status, ...p }, i) => {
    const person = makePerson(app, p);
    const candidate = app.db
      .insert(craftsmanCandidates)
      .values({ selectionId, personId: person.id, source: 'unit_nomination', form: {}, eligibility: { eligible: status !== 'ineligible', failures: [] }, status, rank: i + 1, createdAt: clock.now(), updatedAt: clock.now() })
      .returning()
      .get();
    // The 合肥工匠 preset pays 20,000 yuan once; two of the named are paid in full, one in part.
    const paid = [20_000, 20_000, 5_000][i];
    if (paid) app.db.insert(craftsmanRewardPayments).values({ candidateId: candidate.id, paidOn: '2027-10-08', amountYuan: paid, voucherNumber: `HF-${i}`, budgetYear: 2027, recordedBy }).run();
  });
});
afterAll(() => app.close());

describe('the year’s craftsman selections', () => {
  it('count candidates and the named by level, occupation, region, employer type, gender and age band', async () => {
    const res = await call(app, organiser, { method: 'GET', url: '/api/selection-report?year=2027' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ year: 2027, candidates: 6, eligible: 5, named: 4, nominationAwards: 1 });
    expect(r.namedBy.level).toEqual([{ key: 'city', count: 4 }]);
    expect(r.namedBy.occupation).toEqual([
      { key: '电工', count: 2 },
      { key: '焊工', count: 1 },
      { key: '钳工', count: 1 },
    ]);
    expect(r.namedBy.region).toEqual([
      { key: '合肥市总工会', count: 2 },
      { key: '肥西县总工会', count: 2 },
    ]);
    expect(r.namedBy.employerType).toEqual([
      { key: 'organisation', count: 2 },
      { key: 'none', count: 1 },
      { key: 'written', count: 1 },
    ]);
    expect(r.namedBy.gender).toEqual([
      { key: 'male', count: 3 },
      { key: 'female', count: 1 },
    ]);
    // Ages on 31 December 2027: 32, 47, 55, 62.
    expect(r.namedBy.ageBand).toEqual([
      { key: '55_and_over', count: 2 },
      { key: '45_54', count: 1 },
      { key: 'under_35', count: 1 },
    ]);
  });

  it('add up the reward money: four titles and a nomination award due, 45,000 paid', async () => {
    const r = (await call(app, organiser, { method: 'GET', url: '/api/selection-report?year=2027' })).json();
    const due = r.money.due;
    expect(r.money.paid).toBe(45_000);
    expect(r.money.outstanding).toBe(due - 45_000);
    expect(r.selections).toEqual([expect.objectContaining({ id: selectionId, candidates: 6, named: 4, paid: 45_000, titleLevel: 'city' })]);
    // Another year has nothing.
    expect((await call(app, organiser, { method: 'GET', url: '/api/selection-report?year=2026' })).json()).toMatchObject({ selections: [], candidates: 0, named: 0, money: { due: 0, paid: 0 } });
  });

  it('show on the union’s dashboard, and as an .xlsx with a total row and the named by dimension', async () => {
    const dash = (await call(app, organiser, { method: 'GET', url: '/api/dashboard?year=2027' })).json();
    expect(dash.selections).toMatchObject({ year: 2027, selections: 1, candidates: 6, named: 4, nominationAwards: 1, paid: 45_000 });
    // Without a year the dashboard speaks of this year in Beijing (the clock says 2027).
    expect((await call(app, organiser, { method: 'GET', url: '/api/dashboard' })).json().selections.year).toBe(2027);

    const res = await call(app, organiser, { method: 'GET', url: '/api/selection-report.xlsx?year=2027' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const list = book.getWorksheet('评选')!;
    expect(list.getRow(2).getCell(1).value).toBe('2027年度合肥工匠评选');
    expect(list.getRow(3).getCell(1).value).toBe('合计');
    expect(list.getRow(3).getCell(8).value).toBe(45_000);
    const named = book.getWorksheet('命名工匠构成')!;
    const rows = named.getSheetValues().slice(2).map((v) => (v as unknown[]).slice(1, 4));
    expect(rows).toContainEqual(['性别', '女', 1]);
    expect(rows).toContainEqual(['年龄段', '35岁以下', 1]);
  });

  it('are for staff who may read selections; a year is a number', async () => {
    expect((await call(app, null, { method: 'GET', url: '/api/selection-report' })).statusCode).toBe(401);
    const bad = await call(app, organiser, { method: 'GET', url: '/api/selection-report?year=soon' });
    expect(bad.json().errors[0].field).toBe('querystring.year');
    // Another county's organiser sees none of this city's selection.
    const other = await loginAs(app, 'organiser', makeOrg(app, { name: '六安市总工会' }).id);
    expect((await call(app, other, { method: 'GET', url: '/api/selection-report?year=2027' })).json().selections).toEqual([]);
  });
});

describe('age bands', () => {
  it('count age on 31 December of the report year', () => {
    expect(ageBand('1993-12-31', 2027)).toBe('under_35');
    expect(ageBand('1992-01-01', 2027)).toBe('35_44');
    expect(ageBand('1973-06-30', 2027)).toBe('45_54');
    expect(ageBand('1972-01-01', 2027)).toBe('55_and_over');
  });
});
