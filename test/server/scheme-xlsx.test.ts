import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../server/contracts/import.ts';
import { schemeSchema, type SchemeInput } from '../../server/contracts/scheme.ts';
import { fixedClock } from '../../server/clock.ts';
import { loginAs } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';
import { hugeSheet, zipOf } from '../helpers/zip.ts';

/**
 * The marking scheme (评分细则) as a workbook: export, import with a dry run, every problem named by
 * its cell, and the event's rules on changing a scheme (none once marks exist) kept by the same
 * service as PATCH /api/events/:id.
 */

/** Every kind of setting the contract has: objective, rubric with a panel per criterion, deduction, trimmed sum, difficulty, multiplier. */
const RICH_SCHEME: SchemeInput = {
  totaling: 'weighted',
  tieBreaks: ['practical', 'completion_time'],
  parts: [
    { id: 'theory', name: '理论知识考试', role: 'theory', weight: 20, max: 100, marking: 'objective' },
    {
      id: 'wire',
      name: '拉线制作及安装',
      role: 'practical',
      weight: 50,
      max: 100,
      marking: 'rubric',
      panel: 'criterion',
      criteria: [
        { id: 'prep', name: '工器具及材料准备', max: 10, step: 1 },
        { id: 'make', name: '拉线制作', max: 60, step: 0.5 },
        { id: 'safe', name: '安全文明生产', max: 30, step: 0.5 },
      ],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: 5,
    },
    {
      id: 'insulator',
      name: '10千伏悬瓶更换',
      role: 'practical',
      weight: 30,
      max: 100,
      marking: 'deduction',
      panel: 'part',
      criteria: [
        { id: 'd1', name: '操作不规范', max: 40, step: 1 },
        { id: 'd2', name: '超时', max: 20, step: 2 },
      ],
      aggregation: { kind: 'trimmed_sum', drop: 2 },
      minMarks: 5,
      expectedMarks: 7,
      usesDifficulty: true,
      multiplier: 0.6,
    },
  ],
};

let app: TestApp;
let s: Scenario;
let marked: Scenario;
let organiser: string;
/** An organiser of the other scenario's county union (each scenario has its own). */
let organiser2: string;
let viewer: string;
const clock = fixedClock('2026-06-15T02:00:00Z');

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  s = makeScenario(app, { entrants: 3, judgeCount: 3, scheme: RICH_SCHEME });
  marked = makeScenario(app, { entrants: 3, judgeCount: 3 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  organiser2 = await loginAs(app, 'organiser', marked.orgId);
  viewer = await loginAs(app, 'viewer', s.orgId);
});
afterAll(() => app.close());

const organiserOf = (eventId: number) => (eventId === marked.eventId ? organiser2 : organiser);
const storedScheme = async (eventId: number) => (await call(app, organiserOf(eventId), { method: 'GET', url: `/api/events/${eventId}` })).json().scheme;

async function exported(eventId: number, query = ''): Promise<Buffer> {
  const res = await call(app, organiserOf(eventId), { method: 'GET', url: `/api/events/${eventId}/scheme.xlsx${query}` });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  return res.rawPayload;
}

async function load(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}
const save = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

function upload(eventId: number, body: Buffer, opts: { dryRun?: boolean; roundId?: number; cookie?: string; type?: string } = {}) {
  const q = new URLSearchParams();
  if (opts.dryRun) q.set('dryRun', 'true');
  if (opts.roundId) q.set('roundId', String(opts.roundId));
  return call(app, opts.cookie ?? organiserOf(eventId), {
    method: 'POST',
    url: `/api/events/${eventId}/scheme.xlsx${q.size ? `?${q}` : ''}`,
    headers: { 'content-type': opts.type ?? XLSX_CONTENT_TYPE },
    payload: body,
  });
}

