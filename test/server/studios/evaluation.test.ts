import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../../db/schema.ts';
import { accountWithCookie, apply, call, json, refused, studioThrough, studioWorld, type StudioWorld } from './fixture.ts';

/**
 * The joint evaluation through the API. A two-item sheet (a: 60 points, b: 40) keeps the
 * arithmetic checkable by hand:
 *
 *            union U1  union U2  → union    HR H1  HR H2  → HR     60/40 combined
 *   X        90        80          85.00    70     76       73.00  51.00 + 29.20 = 80.20
 *   Y        70        75          72.50    95     92       93.50  43.50 + 37.40 = 80.90
 *   Z        88        (stands     88.00    60     62       61.00  52.80 + 24.40 = 77.20
 *                       aside)
 * Threshold 80: Y first, X second, both recognised; Z third, below it.
 * With weights 50/50: Y 83.00, X 79.00 (now below), Z 74.50.
 */

let w: StudioWorld;
let reviewers: Record<'U1' | 'U2' | 'H1' | 'H2' | 'outsider', { id: number; cookie: string }>;
const studio: Record<'X' | 'Y' | 'Z', number> = { X: 0, Y: 0, Z: 0 };
let roundId: number;
const SHEET = {
  name: '测试评估指标',
  items: [
    { id: 'a', name: '创新项目与成果', max: 60, guidance: '项目数量与质量' },
    { id: 'b', name: '带徒传技', max: 40 },
  ],
};

beforeAll(async () => {
  w = await studioWorld();
  reviewers = {
    U1: await accountWithCookie(w.app, 'studio_officer', w.orgs.countyA.id),
    U2: await accountWithCookie(w.app, 'viewer', w.orgs.countyA.id),
    H1: await accountWithCookie(w.app, 'hr_officer', w.orgs.hrA.id),
    H2: await accountWithCookie(w.app, 'viewer', w.orgs.hrA.id),
    outsider: await accountWithCookie(w.app, 'viewer', w.orgs.countyA.id),
  };
  const applicant = async (name: string, hostEmployerId: number) => {
    const leader = w.person(hostEmployerId, 3);
    return json(await apply(w.app, w.cookies.studioA, { name, hostEmployerId, leaderPersonId: leader.id, appliedOn: '2026-03-01' }), 201).id as number;
  };
  studio.X = await applicant('X职工创新工作室', w.orgs.e1.id);
  studio.Y = await applicant('Y职工创新工作室', w.orgs.e3.id);
  // Z is hosted by U2's employer: U2 stands aside for it.
  studio.Z = await applicant('Z职工创新工作室', w.orgs.e2.id);
});
afterAll(() => w.app.close());

const score = (who: keyof typeof reviewers, studioId: number, a: number, b: number) =>
  call(w.app, reviewers[who].cookie, { method: 'PUT', url: `/api/studio-evaluations/${roundId}/scores`, payload: { studioId, items: [{ itemId: 'a', points: a }, { itemId: 'b', points: b }] } });

