import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { makeAccount, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * The review step of a 合肥工匠 selection on the shared review engine, through the API.
 *
 * The Hefei city union runs it with the city HR bureau co-organising, on the preset's setup:
 * material review 70% (union 50 / HR 30 / experts 20, five indicators out of 100) and a defence
 * 30% scored by the experts alone; threshold 60; the committee votes by absolute majority. The
 * quota is cut to 3 so that a tie falls on the line.
 *
 * Panel: three union reviewers (U1, U2 at the union; U3 works at 供电公司, employer of candidate
 * A), two HR reviewers (H1, H2; H2 declares a relation with candidate B) and one outside expert
 * (X, by name; paper sheets entered by the organiser).
 */
let app: TestApp;
const clock = fixedClock('2026-11-02T02:00:00Z');
let organiser: string; // the city union's
let viewer: string; // the city union's, on no panel
let hr: string; // the HR bureau's (co-organiser), on no panel
let outsider: string; // another city's union organiser
let outsiderAccountId: number;
let cityId: number;
let cityHrId: number;
let selectionId: number;
const reviewers = {} as Record<'U1' | 'U2' | 'U3' | 'H1' | 'H2', { accountId: number; cookie: string; id: number }>;
let expertId: number;
const cand = {} as Record<'A' | 'B' | 'C' | 'D' | 'E', number>;
const members = {} as Record<'M1' | 'M2', { accountId: number; cookie: string }>;

const post = (cookie: string | null, url: string, payload?: object) => call(app, cookie, { method: 'POST', url, ...(payload ? { payload } : {}) });
const put = (cookie: string | null, url: string, payload: object) => call(app, cookie, { method: 'PUT', url, payload });
const get = (cookie: string | null, url: string) => call(app, cookie, { method: 'GET', url });

async function staff(role: 'viewer' | 'organiser' | 'hr_officer', orgId: number) {
  const account = await makeAccount(app, role, orgId);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: 'correct horse battery' } });
  return { accountId: account.id, cookie: sessionCookie(res) };
}

const goodForm = {
  position: '班组长',
  frontLine: true,
  yearsInTrade: 12,
  stillInTrade: true,
  skillConditions: ['unique_technique'],
  declaredNoDisciplinaryRecord: true,
};

/** A material-review sheet adding up to `total` (maxima 30, 25, 15, 15, 15): only the total matters to the arithmetic. */
function reviewSheet(total: number) {
  const skill = Math.round(total * 0.3);
  const innovation = Math.round(total * 0.25);
  const mentoring = Math.round(total * 0.15);
  const ethics = Math.round(total * 0.15);
  const points = [skill, innovation, mentoring, ethics, total - skill - innovation - mentoring - ethics];
  return ['skill', 'innovation', 'mentoring', 'ethics', 'influence'].map((itemId, i) => ({ itemId, points: points[i]! }));
}
/** A defence sheet adding up to `total` (maxima 40, 60). */
const defenceSheet = (total: number) => [
  { itemId: 'presentation', points: Math.round(total * 0.4) },
  { itemId: 'answers', points: total - Math.round(total * 0.4) },
];

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  const city = makeOrg(app, { name: '合肥市总工会', kind: 'union', level: 'city', regionCode: '340100' });
  cityId = city.id;
  const cityHr = makeOrg(app, { name: '合肥市人力资源和社会保障局', kind: 'hr_bureau', level: 'city', regionCode: '340100' });
  cityHrId = cityHr.id;
  const elsewhere = makeOrg(app, { name: '芜湖市总工会', kind: 'union', level: 'city', regionCode: '340200' });
  const power = makeOrg(app, { name: '国网合肥供电公司', kind: 'employer', level: 'enterprise', parentId: city.id, regionCode: '340100' });
  const works = makeOrg(app, { name: '合肥重型机械厂', kind: 'employer', level: 'enterprise', parentId: city.id, regionCode: '340100' });
  organiser = (await staff('organiser', city.id)).cookie;
  viewer = (await staff('viewer', city.id)).cookie;
  hr = (await staff('hr_officer', cityHr.id)).cookie;
  const out = await staff('organiser', elsewhere.id);
  outsider = out.cookie;
  outsiderAccountId = out.accountId;
  for (const [key, role, org] of [
    ['U1', 'viewer', city.id],
    ['U2', 'organiser', city.id],
    ['U3', 'viewer', power.id],
    ['H1', 'hr_officer', cityHr.id],
    ['H2', 'hr_officer', cityHr.id],
  ] as const)
    reviewers[key] = { ...(await staff(role, org)), id: 0 };
  members.M1 = await staff('viewer', city.id);
  members.M2 = await staff('hr_officer', cityHr.id);

  const created = await post(organiser, '/api/selections', {
    presetKey: 'hefei_craftsman',
    name: '2027年度合肥工匠评选',
    year: 2027,
    quota: 3,
    coOrganiserIds: [cityHr.id],
    nominationsOpen: '2026-11-01',
    nominationsClose: '2026-12-31',
  });
  expect(created.statusCode).toBe(201);
  selectionId = created.json().id;
  expect(created.json().reviewSetup).toBeNull();
  await post(organiser, `/api/selections/${selectionId}/open-nominations`);
  // A works at the power company (U3's employer); the others at the machine works.
  for (const key of ['A', 'B', 'C', 'D', 'E'] as const) {
    const person = makePerson(app, { orgId: city.id, employerId: key === 'A' ? power.id : works.id, occupationCode: '6-31-01-03', occupationName: '电工', skillLevel: 3 });
    const res = await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: person.id, nominatingOrgId: person.employerId, form: goodForm });
    expect(res.json().status).toBe('nominated');
    cand[key] = res.json().id;
  }
});
afterAll(() => app.close());

