import ExcelJS from 'exceljs';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, judges, people } from '../../db/schema.ts';
import { competitionPackageSchema, verifyPackage } from '../../server/domain/package/index.ts';
import { loginAs, makeJudge, makeOrg } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, reasonsForIncomplete, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Issue 13: trainee judges (their marks never count; the chief sees how far they were), judge
 * quality with the home-group check (chief, supervisors, organisers; .xlsx), and standardised
 * scores (mean 500, SD 100) beside the raw totals.
 */

const ENTRANTS = 6;
let app: TestApp;
let s: Scenario;
let organiser: string;
let otherOrganiser: string;
let otherViewer: string;
let chief: string;
let supervisor: string;
let judgeCookies: string[];
let traineeId: number;
let trainee: string;
let township: { id: number; name: string };

// Judges 1–3 count; the fourth sits as a trainee. Each counting judge sits a steady 2 points
// above the one before: judge 1 is always the lowest, judge 2 the median, judge 3 the highest.
const c1 = (judge: number, n: number) => 30 + n * 4 + judge;
const c2 = (judge: number, _n: number) => 20 + judge;

const markSheet = (n: number, a: number, b: number) => ({
  marks: [
    { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: a },
    { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: b },
  ],
});

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: ENTRANTS, judgeCount: 4 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  const elsewhere = makeOrg(app, { name: '长丰县总工会', kind: 'union', level: 'county', regionCode: '340121' });
  otherOrganiser = await loginAs(app, 'organiser', elsewhere.id);
  otherViewer = await loginAs(app, 'viewer', elsewhere.id);
  chief = await judgeLogin(app, s.chiefCode);
  makeJudge(app, s.eventId, { role: 'supervisor', code: 'SUPVJQ01' });
  supervisor = await judgeLogin(app, 'SUPVJQ01');
  judgeCookies = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  traineeId = s.judgeIds[3]!;
  trainee = judgeCookies[3]!;

  // Home units: a township union under the county with two employers; judge 1 works at one, the
  // even-numbered entrants at the other (same branch, different employer: no recusal).
  township = makeOrg(app, { name: '桃花工业园工会', kind: 'union', level: 'township', parentId: s.orgId });
  const judgesEmployer = makeOrg(app, { name: '合肥翔宇无人机科技有限公司', kind: 'employer', level: 'enterprise', parentId: township.id });
  const entrantsEmployer = makeOrg(app, { name: '安徽华川精密制造有限公司', kind: 'employer', level: 'enterprise', parentId: township.id });
  app.db.update(judges).set({ employerId: judgesEmployer.id }).where(eq(judges.id, s.judgeIds[0]!)).run();
  const even = s.entryIds.filter((_, i) => (i + 1) % 2 === 0);
  const personIds = app.db.select({ id: entries.personId }).from(entries).where(inArray(entries.id, even)).all().map((r) => r.id);
  app.db.update(people).set({ employerId: entrantsEmployer.id }).where(inArray(people.id, personIds)).run();

  const theory = await call(app, chief, {
    method: 'POST',
    url: `/api/events/${s.eventId}/objective-values`,
    payload: { cells: Array.from({ length: ENTRANTS }, (_, i) => ({ idempotencyKey: newKey(), number: i + 1, field: 'theory', value: 60 + i * 5 })) },
  });
  expect(theory.statusCode, theory.body).toBe(200);
});
afterAll(() => app.close());

