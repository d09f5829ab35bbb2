import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, entries } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { RESULTS_HEADER_ROW, sheetName } from '../../server/features/spreadsheets/results-workbook.ts';
import { loginAs } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, reasonsForIncomplete, SIMPLE_SCHEME, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Results as .xlsx in the published layout, read back with exceljs and compared with the JSON
 * results: a scenario marked (two tied), one absent, one withdrawn, one disqualified, released,
 * prizes awarded; before release nothing public, and no names for staff who may not know them.
 */

let app: TestApp;
let s: Scenario;
let organiser: string;
let viewer: string;
let chief: string;
let otherEventId: number;
/** Monday 2 November 2026, 10:00 China time. */
const clock = fixedClock('2026-11-02T02:00:00Z');
const ENTRANTS = 10;

/** Contestant n: c1 = n, c2 = 20, theory 60 + n; 7 scores as 8 throughout, so they tie. */
const c1 = (n: number) => (n === 7 ? 8 : n);

type Cell = ExcelJS.CellValue;
async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}
/** Every cell's value in the workbook, as text. */
function allText(wb: ExcelJS.Workbook): string {
  const out: string[] = [];
  for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? ''))));
  return out.join('\n');
}
const headerOf = (ws: ExcelJS.Worksheet) => (ws.getRow(RESULTS_HEADER_ROW).values as Cell[]).slice(1);
const columnOf = (ws: ExcelJS.Worksheet, header: string) => headerOf(ws).findIndex((h) => String(h).startsWith(header)) + 1;

