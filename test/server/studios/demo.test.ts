import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, studioYearShift } from '../../../db/seed.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  app = await buildTestApp({ demo: true, sessionSecret: 'test-secret-test-secret-test-secret-0123', loginRateLimit: 1000 });
  for (const username of ['studio', 'hr', 'viewer', 'admin', 'reviewer-u2']) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    cookies[username] = sessionCookie(res);
  }
});
afterAll(() => app.close());

describe('the studio demo data', () => {
  it("has Feixi's studios at every level, one warned, one de-listed with a ban, one lapsed, and applicants", async () => {
    const list = (await call(app, cookies.studio!, { method: 'GET', url: '/api/studios?pageSize=500' })).json();
    const studios = list.items as { level: string | null; status: string; bannedUntil: string | null; host: { name: string } }[];
    for (const level of ['national_demonstration', 'province', 'city', 'county']) expect(studios.some((s) => s.level === level), level).toBe(true);
    expect(studios.filter((s) => s.status === 'warned')).toHaveLength(1);
    expect(studios.filter((s) => s.status === 'delisted' && s.bannedUntil !== null)).toHaveLength(1);
    expect(studios.filter((s) => s.status === 'expired')).toHaveLength(1);
    expect(studios.filter((s) => s.status === 'under_evaluation')).toHaveLength(4);
    // The Huaibei studio is outside the county union's scope; the province sees it.
    expect(studios.some((s) => s.host.name === '国网淮北供电公司')).toBe(false);
    const all = (await call(app, cookies.admin!, { method: 'GET', url: '/api/studios?pageSize=500' })).json();
    expect(all.total).toBe(list.total + 1);
    // Hefei's viewer reads Feixi's registry; the HR bureau reads it too.
    expect((await call(app, cookies.viewer!, { method: 'GET', url: '/api/studios?pageSize=500' })).json().total).toBe(list.total);
    expect((await call(app, cookies.hr!, { method: 'GET', url: '/api/studios?line=hr_bureau' })).json().total).toBe(2);
  });

  it('has an open joint evaluation with a conflict on the panel and one applicant below the threshold', async () => {
    const [round] = (await call(app, cookies.studio!, { method: 'GET', url: '/api/studio-evaluations' })).json();
    const detail = (await call(app, cookies.studio!, { method: 'GET', url: `/api/studio-evaluations/${round.id}` })).json();
    expect(detail).toMatchObject({ status: 'open', unionWeight: 60, hrWeight: 40, threshold: 80, applicantCount: 4, reviewerCount: 6 });
    expect(detail.ranking.filter((r: { passed: boolean }) => r.passed)).toHaveLength(3);
    expect(detail.reviewers.filter((r: { conflictStudioIds: number[] }) => r.conflictStudioIds.length > 0)).toHaveLength(2);
    const sheet = (await call(app, cookies['reviewer-u2']!, { method: 'GET', url: `/api/studio-evaluations/${round.id}/my-sheet` })).json();
    const conflicted = sheet.applicants.find((a: { conflict: boolean }) => a.conflict);
    const res = await call(app, cookies['reviewer-u2']!, { method: 'PUT', url: `/api/studio-evaluations/${round.id}/scores`, payload: { studioId: conflicted.studio.id, items: [{ itemId: 'projects', points: 10 }] } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('reviewer_conflict');
  });

  it('has the power-industry alliance with a rotating lead and an awarded five-smalls campaign', async () => {
    const [alliance] = (await call(app, cookies.studio!, { method: 'GET', url: '/api/studio-alliances' })).json();
    expect(alliance).toMatchObject({ name: '肥西县电力行业创新工作室联盟', members: 4, pendingApplications: 1, projects: 3 });
    const detail = (await call(app, cookies.studio!, { method: 'GET', url: `/api/studio-alliances/${alliance.id}` })).json();
    expect(detail.leads).toHaveLength(4);
    const [campaign] = (await call(app, cookies.studio!, { method: 'GET', url: '/api/five-smalls-campaigns' })).json();
    const c = (await call(app, cookies.studio!, { method: 'GET', url: `/api/five-smalls-campaigns/${campaign.id}` })).json();
    expect(c).toMatchObject({ status: 'awarded', entries: 47, tiers: { counts: [1, 2, 3] } });
    expect(c.entries - c.eligible).toBeGreaterThanOrEqual(6);
    expect(c.ranked).toBe(c.eligible);
    expect(c.tierSummary.map((t: { awarded: number }) => t.awarded).reduce((a: number, b: number) => a + b, 0)).toBeGreaterThanOrEqual(6);
    const reasons = new Set(c.entryList.flatMap((e: { reasons: { code: string }[] }) => e.reasons.map((r) => r.code)));
    for (const code of ['not_implemented', 'outside_period', 'previously_awarded', 'duplicate', 'excluded', 'too_many_entries']) expect(reasons.has(code), code).toBe(true);
  });

  it('has four years of figures on the dashboard (2023–2026 when created in late 2026; later, as recent)', async () => {
    const d = (await call(app, cookies.studio!, { method: 'GET', url: '/api/studio-dashboard' })).json();
    const shift = studioYearShift(app.clock.now());
    expect(d.years.map((y: { year: number }) => y.year)).toEqual([2023, 2024, 2025, 2026].map((y) => y + shift));
    expect(d.total.patents.invention).toBeGreaterThan(0);
    expect(d.total.patents.utilityModel).toBeGreaterThan(0);
    expect(d.total.patents.design).toBeGreaterThan(0);
    expect(d.total.economicBenefitYuan).toBeGreaterThan(1_000_000);
    expect(d.fundingByYear.some((f: { amountYuan: number }) => f.amountYuan >= 50000)).toBe(true);
    expect(d.byArea.length).toBeGreaterThanOrEqual(4);
  });
});
