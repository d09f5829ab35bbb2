import { count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, people } from '../../db/schema.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, type ImportReport } from '../../server/contracts/import.ts';
import { residentIdCheckChar } from '../../server/domain/resident-id.ts';
import { loginAs, makeCompetition, makeEvent, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let county: ReturnType<typeof makeOrg>;
let otherCounty: ReturnType<typeof makeOrg>;
let teamA: ReturnType<typeof makeOrg>;
let teamB: ReturnType<typeof makeOrg>;
let organiser: string;
let admin: string;
let viewer: string;
let otherOrganiser: string;

const HEADERS_ZH = ['姓名', '身份证号', '手机号', '工作单位', '代表队', '职业编码', '职业名称', '技能等级'];

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  county = makeOrg(app, { name: '肥西县总工会' });
  otherCounty = makeOrg(app, { name: '庐江县总工会' });
  teamA = makeOrg(app, { name: '国网肥西县供电公司', kind: 'employer', level: 'enterprise', parentId: county.id });
  teamB = makeOrg(app, { name: '桃花工业园工会', kind: 'union', level: 'township', parentId: county.id });
  // Same name as nothing in the county: an organisation outside the competition owner's subtree.
  makeOrg(app, { name: '庐江县供电公司', kind: 'employer', parentId: otherCounty.id });
  organiser = await loginAs(app, 'organiser', county.id);
  admin = await loginAs(app, 'admin');
  viewer = await loginAs(app, 'viewer', county.id);
  otherOrganiser = await loginAs(app, 'organiser', otherCounty.id);
});
afterAll(() => app.close());

