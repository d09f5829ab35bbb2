import { count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, people, skillCertificates } from '../../db/schema.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../server/contracts/import.ts';
import { buildCertificateNumber } from '../../server/domain/awards/index.ts';
import type { CertificateImportReport } from '../../server/features/certificates/certificates-import.contract.ts';
import { loginAs, makeOrg, makePerson, makeResidentId } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let bureau: ReturnType<typeof makeOrg>;
let otherBureau: ReturnType<typeof makeOrg>;
let hr: string;
let admin: string;
let viewer: string;
let organiser: string;
let otherHr: string;
const workers: { id: number; name: string; idNumber: string }[] = [];
let stranger: { id: number; name: string; idNumber: string };

const HEADERS = ['序号', '姓名', '性别', '证件类型', '证件号码', '职业编码', '职业名称', '工种/职业方向', '职业技能等级', '理论知识成绩', '操作技能成绩', '证书编号', '发证日期', '评价机构', '认定方式'];

let serial = 0;
/** A valid number for a 2024 certificate at `level`, distinct on every call. */
function number(level: number, year = 2024): string {
  return buildCertificateNumber({ issuer: 'social_body', bodyCode: '0001', provinceCode: '34', siteSequence: '000001', year, level, serial: ++serial });
}

type Row = { seq?: number; name: string; idNumber: string; level: string | number; certificateNumber: string; issueDate?: string; body?: string; basis?: string; theory?: string | number };
function cells(r: Row): (string | number)[] {
  return [r.seq ?? 1, r.name, '男', '居民身份证', r.idNumber, '6-18-02-04', '焊工', '--', r.level, r.theory ?? 82, 88.5, r.certificateNumber, r.issueDate ?? '2024-06-18', r.body ?? '肥西县职业技能鉴定中心', r.basis ?? '考核评价'];
}

async function xlsxOf(rows: Row[], opts: { headers?: string[] } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('职业技能等级');
  ws.addRow(opts.headers ?? HEADERS);
  for (const r of rows) ws.addRow(cells(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** UTF-8 with a byte-order mark, as Excel saves "CSV UTF-8", with a title row above the headers. */
function csvOf(rows: Row[], opts: { title?: string } = {}): Buffer {
  const lines = [...(opts.title ? [opts.title] : []), HEADERS.join(','), ...rows.map((r) => cells(r).join(','))];
  return Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
}

function importFile(cookie: string | null, body: Buffer, type: string, dryRun: boolean) {
  return call(app, cookie, { method: 'POST', url: `/api/certificates/import?dryRun=${dryRun}`, headers: { 'content-type': type }, payload: body });
}

const certificateCount = () => app.db.select({ n: count() }).from(skillCertificates).get()!.n;
const auditCount = (action: string) => app.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)).get()!.n;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  bureau = makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau' });
  // Another county (庐江县, 340124): its region does not cover Feixi's workers, nor Feixi's its.
  otherBureau = makeOrg(app, { name: '庐江县人力资源和社会保障局', kind: 'hr_bureau', regionCode: '340124' });
  hr = await loginAs(app, 'hr_officer', bureau.id);
  admin = await loginAs(app, 'admin');
  viewer = await loginAs(app, 'viewer', bureau.id);
  organiser = await loginAs(app, 'organiser', bureau.id);
  otherHr = await loginAs(app, 'hr_officer', otherBureau.id);
  for (const name of ['张建国', '李志强', '王俊杰', '刘海涛', '陈文博', '杨晓东'])
    workers.push(makePerson(app, { orgId: bureau.id, name, idNumber: makeResidentId({ birth: '19860312' }), skillLevel: 5 }));
  stranger = makePerson(app, { orgId: otherBureau.id, name: '周立新', idNumber: makeResidentId({ birth: '19790101' }) });
});
afterAll(() => app.close());

