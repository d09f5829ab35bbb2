import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, skillCertificates } from '../../db/schema.ts';
import { FEIXI_SUBSIDY_RATES } from '../../server/contracts/subsidies.ts';
import { loginAs, makeOrg, makePerson } from '../helpers/factories.ts';
import { fixedClock } from '../../server/clock.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
const clock = fixedClock('2026-12-02T02:00:00Z');
let city: ReturnType<typeof makeOrg>;
let feixiHr: ReturnType<typeof makeOrg>;
let lujiangHr: ReturnType<typeof makeOrg>;
let hr: string;
let organiser: string;
let cityHr: string;
let lujiang: string;
const people: Record<string, { id: number; idNumber: string }> = {};

function certify(personKey: string, orgId: number, level: number, issueDate: string | null, opts: { basis?: 'exam' | 'transfer' | 'competition_promotion'; status?: 'issued' | 'pending' } = {}) {
  app.db
    .insert(skillCertificates)
    .values({
      personId: people[personKey]!.id,
      orgId,
      occupationCode: '6-31-01-03',
      occupationName: '电工',
      level,
      certificateNumber: null,
      issueDate,
      evaluationBody: '肥西县职业技能鉴定中心',
      basis: opts.basis ?? 'exam',
      status: opts.status ?? 'issued',
    })
    .run();
}

beforeAll(async () => {
  // Sessions outlast the clock's jump to New Year's Eve.
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
  rootOrg(app);
  city = makeOrg(app, { name: '合肥市人力资源和社会保障局', kind: 'hr_bureau', level: 'city' });
  feixiHr = makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', parentId: city.id });
  lujiangHr = makeOrg(app, { name: '庐江县人力资源和社会保障局', kind: 'hr_bureau', parentId: city.id });
  hr = await loginAs(app, 'hr_officer', feixiHr.id);
  organiser = await loginAs(app, 'organiser', feixiHr.id);
  cityHr = await loginAs(app, 'hr_officer', city.id);
  lujiang = await loginAs(app, 'hr_officer', lujiangHr.id);
  for (const [key, orgId] of [['wang', feixiHr.id], ['li', feixiHr.id], ['zhao', feixiHr.id], ['qian', feixiHr.id], ['sun', lujiangHr.id]] as const) {
    const p = makePerson(app, { name: { wang: '王志强', li: '李秀英', zhao: '赵建军', qian: '钱立新', sun: '孙海波' }[key], orgId });
    people[key] = { id: p.id, idNumber: p.idNumber };
  }
  certify('wang', feixiHr.id, 4, '2026-03-20'); // intermediate: 1,500
  certify('li', feixiHr.id, 3, '2026-06-02'); // senior: 2,000
  certify('li', feixiHr.id, 4, '2026-01-15', { basis: 'competition_promotion' }); // 1,500
  certify('zhao', feixiHr.id, 5, '2026-04-01'); // junior: nothing
  certify('zhao', feixiHr.id, 3, '2026-05-01', { basis: 'transfer' }); // recognised from elsewhere: nothing
  certify('qian', feixiHr.id, 3, null, { status: 'pending' }); // not issued
  certify('qian', feixiHr.id, 4, '2025-12-31'); // last year
  certify('sun', lujiangHr.id, 3, '2026-02-10'); // Lujiang: the city's rates
});
afterAll(() => app.close());