describe('the review setup', () => {
  it('comes from the preset, checked field by field, set by the running union only and before the review', async () => {
    const presets = (await get(viewer, '/api/selections/presets')).json();
    const hefei = presets.find((p: { key: string }) => p.key === 'hefei_craftsman').review;
    expect(hefei.steps.map((s: { key: string; weight: number }) => [s.key, s.weight])).toEqual([
      ['review', 70],
      ['defence', 30],
    ]);
    expect(hefei.steps[0].sheet.items.map((i: { name: string; max: number }) => `${i.name}${i.max}`)).toEqual(['技能水平30', '创新成果25', '传帮带15', '职业道德15', '行业影响15']);

    const url = `/api/selections/${selectionId}/review-setup`;
    const lopsided = structuredClone(hefei);
    lopsided.steps[0].bodies[0].weight = 60; // 60 + 30 + 20 ≠ 100
    lopsided.steps[0].sheet.items[0].max = 0;
    const bad = await put(organiser, url, lopsided);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.steps.0.bodies', 'body.steps.0.sheet.items.0.max']));
    expect(bad.json().errors.find((e: { field: string }) => e.field === 'body.steps.0.bodies').message).toMatch(/^weights_do_not_add_up/);
    expect((await put(organiser, url, { ...hefei, voteRule: 'unanimity' })).json().errors[0].field).toBe('body.voteRule');

    expect((await put(hr, url, hefei)).statusCode).toBe(403);
    expect((await put(outsider, url, hefei)).statusCode).toBe(403);
    const set = await put(organiser, url, hefei);
    expect(set.statusCode).toBe(200);
    expect(set.json().reviewSetup).toMatchObject({ threshold: 60, voteRule: 'absolute_majority' });
  });
});

describe('the panel', () => {
  it('seats accounts within reach of the union or a co-organiser, and outside experts by name', async () => {
    const url = `/api/selections/${selectionId}/reviewers`;
    for (const [key, body] of [
      ['U1', 'union'],
      ['U2', 'union'],
      ['U3', 'union'],
      ['H1', 'hr_bureau'],
      ['H2', 'hr_bureau'],
    ] as const) {
      const res = await post(organiser, url, { accountId: reviewers[key].accountId, body });
      expect(res.statusCode, key).toBe(201);
      reviewers[key].id = res.json().id;
    }
    // U3's employer is taken from their account: the power company, A's employer.
    const u3 = (await get(viewer, url)).json().find((r: { id: number }) => r.id === reviewers.U3.id);
    expect(u3).toMatchObject({ employerName: '国网合肥供电公司', standsAsideFrom: [{ candidateId: cand.A, reasons: ['same_employer'] }] });
    const expert = await post(organiser, url, { expertName: '王教授', body: 'expert', employerName: '合肥工业大学' });
    expect(expert.json()).toMatchObject({ outsideExpert: true, name: '王教授', accountId: null, standsAsideFrom: [] });
    expertId = expert.json().id;

    // An account of another city is answered exactly like one that does not exist, naming nobody.
    const away = await post(organiser, url, { accountId: outsiderAccountId, body: 'union' });
    const missing = await post(organiser, url, { accountId: 999_999, body: 'union' });
    expect(away.statusCode).toBe(400);
    expect(away.json()).toEqual({ ...missing.json(), instance: away.json().instance });
    expect(away.json().errors).toEqual([{ field: 'body.accountId', message: 'no such active account in reach of this selection' }]);
    expect(away.body).not.toContain('organiser user');
    expect((await post(organiser, url, { accountId: reviewers.U1.accountId, body: 'union' })).json().code).toBe('reviewer_exists');
    const badBody = await post(organiser, url, { expertName: '李工', body: 'press' });
    expect(badBody.json()).toMatchObject({ code: 'unknown_body', errors: [{ field: 'body.body' }] });
    const both = await post(organiser, url, { body: 'union' });
    expect(both.json().errors[0].field).toBe('body.accountId');
    expect((await post(hr, url, { expertName: '李工', body: 'expert' })).statusCode).toBe(403);
    expect((await post(outsider, url, { expertName: '李工', body: 'expert' })).statusCode).toBe(403);
  });

  it('takes declared relations from the reviewer themselves; the setup is frozen once the review starts', async () => {
    const declared = await put(reviewers.H2.cookie, `/api/selection-reviewers/${reviewers.H2.id}/relations`, { candidateIds: [cand.B] });
    expect(declared.statusCode).toBe(200);
    expect(declared.json().standsAsideFrom).toEqual([{ candidateId: cand.B, reasons: ['declared_relation'] }]);
    expect((await put(reviewers.H1.cookie, `/api/selection-reviewers/${reviewers.H2.id}/relations`, { candidateIds: [] })).statusCode).toBe(403);
    expect((await put(organiser, `/api/selection-reviewers/${reviewers.H2.id}/relations`, { candidateIds: [999_999] })).json().errors[0].field).toBe('body.candidateIds.0');

    expect((await post(organiser, `/api/selections/${selectionId}/start-review`)).json().status).toBe('reviewing');
    const hefei = (await get(viewer, `/api/selections/${selectionId}`)).json().reviewSetup;
    expect((await put(organiser, `/api/selections/${selectionId}/review-setup`, hefei)).json().code).toBe('wrong_selection_status');
    // The list of a reviewed selection comes from the ranking, never by hand.
    expect((await put(organiser, `/api/selections/${selectionId}/proposed-list`, { items: [{ candidateId: cand.A }] })).json().code).toBe('list_from_review');
  });
});