describe('certified-level import', () => {
  const w = (i: number) => workers[i]!;

  it('checks an .xlsx in a dry run, storing nothing, then imports it with every level spelling', async () => {
    const rows: Row[] = [
      { seq: 1, name: w(0).name, idNumber: w(0).idNumber, level: '三级/高级工', certificateNumber: number(3) },
      { seq: 2, name: w(1).name, idNumber: w(1).idNumber, level: '高级工', certificateNumber: number(3) },
      { seq: 3, name: w(2).name, idNumber: w(2).idNumber, level: '三级', certificateNumber: number(3).toLowerCase() },
      { seq: 4, name: w(3).name, idNumber: w(3).idNumber, level: 3, certificateNumber: number(3), issueDate: '2024/6/18', basis: '以赛代评' },
    ];
    const file = await xlsxOf(rows);
    const dry = await importFile(hr, file, XLSX_CONTENT_TYPE, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, stored: false, headerRow: 1, total: 4, valid: 4, created: 4, errors: [] });
    expect(certificateCount()).toBe(0);
    expect(auditCount('certificate.create') + auditCount('certificates.import')).toBe(0);

    const real = await importFile(hr, file, XLSX_CONTENT_TYPE, false);
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({ dryRun: false, stored: true, total: 4, valid: 4, created: 4 });
    const stored = app.db.select().from(skillCertificates).all();
    expect(stored).toHaveLength(4);
    expect(stored.every((c) => c.level === 3 && c.status === 'issued' && c.issueDate === '2024-06-18')).toBe(true);
    expect(stored.find((c) => c.personId === w(3).id)!.basis).toBe('competition_promotion');
    expect(stored.find((c) => c.personId === w(2).id)!.certificateNumber).toMatch(/^S/);
    expect(stored.find((c) => c.personId === w(0).id)).toMatchObject({ theoryScore: 82, practicalScore: 88.5, trade: '--', occupationCode: '6-18-02-04' });
    // The person's current level follows the new certificate (3 beats the 5 they had).
    expect(app.db.select().from(people).where(eq(people.id, w(0).id)).get()!.skillLevel).toBe(3);
    expect(auditCount('certificate.create')).toBe(4);
    expect(auditCount('certificates.import')).toBe(1);
  });

  it('reports each bad row of a UTF-8 CSV by its sheet row and column, and stores nothing, not even the good rows', async () => {
    const taken = app.db.select().from(skillCertificates).get()!.certificateNumber!;
    const repeated = number(4);
    const unknownId = makeResidentId({ birth: '19900909' });
    const rows: Row[] = [
      /* sheet row 3 */ { name: w(4).name, idNumber: w(4).idNumber, level: '四级/中级工', certificateNumber: repeated },
      /* 4: year digits 23, issued 2024 */ { name: w(5).name, idNumber: w(5).idNumber, level: '四级/中级工', certificateNumber: number(4, 2023) },
      /* 5: number says level 2, record says 高级工 */ { name: w(5).name, idNumber: w(5).idNumber, level: '高级工', certificateNumber: number(2) },
      /* 6: not a certificate number */ { name: w(5).name, idNumber: w(5).idNumber, level: '高级工', certificateNumber: 'X12345' },
      /* 7: nobody with this ID number */ { name: '赵无名', idNumber: unknownId, level: '高级工', certificateNumber: number(3) },
      /* 8: someone outside the bureau */ { name: stranger.name, idNumber: stranger.idNumber, level: '高级工', certificateNumber: number(3) },
      /* 9: a level that does not exist */ { name: w(5).name, idNumber: w(5).idNumber, level: '特级工', certificateNumber: number(3) },
      /* 10: same number as row 3 */ { name: w(5).name, idNumber: w(5).idNumber, level: 4, certificateNumber: repeated },
      /* 11: already recorded */ { name: w(5).name, idNumber: w(5).idNumber, level: 3, certificateNumber: taken },
      /* 12: wrong name for the ID number, bad date, bad score */ { name: '杨小东', idNumber: w(5).idNumber, level: 4, certificateNumber: number(4), issueDate: '2024-02-30', theory: 120 },
    ];
    const file = csvOf(rows, { title: '2024年肥西县职业技能等级认定结果' });
    const before = certificateCount();

    const dry = await importFile(hr, file, `${CSV_CONTENT_TYPE}; charset=utf-8`, true);
    expect(dry.statusCode).toBe(200);
    const report = dry.json() as CertificateImportReport;
    expect(report).toMatchObject({ dryRun: true, stored: false, headerRow: 2, total: 10, valid: 1 });
    const at = (row: number) => report.errors.filter((e) => e.row === row).map((e) => `${e.column}:${e.code}`);
    expect(at(3)).toEqual([]);
    expect(at(4)).toEqual(['证书编号:certificate_number']);
    expect(report.errors.find((e) => e.row === 4)!.message).toMatch(/year digits/);
    expect(at(5)).toEqual(['证书编号:certificate_number']);
    expect(report.errors.find((e) => e.row === 5)!.message).toMatch(/level digit/);
    expect(at(6)).toEqual(['证书编号:certificate_number']);
    expect(at(7)).toEqual(['证件号码:unknown_person']);
    expect(at(8)).toEqual(['证件号码:unknown_person']);
    expect(at(9)).toEqual(['职业技能等级:level']);
    expect(report.errors.find((e) => e.row === 9)!.value).toBe('特级工');
    expect(at(10)).toEqual(['证书编号:number_repeated']);
    expect(at(11)).toEqual(['证书编号:number_taken']);
    expect(at(12).sort()).toEqual(['发证日期:date', '姓名:name_mismatch', '理论知识成绩:score']);
    expect(certificateCount()).toBe(before);

    const real = await importFile(hr, file, CSV_CONTENT_TYPE, false);
    expect(real.statusCode).toBe(400);
    expect(real.json()).toMatchObject({ code: 'import_invalid', report: { stored: false, created: 0, valid: 1, total: 10 } });
    expect(real.json().errors[0].field).toBe('rows.4.certificateNumber');
    // All or nothing: the one good row (row 3) was not stored either.
    expect(certificateCount()).toBe(before);
    expect(app.db.select().from(skillCertificates).where(eq(skillCertificates.certificateNumber, repeated)).get()).toBeUndefined();
    expect(auditCount('certificates.import')).toBe(1);
  });

  it('reads the headers of the bureau’s own export layout, so an export can be re-imported', async () => {
    const layout = (await call(app, hr, { method: 'GET', url: '/api/certificates/export-layout' })).json() as { columns: { key: string; header: string }[] };
    const renamed = { columns: layout.columns.map((c) => (c.key === 'certificateNumber' ? { ...c, header: '证书流水号' } : c)) };
    expect((await call(app, hr, { method: 'PUT', url: '/api/certificates/export-layout', payload: renamed })).statusCode).toBe(200);
    const file = await xlsxOf([{ name: w(4).name, idNumber: w(4).idNumber, level: '四级/中级工', certificateNumber: number(4) }], {
      headers: HEADERS.map((h) => (h === '证书编号' ? '证书流水号' : h)),
    });
    const res = await importFile(hr, file, XLSX_CONTENT_TYPE, true);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: 1, errors: [] });
    // Another bureau keeps the provincial headers: the same file lacks 证书编号 for it.
    const other = await importFile(otherHr, file, XLSX_CONTENT_TYPE, true);
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({ code: 'missing_columns' });
    expect(other.json().detail).toContain('证书编号');
  });

  it('lets administrators import, and refuses viewers, organisers and signed-out callers', async () => {
    const file = csvOf([{ name: w(5).name, idNumber: w(5).idNumber, level: 4, certificateNumber: number(4) }]);
    expect((await importFile(admin, file, CSV_CONTENT_TYPE, true)).json()).toMatchObject({ valid: 1, total: 1 });
    const asViewer = await importFile(viewer, file, CSV_CONTENT_TYPE, true);
    expect(asViewer.statusCode).toBe(403);
    expect(asViewer.json().code).toBe('forbidden');
    expect((await importFile(organiser, file, CSV_CONTENT_TYPE, false)).statusCode).toBe(403);
    const signedOut = await importFile(null, file, CSV_CONTENT_TYPE, false);
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.json().code).toBe('unauthorized');
  });

  it('answers 415 for a body that is not a spreadsheet type and 400 for a file it cannot read', async () => {
    const json = await call(app, hr, { method: 'POST', url: '/api/certificates/import', payload: { rows: [] } });
    expect(json.statusCode).toBe(415);
    expect(json.json().code).toBe('unsupported_media_type');
    const text = await importFile(hr, Buffer.from('姓名,证件号码'), 'text/plain', true);
    expect(text.statusCode).toBe(415);
    const pdf = await importFile(hr, Buffer.from('%PDF-1.4'), 'application/pdf', true);
    expect(pdf.statusCode).toBe(415);
    const notXlsx = await importFile(hr, Buffer.from('this is not a zip archive'), XLSX_CONTENT_TYPE, true);
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().code).toBe('unreadable_file');
    const noHeaders = await importFile(hr, Buffer.from('甲,乙,丙\r\n1,2,3\r\n'), CSV_CONTENT_TYPE, true);
    expect(noHeaders.statusCode).toBe(400);
    expect(noHeaders.json().code).toBe('missing_columns');
    const headersOnly = await importFile(hr, csvOf([]), CSV_CONTENT_TYPE, true);
    expect(headersOnly.statusCode).toBe(400);
    expect(headersOnly.json().code).toBe('no_rows');
  });
});
