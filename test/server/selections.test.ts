import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, organisations, personTitles, titleTypes } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { loginAs, makeOrg, makePerson } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, reasonsForIncomplete, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * A whole 合肥工匠 selection through the API. The Hefei city union runs it with the city HR bureau
 * co-organising; the Feixi county union (under the city) ran a B-level competition whose top three
 * were recommended for 合肥工匠. Results are released on Monday 2 November 2026.
 */
let app: TestApp;
let s: Scenario;
let city: { id: number; path: string };
let cityHrId: number;
let organiser: string; // the city union's
let hr: string; // the city HR bureau's (co-organiser)
let viewer: string; // the city union's
let outsider: string; // another city's union
const clock = fixedClock('2026-11-02T02:00:00Z');
const personOf = (n: number) => app.db.select().from(entries).where(eq(entries.id, s.entryIds[n - 1]!)).get()!.personId;

/** A form that meets the 合肥工匠 rules. */
const goodForm = {
  position: '配电运维班班长',
  frontLine: true,
  yearsInTrade: 12,
  stillInTrade: true,
  skillConditions: ['unique_technique'],
  achievements: ['带电作业新工法，年节约停电时间120小时'],
  patents: [{ title: '一种绝缘拉线装置', number: 'ZL202310000000.1' }],
  innovations: ['配网带电作业工具改进'],
  apprentices: 8,
  honours: ['肥西县技术能手'],
  attachments: [{ name: '推荐表.pdf' }],
  declaredNoDisciplinaryRecord: true,
};

/** Moves the county (and everything under it) under `parent`: the scenario hangs it from the root. */
function reparent(countyId: number, parent: { id: number; path: string }) {
  const county = app.db.select().from(organisations).where(eq(organisations.id, countyId)).get()!;
  const newPath = `${parent.path}${county.id}/`;
  for (const org of app.db.select().from(organisations).where(like(organisations.path, `${county.path}%`)).all())
    app.db.update(organisations).set({ path: newPath + org.path.slice(county.path.length) }).where(eq(organisations.id, org.id)).run();
  app.db.update(organisations).set({ parentId: parent.id }).where(eq(organisations.id, countyId)).run();
}

/** The Feixi competition released, the Feixi rules applied and the 合肥工匠 recommendations signed by both sides. */
async function releasedRecommendations() {
  const countyOrganiser = await loginAs(app, 'organiser', s.orgId);
  const countyHr = await loginAs(app, 'hr_officer', s.orgId);
  const chief = await judgeLogin(app, s.chiefCode);
  for (const code of s.judgeCodes) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= 6; n++)
      await call(app, j, {
        method: 'POST',
        url: '/api/marks',
        payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 40 + n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 }] },
      });
  }
  await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
  await completeRecheck(app, chief, s.eventId);
  await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
  expect((await call(app, countyOrganiser, { method: 'POST', url: '/api/title-rules', payload: { presetKey: 'feixi_b_level' } })).statusCode).toBe(201);
  expect((await call(app, countyOrganiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).statusCode).toBe(200);
  await call(app, countyOrganiser, { method: 'POST', url: `/api/events/${s.eventId}/awards-override`, payload: { reason: '工匠推荐需在市级评选申报截止前报送，经组委会研究提前确认' } });
  const proposals = (await call(app, countyOrganiser, { method: 'GET', url: `/api/proposals?eventId=${s.eventId}` })).json() as { id: number; titleName: string; kind: string; personId: number }[];
  const recommendations = proposals.filter((p) => p.kind === 'recommendation' && p.titleName === '合肥工匠');
  expect(recommendations).toHaveLength(3);
  // Two signed by both sides (approved); the third only by the union: not yet signed off.
  for (const p of recommendations.slice(0, 2)) {
    await call(app, countyOrganiser, { method: 'POST', url: `/api/proposals/${p.id}/sign` });
    expect((await call(app, countyHr, { method: 'POST', url: `/api/proposals/${p.id}/sign` })).json().status).toBe('approved');
  }
  await call(app, countyOrganiser, { method: 'POST', url: `/api/proposals/${recommendations[2]!.id}/sign` });
  return recommendations.slice(0, 2).map((p) => p.personId);
}