describe('the accounts a manager may seat (the pickers)', () => {
  it('lists the active accounts within reach by name, role and organisation, the running union’s first; nothing of signing in', async () => {
    const url = `/api/selections/${selectionId}/eligible-accounts`;
    const retired = await makeAccount(app, 'viewer', cityId);
    app.db.update(accounts).set({ active: false }).where(eq(accounts.id, retired.id)).run();

    const res = await get(organiser, url);
    expect(res.statusCode).toBe(200);
    const list = res.json() as { id: number; displayName: string; role: string; orgName: string }[];
    const byId = new Map(list.map((a) => [a.id, a]));
    for (const key of ['U1', 'U2', 'U3', 'H1', 'H2'] as const) expect(byId.has(reviewers[key].accountId), key).toBe(true);
    expect(byId.get(reviewers.U3.accountId)).toEqual({ id: reviewers.U3.accountId, displayName: 'viewer user', role: 'viewer', orgName: '国网合肥供电公司' });
    expect(byId.get(reviewers.H1.accountId)).toMatchObject({ role: 'hr_officer', orgName: '合肥市人力资源和社会保障局' });
    expect(byId.get(members.M1.accountId)).toMatchObject({ orgName: '合肥市总工会' });
    // Another city's accounts and retired ones are not offered.
    expect(byId.has(outsiderAccountId)).toBe(false);
    expect(byId.has(retired.id)).toBe(false);
    // The running union's subtree first, then the co-organiser's.
    const firstHr = list.findIndex((a) => a.orgName === '合肥市人力资源和社会保障局');
    expect(list.slice(firstHr).every((a) => a.orgName === '合肥市人力资源和社会保障局')).toBe(true);
    expect(firstHr).toBeGreaterThan(0);
    // Names, roles and organisations only.
    for (const a of list) expect(Object.keys(a).sort()).toEqual(['displayName', 'id', 'orgName', 'role']);
    expect(res.body).not.toMatch(/username|password|\$argon|organiser\d|viewer\d/);

    // Managers of the running union only: the co-organiser's staff (even its admin), other unions and readers are refused.
    const hrAdmin = await staff('organiser', cityHrId);
    for (const cookie of [hr, hrAdmin.cookie, outsider, viewer]) expect((await get(cookie, url)).statusCode).toBe(403);
    expect((await get(null, url)).statusCode).toBe(401);
    expect((await get(organiser, '/api/selections/999999/eligible-accounts')).statusCode).toBe(404);
  });
});

