import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, people, skillCertificates } from '../../db/schema.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { residentId } from '../helpers/scenario.ts';
import { csvField } from '../../server/features/certificates/export.service.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let hrBureau: ReturnType<typeof makeOrg>;
let hr: string;
let organiser: string;

/** Three records: two issued in 2026 (levels 4 and 2), one in 2025. */
const RECORDS = [
  { name: '王建国', seq: 11, level: 4, issueDate: '2026-03-15', number: 'Y000134000001264000001', theory: 82, practical: 88.5, trade: '--' },
  { name: '李秀英', seq: 12, level: 2, issueDate: '2026-06-30', number: 'S123434000002262000017', theory: 90, practical: 93, trade: '配电线路' },
  { name: '张伟', seq: 13, level: 3, issueDate: '2025-12-01', number: 'Y000134000001253000002', theory: null, practical: 79, trade: '--' },
];

beforeAll(async () => {
  app = await buildTestApp();
  const county = makeOrg(app, { name: '肥西县总工会' });
  hrBureau = makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', parentId: county.id });
  hr = await loginAs(app, 'hr_officer', hrBureau.id);
  organiser = await loginAs(app, 'organiser', county.id);
  for (const r of RECORDS) {
    const person = app.db
      .insert(people)
      .values({ orgId: hrBureau.id, name: r.name, idNumber: residentId(r.seq, '19880214'), gender: r.seq % 2 ? 'male' : 'female', birthDate: '1988-02-14' })
      .returning()
      .get();
    app.db
      .insert(skillCertificates)
      .values({
        personId: person.id,
        orgId: hrBureau.id,
        occupationCode: '6-31-01-03',
        occupationName: '电工',
        trade: r.trade,
        level: r.level,
        certificateNumber: r.number,
        issueDate: r.issueDate,
        evaluationBody: '肥西县职业技能鉴定中心',
        basis: r.level === 2 ? 'competition_promotion' : 'exam',
        theoryScore: r.theory,
        practicalScore: r.practical,
      })
      .run();
  }
});
afterAll(() => app.close());

async function readXlsx(body: Buffer): Promise<(string | number | null)[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  sheet.eachRow((row) => rows.push((row.values as (string | number | null)[]).slice(1)));
  return rows;
}

describe('exporting certified levels for the HR bureau', () => {
  it('writes the provincial layout to .xlsx, read back cell by cell, with full ID numbers for an HR officer', async () => {
    const res = await call(app, hr, { method: 'GET', url: '/api/certificates/export?format=xlsx&from=2026-01-01&to=2026-12-31' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['x-id-numbers']).toBe('full');
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual(['序号', '姓名', '性别', '证件类型', '证件号码', '职业编码', '职业名称', '工种/职业方向', '职业技能等级', '理论知识成绩', '操作技能成绩', '证书编号', '发证日期', '评价机构', '认定方式']);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([1, '王建国', '男', '居民身份证', residentId(11, '19880214'), '6-31-01-03', '电工', '--', '四级/中级工', 82, 88.5, 'Y000134000001264000001', '2026-03-15', '肥西县职业技能鉴定中心', '考核评价']);
    expect(rows[2]).toEqual([2, '李秀英', '女', '居民身份证', residentId(12, '19880214'), '6-31-01-03', '电工', '配电线路', '二级/技师', 90, 93, 'S123434000002262000017', '2026-06-30', '肥西县职业技能鉴定中心', '以赛代评']);
  });

  it('masks ID numbers for other roles, and audits every export', async () => {
    const res = await call(app, organiser, { method: 'GET', url: '/api/certificates/export?format=xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-id-numbers']).toBe('masked');
    const rows = await readXlsx(res.rawPayload);
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(1)) expect(String(row[4])).toMatch(/^340123\*{8}\d{3}[\dX]$/);
    const audits = app.db.select().from(auditLog).where(eq(auditLog.action, 'certificates.export')).all();
    expect(audits.length).toBeGreaterThanOrEqual(2);
    expect(audits.at(-1)!.after).toMatchObject({ format: 'xlsx', rows: 3, idNumbers: 'masked' });
  });

  it('writes CSV in UTF-8 with a byte-order mark, filtered by level', async () => {
    const res = await call(app, hr, { method: 'GET', url: '/api/certificates/export?format=csv&level=3' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    // The ID number as ="…", so Excel keeps all 18 digits; the platform's -- placeholder as it is.
    expect(lines[1]).toBe(`1,张伟,男,居民身份证,"=""${residentId(13, '19880214')}""",6-31-01-03,电工,--,三级/高级工,,79,Y000134000001253000002,2025-12-01,肥西县职业技能鉴定中心,考核评价`);
  });

  it('neutralises cells that Excel would run as formulas (CSV injection)', () => {
    expect(csvField('=HYPERLINK("http://evil.example","点我")')).toBe(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    for (const attack of ['+1+cmd|calc', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvField(attack).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField('--')).toBe('--');
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('340123199001011234', true)).toBe('"=""340123199001011234"""');
    expect(csvField('340123********1234', true)).toBe('340123********1234');
  });

  it('keeps the column layout as a setting', async () => {
    const bad = await call(app, hr, { method: 'PUT', url: '/api/certificates/export-layout', payload: { columns: [{ key: 'shoeSize', header: 'x' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.columns.0.key');
    expect((await call(app, organiser, { method: 'PUT', url: '/api/certificates/export-layout', payload: { columns: [{ key: 'name', header: '姓名' }] } })).statusCode).toBe(403);
    const layout = { columns: [{ key: 'certificateNumber', header: '证书编号' }, { key: 'name', header: '姓名' }] };
    expect((await call(app, hr, { method: 'PUT', url: '/api/certificates/export-layout', payload: layout })).statusCode).toBe(200);
    const res = await call(app, hr, { method: 'GET', url: '/api/certificates/export?format=csv&level=4' });
    expect(res.body.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual(['证书编号,姓名', 'Y000134000001264000001,王建国']);
  });

  it('refuses bad filters and callers who are not signed in or outside the subtree', async () => {
    const bad = await call(app, hr, { method: 'GET', url: '/api/certificates/export?level=9&from=2026-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['querystring.from', 'querystring.level']);
    expect((await call(app, null, { method: 'GET', url: '/api/certificates/export' })).statusCode).toBe(401);
    const other = await loginAs(app, 'hr_officer', makeOrg(app, { name: '长丰县人社局', kind: 'hr_bureau' }).id);
    expect((await call(app, other, { method: 'GET', url: `/api/certificates/export?orgId=${hrBureau.id}` })).statusCode).toBe(403);
    const own = await call(app, other, { method: 'GET', url: '/api/certificates/export?format=csv' });
    expect(own.body.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
  });
});