const staffRows = async () => {
  const res = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/ranking` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().staffRows as { number: number; total: number; provisional: boolean; standardised?: number | null; partDetails: unknown[] }[];
};
const progress = async () => {
  const res = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/progress` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('seating a trainee judge', () => {
  it('refuses a judge, and an input that is not a yes or no, naming the field', async () => {
    const url = `/api/events/${s.eventId}/judges/${traineeId}/trainee`;
    expect((await call(app, judgeCookies[0]!, { method: 'PUT', url, payload: { trainee: true } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'PUT', url, payload: { trainee: true } })).statusCode).toBe(401);
    expect((await call(app, otherOrganiser, { method: 'PUT', url, payload: { trainee: true } })).statusCode).toBe(403);
    const bad = await call(app, chief, { method: 'PUT', url, payload: { trainee: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('trainee');
  });

  it('takes only a judge in the role judge', async () => {
    const res = await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/judges/${s.chiefId}/trainee`, payload: { trainee: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'trainee_needs_judge_role', errors: [{ field: 'body.trainee' }] });
  });

  it('lets the chief judge seat a trainee, shown on the panel and left out of its size', async () => {
    const res = await call(app, chief, { method: 'PUT', url: `/api/events/${s.eventId}/judges/${traineeId}/trainee`, payload: { trainee: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: traineeId, role: 'judge', trainee: true });
    const listed = (await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/judges` })).json() as { id: number; trainee: boolean }[];
    expect(listed.filter((j) => j.trainee).map((j) => j.id)).toEqual([traineeId]);
    // Seat all four on task1: the panel that counts is three.
    const seated = await call(app, organiser, { method: 'PUT', url: `/api/rounds/${s.roundId}/panels`, payload: { panels: [{ partId: 'task1', judgeIds: s.judgeIds }] } });
    expect(seated.statusCode, seated.body).toBe(200);
    const panel = seated.json().parts[0].panels[0];
    expect(panel).toMatchObject({ size: 4, traineeSeats: 1, expectedMarks: 3 });
    expect(seated.json().judges.find((j: { id: number }) => j.id === traineeId).trainee).toBe(true);
  });
});

describe('a trainee’s marks', () => {
  let before: Awaited<ReturnType<typeof staffRows>>;
  let progressBefore: { totals: unknown; rows: { number: number; expected: number; complete: boolean }[] };
  let publicBefore: unknown;

  beforeAll(async () => {
    for (let j = 0; j < 3; j++)
      for (let n = 1; n <= ENTRANTS; n++) {
        const res = await call(app, judgeCookies[j]!, { method: 'POST', url: '/api/marks', payload: markSheet(n, c1(j, n), c2(j, n)) });
        expect(res.statusCode, res.body).toBe(200);
      }
    before = await staffRows();
    progressBefore = await progress();
    publicBefore = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
  });

  it('leave the event complete without them', () => {
    expect(before.every((r) => !r.provisional)).toBe(true);
    expect(progressBefore.rows.every((r) => r.complete)).toBe(true);
  });

  it('are taken from the tablet, and change no total, rank, completeness or public row', async () => {
    // The trainee marks wildly: far above on odd numbers, far below on even ones.
    for (let n = 1; n <= ENTRANTS; n++) {
      const res = await call(app, trainee, { method: 'POST', url: '/api/marks', payload: markSheet(n, n % 2 ? 60 : 0, n % 2 ? 40 : 0) });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await staffRows()).toEqual(before);
    const after = await progress();
    expect(after.totals).toEqual(progressBefore.totals);
    expect(after.rows.map((r: { number: number; expected: number; complete: boolean }) => [r.number, r.expected, r.complete])).toEqual(
      progressBefore.rows.map((r) => [r.number, r.expected, r.complete]),
    );
    expect(after.judges.find((j: { id: number }) => j.id === traineeId).trainee).toBe(true);
    const publicAfter = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect({ ...publicAfter, revision: 0 }).toEqual({ ...(publicBefore as object), revision: 0 });
  });

  it('travel in the competition package marked as a trainee’s, and the verifier leaves them out', async () => {
    const res = await call(app, organiser, { method: 'GET', url: `/api/competitions/${s.competitionId}/package` });
    expect(res.statusCode, res.body).toBe(200);
    const pkg = competitionPackageSchema.parse(res.json());
    const panel = pkg.events[0]!.panel;
    expect(panel.filter((a) => a.trainee)).toHaveLength(1);
    expect(pkg.events[0]!.rounds[0]!.marks.length).toBe(4 * ENTRANTS * 2);
    expect(verifyPackage(pkg)).toMatchObject({ ok: true, verified: 1, total: 1 });
    // Counted as an ordinary judge, the trainee's marks would change the totals.
    const counted = structuredClone(pkg);
    for (const a of counted.events[0]!.panel) delete a.trainee;
    expect(verifyPackage(counted).ok).toBe(false);
  });

  it('keep the trainee a trainee: whether their marks count can no longer change', async () => {
    const res = await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/judges/${traineeId}/trainee`, payload: { trainee: false } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
    const role = await call(app, organiser, { method: 'PATCH', url: `/api/events/${s.eventId}/judges/${traineeId}`, payload: { role: 'chief' } });
    expect(role.statusCode).toBe(409);
  });

  it('are reported to the chief judge: how far from the counting panel, per part and criterion', async () => {
    const res = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/trainee-report` });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.trainees).toHaveLength(1);
    const [t] = report.trainees;
    expect(t).toMatchObject({ judgeId: traineeId, marks: ENTRANTS * 2 });
    const part = t.parts.find((p: { partId: string }) => p.partId === 'task1');
    expect(part.entries).toBe(ENTRANTS);
    expect(part.meanAbsDiff).toBeGreaterThan(20);
    expect(part.spearman).toBeLessThan(0.5); // odd high, even low: nothing like the panel's order
    expect(part.criteria.map((c: { criterionId: string; entries: number }) => [c.criterionId, c.entries])).toEqual([
      ['c1', ENTRANTS],
      ['c2', ENTRANTS],
    ]);
    expect((await call(app, supervisor, { method: 'GET', url: `/api/events/${s.eventId}/trainee-report` })).statusCode).toBe(200);
    expect((await call(app, judgeCookies[0]!, { method: 'GET', url: `/api/events/${s.eventId}/trainee-report` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/events/${s.eventId}/trainee-report` })).statusCode).toBe(401);
    const bad = await call(app, chief, { method: 'GET', url: `/api/events/${s.eventId}/trainee-report?roundId=999999` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('query.roundId');
  });
});

describe('judge quality', () => {
  const url = () => `/api/events/${s.eventId}/judge-quality`;

  it('is for the chief judge, supervisors and organisers; never judges, viewers of another body or the public', async () => {
    for (const cookie of [chief, supervisor, organiser]) expect((await call(app, cookie, { method: 'GET', url: url() })).statusCode).toBe(200);
    expect((await call(app, judgeCookies[0]!, { method: 'GET', url: url() })).statusCode).toBe(403);
    expect((await call(app, trainee, { method: 'GET', url: url() })).statusCode).toBe(403);
    expect((await call(app, otherViewer, { method: 'GET', url: url() })).statusCode).toBe(403);
    expect((await call(app, otherOrganiser, { method: 'GET', url: url() })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: url() })).statusCode).toBe(401);
    expect((await call(app, judgeCookies[0]!, { method: 'GET', url: `/api/competitions/${s.competitionId}/judge-quality` })).statusCode).toBe(403);
    expect((await call(app, otherViewer, { method: 'GET', url: `/api/competitions/${s.competitionId}/judge-quality.xlsx` })).statusCode).toBe(403);
  });

  it('refuses an unknown round or part, naming the field', async () => {
    const round = await call(app, chief, { method: 'GET', url: `${url()}?roundId=999999` });
    expect(round.statusCode).toBe(400);
    expect(round.json().errors[0].field).toBe('query.roundId');
    const part = await call(app, chief, { method: 'GET', url: `${url()}?partId=theory` });
    expect(part.statusCode).toBe(400);
    expect(part.json().errors[0].field).toBe('query.partId');
    const malformed = await call(app, chief, { method: 'GET', url: `${url()}?partId=${encodeURIComponent('任务')}` });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].field).toContain('partId');
  });

  it('measures the counting judges only, with the home-group check on their home unit', async () => {
    const res = await call(app, chief, { method: 'GET', url: `${url()}?roundId=${s.roundId}&partId=task1` });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.judges.map((j: { judgeId: number }) => j.judgeId)).toEqual(s.judgeIds.slice(0, 3));
    const [first, second] = report.judges;
    expect(first).toMatchObject({ marks: ENTRANTS, entries: ENTRANTS });
    // Judge 1 is 2 points under the median every time and always the lowest mark, so always dropped.
    expect(first.meanDeviation).toBe(-2);
    expect(second.meanAbsDeviation).toBe(0);
    expect(first.dropped).toEqual({ eligible: ENTRANTS, count: ENTRANTS, share: 1, expectedShare: 0.667 });
    expect(second.dropped.count).toBe(0);
    expect(first.consistency).toEqual({ rho: 1, units: 1 });
    expect(first.home.groupName).toBe(township.name);
    expect(first.home.test).toMatchObject({ ownCount: 3, otherCount: 3, method: 'exact', permutations: 20 });
    // The same 3 points under the others for every entrant, own unit or not: no difference at all.
    expect(first.home.test).toMatchObject({ ownMean: -3, otherMean: -3, difference: 0, pValue: 1 });
    expect(second.home).toMatchObject({ groupName: null, reason: 'no_home', test: null });
  });

  it('covers the whole competition, for organisers and the chief judge of its events', async () => {
    const res = await call(app, organiser, { method: 'GET', url: `/api/competitions/${s.competitionId}/judge-quality` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ eventId: null, competitionId: s.competitionId });
    expect(res.json().judges[0].events).toEqual(['电工']);
    expect((await call(app, chief, { method: 'GET', url: `/api/competitions/${s.competitionId}/judge-quality` })).statusCode).toBe(200);
  });

  it('exports as .xlsx with a sheet defining every column', async () => {
    for (const path of [`${url()}.xlsx`, `/api/competitions/${s.competitionId}/judge-quality.xlsx`]) {
      const res = await call(app, chief, { method: 'GET', url: path });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('裁判评分质量')!;
      expect(sheet.getRow(4).getCell(1).value).toBe('裁判');
      expect(sheet.getRow(5).getCell(1).value).toBe('裁判1');
      expect(wb.getWorksheet('说明')!.getRow(8).getCell(2).value).toContain('Zitzewitz');
    }
  });
});

describe('standardised scores', () => {
  const setting = (cookie: string, body: Record<string, unknown>) => call(app, cookie, { method: 'PUT', url: `/api/competitions/${s.competitionId}/standardisation`, payload: body });

  it('are an organiser’s option, checked field by field', async () => {
    expect((await setting(chief, { enabled: true })).statusCode).toBe(403);
    expect((await setting(otherOrganiser, { enabled: true })).statusCode).toBe(403);
    const bad = await setting(organiser, { enabled: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('enabled');
    expect((await staffRows()).every((r) => r.standardised === undefined)).toBe(true);
  });

  it('stand beside the raw total for staff, mean 500 and SD 100 over the complete entries', async () => {
    const res = await setting(organiser, { enabled: true, showOnScreen: false, bestOfCompetition: true });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await staffRows();
    const values = rows.map((r) => r.standardised!);
    expect(values.every((v) => typeof v === 'number')).toBe(true);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 500)).toBeLessThan(0.01);
    // Ranked by total: standardised scores fall with it.
    for (let i = 1; i < rows.length; i++) if (rows[i]!.total < rows[i - 1]!.total) expect(rows[i]!.standardised!).toBeLessThan(rows[i - 1]!.standardised!);
    // Not public before release.
    const pub = (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json();
    expect(pub.rows.every((r: object) => !('standardised' in r))).toBe(true);
    const across = await call(app, organiser, { method: 'GET', url: `/api/competitions/${s.competitionId}/standardised` });
    expect(across.statusCode, across.body).toBe(200);
    expect(across.json().ranking).toHaveLength(ENTRANTS);
    expect(across.json().best).toHaveLength(1);
    expect(across.json().best[0].standardised).toBe(Math.max(...values));
  });

  it('are published with the results, on the venue screen only if the organiser says so', async () => {
    expect((await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` })).statusCode).toBe(200);
    await completeRecheck(app, chief, s.eventId);
    const release = await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    expect(release.statusCode, release.body).toBe(200);
    const results = (await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/results` })).json();
    expect(results.events[0].rows.every((r: { standardised: unknown }) => typeof r.standardised === 'number')).toBe(true);
    const screen = async () => (await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking` })).json().rows as { standardised?: number }[];
    expect((await screen()).every((r) => r.standardised === undefined)).toBe(true);
    // Switching them off after release would change published results; showing them on the screen does not.
    expect((await setting(organiser, { enabled: false })).statusCode).toBe(409);
    expect((await setting(organiser, { enabled: true, showOnScreen: true, bestOfCompetition: true })).statusCode).toBe(200);
    expect((await screen()).every((r) => typeof r.standardised === 'number')).toBe(true);
    const pub = await call(app, null, { method: 'GET', url: `/api/public/competitions/${s.competitionId}/standardised` });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().best[0].name).toMatch(/^选手\d$/);
    expect((await call(app, null, { method: 'GET', url: '/api/public/competitions/999999/standardised' })).statusCode).toBe(404);
  });
});