describe('training-subsidy rates (an HR setting per level)', () => {
  it('are none until set, then the HR bureau’s own; organisers may read but not set them', async () => {
    expect((await call(app, hr, { method: 'GET', url: '/api/certificates/subsidy-rates' })).json()).toMatchObject({ rates: [], source: null, own: false });
    const refused = await call(app, organiser, { method: 'PUT', url: '/api/certificates/subsidy-rates', payload: FEIXI_SUBSIDY_RATES });
    expect(refused.statusCode).toBe(403);
    const set = await call(app, hr, { method: 'PUT', url: '/api/certificates/subsidy-rates', payload: { rates: [{ level: 3, amountYuan: 2000 }, { level: 4, amountYuan: 1500 }] } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({
      rates: [{ level: 3, amountYuan: 2000 }, { level: 4, amountYuan: 1500 }],
      bases: ['exam', 'competition_promotion', 'other'],
      source: { orgId: feixiHr.id, orgName: '肥西县人力资源和社会保障局' },
      own: true,
    });
    expect((await call(app, organiser, { method: 'GET', url: '/api/certificates/subsidy-rates' })).json().rates).toHaveLength(2);
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'subsidy.rates')).get();
    expect(audit).toMatchObject({ orgId: feixiHr.id, before: null });
  });

  it('names a level given twice and an amount below zero', async () => {
    const res = await call(app, hr, {
      method: 'PUT',
      url: '/api/certificates/subsidy-rates',
      payload: { rates: [{ level: 4, amountYuan: 1500 }, { level: 4, amountYuan: -1 }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.rates.1.amountYuan', 'body.rates.1.level']);
  });

  it('are inherited from the nearest organisation above that set them', async () => {
    await call(app, cityHr, { method: 'PUT', url: '/api/certificates/subsidy-rates', payload: { rates: [{ level: 3, amountYuan: 1800 }] } });
    expect((await call(app, lujiang, { method: 'GET', url: '/api/certificates/subsidy-rates' })).json()).toMatchObject({
      rates: [{ level: 3, amountYuan: 1800 }],
      source: { orgId: city.id },
      own: false,
    });
    // Feixi keeps its own.
    expect((await call(app, hr, { method: 'GET', url: '/api/certificates/subsidy-rates' })).json().source.orgId).toBe(feixiHr.id);
  });
});

describe('the year’s subsidy list', () => {
  it('lists the certificates issued that year that are due a subsidy, with the amount each and totals', async () => {
    const res = await call(app, hr, { method: 'GET', url: '/api/certificates/subsidies?year=2026' });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.items.map((r: { name: string; level: number; amountYuan: number }) => [r.name, r.level, r.amountYuan])).toEqual([
      ['李秀英', 4, 1500],
      ['王志强', 4, 1500],
      ['李秀英', 3, 2000],
    ]);
    expect(list.totals).toEqual({
      count: 3,
      amountYuan: 5000,
      byLevel: [
        { level: 3, levelLabel: '三级/高级工', count: 1, amountYuan: 2000 },
        { level: 4, levelLabel: '四级/中级工', count: 2, amountYuan: 3000 },
      ],
    });
    expect(list.items[1].idNumber).toBe(people.wang!.idNumber);
    // Organisers see masked ID numbers.
    const masked = (await call(app, organiser, { method: 'GET', url: '/api/certificates/subsidies?year=2026' })).json();
    expect(masked.items[1].idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    // Last year: Qian's certificate of 2025-12-31.
    expect((await call(app, hr, { method: 'GET', url: '/api/certificates/subsidies?year=2025' })).json().totals).toMatchObject({ count: 1, amountYuan: 1500 });
  });

  it('prices each county’s certificates at the rates in force there (the city sees both)', async () => {
    const list = (await call(app, cityHr, { method: 'GET', url: '/api/certificates/subsidies?year=2026&pageSize=2' })).json();
    expect(list.total).toBe(4);
    expect(list.items).toHaveLength(2);
    expect(list.totals.amountYuan).toBe(5000 + 1800);
    const lujiangOnly = (await call(app, cityHr, { method: 'GET', url: `/api/certificates/subsidies?year=2026&orgId=${lujiangHr.id}` })).json();
    expect(lujiangOnly.items.map((r: { name: string; amountYuan: number }) => [r.name, r.amountYuan])).toEqual([['孙海波', 1800]]);
  });

  it('keeps other counties out, and lists this year in Beijing by the server’s clock when no year is given', async () => {
    expect((await call(app, lujiang, { method: 'GET', url: `/api/certificates/subsidies?year=2026&orgId=${feixiHr.id}` })).statusCode).toBe(403);
    expect((await call(app, lujiang, { method: 'GET', url: '/api/certificates/subsidies?year=2026' })).json().totals.count).toBe(1);
    clock.set('2026-12-31T17:00:00Z'); // already 1 January 2027 in Beijing
    expect((await call(app, hr, { method: 'GET', url: '/api/certificates/subsidies' })).json().year).toBe(2027);
    clock.set('2026-12-31T15:00:00Z');
    expect((await call(app, hr, { method: 'GET', url: '/api/certificates/subsidies' })).json().year).toBe(2026);
    clock.set('2026-12-02T02:00:00Z');
    const badYear = await call(app, hr, { method: 'GET', url: '/api/certificates/subsidies?year=1999' });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().errors[0].field).toBe('querystring.year');
    expect((await call(app, null, { method: 'GET', url: '/api/certificates/subsidies?year=2026' })).statusCode).toBe(401);
  });

  it('exports the list as .xlsx that opens with every row, full ID numbers for HR, a total row and a summary per level', async () => {
    const res = await call(app, hr, { method: 'GET', url: '/api/certificates/subsidies/export?year=2026' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('培训补贴_2026.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('补贴名单')!;
    expect(String(sheet.getCell('A1').value)).toContain('2026年职业技能等级认定培训补贴名单');
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['序号', '姓名', '证件号码', '职业编码', '职业名称', '职业技能等级', '证书编号', '发证日期', '认定方式', '补贴金额（元）']);
    const data = [3, 4, 5].map((r) => (sheet.getRow(r).values as unknown[]).slice(1));
    expect(data.map((r) => [r[1], r[5], r[8], r[9]])).toEqual([
      ['李秀英', '四级/中级工', '以赛代评', 1500],
      ['王志强', '四级/中级工', '考核评价', 1500],
      ['李秀英', '三级/高级工', '考核评价', 2000],
    ]);
    // The ID number is text with all 18 characters.
    expect(sheet.getCell('C4').value).toBe(people.wang!.idNumber);
    expect((sheet.getRow(6).values as unknown[]).slice(1)).toEqual(['合计', '3人次', '', '', '', '', '', '', '', 5000]);
    const summary = wb.getWorksheet('按等级汇总')!;
    expect(summary.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1))).toEqual([
      ['职业技能等级', '人次', '补贴金额（元）'],
      ['三级/高级工', 1, 2000],
      ['四级/中级工', 2, 3000],
      ['合计', 3, 5000],
    ]);
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'subsidies.export')).all().at(-1)).toMatchObject({ after: { year: 2026, rows: 3, idNumbers: 'full' } });
  });

  it('masks ID numbers in an organiser’s export', async () => {
    const res = await call(app, organiser, { method: 'GET', url: '/api/certificates/subsidies/export?year=2026' });
    expect(res.headers['x-id-numbers']).toBe('masked');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(String(wb.getWorksheet('补贴名单')!.getCell('C4').value)).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });
});