let seq = 0;
/** A valid resident ID born 1988-04-12 in 肥西县, distinct on each call (up to 1,000 per birth day). */
function residentId(): string {
  const n = seq++;
  const day = String(1 + Math.floor(n / 1000) % 28).padStart(2, '0');
  const first17 = `340123198804${day}${String(n % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
/** The same ID number with a wrong check character. */
function withWrongCheck(id: string): string {
  const last = id[17] === '1' ? '2' : '1';
  return id.slice(0, 17) + last;
}

function newEvent() {
  const competition = makeCompetition(app, { orgId: county.id, status: 'registration' });
  return makeEvent(app, { competitionId: competition.id });
}

async function xlsx(rows: (string | number | null)[][], opts: { title?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('报名表');
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, 8);
  }
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function csv(rows: string[][], bom = true): Buffer {
  const text = rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
  return Buffer.from((bom ? '\uFEFF' : '') + text + '\r\n', 'utf8');
}

function upload(cookie: string | null, eventId: number, body: Buffer | string, contentType: string, dryRun = false) {
  return call(app, cookie, {
    method: 'POST',
    url: `/api/events/${eventId}/entries/import${dryRun ? '?dryRun=true' : ''}`,
    headers: { 'content-type': contentType },
    payload: body,
  });
}

const entryCount = (eventId: number) => app.db.select({ n: count() }).from(entries).where(eq(entries.eventId, eventId)).get()!.n;
const peopleCount = () => app.db.select({ n: count() }).from(people).get()!.n;

describe('POST /api/events/:id/entries/import', () => {
  it('imports an .xlsx with a title row, columns in any order and a blank row', async () => {
    const event = newEvent();
    const [a, b, c] = [residentId(), residentId(), residentId()];
    const file = await xlsx(
      [
        ['代表队', '姓名', '技能等级', '身份证号', '手机号', '工作单位', '职业编码', '职业名称'],
        ['国网肥西县供电公司', '张建国', '高级工', a, '13800001111', '国网肥西县供电公司', '6-28-01-05', '配电线路工'],
        [null, null, null, null, null, null, null, null],
        ['桃花工业园工会', '李秀英', 4, b, null, null, null, null],
        [null, '王志强', '三级/高级工', c, null, null, null, null],
      ],
      { title: '2026年肥西县职工职业技能大赛报名表' },
    );
    const res = await upload(organiser, event.id, file, XLSX_CONTENT_TYPE);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as ImportReport;
    expect(report).toMatchObject({ dryRun: false, stored: true, headerRow: 2, total: 3, valid: 3, created: 3, existing: 0, peopleCreated: 3, errors: [] });

    const zhang = app.db.select().from(people).where(eq(people.idNumber, a)).get()!;
    expect(zhang).toMatchObject({ name: '张建国', phone: '13800001111', employerId: teamA.id, occupationCode: '6-28-01-05', skillLevel: 3, orgId: county.id });
    expect(app.db.select().from(people).where(eq(people.idNumber, b)).get()?.skillLevel).toBe(4);
    const stored = app.db.select().from(entries).where(eq(entries.eventId, event.id)).all();
    expect(stored.map((e) => e.delegationId).sort()).toEqual([null, teamA.id, teamB.id].sort());

    // The same file again changes nothing: every row is an existing entry.
    const again = (await upload(organiser, event.id, file, XLSX_CONTENT_TYPE)).json() as ImportReport;
    expect(again).toMatchObject({ stored: true, created: 0, existing: 3 });
    expect(entryCount(event.id)).toBe(3);
  });

  it('gives a template (.xlsx: header row, example row) that imports as it is filled in, its example skipped', async () => {
    const res = await call(app, organiser, { method: 'GET', url: '/api/import-templates/entrants' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_CONTENT_TYPE);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('参赛选手导入模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(HEADERS_ZH);
    const example = (ws.getRow(2).values as unknown[]).slice(1).map(String);
    expect(example[0]).toMatch(/^（示例）/);
    // The ID column is text: a number typed there keeps all 18 digits.
    expect(ws.getColumn(2).numFmt).toBe('@');

    // Filled in below the example and sent back: only the real row is imported.
    const id = residentId();
    ws.addRow(['赵铁柱', id, '13900002222', '国网肥西县供电公司', '', '', '', '中级工']);
    const event = newEvent();
    const report = (await upload(organiser, event.id, Buffer.from(await wb.xlsx.writeBuffer()), XLSX_CONTENT_TYPE)).json() as ImportReport;
    expect(report).toMatchObject({ stored: true, total: 1, created: 1, errors: [] });
    expect(app.db.select().from(people).where(eq(people.idNumber, id)).get()?.name).toBe('赵铁柱');
    expect(app.db.select().from(people).where(eq(people.idNumber, '11010519491231002X')).get()).toBeUndefined();

    const certificates = await call(app, viewer, { method: 'GET', url: '/api/import-templates/certificates' });
    expect(certificates.statusCode).toBe(200);
    const cwb = new ExcelJS.Workbook();
    await cwb.xlsx.load(certificates.rawPayload as unknown as ArrayBuffer);
    expect((cwb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toContain('证件号码');
    expect(String((cwb.worksheets[0]!.getRow(2).values as unknown[])[1])).toMatch(/^（示例）/);
    expect((await call(app, null, { method: 'GET', url: '/api/import-templates/entrants' })).statusCode).toBe(401);
  });

  it('reads a UTF-8 CSV with a byte-order mark and English headers; a dry run stores nothing', async () => {
    const event = newEvent();
    const before = { people: peopleCount(), audit: app.db.select({ n: count() }).from(auditLog).get()!.n };
    const file = csv([
      ['idNumber', 'name', 'delegation', 'phone'],
      [residentId(), '赵海涛', '国网肥西县供电公司', '13912345678'],
      [residentId(), '钱丽华', '', ''],
      ['', '', '', ''],
    ]);
    const dry = await upload(organiser, event.id, file, `${CSV_CONTENT_TYPE}; charset=utf-8`, true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, stored: false, headerRow: 1, total: 2, valid: 2, created: 2, peopleCreated: 2, errors: [] });
    expect(entryCount(event.id)).toBe(0);
    expect(peopleCount()).toBe(before.people);
    expect(app.db.select({ n: count() }).from(auditLog).get()!.n).toBe(before.audit);

    const real = await upload(organiser, event.id, file, CSV_CONTENT_TYPE);
    expect(real.json()).toMatchObject({ dryRun: false, stored: true, total: 2, created: 2 });
    expect(entryCount(event.id)).toBe(2);
  });

  it('reads a CSV without a byte-order mark, and one saved by Chinese Excel in GB18030', async () => {
    const event = newEvent();
    const plain = await upload(organiser, event.id, csv([['姓名', '身份证号'], ['孙伟', residentId()]], false), CSV_CONTENT_TYPE);
    expect(plain.json()).toMatchObject({ stored: true, created: 1 });

    // "姓名,身份证号,代表队" / "王伟,<id>,肥西县供电" in GBK bytes; the delegation name is unknown on purpose.
    const id = residentId();
    const gbk = Buffer.concat([
      Buffer.from('d0d5c3fb2cc9edb7ddd6a4bac52cb4fab1edb6d30d0a', 'hex'),
      Buffer.from('cdf5ceb0', 'hex'),
      Buffer.from(`,${id},`),
      Buffer.from('b7cacef7cfd8b9a9b5e70d0a', 'hex'),
    ]);
    const res = await upload(organiser, event.id, gbk, CSV_CONTENT_TYPE, true);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors).toEqual([expect.objectContaining({ row: 2, column: '代表队', code: 'unknown_organisation', message: expect.stringContaining('肥西县供电') })]);
  });

  it('reports every bad row by sheet row and column, and stores nothing', async () => {
    const event = newEvent();
    const known = makePerson(app, { name: '周明辉', orgId: county.id });
    const good = residentId();
    const peopleBefore = peopleCount();
    const file = await xlsx([
      HEADERS_ZH,
      ['吴晓东', good, '13800002222', '', '', '', '', ''], // row 2: fine
      ['郑立新', withWrongCheck(residentId()), '', '', '', '', '', ''], // row 3: check character
      ['', residentId(), '', '', '', '', '', ''], // row 4: no name
      ['冯永刚', residentId(), '', '', '不存在的代表队', '', '', ''], // row 5: unknown delegation
      ['陈宏伟', residentId(), 'abc', '', '', '6310103', '', '特级'], // row 6: phone, occupation code, level
      ['周明辉改', known.idNumber, '', '', '', '', '', ''], // row 7: a known ID number under another name
      ['何家豪', '34012319881332001X', '', '', '', '', '', ''], // row 8: no 13th month
      ['曹光辉', 340123198804120000, '', '', '', '', '', ''], // row 9: typed into a number cell, digits lost
    ]);
    const res = await upload(organiser, event.id, file, XLSX_CONTENT_TYPE);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json() as { code: string; errors: { field: string }[]; report: ImportReport };
    expect(body.code).toBe('import_invalid');
    const errs = body.report.errors.map((e) => [e.row, e.column, e.code]);
    expect(errs).toEqual([
      [3, '身份证号', 'id_check_char'],
      [4, '姓名', 'required'],
      [5, '代表队', 'unknown_organisation'],
      [6, '手机号', 'phone_format'],
      [6, '职业编码', 'occupation_code_format'],
      [6, '技能等级', 'skill_level'],
      [7, '姓名', 'name_mismatch'],
      [8, '身份证号', 'id_birth_date'],
      [9, '身份证号', 'id_stored_as_number'],
    ]);
    expect(body.errors).toContainEqual({ field: 'rows.3.idNumber', message: 'the check character of the ID number is wrong' });
    // The report quotes the cell, and a name mismatch found by the bulk registration names its row too.
    expect(body.report.errors.find((e) => e.row === 7)).toMatchObject({ field: 'name', value: '周明辉改' });
    expect(body.report.errors.find((e) => e.row === 4)).toMatchObject({ field: 'name', value: '' });
    expect(body.report).toMatchObject({ stored: false, total: 8, valid: 1, created: 0 });
    expect(entryCount(event.id)).toBe(0);
    expect(peopleCount()).toBe(peopleBefore);

    // The dry run gives the same report, and says what the one good row would do.
    const dry = (await upload(organiser, event.id, file, XLSX_CONTENT_TYPE, true)).json() as ImportReport;
    expect(dry.errors.map((e) => [e.row, e.column, e.code])).toEqual(errs);
    expect(dry).toMatchObject({ dryRun: true, stored: false, total: 8, valid: 1, created: 1, peopleCreated: 1 });
    expect(entryCount(event.id)).toBe(0);
  });

  it('names organisations only within the competition owner’s subtree; an employer outside it is kept as text', async () => {
    const event = newEvent();
    const file = csv([
      ['姓名', '身份证号', '工作单位', '代表队'],
      ['林春雷', residentId(), '庐江县供电公司', '国网肥西县供电公司'],
      ['罗振华', residentId(), '国网肥西县供电公司', '庐江县供电公司'],
    ]);
    const res = await upload(organiser, event.id, file, CSV_CONTENT_TYPE);
    expect(res.statusCode).toBe(400);
    expect(res.json().report.errors).toEqual([
      { row: 3, column: '代表队', field: 'delegation', value: '庐江县供电公司', code: 'unknown_organisation', message: expect.stringContaining('庐江县供电公司') },
    ]);
    // Not an organisation the competition may name: the employer is kept as written, and the report says so.
    expect(res.json().report.employersAsText).toEqual(['庐江县供电公司']);
    expect(entryCount(event.id)).toBe(0);
  });

  it('imports 2,000 rows in a few seconds (.xlsx and CSV)', async () => {
    for (const kind of ['csv', 'xlsx'] as const) {
      const event = newEvent();
      const rows: string[][] = [HEADERS_ZH];
      for (let i = 0; i < 2000; i++)
        rows.push([`选手${kind}${i}`, residentId(), `138${String(i).padStart(8, '0')}`, '国网肥西县供电公司', i % 2 ? '国网肥西县供电公司' : '桃花工业园工会', '6-28-01-05', '配电线路工', String(1 + (i % 5))]);
      const file = kind === 'csv' ? csv(rows) : await xlsx(rows);
      const started = performance.now();
      const dry = await upload(organiser, event.id, file, kind === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE, true);
      const dryMs = performance.now() - started;
      const t0 = performance.now();
      const res = await upload(organiser, event.id, file, kind === 'csv' ? CSV_CONTENT_TYPE : XLSX_CONTENT_TYPE);
      const ms = performance.now() - t0;
      console.log(`import of 2,000 rows (${kind}, ${(file.length / 1024).toFixed(0)} KB): dry run ${dryMs.toFixed(0)} ms, import ${ms.toFixed(0)} ms`);
      expect(dry.json()).toMatchObject({ total: 2000, valid: 2000, created: 2000, stored: false });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.json()).toMatchObject({ total: 2000, valid: 2000, created: 2000, existing: 0, peopleCreated: 2000, stored: true });
      expect(entryCount(event.id)).toBe(2000);
      expect(ms).toBeLessThan(5000);
    }
  });

  it('refuses more than 2,000 rows, a sheet without the required columns, an empty or broken file', async () => {
    const event = newEvent();
    const big: string[][] = [['姓名', '身份证号']];
    for (let i = 0; i < 2001; i++) big.push([`选手${i}`, residentId()]);
    const tooMany = await upload(organiser, event.id, csv(big), CSV_CONTENT_TYPE, true);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().code).toBe('too_many_rows');

    const noId = await upload(organiser, event.id, csv([['姓名', '电话'], ['张三', '123']]), CSV_CONTENT_TYPE);
    expect(noId.statusCode).toBe(400);
    expect(noId.json()).toMatchObject({ code: 'missing_columns', detail: expect.stringContaining('身份证号') });

    const headerOnly = await upload(organiser, event.id, csv([HEADERS_ZH]), CSV_CONTENT_TYPE);
    expect(headerOnly.json().code).toBe('no_rows');

    const empty = await upload(organiser, event.id, Buffer.alloc(0), CSV_CONTENT_TYPE);
    expect(empty.statusCode).toBe(400);

    const broken = await upload(organiser, event.id, Buffer.from('not a zip file'), XLSX_CONTENT_TYPE);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('unreadable_file');
    expect(entryCount(event.id)).toBe(0);
  });

  it('refuses other content types with 415 problem+json', async () => {
    const event = newEvent();
    for (const [type, body] of [
      ['application/json', JSON.stringify({ entries: [] })],
      ['text/plain', '姓名,身份证号'],
      ['application/pdf', '%PDF-1.4'],
    ] as const) {
      const res = await upload(organiser, event.id, body, type);
      expect(res.statusCode, type).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().status).toBe(415);
    }
  });

  it('is for admins and organisers in scope only', async () => {
    const event = newEvent();
    const file = csv([['姓名', '身份证号'], ['韩春梅', residentId()]]);
    const viewerRes = await upload(viewer, event.id, file, CSV_CONTENT_TYPE);
    expect(viewerRes.statusCode).toBe(403);
    expect(viewerRes.json().code).toBe('forbidden');
    expect((await upload(null, event.id, file, CSV_CONTENT_TYPE)).statusCode).toBe(401);
    const other = await upload(otherOrganiser, event.id, file, CSV_CONTENT_TYPE);
    expect(other.statusCode).toBe(403);
    expect((await upload(organiser, 999_999, file, CSV_CONTENT_TYPE)).statusCode).toBe(404);
    expect(entryCount(event.id)).toBe(0);
    // An admin above the county may import.
    expect((await upload(admin, event.id, file, CSV_CONTENT_TYPE)).json()).toMatchObject({ stored: true, created: 1 });
  });
});