describe('sheets and scores', () => {
  it('shows each reviewer the candidates they score, without those they stand aside from', async () => {
    const u3 = (await get(reviewers.U3.cookie, `/api/selections/${selectionId}/my-sheet`)).json();
    // Union reviewers score the material review only; the defence is the experts'.
    expect(u3.steps.map((s: { key: string }) => s.key)).toEqual(['review']);
    expect(u3.steps[0].candidates.map((c: { candidateId: number }) => c.candidateId)).toEqual([cand.B, cand.C, cand.D, cand.E]);
    const h2 = (await get(reviewers.H2.cookie, `/api/selections/${selectionId}/my-sheet`)).json();
    expect(h2.steps[0].candidates.map((c: { candidateId: number }) => c.candidateId)).toEqual([cand.A, cand.C, cand.D, cand.E]);
    expect(h2.steps[0].items).toHaveLength(5);
    expect((await get(viewer, `/api/selections/${selectionId}/my-sheet`)).json().code).toBe('not_a_reviewer');
  });

  it('refuses a score for a candidate one stands aside from, with its code', async () => {
    const byEmployer = await put(reviewers.U3.cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: cand.A, items: reviewSheet(80) });
    expect(byEmployer.statusCode).toBe(403);
    expect(byEmployer.json()).toMatchObject({ code: 'reviewer_conflict', errors: [{ field: 'body.candidateId' }], params: { 'body.candidateId': 'reviewer_conflict' } });
    const byRelation = await put(reviewers.H2.cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: cand.B, items: reviewSheet(80) });
    expect(byRelation.statusCode).toBe(403);
    expect(byRelation.json()).toMatchObject({ code: 'reviewer_relation', errors: [{ field: 'body.candidateId' }] });
  });

  it('names each problem of a sheet by field and code', async () => {
    const res = await put(reviewers.U1.cookie, `/api/selections/${selectionId}/my-scores`, {
      candidateId: cand.A,
      items: [
        { itemId: 'charm', points: 5 },
        { itemId: 'skill', points: 31 },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.items.0.itemId', 'body.items.1.points']);
    expect(res.json().params).toEqual({ 'body.items.0.itemId': 'unknown_item', 'body.items.1.points': 'out_of_range' });
    const defence = await put(reviewers.U1.cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: cand.A, step: 'defence', items: defenceSheet(80) });
    expect(defence.json()).toMatchObject({ code: 'body_not_in_step', errors: [{ field: 'body.step' }] });
    const stranger = await put(reviewers.U1.cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: 999_999, items: reviewSheet(80) });
    expect(stranger.json()).toMatchObject({ code: 'unknown_candidate', errors: [{ field: 'body.candidateId' }] });
    const empty = await put(reviewers.U1.cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: cand.A, items: [] });
    expect(empty.json().errors[0].field).toBe('body.items');
  });

  it('ranks by the engine: body means, body weights, step weights, shared ranks, threshold and quota', async () => {
    // Material review totals (out of 100) per reviewer; – = stands aside.
    //        U1  U2  U3   H1  H2   X    defence X
    //   A    90  86  –    80  84   85   90
    //   B    80  82  83   78  –    80   85
    //   C    75  77  76   70  72   74   80
    //   D    76  75  77   72  70   74   80     (C and D differ per reviewer, not per body)
    //   E    50  52  54   50  50   48   60
    const totals: Record<'A' | 'B' | 'C' | 'D' | 'E', Partial<Record<'U1' | 'U2' | 'U3' | 'H1' | 'H2' | 'X', number>> & { defence: number }> = {
      A: { U1: 90, U2: 86, H1: 80, H2: 84, X: 85, defence: 90 },
      B: { U1: 80, U2: 82, U3: 83, H1: 78, X: 80, defence: 85 },
      C: { U1: 75, U2: 77, U3: 76, H1: 70, H2: 72, X: 74, defence: 80 },
      D: { U1: 76, U2: 75, U3: 77, H1: 72, H2: 70, X: 74, defence: 80 },
      E: { U1: 50, U2: 52, U3: 54, H1: 50, H2: 50, X: 48, defence: 60 },
    };
    for (const key of ['A', 'B', 'C', 'D', 'E'] as const) {
      const t = totals[key];
      for (const r of ['U1', 'U2', 'U3', 'H1', 'H2'] as const) {
        if (t[r] === undefined) continue;
        const res = await put(reviewers[r].cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: cand[key], items: reviewSheet(t[r]!) });
        expect(res.statusCode, `${r} ${key}`).toBe(200);
      }
      // The outside expert's paper sheets, entered by the organiser.
      expect((await put(organiser, `/api/selection-reviewers/${expertId}/scores`, { candidateId: cand[key], items: reviewSheet(t.X!) })).statusCode).toBe(200);
      expect((await put(organiser, `/api/selection-reviewers/${expertId}/scores`, { candidateId: cand[key], step: 'defence', items: defenceSheet(t.defence) })).statusCode).toBe(200);
    }
    expect((await put(hr, `/api/selection-reviewers/${expertId}/scores`, { candidateId: cand.A, items: reviewSheet(85) })).statusCode).toBe(403);

    const review = await get(hr, `/api/selections/${selectionId}/review`);
    expect(review.statusCode).toBe(200);
    const rows = new Map(review.json().rows.map((r: { candidateId: number }) => [r.candidateId, r]));
    // A: union (90 + 86) / 2 = 88 (U3 stands aside); HR (80 + 84) / 2 = 82; experts 85.
    //    material 88 × .5 + 82 × .3 + 85 × .2 = 44 + 24.6 + 17 = 85.60; defence 90.
    //    final 85.60 × .7 + 90 × .3 = 59.92 + 27 = 86.92.
    expect(rows.get(cand.A)).toMatchObject({
      steps: {
        review: { score: 85.6, bodies: { union: { score: 88, sheets: 2, expectedSheets: 2 }, hr_bureau: { score: 82, sheets: 2 }, expert: { score: 85, sheets: 1 } } },
        defence: { score: 90, bodies: { expert: { score: 90 } } },
      },
      final: 86.92,
      rank: 1,
      passes: true,
      selected: true,
    });
    // B: union (80 + 82 + 83) / 3 = 81.666… → 81.67 (rounding point a); HR 78 (H2 declared a relation); experts 80.
    //    material 81.67 × .5 + 78 × .3 + 80 × .2 = 40.835 + 23.4 + 16 = 80.235 → 80.24 (point b);
    //    final 80.24 × .7 + 85 × .3 = 56.168 + 25.5 = 81.668 → 81.67 (point c).
    expect(rows.get(cand.B)).toMatchObject({ steps: { review: { score: 80.24, bodies: { union: { score: 81.67 }, hr_bureau: { score: 78, sheets: 1, expectedSheets: 1 } } } }, final: 81.67, rank: 2, selected: true });
    // C: union (75 + 77 + 76) / 3 = 76; HR (70 + 72) / 2 = 71; experts 74.
    //    material 38 + 21.3 + 14.8 = 74.10; final 74.10 × .7 + 80 × .3 = 51.87 + 24 = 75.87.
    // D: union (76 + 75 + 77) / 3 = 76; HR (72 + 70) / 2 = 71: the same 75.87, sharing rank 3.
    for (const key of ['C', 'D'] as const) expect(rows.get(cand[key])).toMatchObject({ final: 75.87, rank: 3, sharedRank: true, passes: true, selected: false, tiedAtLine: true });
    // E: union 52, HR 50, experts 48: material 26 + 15 + 9.6 = 50.60; final 35.42 + 18 = 53.42 < 60.
    expect(rows.get(cand.E)).toMatchObject({ final: 53.42, rank: 5, passes: false, selected: false, tiedAtLine: false });
    // Quota 3: A and B fit; C and D straddle the line with one place left for the committee.
    expect(review.json().summary).toEqual({ quota: 3, passed: 4, selected: 2, tiedAtLine: 2, placesToDecide: 1, placesUnfilled: 0 });

    // Each save writes the candidates' review score and rank.
    const listed = new Map((await get(viewer, `/api/selections/${selectionId}/candidates`)).json().map((c: { id: number }) => [c.id, c]));
    expect(listed.get(cand.A)).toMatchObject({ reviewScore: 86.92, rank: 1, status: 'nominated' });
    expect(listed.get(cand.D)).toMatchObject({ reviewScore: 75.87, rank: 3 });
  });
});