let selectionId: number;
/** Signs everyone in again: sessions end after a day, and naming comes a week after publicity starts. */
let signIn: () => Promise<void>;
let recommended: number[];
const nominees = {} as Record<'unit' | 'self' | 'forwarded' | 'holder', { id: number; idNumber: string; name: string }>;
const candidate = {} as Record<'unit' | 'self' | 'forwarded' | 'holder' | 'rec1' | 'rec2', number>;

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  s = makeScenario(app, { entrants: 6, judgeCount: 3 });
  city = makeOrg(app, { name: '合肥市总工会', kind: 'union', level: 'city', regionCode: '340100' });
  reparent(s.orgId, city);
  const cityHr = makeOrg(app, { name: '合肥市人力资源和社会保障局', kind: 'hr_bureau', level: 'city', regionCode: '340100' });
  const elsewhere = makeOrg(app, { name: '芜湖市总工会', kind: 'union', level: 'city', regionCode: '340200' });
  signIn = async () => {
    organiser = await loginAs(app, 'organiser', city.id);
    viewer = await loginAs(app, 'viewer', city.id);
    hr = await loginAs(app, 'hr_officer', cityHr.id);
    outsider = await loginAs(app, 'organiser', elsewhere.id);
  };
  await signIn();
  recommended = await releasedRecommendations();
  const employer = s.employerIds[0]!;
  for (const key of ['unit', 'self', 'forwarded', 'holder'] as const) nominees[key] = makePerson(app, { orgId: s.orgId, employerId: employer, occupationCode: '6-31-01-03', occupationName: '电工', skillLevel: 3 });
  cityHrId = cityHr.id;
});
afterAll(() => app.close());

const post = (cookie: string | null, url: string, payload?: object) => call(app, cookie, { method: 'POST', url, ...(payload ? { payload } : {}) });
const get = (cookie: string | null, url: string) => call(app, cookie, { method: 'GET', url });