describe('indicator sheets', () => {
  it('offers the preset (seven items, 100 points) and keeps a body its own sheet', async () => {
    const list = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studio-indicator-sheets' }), 200);
    expect(list.preset.items.map((i: { id: string }) => i.id)).toEqual(['projects', 'results', 'patents', 'economic_benefit', 'apprentices', 'trainings', 'management']);
    expect(list.preset.items.reduce((sum: number, i: { max: number }) => sum + i.max, 0)).toBe(100);
    const created = json(await call(w.app, w.cookies.hrA, { method: 'POST', url: '/api/studio-indicator-sheets', payload: SHEET }), 201);
    expect(created).toMatchObject({ org: { id: w.orgs.hrA.id }, name: '测试评估指标', items: [{ id: 'a', max: 60 }, { id: 'b', max: 40, guidance: '' }] });
    const updated = json(await call(w.app, w.cookies.hrA, { method: 'PUT', url: `/api/studio-indicator-sheets/${created.id}`, payload: { ...SHEET, name: '人社局评估指标' } }), 200);
    expect(updated.name).toBe('人社局评估指标');
    expect(json(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-indicator-sheets' }), 200).items.map((s: { id: number }) => s.id)).toContain(created.id);
    // Only the body that keeps it changes it.
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: `/api/studio-indicator-sheets/${created.id}`, payload: SHEET }), 403);
    refused(await call(w.app, w.cookies.studioB, { method: 'PUT', url: `/api/studio-indicator-sheets/${created.id}`, payload: SHEET }), 403);
  });

  it('names the bad item and refuses viewers', async () => {
    const dup = { name: 'x', items: [{ id: 'a', name: 'A', max: 10 }, { id: 'a', name: 'B', max: 10 }] };
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-indicator-sheets', payload: dup }), 400, 'body.items.1.id');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-indicator-sheets', payload: { name: 'x', items: [{ id: 'a', name: 'A', max: 0 }] } }), 400, 'body.items.0.max');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: '/api/studio-indicator-sheets', payload: SHEET }), 403);
    expect((await call(w.app, null, { method: 'GET', url: '/api/studio-indicator-sheets' })).statusCode).toBe(401);
  });
});