describe('closing the review, the tie at the line and the committee', () => {
  it('seats the committee from accounts within reach and names', async () => {
    const url = `/api/selections/${selectionId}/committee`;
    expect((await put(organiser, url, { members: [{ accountId: outsiderAccountId }] })).json().errors[0].field).toBe('body.members.0.accountId');
    expect((await put(organiser, url, { members: [{}] })).json().errors[0].field).toBe('body.members.0.accountId');
    expect((await put(hr, url, { members: [{ name: '张委员' }] })).statusCode).toBe(403);
    const set = await put(organiser, url, { members: [{ accountId: members.M1.accountId }, { accountId: members.M2.accountId }, { name: '张委员' }] });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ voteRule: 'absolute_majority', tally: { members: 3, cast: 0, passed: false } });
  });

  it('closes the review: the selected are proposed, the tied wait for the committee', async () => {
    expect((await post(reviewers.U1.cookie, `/api/selections/${selectionId}/votes`, { choice: 'for' })).json().code).toBe('not_a_member');
    expect((await post(members.M1.cookie, `/api/selections/${selectionId}/votes`, { choice: 'for' })).json().code).toBe('review_open');
    expect((await post(hr, `/api/selections/${selectionId}/close-review`)).statusCode).toBe(403);
    const closed = await post(organiser, `/api/selections/${selectionId}/close-review`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ closed: true, summary: { placesToDecide: 1 } });
    const status = new Map((await get(viewer, `/api/selections/${selectionId}/candidates`)).json().map((c: { id: number; status: string }) => [c.id, c.status]));
    expect([cand.A, cand.B, cand.C, cand.D, cand.E].map((id) => status.get(id))).toEqual(['proposed', 'proposed', 'nominated', 'nominated', 'not_selected']);
    // Scores are frozen.
    const late = await put(reviewers.U1.cookie, `/api/selections/${selectionId}/my-scores`, { candidateId: cand.C, items: reviewSheet(99) });
    expect(late.json().code).toBe('review_closed');
    expect((await post(organiser, `/api/selections/${selectionId}/close-review`)).json().code).toBe('review_closed');
    expect((await post(organiser, `/api/selections/${selectionId}/start-publicity`)).json().code).toBe('tie_undecided');
    expect((await post(members.M1.cookie, `/api/selections/${selectionId}/votes`, { choice: 'for' })).json().code).toBe('tie_undecided');
  });

  it('takes the committee’s choice at the line: only the tied, at most the places left, with the reason (audited)', async () => {
    const url = `/api/selections/${selectionId}/tie-decision`;
    expect((await post(organiser, url, { candidateIds: [cand.E], reason: '答辩表现突出' })).json()).toMatchObject({ code: 'not_tied_at_line', errors: [{ field: 'body.candidateIds.0' }] });
    expect((await post(organiser, url, { candidateIds: [cand.C, cand.D], reason: '两人并列' })).json()).toMatchObject({ code: 'too_many_chosen', errors: [{ field: 'body.candidateIds' }] });
    expect((await post(organiser, url, { candidateIds: [cand.D] })).json().errors[0].field).toBe('body.reason');
    const decided = await post(organiser, url, { candidateIds: [cand.D], reason: '经评审委员会研究，D的创新成果已在全市推广应用' });
    expect(decided.statusCode).toBe(200);
    const rows = new Map(decided.json().rows.map((r: { candidateId: number }) => [r.candidateId, r]));
    expect(rows.get(cand.D)).toMatchObject({ tiedAtLine: true, chosenByCommittee: true });
    expect(rows.get(cand.C)).toMatchObject({ tiedAtLine: true, chosenByCommittee: false });
    expect(decided.json().tieDecision).toMatchObject({ candidateIds: [cand.D], reason: expect.stringContaining('创新成果') });
    expect((await post(organiser, url, { candidateIds: [], reason: '重新研究' })).json().code).toBe('tie_decided');
    const status = new Map((await get(viewer, `/api/selections/${selectionId}/candidates`)).json().map((c: { id: number; status: string }) => [c.id, c.status]));
    expect([cand.C, cand.D].map((id) => status.get(id))).toEqual(['not_selected', 'proposed']);
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'selection.tie_decision')).all()).toHaveLength(1);
  });

  it('counts the vote by the rule: a failed vote blocks publicity, a passed one lets it start', async () => {
    const votes = `/api/selections/${selectionId}/votes`;
    expect((await post(members.M1.cookie, votes, { choice: 'for' })).statusCode).toBe(200);
    expect((await post(members.M1.cookie, votes, { choice: 'against' })).json().code).toBe('already_voted');
    const second = await post(members.M2.cookie, votes, { choice: 'against' });
    // Absolute majority of 3 members: 2 votes for are needed; 1 for, 1 against, 1 absent fails.
    expect(second.json().tally).toMatchObject({ rule: 'absolute_majority', for: 1, against: 1, absent: 1, forNeeded: 2, passed: false });
    const blocked = await post(organiser, `/api/selections/${selectionId}/start-publicity`);
    expect(blocked.json()).toMatchObject({ code: 'vote_not_passed', params: { for: 1, forNeeded: 2 } });

    // 张委员's paper ballot, recorded by the organiser; a member recorded on paper is named by id.
    const committee = (await get(viewer, `/api/selections/${selectionId}/committee`)).json();
    const zhang = committee.members.find((m: { name: string }) => m.name === '张委员');
    expect((await post(members.M1.cookie, votes, { choice: 'for', memberId: zhang.id })).statusCode).toBe(403);
    expect((await post(organiser, votes, { choice: 'for', memberId: 999_999 })).json().errors[0].field).toBe('body.memberId');
    expect((await post(organiser, votes, { choice: 'maybe', memberId: zhang.id })).json().errors[0].field).toBe('body.choice');
    const third = await post(organiser, votes, { choice: 'for', memberId: zhang.id });
    expect(third.json().tally).toMatchObject({ for: 2, against: 1, abstain: 0, cast: 3, passed: true });
    expect(third.json().members.find((m: { id: number }) => m.id === zhang.id)).toMatchObject({ choice: 'for', at: '2026-11-02T02:00:00.000Z' });

    const started = await post(organiser, `/api/selections/${selectionId}/start-publicity`);
    expect(started.json().status).toBe('publicity');
    const page = (await get(null, `/api/public/selections/${selectionId}`)).json();
    expect(page.list.map((r: { candidateId: number; rank: number }) => [r.candidateId, r.rank])).toEqual([
      [cand.A, 1],
      [cand.B, 2],
      [cand.D, 3],
    ]);
    const actions = new Set(app.db.select({ action: auditLog.action }).from(auditLog).where(like(auditLog.action, 'selection.%')).all().map((a) => a.action));
    for (const a of ['selection.review_setup', 'selection.reviewer_add', 'selection.reviewer_relations', 'selection.review_score', 'selection.review_close', 'selection.committee', 'selection.vote'])
      expect(actions, a).toContain(a);
  });
});