describe('a 合肥工匠 selection from the preset to the rewards', () => {
  it('is created from the preset, with the HR bureau co-organising; fields are checked by name', async () => {
    const bad = await post(organiser, '/api/selections', { presetKey: 'hefei_craftsman', year: 2027, nominationsClose: '2026-12-31' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.name', 'body.nominationsOpen']));
    const noPreset = await post(organiser, '/api/selections', { presetKey: 'nowhere', name: '评选', year: 2027, nominationsOpen: '2026-11-01', nominationsClose: '2026-12-31' });
    expect(noPreset.json().errors[0].field).toBe('body.presetKey');
    expect((await post(viewer, '/api/selections', { presetKey: 'hefei_craftsman' })).statusCode).toBe(403);

    const res = await post(organiser, '/api/selections', {
      presetKey: 'hefei_craftsman',
      name: '2027年度合肥工匠评选',
      year: 2027,
      coOrganiserIds: [cityHrId],
      nominationsOpen: '2026-11-01',
      nominationsClose: '2026-12-31',
      reviewBy: '2027-01-31',
      publicityWorkingDays: 5,
    });
    expect(res.statusCode).toBe(201);
    const sel = res.json();
    selectionId = sel.id;
    expect(sel).toMatchObject({ titleName: '合肥工匠', quota: 10, reward: { kind: 'one_off', yuan: 20000 }, nominationAwardYuan: 5000, titleTermYears: null, status: 'draft' });
    expect(sel.eligibilityRules).toMatchObject({ frontLineOnly: true, minYearsInTrade: 5, yearsWaivedBy: ['top_contest'] });
    expect(sel.coOrganisers.map((o: { name: string }) => o.name)).toEqual(['合肥市人力资源和社会保障局']);
    // The title type is the city union's own.
    expect(app.db.select().from(titleTypes).where(eq(titleTypes.id, sel.titleTypeId)).get()!.orgId).toBe(city.id);

    expect((await get(hr, `/api/selections/${selectionId}`)).statusCode).toBe(200);
    expect((await get(outsider, `/api/selections/${selectionId}`)).statusCode).toBe(403);
    expect((await get(outsider, '/api/selections')).json()).toHaveLength(0);
    expect((await post(hr, `/api/selections/${selectionId}/open-nominations`)).statusCode).toBe(403);
    const presets = (await get(viewer, '/api/selections/presets')).json();
    expect(presets.map((p: { name: string }) => p.name)).toEqual(['合肥工匠', '安徽工匠', '鄂尔多斯工匠']);
  });

  it('takes nominations only once open: from released, signed-off recommendations (idempotently), units, self-nominations and lower unions', async () => {
    const early = await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: nominees.self.id, form: goodForm });
    expect(early.json().code).toBe('wrong_selection_status');
    expect((await post(organiser, `/api/selections/${selectionId}/open-nominations`)).json().status).toBe('nominating');

    const imported = (await post(organiser, `/api/selections/${selectionId}/import-recommendations`)).json();
    // Only the two approved by both sides; the one signed by the union alone waits.
    expect(imported.added.map((c: { personId: number }) => c.personId).sort()).toEqual([...recommended].sort());
    expect(imported.added[0]).toMatchObject({ source: 'competition_recommendation', status: 'ineligible' });
    // Nothing on the form yet: the reasons say what to fill in.
    expect(imported.added[0].eligibility.failures.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['front_line_not_stated', 'years_in_trade_not_stated', 'no_disciplinary_declaration']),
    );
    const again = (await post(organiser, `/api/selections/${selectionId}/import-recommendations`)).json();
    expect(again.added).toHaveLength(0);
    expect(again.skipped.map((x: { reason: string }) => x.reason)).toEqual(['已导入', '已导入']);
    candidate.rec1 = imported.added.find((c: { personId: number }) => c.personId === recommended[0]).id;
    candidate.rec2 = imported.added.find((c: { personId: number }) => c.personId === recommended[1]).id;

    const unit = await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: nominees.unit.id, nominatingOrgId: s.employerIds[0], form: goodForm });
    expect(unit.statusCode).toBe(201);
    expect(unit.json()).toMatchObject({ source: 'unit_nomination', status: 'nominated', nominatingOrgName: '国网肥西供电公司', eligibility: { eligible: true, failures: [] } });
    candidate.unit = unit.json().id;
    expect((await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: nominees.unit.id, nominatingOrgId: s.employerIds[0], form: goodForm })).json().code).toBe('already_candidate');

    // A self-nomination recorded by the co-organising HR bureau: three years is too few…
    const self = await post(hr, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: nominees.self.id, form: { ...goodForm, yearsInTrade: 3 } });
    expect(self.statusCode).toBe(201);
    expect(self.json().status).toBe('ineligible');
    expect(self.json().eligibility.failures).toEqual([{ code: 'too_few_years_in_trade', reason: expect.stringContaining('不满5年') }]);
    candidate.self = self.json().id;
    // …unless a top contest result is declared, which waives them.
    const fixed = await call(app, hr, { method: 'PATCH', url: `/api/selection-candidates/${candidate.self}`, payload: { form: { ...goodForm, yearsInTrade: 3, skillConditions: ['top_contest'] } } });
    expect(fixed.json()).toMatchObject({ status: 'nominated', eligibility: { eligible: true } });

    // A worker of the city's own (not the county's), self-nominated at the city union.
    const cityWorker = makePerson(app, { orgId: city.id, occupationCode: '6-31-01-03', occupationName: '电工', skillLevel: 3 });
    const cityOwn = (await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: cityWorker.id, form: goodForm })).json();

    // Forwarded by the county union below the city: the person was named 肥西县技术能手 there. The
    // county's organiser sees the city's selection as a nominating unit, with its own people only.
    const countyTitle = app.db.select().from(titleTypes).where(and(eq(titleTypes.orgId, s.orgId), eq(titleTypes.name, '肥西县技术能手'))).get()!;
    const lower = app.db.insert(personTitles).values({ personId: nominees.forwarded.id, titleTypeId: countyTitle.id, conferredAt: clock.now() }).returning().get();
    const county = await loginAs(app, 'organiser', s.orgId);
    expect((await get(county, `/api/selections/${selectionId}`)).json()).toMatchObject({ yourPart: 'nominating_unit', titleName: '合肥工匠' });
    expect((await get(county, '/api/selections')).json().map((x: { id: number; yourPart: string }) => [x.id, x.yourPart])).toEqual([[selectionId, 'nominating_unit']]);
    expect((await get(organiser, `/api/selections/${selectionId}`)).json().yourPart).toBe('running_union');
    expect((await get(hr, `/api/selections/${selectionId}`)).json().yourPart).toBe('co_organiser');
    const forwardable = (await get(county, `/api/selections/${selectionId}/forwardable-titles`)).json();
    expect(forwardable).toEqual([expect.objectContaining({ personTitleId: lower.id, personId: nominees.forwarded.id, titleName: '肥西县技术能手', conferredBy: expect.stringContaining('肥西') })]);
    expect((await post(county, `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: nominees.forwarded.id, nominatingOrgId: city.id, form: goodForm })).json().errors[0].field).toBe('body.nominatingOrgId');
    const forwarded = await post(county, `/api/selections/${selectionId}/candidates`, { source: 'forwarded', personTitleId: lower.id, form: goodForm });
    expect(forwarded.json()).toMatchObject({ source: 'forwarded', personId: nominees.forwarded.id, forwardedTitleId: lower.id, status: 'nominated', nominatingOrgId: s.orgId });
    // The union that named the title stands as the nominating body.
    expect(forwarded.json().nominatingOrgName).toContain('肥西');
    candidate.forwarded = forwarded.json().id;
    expect((await get(county, `/api/selections/${selectionId}/forwardable-titles`)).json()).toEqual([]);
    const countySees = (await get(county, `/api/selections/${selectionId}/candidates`)).json().map((c: { personId: number }) => c.personId);
    expect(countySees).toContain(nominees.forwarded.id);
    expect(countySees).not.toContain(cityWorker.id);
    expect((await get(organiser, `/api/selections/${selectionId}/candidates`)).json().map((c: { id: number }) => c.id)).toContain(cityOwn.id);
    expect((await get(county, `/api/selections/${selectionId}/objections`)).statusCode).toBe(403);
    expect((await post(county, `/api/selections/${selectionId}/start-review`)).statusCode).toBe(403);
    expect((await call(app, county, { method: 'PATCH', url: `/api/selection-candidates/${cityOwn.id}`, payload: { form: goodForm } })).statusCode).toBe(403);

    // Someone who already holds 合肥工匠 is refused with the reason.
    const cityTitleId = (await get(organiser, `/api/selections/${selectionId}`)).json().titleTypeId;
    app.db.insert(personTitles).values({ personId: nominees.holder.id, titleTypeId: cityTitleId, conferredAt: new Date('2024-05-01T00:00:00Z') }).run();
    const holder = await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: nominees.holder.id, nominatingOrgId: s.employerIds[0], form: goodForm });
    expect(holder.json().eligibility.failures).toEqual([{ code: 'already_holds_title', reason: '已获得该称号，同一称号不重复授予' }]);
    candidate.holder = holder.json().id;

    // The first recommended worker's form is completed; the second withdraws.
    expect((await call(app, organiser, { method: 'PATCH', url: `/api/selection-candidates/${candidate.rec1}`, payload: { form: goodForm } })).json().status).toBe('nominated');
    const withdrawn = await post(organiser, `/api/selection-candidates/${candidate.rec2}/withdraw`, { reason: '本人申请退出' });
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawReason: '本人申请退出' });
  });

  it('names the fields of a bad nomination and keeps others out', async () => {
    const bad = await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: nominees.self.id, form: { yearsInTrade: -1, attachments: [{ name: '' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.form.yearsInTrade', 'body.form.attachments.0.name']));
    const noUnit = await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'unit_nomination', personId: nominees.self.id, nominatingOrgId: 999999, form: goodForm });
    expect(noUnit.json().errors[0].field).toBe('body.nominatingOrgId');
    expect((await post(outsider, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: nominees.self.id, form: goodForm })).statusCode).toBe(403);
    expect((await post(viewer, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: nominees.self.id, form: goodForm })).statusCode).toBe(403);
    // The viewer reads the candidates, with ID numbers masked; the organiser sees them whole.
    const seen = (await get(viewer, `/api/selections/${selectionId}/candidates`)).json();
    expect(seen.find((c: { id: number }) => c.id === candidate.unit).idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const whole = (await get(organiser, `/api/selections/${selectionId}/candidates`)).json();
    expect(whole.find((c: { id: number }) => c.id === candidate.unit).idNumber).toBe(nominees.unit.idNumber);
  });

  it('review: the organiser sets the ranked list by hand, eligible candidates only, within the quota', async () => {
    expect((await post(organiser, `/api/selections/${selectionId}/start-review`)).json().status).toBe('reviewing');
    expect((await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: nominees.self.id, form: goodForm })).json().code).toBe('wrong_selection_status');
    const put = (items: object[]) => call(app, organiser, { method: 'PUT', url: `/api/selections/${selectionId}/proposed-list`, payload: { items } });
    const ineligible = await put([{ candidateId: candidate.unit, reviewScore: 92 }, { candidateId: candidate.holder, reviewScore: 80 }]);
    expect(ineligible.statusCode).toBe(400);
    expect(ineligible.json()).toMatchObject({ code: 'candidate_ineligible', errors: [{ field: 'body.items.1.candidateId' }] });
    expect((await put([])).json().errors[0].field).toBe('body.items');
    expect((await call(app, hr, { method: 'PUT', url: `/api/selections/${selectionId}/proposed-list`, payload: { items: [{ candidateId: candidate.unit }] } })).statusCode).toBe(403);

    const list = await put([
      { candidateId: candidate.unit, reviewScore: 92.5 },
      { candidateId: candidate.self, reviewScore: 90 },
      { candidateId: candidate.forwarded, reviewScore: 88 },
      { candidateId: candidate.rec1, reviewScore: 85, award: 'nomination_award' },
    ]);
    expect(list.statusCode).toBe(200);
    const byId = new Map(list.json().map((c: { id: number }) => [c.id, c]));
    expect(byId.get(candidate.unit)).toMatchObject({ status: 'proposed', rank: 1, reviewScore: 92.5, proposedAward: 'title' });
    expect(byId.get(candidate.rec1)).toMatchObject({ status: 'proposed', rank: 4, proposedAward: 'nomination_award' });
    expect(byId.get(candidate.holder)).toMatchObject({ status: 'ineligible', rank: null });
  });

  it('publicity: the public list without ID numbers, objections lodged by the public and by staff', async () => {
    const started = (await post(organiser, `/api/selections/${selectionId}/start-publicity`)).json();
    // Monday 2 November 2026 + 5 working days: the end of Monday 9 November, China time.
    expect(started).toMatchObject({ status: 'publicity', publicityEndsAt: '2026-11-09T16:00:00.000Z' });

    const page = await get(null, `/api/public/selections/${selectionId}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ stage: 'publicity', titleName: '合肥工匠', organiser: '合肥市总工会', objectionsOpen: true });
    expect(page.json().list.map((r: { name: string }) => r.name)).toEqual([nominees.unit.name, nominees.self.name, nominees.forwarded.name, expect.any(String)]);
    expect(page.json().list[0]).toMatchObject({ employerName: '国网肥西供电公司', position: '配电运维班班长', award: 'title' });
    for (const p of Object.values(nominees)) expect(page.body).not.toContain(p.idNumber);
    expect(page.body).not.toMatch(/idNumber|\*{8}/);

    const publicObjection = await post(null, `/api/public/selections/${selectionId}/objections`, { candidateId: candidate.self, lodgedBy: '王某', contact: '13800000000', reason: '申报的竞赛成绩与实际不符，该赛项其获得第二名' });
    expect(publicObjection.statusCode).toBe(201);
    const notListed = await post(null, `/api/public/selections/${selectionId}/objections`, { candidateId: candidate.holder, lodgedBy: '王某', reason: '不符合申报条件的情形说明' });
    expect(notListed.json().errors[0].field).toBe('body.candidateId');
    const recorded = await post(organiser, `/api/selections/${selectionId}/objections`, { candidateId: candidate.unit, lodgedBy: '匿名来信', reason: '反映其非一线岗位，已任车间主任' });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json().recordedBy).not.toBeNull();
    const objections = (await get(viewer, `/api/selections/${selectionId}/objections`)).json();
    expect(objections.map((o: { decision: string | null }) => o.decision)).toEqual([null, null]);
  });

  it('names only after the publicity period with every objection decided; upheld takes the candidate off, never a title twice', async () => {
    const early = await post(organiser, `/api/selections/${selectionId}/name`);
    expect(early.json().code).toBe('publicity_running');
    clock.set('2026-11-10T01:00:00Z');
    await signIn();
    expect((await post(null, `/api/public/selections/${selectionId}/objections`, { candidateId: candidate.unit, lodgedBy: '李某', reason: '公示期后提出的异议内容' })).json().code).toBe('publicity_over');
    expect((await post(organiser, `/api/selections/${selectionId}/name`)).json().code).toBe('objections_open');

    const [upheld, dismissed] = (await get(organiser, `/api/selections/${selectionId}/objections`)).json();
    expect((await post(hr, `/api/selection-objections/${upheld.id}/decision`, { decision: 'upheld', note: '经核实' })).statusCode).toBe(403);
    const up = await post(organiser, `/api/selection-objections/${upheld.id}/decision`, { decision: 'upheld', note: '经核实，省赛成绩为第二名，不符合免年限条件' });
    expect(up.json()).toMatchObject({ decision: 'upheld', decidedBy: expect.any(Number) });
    const down = await post(organiser, `/api/selection-objections/${dismissed.id}/decision`, { decision: 'dismissed', note: '经核实，本人仍在一线岗位' });
    expect(down.json().decision).toBe('dismissed');
    expect((await post(organiser, `/api/selection-objections/${dismissed.id}/decision`, { decision: 'upheld', note: '再议' })).json().code).toBe('already_decided');
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'selection.objection_upheld')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ candidate: { id: candidate.self, before: 'proposed', after: 'not_selected' } });

    // Meanwhile the forwarded candidate received 合肥工匠 another way: naming refuses them, with the reason.
    const cityTitleId = (await get(organiser, `/api/selections/${selectionId}`)).json().titleTypeId;
    app.db.insert(personTitles).values({ personId: nominees.forwarded.id, titleTypeId: cityTitleId, conferredAt: clock.now() }).run();

    const named = await post(organiser, `/api/selections/${selectionId}/name`);
    expect(named.statusCode).toBe(200);
    const body = named.json();
    expect(body.selection.status).toBe('named');
    expect(body.named).toEqual([expect.objectContaining({ personId: nominees.unit.id, certificateNumber: `GJ2027-${String(selectionId).padStart(4, '0')}-001`, termEnds: null })]);
    expect(body.nominationAwards.map((n: { personId: number }) => n.personId)).toEqual([recommended[0]]);
    expect(body.refused).toEqual([expect.objectContaining({ personId: nominees.forwarded.id, code: 'already_holds_title' })]);
    expect((await post(organiser, `/api/selections/${selectionId}/name`)).json().code).toBe('wrong_selection_status');
    expect(app.db.select().from(personTitles).where(and(eq(personTitles.personId, nominees.unit.id), eq(personTitles.titleTypeId, cityTitleId))).all()).toHaveLength(1);

    const record = (await get(organiser, `/api/people/${nominees.unit.id}/record`)).json();
    expect(record.titles).toEqual([expect.objectContaining({ name: '合肥工匠', selectionId, certificateNumber: body.named[0].certificateNumber, revokedAt: null })]);
    const page = (await get(null, `/api/public/selections/${selectionId}`)).json();
    expect(page.stage).toBe('named');
    expect(page.list.map((r: { name: string; award: string }) => [r.name, r.award])).toEqual([
      [nominees.unit.name, 'title'],
      [expect.any(String), 'nomination_award'],
    ]);
  });

  it('rewards: due from the selection, payments never past it, totals per budget year', async () => {
    const before = (await get(viewer, `/api/selections/${selectionId}/rewards`)).json();
    expect(before).toMatchObject({ due: 25000, paid: 0, outstanding: 25000 });
    const unitRow = before.recipients.find((r: { candidateId: number }) => r.candidateId === candidate.unit);
    const pay = (candidateId: number, amountYuan: number, budgetYear: number, voucherNumber: string) =>
      post(organiser, `/api/selections/${selectionId}/reward-payments`, { candidateId, amountYuan, budgetYear, voucherNumber, paidOn: '2026-12-15' });
    expect((await pay(candidate.unit, 10000, 2026, '记-2026-1201')).statusCode).toBe(201);
    const over = await pay(candidate.unit, 15000, 2027, '记-2027-0101');
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'overpayment', params: { outstanding: 10000 } });
    expect((await pay(candidate.unit, 10000, 2027, '记-2027-0101')).statusCode).toBe(201);
    expect((await pay(candidate.rec1, 5000, 2027, '记-2027-0102')).statusCode).toBe(201);
    expect((await pay(candidate.self, 100, 2027, '记-2027-0103')).json().errors[0].field).toBe('body.candidateId');
    const bad = await post(organiser, `/api/selections/${selectionId}/reward-payments`, { candidateId: candidate.unit, amountYuan: -1, budgetYear: 2027, paidOn: '2026-13-01' });
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.amountYuan', 'body.paidOn', 'body.voucherNumber']));
    expect((await pay(candidate.unit, 1, 2027, 'x')).statusCode).toBe(409);

    const after = (await get(hr, `/api/selections/${selectionId}/rewards`)).json();
    expect(after).toMatchObject({ due: 25000, paid: 25000, outstanding: 0 });
    expect(after.byBudgetYear).toEqual([
      { budgetYear: 2026, paid: 10000, payments: 1 },
      { budgetYear: 2027, paid: 15000, payments: 2 },
    ]);
    expect(unitRow).toMatchObject({ award: 'title', due: 20000 });
  });

  it('revokes a title with the reason (audited); it leaves the named list and is not conferred again', async () => {
    const titleId = (await get(organiser, `/api/selections/${selectionId}/candidates`)).json().find((c: { id: number }) => c.id === candidate.unit).personTitleId;
    expect((await post(organiser, `/api/craftsman-titles/${titleId}/revoke`, { reason: '' })).json().errors[0].field).toBe('body.reason');
    expect((await post(outsider, `/api/craftsman-titles/${titleId}/revoke`, { reason: '弄虚作假' })).statusCode).toBe(403);
    const revoked = await post(organiser, `/api/craftsman-titles/${titleId}/revoke`, { reason: '经查申报材料弄虚作假' });
    expect(revoked.json()).toMatchObject({ revokeReason: '经查申报材料弄虚作假', revokedAt: '2026-11-10T01:00:00.000Z' });
    expect((await post(organiser, `/api/craftsman-titles/${titleId}/revoke`, { reason: '重复' })).json().code).toBe('already_revoked');
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'selection.title_revoke')).all()).toHaveLength(1);
    const record = (await get(viewer, `/api/people/${nominees.unit.id}/record`)).json();
    expect(record.titles[0]).toMatchObject({ revokeReason: '经查申报材料弄虚作假' });
    const page = (await get(null, `/api/public/selections/${selectionId}`)).json();
    expect(page.list.map((r: { award: string }) => r.award)).toEqual(['nomination_award']);
    // The list is public and named: an objection now is told the publicity is over (not that there is no selection).
    const late = await post(null, `/api/public/selections/${selectionId}/objections`, { candidateId: page.list[0].candidateId, lodgedBy: '李某', reason: '命名后提出的异议内容' });
    expect([late.statusCode, late.json().code]).toEqual([409, 'publicity_over']);
    expect((await post(organiser, `/api/selections/${selectionId}/close`)).json().status).toBe('closed');
    // Everything above left its trace.
    const actions = new Set(app.db.select({ action: auditLog.action }).from(auditLog).where(like(auditLog.action, 'selection.%')).all().map((a) => a.action));
    for (const a of ['selection.create', 'selection.nominating', 'selection.nominate', 'selection.import_recommendations', 'selection.withdraw', 'selection.proposed_list', 'selection.publicity', 'selection.objection_lodge', 'selection.name', 'selection.reward_payment', 'selection.closed'])
      expect(actions, a).toContain(a);
  });

  it('keeps a draft selection off the public page', async () => {
    const draft = await post(organiser, '/api/selections', { presetKey: 'anhui_craftsman', name: '测试用安徽工匠评选', year: 2027, nominationsOpen: '2027-01-01', nominationsClose: '2027-02-01' });
    expect(draft.json()).toMatchObject({ quota: null, reward: { kind: 'none' } });
    expect((await get(null, `/api/public/selections/${draft.json().id}`)).statusCode).toBe(404);
    // The public index lists the named selection (its revoked title gone from the count), never the draft.
    const index = (await get(null, '/api/public/selections')).json();
    expect(index).toEqual([expect.objectContaining({ id: selectionId, stage: 'named', titleName: '合肥工匠', organiser: '合肥市总工会', listed: 1, nominationAwards: 1 })]);
    expect((await post(null, `/api/public/selections/${draft.json().id}/objections`, { candidateId: 1, lodgedBy: '某人', reason: '对草稿提出的异议' })).statusCode).toBe(404);
  });
});