beforeAll(async () => {
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
  s = makeScenario(app, { entrants: ENTRANTS, judgeCount: 3 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  viewer = await loginAs(app, 'viewer', s.orgId);
  chief = await judgeLogin(app, s.chiefCode);
  // Number 9 is absent, 4 withdraws after the theory exam, 3 is disqualified (reason published, note not).
  const status = async (n: number, body: object) => {
    const res = await call(app, organiser, { method: 'POST', url: `/api/entries/${s.entryIds[n - 1]}/status`, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  };
  await status(9, { status: 'absent' });
  const theory = await call(app, chief, {
    method: 'POST',
    url: `/api/events/${s.eventId}/objective-values`,
    payload: {
      cells: Array.from({ length: ENTRANTS }, (_, i) => i + 1)
        .filter((n) => n !== 9)
        .map((n) => ({ idempotencyKey: newKey(), number: n, field: 'theory', value: 60 + c1(n) })),
    },
  });
  expect(theory.statusCode, theory.body).toBe(200);
  await status(4, { status: 'withdrawn', note: '身体不适' });
  for (const code of s.judgeCodes) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= ENTRANTS; n++) {
      if (n === 9 || n === 4) continue;
      const res = await call(app, j, {
        method: 'POST',
        url: '/api/marks',
        payload: {
          marks: [
            { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: c1(n) },
            { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
  await status(3, { status: 'disqualified', reason: '使用未经检验的工具', note: '裁判长现场记录第2页' });
  // A second event of the same competition, not released (no entries yet).
  const other = await call(app, organiser, { method: 'POST', url: `/api/competitions/${s.competitionId}/events`, payload: { name: '焊工', occupationCode: '6-18-02-04', occupationName: '焊工', scheme: SIMPLE_SCHEME, minEntrants: 1 } });
  expect(other.statusCode, other.body).toBe(201);
  otherEventId = other.json().id;
});
afterAll(() => app.close());

const fullIds = () =>
  app.db
    .select({ id: people.idNumber })
    .from(people)
    .innerJoin(entries, eq(entries.personId, people.id))
    .where(eq(entries.eventId, s.eventId))
    .all()
    .map((r) => r.id);

describe('before release', () => {
  it('has no public file: 404 for the event and the competition', async () => {
    for (const url of [`/api/public/events/${s.eventId}/results.xlsx`, `/api/public/competitions/${s.competitionId}/results.xlsx`]) {
      const res = await call(app, null, { method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('problem+json');
      expect(res.body).not.toContain('选手');
    }
  });

  it('gives staff who may not know who is behind a number drawn numbers and scores only', async () => {
    for (const cookie of [viewer, chief]) {
      const res = await call(app, cookie, { method: 'GET', url: `/api/events/${s.eventId}/results.xlsx` });
      expect(res.statusCode, res.body).toBe(200);
      const wb = await workbook(res.rawPayload);
      const text = allText(wb);
      expect(text).not.toMatch(/选手\d/);
      expect(text).not.toContain('********');
      const ws = wb.worksheets[0]!;
      expect(headerOf(ws)).not.toContain('姓名');
      expect(headerOf(ws)).not.toContain('身份证号');
      expect(String(ws.getCell(4, 1).value)).toContain('未发布');
    }
  });

  it('gives organisers the names (they hold the mapping), marked as not released', async () => {
    const res = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/results.xlsx` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('（未发布）'));
    const wb = await workbook(res.rawPayload);
    const ws = wb.worksheets[0]!;
    expect(headerOf(ws)).toContain('姓名');
    expect(allText(wb)).toContain('选手10');
    expect(String(ws.getCell(4, 1).value)).toContain('未发布 · 内部核对用');
    for (const id of fullIds()) expect(allText(wb)).not.toContain(id);
  });

  it('lists every event of the competition for staff, a sheet each', async () => {
    const res = await call(app, viewer, { method: 'GET', url: `/api/competitions/${s.competitionId}/results.xlsx` });
    expect(res.statusCode, res.body).toBe(200);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['电工', '焊工']);
    expect(allText(wb)).not.toMatch(/选手\d/);
    expect((await call(app, chief, { method: 'GET', url: `/api/competitions/${s.competitionId}/results.xlsx` })).statusCode).toBe(403);
  });
});

describe('after release', () => {
  beforeAll(async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    await completeRecheck(app, chief, s.eventId);
    const release = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    expect(release.statusCode, release.body).toBe(200);
    const override = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/awards-override`, payload: { reason: '颁奖仪式提前举行，经组委会同意' } });
    expect(override.statusCode, override.body).toBe(200);
    const rule = { basis: 'count', tiers: [{ label: '一等奖', count: 1 }, { label: '二等奖', count: 1 }, { label: '三等奖', count: 2 }], ties: 'include' };
    expect((await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: rule })).statusCode).toBe(200);
    const awarded = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/prizes` });
    expect(awarded.statusCode, awarded.body).toBe(200);
  });

  it('writes the published layout: title rows, a header, and every row as the JSON results say', async () => {
    const json = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).json();
    const ev = json.events[0];
    const res = await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/results.xlsx` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('肥西县职工技能大赛-电工-成绩.xlsx'));
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('电工');
    expect(ws.getCell(1, 1).value).toBe('肥西县职工技能大赛');
    expect(ws.getCell(2, 1).value).toBe('电工成绩公示');
    expect(ws.getCell(3, 1).value).toBe('主办单位：肥西县总工会');
    // Released Monday 2 November 2026 (China time), five working days of publicity: through Monday 9
    // November (the period ends at 24:00 that day, which is the 10th's 00:00: the sheet names the 9th).
    expect(ev.publicityEndsAt).toBe('2026-11-09T16:00:00.000Z');
    expect(ws.getCell(4, 1).value).toBe('发布日期：2026-11-02　　公示期至：2026-11-09');
    expect(headerOf(ws)).toEqual(['名次', '检录号', '姓名', '身份证号', '代表队', '理论知识考试（30%）', '技能操作（70%）', '总分', '奖项', '证书编号', '备注']);

    const col = (h: string) => columnOf(ws, h);
    expect(ev.rows).toHaveLength(ENTRANTS);
    ev.rows.forEach((row: Record<string, any>, i: number) => {
      const line = ws.getRow(RESULTS_HEADER_ROW + 1 + i);
      const v = (h: string) => line.getCell(col(h)).value;
      expect(v('名次')).toBe(row.rank);
      expect(v('检录号')).toBe(row.number);
      expect(v('姓名')).toBe(row.name);
      expect(v('身份证号')).toBe(row.idNumberMasked);
      expect(v('代表队')).toBe(row.delegation);
      expect(v('理论知识考试')).toBe(row.parts.find((p: { partId: string }) => p.partId === 'theory').score);
      expect(v('技能操作')).toBe(row.parts.find((p: { partId: string }) => p.partId === 'task1').score);
      const state = ['absent', 'withdrawn', 'disqualified'].includes(row.status);
      expect(v('总分')).toBe(state && row.rank === null ? null : row.total);
      expect(v('奖项')).toBe(row.prize?.label ?? null);
      expect(v('证书编号')).toBe(row.prize?.certificateNumber ?? null);
      expect(line.getCell(col('总分')).numFmt).toBe('0.00');
      expect(line.getCell(col('理论知识考试')).numFmt).toBe('0.00');
    });

    // What the rows are: 10 first, 7 and 8 share a rank, the states with their published reason only.
    const byNumber = (n: number) => ws.getRow(RESULTS_HEADER_ROW + 1 + ev.rows.findIndex((r: { number: number }) => r.number === n));
    expect(byNumber(10).getCell(col('名次')).value).toBe(1);
    expect(byNumber(10).getCell(col('奖项')).value).toBe('一等奖');
    expect(typeof byNumber(10).getCell(col('总分')).value).toBe('number');
    expect(byNumber(7).getCell(col('名次')).value).toBe(byNumber(8).getCell(col('名次')).value);
    expect(byNumber(9).getCell(col('备注')).value).toBe('缺考');
    expect(byNumber(9).getCell(col('总分')).value).toBeNull();
    expect(byNumber(3).getCell(col('备注')).value).toBe('取消资格：使用未经检验的工具');
    expect(String(byNumber(4).getCell(col('备注')).value)).toContain('退赛');
    const text = allText(wb);
    expect(text).not.toContain('裁判长现场记录');
    expect(text).not.toContain('身体不适');
    for (const id of fullIds()) expect(text).not.toContain(id);
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
  });

  it('writes the competition workbook with a sheet per released event only, the same rows', async () => {
    const res = await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results.xlsx` });
    expect(res.statusCode).toBe(200);
    const wb = await workbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['电工']);
    const single = await workbook((await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/results.xlsx` })).rawPayload);
    const rows = (w: ExcelJS.Workbook) => {
      const out: Cell[][] = [];
      w.worksheets[0]!.eachRow((r) => out.push((r.values as Cell[]).slice(1)));
      return out;
    };
    expect(rows(wb)).toEqual(rows(single));
    expect((await call(app, null, { method: 'GET', url: `/api/public/events/${otherEventId}/results.xlsx` })).statusCode).toBe(404);
  });

  it('names everyone for every staff reader once released', async () => {
    const res = await call(app, viewer, { method: 'GET', url: `/api/events/${s.eventId}/results.xlsx` });
    const wb = await workbook(res.rawPayload);
    expect(headerOf(wb.worksheets[0]!)).toContain('姓名');
    expect(allText(wb)).toContain('选手10');
  });
});

describe('sheet names', () => {
  it('are at most 31 characters, without []:*?/\\, and unique', () => {
    const used = new Set<string>();
    expect(sheetName('电工[初赛]/决赛:*?', used)).toBe('电工_初赛__决赛___');
    const long = '全媒体运营师（直播带货与短视频制作方向）职业技能竞赛决赛';
    const a = sheetName(long + long, used);
    const b = sheetName(long + long, used);
    expect([...a]).toHaveLength(31);
    expect([...b].length).toBeLessThanOrEqual(31);
    expect(b).toMatch(/（2）$/);
    expect(sheetName('', used)).toBe('赛项');
  });
});