describe('the majority rule is a setting', () => {
  it('two thirds of all members: an abstention weighs against, the list goes up once enough are for', async () => {
    // 安徽工匠 (no quota), reviewed by one outside expert on a one-item sheet, voted by two thirds of 4 members.
    const created = (await post(organiser, '/api/selections', { presetKey: 'anhui_craftsman', name: '测试评选（三分之二）', year: 2027, nominationsOpen: '2026-11-01', nominationsClose: '2026-12-31' })).json();
    const id = created.id;
    const setup = {
      steps: [{ key: 'review', name: '材料评审', weight: 100, sheet: { items: [{ id: 'overall', name: '综合评价', max: 100 }] }, bodies: [{ key: 'expert', name: '专家', weight: 100 }] }],
      threshold: 60,
      voteRule: 'two_thirds',
    };
    expect((await put(organiser, `/api/selections/${id}/review-setup`, setup)).statusCode).toBe(200);
    await post(organiser, `/api/selections/${id}/open-nominations`);
    const person = makePerson(app, { orgId: cityId, occupationCode: '6-31-01-03', skillLevel: 3 });
    const candidateId = (await post(organiser, `/api/selections/${id}/candidates`, { source: 'self_nomination', personId: person.id, form: goodForm })).json().id;
    const expert = (await post(organiser, `/api/selections/${id}/reviewers`, { expertName: '赵高工', body: 'expert' })).json();
    await put(organiser, `/api/selections/${id}/committee`, { members: [{ name: '委员甲' }, { name: '委员乙' }, { name: '委员丙' }, { name: '委员丁' }] });
    await post(organiser, `/api/selections/${id}/start-review`);
    expect((await post(organiser, `/api/selections/${id}/close-review`)).json().code).toBe('review_incomplete');
    await put(organiser, `/api/selection-reviewers/${expert.id}/scores`, { candidateId, items: [{ itemId: 'overall', points: 88 }] });
    const closed = (await post(organiser, `/api/selections/${id}/close-review`)).json();
    // No quota: everyone who passes is selected.
    expect(closed.summary).toEqual({ quota: null, passed: 1, selected: 1, tiedAtLine: 0, placesToDecide: 0, placesUnfilled: 0 });
    expect((await post(organiser, `/api/selections/${id}/tie-decision`, { candidateIds: [], reason: '无并列' })).json().code).toBe('no_tie_at_line');

    const [a, b, c, d] = (await get(viewer, `/api/selections/${id}/committee`)).json().members.map((m: { id: number }) => m.id);
    const vote = (memberId: number, choice: string) => post(organiser, `/api/selections/${id}/votes`, { memberId, choice });
    await vote(a, 'for');
    await vote(b, 'for');
    // 2 for of 4: 2 × 3 = 6 < 4 × 2 = 8; the abstention does not help.
    const abstained = (await vote(c, 'abstain')).json();
    expect(abstained.tally).toMatchObject({ rule: 'two_thirds', for: 2, abstain: 1, forNeeded: 3, passed: false });
    expect((await post(organiser, `/api/selections/${id}/start-publicity`)).json().code).toBe('vote_not_passed');
    expect((await vote(d, 'for')).json().tally.passed).toBe(true);
    expect((await post(organiser, `/api/selections/${id}/start-publicity`)).json().status).toBe('publicity');
  });
});