describe('an evaluation round', () => {
  it('is opened with its sheet, body weights and threshold', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-evaluations', payload: { name: 'x', year: 2026, sheet: SHEET, unionWeight: 60, hrWeight: 30, threshold: 80 } }), 400, 'body.hrWeight');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-evaluations', payload: { name: 'x', year: 2026, sheetId: 99999, unionWeight: 60, hrWeight: 40, threshold: 80 } }), 400, 'body.sheetId');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: '/api/studio-evaluations', payload: { name: 'x', year: 2026, unionWeight: 60, hrWeight: 40, threshold: 80 } }), 403);
    const round = json(
      await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-evaluations', payload: { name: '2026年度联合绩效评估', year: 2026, sheet: SHEET, unionWeight: 60, hrWeight: 40, threshold: 80 } }),
      201,
    );
    expect(round).toMatchObject({ status: 'open', unionWeight: 60, hrWeight: 40, threshold: 80, sheet: { name: '测试评估指标' }, ranking: [], reviewers: [], canManage: true });
    roundId = round.id;
    const preset = json(await call(w.app, w.cookies.hrA, { method: 'POST', url: '/api/studio-evaluations', payload: { name: '预设指标', year: 2026, unionWeight: 0.5, hrWeight: 0.5, threshold: 60 } }), 201);
    expect(preset.sheet.items).toHaveLength(7);
    expect(json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studio-evaluations' }), 200).map((r: { id: number }) => r.id)).toEqual(expect.arrayContaining([roundId, preset.id]));
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studio-evaluations' }), 200)).toEqual([]);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: `/api/studio-evaluations/${roundId}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-evaluations/99999' }), 404);
  });

  it('takes applying studios, which enter evaluation (a recorded joint step)', async () => {
    for (const id of Object.values(studio)) json(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/applicants`, payload: { studioId: id, date: '2026-04-15' } }), 200);
    const x = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studios/${studio.X}` }), 200);
    expect(x.status).toBe('under_evaluation');
    expect(x.steps.at(-1)).toMatchObject({ action: 'start_evaluation', date: '2026-04-15', evaluationId: roundId, decidedBy: { body: 'joint' } });
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/applicants`, payload: { studioId: studio.X, date: '2026-04-15' } }), 409, 'body.studioId', 'applicant_exists');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/applicants`, payload: { studioId: 99999, date: '2026-04-15' } }), 400, 'body.studioId');
    const leader = w.person(w.orgs.e1.id, 3);
    const recognised = await studioThrough(w.app, w.cookies.studioA, { name: '已认定工作室', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id, appliedOn: '2025-01-01' }, [
      { action: 'start_evaluation', date: '2025-02-01' },
      { action: 'recognise', date: '2025-03-01', level: 'county' },
    ]);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/applicants`, payload: { studioId: recognised.id, date: '2026-04-15' } }), 409, 'body.studioId', 'not_an_applicant');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/applicants`, payload: { studioId: studio.X, date: '2026-04-15' } }), 403);
  });

  it('seats reviewers for each body with their employer, refusing duplicates and unknown accounts', async () => {
    const seat = (who: keyof typeof reviewers, body: string, employerId: number | null) =>
      call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/reviewers`, payload: { accountId: reviewers[who].id, body, employerId } });
    json(await seat('U1', 'union', null), 200);
    json(await seat('U2', 'union', w.orgs.e2.id), 200);
    json(await seat('H1', 'hr_bureau', null), 200);
    const detail = json(await seat('H2', 'hr_bureau', null), 200);
    expect(detail.reviewers.map((r: { body: string }) => r.body)).toEqual(['union', 'union', 'hr_bureau', 'hr_bureau']);
    expect(detail.reviewers[1]).toMatchObject({ employer: { id: w.orgs.e2.id }, conflictStudioIds: [studio.Z] });
    refused(await seat('U1', 'union', null), 409, 'body.accountId', 'reviewer_exists');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/reviewers`, payload: { accountId: 99999, body: 'union' } }), 400, 'body.accountId');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/reviewers`, payload: { accountId: reviewers.outsider.id, body: 'ministry' } }), 400, 'body.body');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/reviewers`, payload: { accountId: reviewers.outsider.id, body: 'union', employerId: 99999 } }), 400, 'body.employerId');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/reviewers`, payload: { accountId: reviewers.outsider.id, body: 'union' } }), 403);
    // A reviewer seated by mistake comes off again while they have not scored.
    const seated = json(await seat('outsider', 'union', null), 200);
    const outsiderRow = seated.reviewers.find((r: { account: { id: number } }) => r.account.id === reviewers.outsider.id);
    const after = json(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${roundId}/reviewers/${outsiderRow.id}` }), 200);
    expect(after.reviewers).toHaveLength(4);
  });

  it('shows each reviewer their sheet, flagging the studio of their own employer', async () => {
    const sheet = json(await call(w.app, reviewers.U2.cookie, { method: 'GET', url: `/api/studio-evaluations/${roundId}/my-sheet` }), 200);
    expect(sheet.reviewer).toMatchObject({ body: 'union', employer: { id: w.orgs.e2.id } });
    expect(sheet.applicants.map((a: { studio: { id: number }; conflict: boolean }) => [a.studio.id, a.conflict])).toEqual([
      [studio.X, false],
      [studio.Y, false],
      [studio.Z, true],
    ]);
    refused(await call(w.app, reviewers.outsider.cookie, { method: 'GET', url: `/api/studio-evaluations/${roundId}/my-sheet` }), 403);
    expect((await call(w.app, null, { method: 'GET', url: `/api/studio-evaluations/${roundId}/my-sheet` })).statusCode).toBe(401);
  });

  it('refuses a reviewer scoring a studio of their own employer (回避), points out of range and outsiders', async () => {
    const conflict = refused(await score('U2', studio.Z, 50, 30), 403, 'body.studioId', 'reviewer_conflict');
    expect(conflict.errors![0]!.message).toBe('评审人不得为本单位的工作室评分（回避）');
    refused(await score('U1', studio.X, 61, 30), 400, 'body.items.0.points');
    const unknownItem = await call(w.app, reviewers.U1.cookie, { method: 'PUT', url: `/api/studio-evaluations/${roundId}/scores`, payload: { studioId: studio.X, items: [{ itemId: 'zz', points: 1 }] } });
    refused(unknownItem, 400, 'body.items.0.itemId');
    refused(await score('U1', 99999, 10, 10), 400, 'body.studioId');
    refused(await score('outsider', studio.X, 10, 10), 403);
  });

  it('combines the bodies by their weights, applies the threshold and ranks the applicants', async () => {
    json(await score('U1', studio.X, 54, 36), 200); // 90
    json(await score('U2', studio.X, 50, 30), 200); // 80
    json(await score('H1', studio.X, 42, 28), 200); // 70
    json(await score('H2', studio.X, 46, 30), 200); // 76
    json(await score('U1', studio.Y, 40, 30), 200); // 70
    json(await score('U2', studio.Y, 45, 30), 200); // 75
    json(await score('H1', studio.Y, 58, 37), 200); // 95
    json(await score('H2', studio.Y, 55, 37), 200); // 92
    json(await score('U1', studio.Z, 52, 36), 200); // 88
    json(await score('H1', studio.Z, 36, 24), 200); // 60
    // A reviewer corrects a sheet: the new points replace the old.
    json(await score('H2', studio.Z, 30, 20), 200);
    const mine = json(await score('H2', studio.Z, 38, 24), 200); // 62
    expect(mine.applicants.find((a: { studio: { id: number } }) => a.studio.id === studio.Z)).toMatchObject({ points: { a: 38, b: 24 }, complete: true });

    const detail = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: `/api/studio-evaluations/${roundId}` }), 200);
    expect(detail.canManage).toBe(false);
    const rows = detail.ranking.map((r: any) => [r.studio.id, r.union.score, r.hrBureau.score, r.combined, r.passed, r.rank]);
    expect(rows).toEqual([
      [studio.Y, 72.5, 93.5, 80.9, true, 1],
      [studio.X, 85, 73, 80.2, true, 2],
      [studio.Z, 88, 61, 77.2, false, 3],
    ]);
    const z = detail.ranking[2];
    expect(z.union).toMatchObject({ sheets: 1, incompleteSheets: 0 });
    expect(z.expectedSheets).toEqual({ union: 1, hrBureau: 2 });
    expect(detail.reviewers.find((r: { account: { id: number } }) => r.account.id === reviewers.U2.id).completeSheets).toBe(2);

    // Weights 50 / 50: X drops below the threshold.
    const patched = json(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studio-evaluations/${roundId}`, payload: { unionWeight: 50, hrWeight: 50 } }), 200);
    expect(patched.ranking.map((r: any) => [r.studio.id, r.combined, r.passed, r.rank])).toEqual([
      [studio.Y, 83, true, 1],
      [studio.X, 79, false, 2],
      [studio.Z, 74.5, false, 3],
    ]);
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studio-evaluations/${roundId}`, payload: { unionWeight: 70 } }), 400, 'body.unionWeight');
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studio-evaluations/${roundId}`, payload: { threshold: -1 } }), 400, 'body.threshold');
    refused(await call(w.app, w.cookies.viewerA, { method: 'PATCH', url: `/api/studio-evaluations/${roundId}`, payload: { threshold: 70 } }), 403);
    // Back to 60 / 40 with a trimmed mean that has too few sheets: it falls back to the mean, flagged.
    const back = json(
      await call(w.app, w.cookies.studioA, {
        method: 'PATCH',
        url: `/api/studio-evaluations/${roundId}`,
        payload: { unionWeight: 60, hrWeight: 40, aggregation: { union: { kind: 'trimmed_mean', drop: 1 }, hr_bureau: { kind: 'mean' } } },
      }),
      200,
    );
    expect(back.ranking[0]).toMatchObject({ studio: { id: studio.Y }, combined: 80.9, union: { fellBack: true } });
  });

  it('keeps a scored applicant and a reviewer who scored on the panel', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${roundId}/applicants/${studio.X}` }), 409, undefined, 'applicant_scored');
    const detail = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studio-evaluations/${roundId}` }), 200);
    const h1 = detail.reviewers.find((r: { account: { id: number } }) => r.account.id === reviewers.H1.id);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${roundId}/reviewers/${h1.id}` }), 409, undefined, 'reviewer_scored');
    refused(await call(w.app, w.cookies.viewerA, { method: 'DELETE', url: `/api/studio-evaluations/${roundId}/applicants/${studio.X}` }), 403);
  });

  it('closes the round, recognising the applicants at or above the threshold as a joint decision', async () => {
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/close`, payload: { date: '2026-06-30' } }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/close`, payload: { date: '2026-06-30', recognise: { level: 'planet' } } }), 400, 'body.recognise.level');
    const closed = json(await call(w.app, w.cookies.hrA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/close`, payload: { date: '2026-06-30', recognise: { level: 'county' } } }), 200);
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2026-06-30', canManage: false });
    const get = async (id: number) => json(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studios/${id}` }), 200);
    const [x, y, z] = [await get(studio.X), await get(studio.Y), await get(studio.Z)];
    expect([x.status, y.status, z.status]).toEqual(['recognised', 'recognised', 'under_evaluation']);
    expect(y.steps.at(-1)).toMatchObject({ action: 'recognise', level: 'county', evaluationId: roundId, decidedBy: { body: 'joint' }, note: '2026年度联合绩效评估：综合得分80.9，第1名' });
    expect(x.termEndsOn).toBe('2029-06-30');
    // Scores are frozen now.
    refused(await score('U1', studio.X, 10, 10), 409, undefined, 'evaluation_closed');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${roundId}/close`, payload: { date: '2026-07-01' } }), 409, undefined, 'evaluation_closed');
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studio-evaluations/${roundId}`, payload: { threshold: 70 } }), 409, undefined, 'evaluation_closed');
    expect(w.app.db.select().from(auditLog).where(eq(auditLog.action, 'studio.evaluation.close')).all()).toHaveLength(1);
  });
});