/** The row of a table sheet whose first column holds `id` (and, on 评分项, whose second does). */
function rowOf(ws: ExcelJS.Worksheet, partId: string, criterionId?: string): number {
  let found = 0;
  ws.eachRow((row, n) => {
    if (row.getCell(1).value === partId && (criterionId === undefined || row.getCell(2).value === criterionId)) found ||= n;
  });
  if (!found) throw new Error(`no row ${partId} ${criterionId ?? ''} on ${ws.name}`);
  return found;
}

describe('exporting the scheme', () => {
  it('writes the sheets 部分, 评分项, 设置 and 说明 in Chinese', async () => {
    const wb = await load(await exported(s.eventId));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['部分', '评分项', '设置', '说明']);
    const parts = wb.getWorksheet('部分')!;
    expect((parts.getRow(1).values as unknown[]).slice(1)).toEqual([
      '部分编号',
      '部分名称',
      '类别',
      '权重(%)',
      '满分',
      '评分方式',
      '裁判分汇总',
      '去掉最高最低各(个)',
      '最少裁判数',
      '裁判人数',
      '裁判组',
      '难度系数',
      '倍数',
    ]);
    expect((parts.getRow(4).values as unknown[]).slice(1)).toEqual(['insulator', '10千伏悬瓶更换', '实操', 30, 100, '扣分制', '去最高最低求和', 2, 5, 7, '按部分', '是', 0.6]);
    const criteria = wb.getWorksheet('评分项')!;
    expect((criteria.getRow(1).values as unknown[]).slice(1)).toEqual(['部分编号', '评分项编号', '评分项名称', '满分', '步长']);
    expect((criteria.getRow(2).values as unknown[]).slice(1)).toEqual(['wire', 'prep', '工器具及材料准备', 10, 1]);
    const settings = wb.getWorksheet('设置')!;
    expect(settings.getCell('B2').value).toBe('加权折算');
    expect([settings.getCell('B3').value, settings.getCell('B4').value, settings.getCell('B5').value]).toEqual(['实操成绩高者优先', '用时短者优先', null]);
    const help = wb.getWorksheet('说明')!;
    const text: string[] = [];
    help.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
    for (const h of ['部分编号', '权重(%)（必填）', '裁判分汇总', '评分项编号（必填）', '步长', '计分方式', '同分排序1']) expect(text.join('\n')).toContain(h);
    expect(text.join('\n')).toContain('肥西县职工技能大赛 · 电工 评分细则');
  });

  it('is for staff in scope only', async () => {
    expect((await call(app, viewer, { method: 'GET', url: `/api/events/${s.eventId}/scheme.xlsx` })).statusCode).toBe(200);
    expect((await call(app, null, { method: 'GET', url: `/api/events/${s.eventId}/scheme.xlsx` })).statusCode).toBe(401);
    expect((await call(app, organiser2, { method: 'GET', url: `/api/events/${s.eventId}/scheme.xlsx` })).statusCode).toBe(403);
  });
});