describe('a list the committee voted down', () => {
  it('goes back to the panel with the reason, and the same committee votes again on the corrected list', async () => {
    const created = (await post(organiser, '/api/selections', { presetKey: 'anhui_craftsman', name: '测试评选（退回重评）', year: 2027, quota: 1, nominationsOpen: '2026-11-01', nominationsClose: '2026-12-31' })).json();
    const id = created.id;
    const setup = {
      steps: [{ key: 'review', name: '材料评审', weight: 100, sheet: { items: [{ id: 'overall', name: '综合评价', max: 100 }] }, bodies: [{ key: 'expert', name: '专家', weight: 100 }] }],
      threshold: 60,
      voteRule: 'absolute_majority',
    };
    await put(organiser, `/api/selections/${id}/review-setup`, setup);
    await post(organiser, `/api/selections/${id}/open-nominations`);
    const [first, second] = [1, 2].map(() => makePerson(app, { orgId: cityId, occupationCode: '6-31-01-03', skillLevel: 3 }));
    const c1 = (await post(organiser, `/api/selections/${id}/candidates`, { source: 'self_nomination', personId: first!.id, form: goodForm })).json().id;
    const c2 = (await post(organiser, `/api/selections/${id}/candidates`, { source: 'self_nomination', personId: second!.id, form: goodForm })).json().id;
    const expert = (await post(organiser, `/api/selections/${id}/reviewers`, { expertName: '钱高工', body: 'expert' })).json();
    await put(organiser, `/api/selections/${id}/committee`, { members: [{ name: '委员甲' }, { name: '委员乙' }, { name: '委员丙' }] });
    await post(organiser, `/api/selections/${id}/start-review`);
    // The expert's paper sheet was entered with the two scores swapped.
    await put(organiser, `/api/selection-reviewers/${expert.id}/scores`, { candidateId: c1, items: [{ itemId: 'overall', points: 90 }] });
    await put(organiser, `/api/selection-reviewers/${expert.id}/scores`, { candidateId: c2, items: [{ itemId: 'overall', points: 80 }] });
    const reopen = (reason?: string) => post(organiser, `/api/selections/${id}/reopen-review`, reason === undefined ? {} : { reason });
    expect((await reopen('尚未关闭')).json().code).toBe('review_open');
    await post(organiser, `/api/selections/${id}/close-review`);
    expect((await reopen('尚未表决')).json().code).toBe('vote_not_taken');

    const [a, b, c] = (await get(viewer, `/api/selections/${id}/committee`)).json().members.map((m: { id: number }) => m.id);
    const vote = (memberId: number, choice: string) => post(organiser, `/api/selections/${id}/votes`, { memberId, choice });
    await vote(a, 'against');
    const downed = (await vote(b, 'against')).json();
    // Absolute majority of 3: 2 for needed; 2 against leave at most 1: lost before the third ballot.
    expect(downed).toMatchObject({ round: 1, tally: { for: 0, against: 2, absent: 1, passed: false, lost: true }, earlierRounds: [] });
    expect((await reopen()).json().errors[0].field).toBe('body.reason');
    expect((await post(hr, `/api/selections/${id}/reopen-review`, { reason: '评分录入有误' })).statusCode).toBe(403);
    const reopened = await reopen('专家评分表录入时两名候选人分数颠倒，退回重新核对');
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({
      round: 2,
      tally: { cast: 0, passed: false, lost: false },
      earlierRounds: [{ round: 1, reason: expect.stringContaining('分数颠倒'), tally: { for: 0, against: 2, lost: true } }],
    });
    expect(reopened.json().members.every((m: { choice: string | null }) => m.choice === null)).toBe(true);
    const statuses = (await get(viewer, `/api/selections/${id}/candidates`)).json().map((x: { status: string }) => x.status);
    expect(statuses).toEqual(['nominated', 'nominated']);
    expect((await get(viewer, `/api/selections/${id}/review`)).json().closed).toBe(false);
    // The committee that voted stays; the ballots of round 1 stay as they were cast.
    expect((await put(organiser, `/api/selections/${id}/committee`, { members: [{ name: '委员丁' }] })).json().code).toBe('votes_cast');

    await put(organiser, `/api/selection-reviewers/${expert.id}/scores`, { candidateId: c1, items: [{ itemId: 'overall', points: 80 }] });
    await put(organiser, `/api/selection-reviewers/${expert.id}/scores`, { candidateId: c2, items: [{ itemId: 'overall', points: 90 }] });
    expect((await vote(a, 'for')).json().code).toBe('review_open');
    const closed = (await post(organiser, `/api/selections/${id}/close-review`)).json();
    expect(closed.rows.filter((r: { selected: boolean }) => r.selected).map((r: { candidateId: number }) => r.candidateId)).toEqual([c2]);
    await vote(a, 'for');
    const passed = (await vote(b, 'for')).json();
    expect(passed).toMatchObject({ round: 2, tally: { for: 2, passed: true }, earlierRounds: [{ round: 1 }] });
    expect((await reopen('再议')).json().code).toBe('vote_passed');
    expect((await post(organiser, `/api/selections/${id}/start-publicity`)).json().status).toBe('publicity');
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'selection.review_reopen')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ voteRound: 2, reason: expect.stringContaining('退回') });
  });
});

