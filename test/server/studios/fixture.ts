import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { loginAs, makeAccount, makeOrg, makePerson } from '../../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../../helpers/test-app.ts';

/**
 * A small union tree for the studio tests:
 *
 *   root (province union)
 *   ├─ county A union ── HR bureau A (no employers of its own)
 *   │   ├─ township union ── employer E1, employer E2
 *   │   └─ employer E3
 *   └─ county B union ── employer F1
 *
 * People are kept by HR bureau A (as in the demo) or by county B; accounts for each role.
 */
export async function studioWorld() {
  const app = await buildTestApp();
  const root = rootOrg(app);
  const countyA = makeOrg(app, { name: '肥西县总工会', parentId: root.id });
  const hrA = makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', parentId: countyA.id });
  const township = makeOrg(app, { name: '桃花工业园工会', level: 'township', parentId: countyA.id });
  const e1 = makeOrg(app, { name: '合肥翔宇无人机科技有限公司', kind: 'employer', level: 'enterprise', parentId: township.id });
  const e2 = makeOrg(app, { name: '安徽华川精密制造有限公司', kind: 'employer', level: 'enterprise', parentId: township.id });
  const e3 = makeOrg(app, { name: '国网肥西县供电公司', kind: 'employer', level: 'enterprise', parentId: countyA.id });
  const countyB = makeOrg(app, { name: '长丰县总工会', parentId: root.id });
  const f1 = makeOrg(app, { name: '长丰县某机械厂', kind: 'employer', level: 'enterprise', parentId: countyB.id });

  const person = (employerId: number, skillLevel: number | null, orgId = hrA.id, name?: string) =>
    makePerson(app, { orgId, employerId, skillLevel, ...(name ? { name } : {}) });

  const cookies = {
    admin: await loginAs(app, 'admin', root.id),
    adminA: await loginAs(app, 'admin', countyA.id),
    studioA: await loginAs(app, 'studio_officer', countyA.id),
    organiserA: await loginAs(app, 'organiser', countyA.id),
    hrA: await loginAs(app, 'hr_officer', hrA.id),
    viewerA: await loginAs(app, 'viewer', countyA.id),
    studioB: await loginAs(app, 'studio_officer', countyB.id),
  };
  return { app, orgs: { root, countyA, hrA, township, e1, e2, e3, countyB, f1 }, person, cookies };
}

export type StudioWorld = Awaited<ReturnType<typeof studioWorld>>;

/** A staff account signed in, with its id (reviewers are accounts). */
export async function accountWithCookie(app: TestApp, role: 'viewer' | 'studio_officer' | 'hr_officer', orgId: number) {
  const account = await makeAccount(app, role, orgId);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: 'correct horse battery' } });
  return { id: account.id, cookie: sessionCookie(res) };
}

export function json<T = any>(res: LightMyRequestResponse, status: number): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

/** Expects a problem+json refusal naming `field` (when given). */
export function refused(res: LightMyRequestResponse, status: number, field?: string, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json() as { code: string; errors?: { field: string; message: string }[] };
  if (field) expect(body.errors?.map((e) => e.field), res.body).toContain(field);
  if (code) expect(body.code).toBe(code);
  return body;
}

export const applyBody = (over: Record<string, unknown>) => ({
  name: '测试创新工作室',
  kind: 'worker',
  field: '无人机应用',
  siteAreaM2: 120,
  foundedOn: '2020-05-01',
  functions: ['technical_innovation', 'apprenticeship'],
  appliedOn: '2021-03-01',
  leaderHonours: [],
  ...over,
});

export function apply(app: TestApp, cookie: string, body: Record<string, unknown>) {
  return call(app, cookie, { method: 'POST', url: '/api/studios', payload: applyBody(body) });
}

export function step(app: TestApp, cookie: string, studioId: number, body: Record<string, unknown>) {
  return call(app, cookie, { method: 'POST', url: `/api/studios/${studioId}/steps`, payload: body });
}

/** Applies and runs the given decisions; returns the studio's detail after the last one. */
export async function studioThrough(app: TestApp, cookie: string, body: Record<string, unknown>, decisions: Record<string, unknown>[]) {
  let detail = json(await apply(app, cookie, body), 201);
  for (const d of decisions) detail = json(await step(app, cookie, detail.id, d), 200);
  return detail;
}

/** Reads every row of every sheet of an .xlsx answer. */
export async function readWorkbook(body: Buffer): Promise<Record<string, (string | number | null)[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out: Record<string, (string | number | null)[][]> = {};
  for (const sheet of wb.worksheets) {
    const rows: (string | number | null)[][] = [];
    sheet.eachRow((row) => rows.push((row.values as (string | number | null)[]).slice(1)));
    out[sheet.name] = rows;
  }
  return out;
}

export { call };