describe('the rest of the round endpoints', () => {
  let round: number;
  let studioW: number;
  beforeAll(async () => {
    round = json(
      await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-evaluations', payload: { name: '第二轮', year: 2026, sheet: SHEET, unionWeight: 50, hrWeight: 50, threshold: 60 } }),
      201,
    ).id;
    const leader = w.person(w.orgs.e1.id, 3);
    studioW = json(await apply(w.app, w.cookies.studioA, { name: 'W职工创新工作室', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id, appliedOn: '2026-03-01' }), 201).id;
  });

  it('takes an unscored applicant out again, and names a bad id', async () => {
    json(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${round}/applicants`, payload: { studioId: studioW, date: '2026-04-15' } }), 200);
    refused(await call(w.app, w.cookies.viewerA, { method: 'DELETE', url: `/api/studio-evaluations/${round}/applicants/${studioW}` }), 403);
    const after = json(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${round}/applicants/${studioW}` }), 200);
    expect(after.ranking).toEqual([]);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${round}/applicants/${studioW}` }), 404);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${round}/applicants/abc` }), 400, 'params.itemId');
  });

  it('refuses removing a reviewer to a viewer, and a malformed reviewer id', async () => {
    const seated = json(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-evaluations/${round}/reviewers`, payload: { accountId: reviewers.outsider.id, body: 'hr_bureau' } }), 200);
    const id = seated.reviewers[0].id;
    refused(await call(w.app, w.cookies.viewerA, { method: 'DELETE', url: `/api/studio-evaluations/${round}/reviewers/${id}` }), 403);
    refused(await call(w.app, w.cookies.studioB, { method: 'DELETE', url: `/api/studio-evaluations/${round}/reviewers/${id}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studio-evaluations/${round}/reviewers/zz` }), 400, 'params.itemId');
  });

  it('names a bad round id or sheet, and lists rounds only to the signed in', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-evaluations/abc' }), 400, 'params.id');
    expect((await call(w.app, null, { method: 'GET', url: '/api/studio-evaluations' })).statusCode).toBe(401);
    const sheets = json(await call(w.app, w.cookies.hrA, { method: 'GET', url: '/api/studio-indicator-sheets' }), 200);
    refused(await call(w.app, w.cookies.hrA, { method: 'PUT', url: `/api/studio-indicator-sheets/${sheets.items[0].id}`, payload: { name: 'x', items: [] } }), 400, 'body.items');
  });
});