describe('importing the scheme', () => {
  it('takes its own export back unchanged: the dry run reports no change and the stored scheme deep-equals the original', async () => {
    const before = await storedScheme(s.eventId);
    expect(before).toEqual(schemeSchema.parse(RICH_SCHEME));
    const body = await exported(s.eventId);
    const dry = await upload(s.eventId, body, { dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, stored: false, changed: false, changes: [], problems: [], refusal: null, parts: 3, criteria: 5 });
    expect(dry.json().scheme).toEqual(before);
    const real = await upload(s.eventId, body);
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json()).toMatchObject({ stored: false, changed: false });
    expect(await storedScheme(s.eventId)).toEqual(before);
  });

  it('reports what would change on a dry run and changes nothing; stores it without', async () => {
    const before = await storedScheme(s.eventId);
    const wb = await load(await exported(s.eventId));
    const parts = wb.getWorksheet('部分')!;
    const criteria = wb.getWorksheet('评分项')!;
    // Theory 20 → 30 typed as a percentage (Excel stores 0.3 formatted 0%), the rubric 50 → 40.
    const theory = parts.getCell(rowOf(parts, 'theory'), 4);
    theory.value = 0.3;
    theory.numFmt = '0%';
    parts.getCell(rowOf(parts, 'wire'), 4).value = 40;
    // The aggregation in words people use, the tie-breaks cleared.
    parts.getCell(rowOf(parts, 'wire'), 7).value = '去掉一个最高分和一个最低分后取平均分';
    // One criterion renamed, one removed (its points moved), one added to the deduction part.
    criteria.getCell(rowOf(criteria, 'wire', 'make'), 3).value = '拉线制作（UT型线夹）';
    criteria.getCell(rowOf(criteria, 'wire', 'make'), 4).value = 70;
    criteria.spliceRows(rowOf(criteria, 'wire', 'prep'), 1);
    criteria.addRow(['insulator', 'd3', '损坏瓷瓶', 20, 1]);
    const settings = wb.getWorksheet('设置')!;
    settings.getCell('B3').value = null;
    settings.getCell('B4').value = null;
    const body = await save(wb);

    const dry = await upload(s.eventId, body, { dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json();
    expect(report).toMatchObject({ dryRun: true, stored: false, changed: true, problems: [], refusal: null });
    const kinds = report.changes.map((c: { kind: string; partId: string | null; criterionId: string | null }) => `${c.kind}:${c.partId ?? ''}:${c.criterionId ?? ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['setting::', 'part_changed:theory:', 'part_changed:wire:', 'criterion_removed:wire:prep', 'criterion_changed:wire:make', 'criterion_added:insulator:d3']),
    );
    expect(report.changes.find((c: { kind: string; partId: string }) => c.kind === 'part_changed' && c.partId === 'theory').fields).toEqual([{ field: 'weight', before: 20, after: 30 }]);
    expect(report.changes.find((c: { kind: string }) => c.kind === 'criterion_changed').fields).toEqual([
      { field: 'name', before: '拉线制作', after: '拉线制作（UT型线夹）' },
      { field: 'max', before: 60, after: 70 },
    ]);
    expect(report.changes.find((c: { kind: string }) => c.kind === 'setting').fields).toEqual([{ field: 'tieBreaks', before: 'practical,completion_time', after: '' }]);
    // A dry run changes nothing.
    expect(await storedScheme(s.eventId)).toEqual(before);

    const real = await upload(s.eventId, body);
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json()).toMatchObject({ dryRun: false, stored: true, changed: true });
    const after = await storedScheme(s.eventId);
    expect(after.tieBreaks).toEqual([]);
    expect(after.parts.map((p: { weight: number }) => p.weight)).toEqual([30, 40, 30]);
    expect(after.parts[1].criteria.map((c: { id: string }) => c.id)).toEqual(['make', 'safe']);
    expect(after.parts[2].criteria.map((c: { id: string }) => c.id)).toEqual(['d1', 'd2', 'd3']);
    expect(after).toEqual(real.json().scheme);
    // And it exports as it was imported.
    expect((await upload(s.eventId, await exported(s.eventId), { dryRun: true })).json()).toMatchObject({ changed: false });
  });

  it('refuses a workbook with bad cells, naming sheet, row and column; a dry run lists the same and stores nothing', async () => {
    const before = await storedScheme(s.eventId);
    const wb = await load(await exported(s.eventId));
    const parts = wb.getWorksheet('部分')!;
    const criteria = wb.getWorksheet('评分项')!;
    const makeRow = rowOf(criteria, 'wire', 'make');
    criteria.getCell(makeRow, 4).value = '七十';
    const wireRow = rowOf(parts, 'wire');
    parts.getCell(wireRow, 7).value = '去掉最高分';
    const d2 = rowOf(criteria, 'insulator', 'd2');
    criteria.getCell(d2, 2).value = 'd1';
    const body = await save(wb);

    const res = await upload(s.eventId, body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.code).toBe('scheme_sheet_invalid');
    const fields = problem.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining([`评分项!D${makeRow}`, `部分!G${wireRow}`, `评分项!B${d2}`]));
    const byCell = new Map(problem.report.problems.map((p: { cell: string }) => [p.cell, p]));
    expect(byCell.get(`评分项!D${makeRow}`)).toMatchObject({ sheet: '评分项', row: makeRow, column: 'D', header: '满分', value: '七十', code: 'not_a_number' });
    expect(byCell.get(`部分!G${wireRow}`)).toMatchObject({ sheet: '部分', row: wireRow, column: 'G', header: '裁判分汇总', value: '去掉最高分', code: 'unknown_value' });
    expect(byCell.get(`评分项!B${d2}`)).toMatchObject({ code: 'duplicate_criterion', value: 'd1' });
    expect(await storedScheme(s.eventId)).toEqual(before);

    const dry = await upload(s.eventId, body, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().problems.map((p: { cell: string }) => p.cell)).toEqual(problem.report.problems.map((p: { cell: string }) => p.cell));
    expect(dry.json().scheme).toBeNull();
    expect(await storedScheme(s.eventId)).toEqual(before);
  });

  it('names the cells of what the scheme contract refuses: weights not adding up, criteria not adding up to the part, a bad id', async () => {
    const wb = await load(await exported(s.eventId));
    const parts = wb.getWorksheet('部分')!;
    const criteria = wb.getWorksheet('评分项')!;
    // Theory 30 → 10: the weights add up to 80; a criterion 30 → 20: the part's criteria to 90.
    parts.getCell(rowOf(parts, 'theory'), 4).value = 10;
    criteria.getCell(rowOf(criteria, 'wire', 'safe'), 4).value = 20;
    const res = await upload(s.eventId, await save(wb), { dryRun: true });
    const problems = res.json().problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'weights_sum', cell: '部分!D2:D4', params: { sum: '80' } }),
        expect.objectContaining({ code: 'criteria_sum', cell: `评分项!D${rowOf(criteria, 'wire', 'make')}:D${rowOf(criteria, 'wire', 'safe')}` }),
      ]),
    );
    const wb2 = await load(await exported(s.eventId));
    const p2 = wb2.getWorksheet('部分')!;
    p2.getCell(rowOf(p2, 'theory'), 1).value = 'Theory Exam';
    const res2 = await upload(s.eventId, await save(wb2), { dryRun: true });
    expect(res2.json().problems).toEqual([expect.objectContaining({ code: 'id_format', cell: '部分!A2', value: 'Theory Exam' })]);
  });

  it('sets a round’s own scheme with roundId, and exports it', async () => {
    const round = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/rounds`, payload: { name: '决赛二', kind: 'final' } });
    expect(round.statusCode, round.body).toBe(201);
    const roundId = round.json().id;
    const wb = await load(await exported(s.eventId, `?roundId=${roundId}`));
    const parts = wb.getWorksheet('部分')!;
    parts.getCell(rowOf(parts, 'insulator'), 13).value = 1;
    const res = await upload(s.eventId, await save(wb), { roundId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stored: true, roundId });
    const rounds = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/rounds` })).json();
    const own = rounds.find((r: { id: number }) => r.id === roundId).scheme;
    expect(own.parts[2].multiplier).toBe(1);
    expect((await storedScheme(s.eventId)).parts[2].multiplier).toBe(0.6);
    const other = await upload(s.eventId, await exported(s.eventId), { roundId: marked.roundId, dryRun: true });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].field).toBe('query.roundId');
  });
});

describe('the event’s rules on changing the scheme', () => {
  it('refuses the import once marks exist (409 marks_exist, as PATCH does); the dry run says so and changes nothing', async () => {
    const judge = await judgeLogin(app, marked.judgeCodes[0]!);
    const mark = await call(app, judge, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: 1, partId: 'task1', criterionId: 'c1', value: 50 }] } });
    expect(mark.statusCode, mark.body).toBe(200);
    const before = await storedScheme(marked.eventId);
    const wb = await load(await exported(marked.eventId));
    const criteria = wb.getWorksheet('评分项')!;
    criteria.getCell(rowOf(criteria, 'task1', 'c2'), 3).value = '作业质量';
    const body = await save(wb);
    const dry = await upload(marked.eventId, body, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ changed: true, stored: false, refusal: { code: 'marks_exist' } });
    const real = await upload(marked.eventId, body);
    expect(real.statusCode).toBe(409);
    expect(real.json().code).toBe('marks_exist');
    expect(await storedScheme(marked.eventId)).toEqual(before);
    // The dry run left no trace: the audit log has no scheme change for the event.
    const audit = app.db.$client.prepare("select count(*) as n from audit_log where action = 'event.update' and entity_id = ?").get(marked.eventId) as { n: number };
    expect(audit.n).toBe(0);
    // Sending back what is there is no change, and fine.
    expect((await upload(marked.eventId, await exported(marked.eventId))).statusCode).toBe(200);
  });
});

describe('what the import takes', () => {
  it('only organisers and admins', async () => {
    const body = await exported(s.eventId);
    expect((await upload(s.eventId, body, { cookie: viewer, dryRun: true })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url: `/api/events/${s.eventId}/scheme.xlsx?dryRun=true`, headers: { 'content-type': XLSX_CONTENT_TYPE }, payload: body })).statusCode).toBe(401);
  });

  it('an .xlsx workbook: CSV 415, an empty or broken file 400, a zip bomb 413, a workbook without 部分 400 naming it', async () => {
    expect((await upload(s.eventId, Buffer.from('部分编号,部分名称\n'), { type: CSV_CONTENT_TYPE })).statusCode).toBe(415);
    expect((await upload(s.eventId, Buffer.alloc(0))).json().code).toBe('empty_file');
    expect((await upload(s.eventId, Buffer.from('not a workbook'))).json().code).toBe('unreadable_file');
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: hugeSheet(64) }]);
    const big = await upload(s.eventId, bomb, { dryRun: true });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('sheet_too_large');
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1').getCell('A1').value = 'x';
    const res = await upload(s.eventId, await save(empty));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: '部分', message: 'The workbook has no sheet named 部分' }]);
  });

  it('an organiser’s own workbook: headers in any order, codes or Chinese words, percentages as text, no 设置 sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const parts = wb.addWorksheet('部分');
    parts.addRow(['名称', '编号', '类别', '权重', '满分', '评分方式', '汇总方式', '裁判数', '最少评分数']);
    parts.addRow(['理论考试', 'theory', 'theory', '30%', 100, '客观']);
    parts.addRow(['实际操作', 'practical', '实操', '70%', 100, '评分项', '平均', 3, 2]);
    const criteria = wb.addWorksheet('评分项');
    criteria.addRow(['部分编号', '评分项编号', '评分项名称', '满分']);
    criteria.addRow(['practical', 'a', '工艺', '６０']);
    criteria.addRow([]);
    criteria.addRow(['practical', 'b', '安全', 40]);
    const res = await upload(marked.eventId, await save(wb), { dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().problems).toEqual([]);
    expect(res.json().scheme).toEqual(
      schemeSchema.parse({
        parts: [
          { id: 'theory', name: '理论考试', role: 'theory', weight: 30, max: 100, marking: 'objective' },
          {
            id: 'practical',
            name: '实际操作',
            role: 'practical',
            weight: 70,
            max: 100,
            marking: 'rubric',
            aggregation: { kind: 'mean' },
            expectedMarks: 3,
            minMarks: 2,
            criteria: [
              { id: 'a', name: '工艺', max: 60 },
              { id: 'b', name: '安全', max: 40 },
            ],
          },
        ],
      }),
    );
  });
});