describe('reviewers whose accounts sit below the running union or the co-organiser', () => {
  it('open and hand in their own sheet, which carries what the page shows, without reading the selection', async () => {
    // An expert at 肥西县总工会 (a county union under the city) and an officer of 肥西县人社局, under
    // the co-organising city HR bureau: both within reach of the selection.
    const county = makeOrg(app, { name: '肥西县总工会', kind: 'union', level: 'county', parentId: cityId, regionCode: '340123' });
    const countyHr = makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', parentId: cityHrId, regionCode: '340123' });
    const expert = await staff('viewer', county.id);
    const officer = await staff('hr_officer', countyHr.id);
    const created = (
      await post(organiser, '/api/selections', { presetKey: 'anhui_craftsman', name: '测试评选（县级评审人）', year: 2027, coOrganiserIds: [cityHrId], nominationsOpen: '2026-11-01', nominationsClose: '2026-12-31' })
    ).json();
    const id = created.id;
    const setup = {
      steps: [
        {
          key: 'review',
          name: '材料评审',
          weight: 100,
          sheet: { items: [{ id: 'overall', name: '综合评价', max: 100 }] },
          bodies: [
            { key: 'union', name: '工会', weight: 60 },
            { key: 'hr_bureau', name: '人社部门', weight: 40 },
          ],
        },
      ],
      threshold: 60,
      voteRule: 'simple_majority',
    };
    expect((await put(organiser, `/api/selections/${id}/review-setup`, setup)).statusCode).toBe(200);
    await post(organiser, `/api/selections/${id}/open-nominations`);
    const [p1, p2] = [1, 2].map(() => makePerson(app, { orgId: cityId, occupationCode: '6-31-01-03', skillLevel: 3 }));
    const c1 = (await post(organiser, `/api/selections/${id}/candidates`, { source: 'self_nomination', personId: p1!.id, form: goodForm })).json().id;
    const c2 = (await post(organiser, `/api/selections/${id}/candidates`, { source: 'self_nomination', personId: p2!.id, form: goodForm })).json().id;

    // Both accounts are within reach: the picker offers them and they are seated.
    const offered = new Map(((await get(organiser, `/api/selections/${id}/eligible-accounts`)).json() as { id: number; orgName: string }[]).map((a) => [a.id, a.orgName]));
    expect([offered.get(expert.accountId), offered.get(officer.accountId)]).toEqual(['肥西县总工会', '肥西县人力资源和社会保障局']);
    expect((await post(organiser, `/api/selections/${id}/reviewers`, { accountId: expert.accountId, body: 'union' })).statusCode).toBe(201);
    const seatedOfficer = (await post(organiser, `/api/selections/${id}/reviewers`, { accountId: officer.accountId, body: 'hr_bureau' })).json();

    // The county HR officer may not read the selection (the county bureau co-organises nothing,
    // and is no unit of the city union), nor its panel or ranking; the county expert may not read
    // its panel or ranking either (whatever a union below may see of the selection itself).
    expect((await get(officer.cookie, `/api/selections/${id}`)).statusCode).toBe(403);
    for (const who of [officer, expert]) {
      expect((await get(who.cookie, `/api/selections/${id}/reviewers`)).statusCode).toBe(403);
      expect((await get(who.cookie, `/api/selections/${id}/review`)).statusCode).toBe(403);
    }

    // The officer declares a relation and opens their sheet, which says everything the page shows.
    expect((await put(officer.cookie, `/api/selection-reviewers/${seatedOfficer.id}/relations`, { candidateIds: [c2] })).statusCode).toBe(200);
    const sheet = await get(officer.cookie, `/api/selections/${id}/my-sheet`);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.json()).toMatchObject({
      selection: { id, name: '测试评选（县级评审人）', year: 2027, titleName: '安徽工匠', orgName: '合肥市总工会', canOpen: false },
      reviewer: { id: seatedOfficer.id, name: 'hr_officer user', body: 'hr_bureau', bodyName: '人社部门', relations: [c2], standsAsideFrom: [{ candidateId: c2, reasons: ['declared_relation'] }] },
      status: 'nominating',
      reviewClosed: false,
      steps: [{ key: 'review', name: '材料评审', items: [{ id: 'overall', name: '综合评价', max: 100 }], candidates: [{ candidateId: c1 }] }],
    });
    expect(sheet.json().steps[0].candidates).toHaveLength(1);
    // Whether the sheet offers the selection's page follows what that page answers.
    const expertSheet = (await get(expert.cookie, `/api/selections/${id}/my-sheet`)).json();
    expect(expertSheet).toMatchObject({ selection: { orgName: '合肥市总工会' }, reviewer: { bodyName: '工会', standsAsideFrom: [] } });
    expect(expertSheet.selection.canOpen).toBe((await get(expert.cookie, `/api/selections/${id}`)).statusCode === 200);
    // A co-organiser's officer reads the selection: their sheet says its page opens.
    expect((await get(reviewers.H1.cookie, `/api/selections/${selectionId}/my-sheet`)).json().selection).toMatchObject({ titleName: '合肥工匠', canOpen: true });

    await post(organiser, `/api/selections/${id}/start-review`);
    for (const [who, points] of [
      [officer, 78],
      [expert, 86],
    ] as const) {
      const saved = await put(who.cookie, `/api/selections/${id}/my-scores`, { candidateId: c1, items: [{ itemId: 'overall', points }] });
      expect(saved.statusCode).toBe(200);
      expect(saved.json().status).toBe('reviewing');
      expect(saved.json().steps[0].candidates.find((c: { candidateId: number }) => c.candidateId === c1)).toMatchObject({ points: { overall: points }, complete: true });
    }
    expect((await put(officer.cookie, `/api/selections/${id}/my-scores`, { candidateId: c2, items: [{ itemId: 'overall', points: 90 }] })).json().code).toBe('reviewer_relation');
    // Their sheets count in the ranking the organiser reads.
    const ranking = (await get(organiser, `/api/selections/${id}/review`)).json();
    expect(ranking.rows.find((r: { candidateId: number }) => r.candidateId === c1).steps.review.bodies).toMatchObject({
      union: { score: 86, sheets: 1, expectedSheets: 1 },
      hr_bureau: { score: 78, sheets: 1, expectedSheets: 1 },
    });
    // A staff member on no panel still has no sheet, whatever they read.
    expect((await get(viewer, `/api/selections/${id}/my-sheet`)).json().code).toBe('not_a_reviewer');

    // Each finds their sheet in their tasks, with how far they are.
    const tasks = (await get(officer.cookie, '/api/selections/my-tasks')).json();
    expect(tasks).toEqual({ reviews: [expect.objectContaining({ selectionId: id, bodyName: '人社部门', orgName: '合肥市总工会', complete: 1, total: 1, reviewClosed: false })], votes: [] });
    expect((await get(viewer, '/api/selections/my-tasks')).json()).toEqual({ reviews: [], votes: [] });

    // The officer sits on the committee too: a member reads the selection whole to vote on the
    // ranked list, and finds the vote in their tasks once the list is up.
    expect((await put(organiser, `/api/selections/${id}/committee`, { members: [{ accountId: officer.accountId }, { name: '委员乙' }] })).statusCode).toBe(200);
    const asMember = await get(officer.cookie, `/api/selections/${id}`);
    expect(asMember.statusCode).toBe(200);
    expect(asMember.json().yourPart).toBe('committee_member');
    expect((await get(officer.cookie, `/api/selections/${id}/review`)).statusCode).toBe(200);
    expect((await post(officer.cookie, `/api/selections/${id}/close-review`)).statusCode).toBe(403);
    expect((await get(officer.cookie, '/api/selections/my-tasks')).json().votes).toEqual([{ selectionId: id, name: '测试评选（县级评审人）', status: 'reviewing', round: 1, choice: null, open: false }]);
    // The officer, the only HR reviewer, stands aside from c2, who cannot be scored by every body: c2 withdraws.
    expect((await post(organiser, `/api/selection-candidates/${c2}/withdraw`, { reason: '本人申请退出' })).statusCode).toBe(200);
    const closed = await post(organiser, `/api/selections/${id}/close-review`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await get(officer.cookie, '/api/selections/my-tasks')).json().votes[0]).toMatchObject({ open: true, choice: null });
    expect((await post(officer.cookie, `/api/selections/${id}/votes`, { choice: 'for' })).statusCode).toBe(200);
    expect((await get(officer.cookie, '/api/selections/my-tasks')).json().votes[0]).toMatchObject({ choice: 'for' });
  });
});
