import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { reviewsMissing, reviewYears, titleStanding } from '../../server/domain/selections/index.ts';
import { loginAs, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * A fixed-term craftsman title after naming: the Hefei city union names two 合肥工匠 for three
 * years on Tuesday 10 November 2026; each is reviewed yearly (年度考核) for 2027–2029 and the
 * title lapses after 10 November 2029; a title can be revoked with its reason.
 */

describe('the term rules (pure)', () => {
  it('reviews the years after the naming year up to the year the term ends, as far as they have begun', () => {
    expect(reviewYears('2026-11-10', '2029-11-10', '2026-12-31')).toEqual([]);
    expect(reviewYears('2026-11-10', '2029-11-10', '2028-01-01')).toEqual([2027, 2028]);
    expect(reviewYears('2026-11-10', '2029-11-10', '2035-06-01')).toEqual([2027, 2028, 2029]);
    expect(reviewYears('2026-11-10', null, '2035-06-01')).toEqual([]);
    expect(reviewsMissing({ namedOn: '2026-11-10', termEnds: '2029-11-10', revoked: false }, [2027], '2028-03-01')).toEqual([2028]);
    expect(reviewsMissing({ namedOn: '2026-11-10', termEnds: '2029-11-10', revoked: true }, [], '2028-03-01')).toEqual([]);
  });

  it('is active through its last day, expired after it, revoked whatever the date', () => {
    expect(titleStanding({ termEnds: '2029-11-10', revoked: false }, '2029-11-10')).toBe('active');
    expect(titleStanding({ termEnds: '2029-11-10', revoked: false }, '2029-11-11')).toBe('expired');
    expect(titleStanding({ termEnds: null, revoked: false }, '2099-01-01')).toBe('active');
    expect(titleStanding({ termEnds: null, revoked: true }, '2026-01-01')).toBe('revoked');
  });
});

let app: TestApp;
const clock = fixedClock('2026-11-02T02:00:00Z');
let cityId: number;
let otherCityId: number;
let organiser: string;
let viewer: string;
let outsider: string;
let selectionId: number;
const signIn = async () => {
  organiser = await loginAs(app, 'organiser', cityId);
  viewer = await loginAs(app, 'viewer', cityId);
  outsider = await loginAs(app, 'organiser', otherCityId);
};
const post = (cookie: string | null, url: string, payload?: object) => call(app, cookie, { method: 'POST', url, ...(payload ? { payload } : {}) });
const get = (cookie: string | null, url: string) => call(app, cookie, { method: 'GET', url });
const form = { position: '班组长', frontLine: true, yearsInTrade: 12, stillInTrade: true, skillConditions: ['unique_technique'], declaredNoDisciplinaryRecord: true };

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
  cityId = makeOrg(app, { name: '合肥市总工会', kind: 'union', level: 'city', regionCode: '340100' }).id;
  otherCityId = makeOrg(app, { name: '芜湖市总工会', kind: 'union', level: 'city', regionCode: '340200' }).id;
  await signIn();
  const created = await post(organiser, '/api/selections', { presetKey: 'hefei_craftsman', name: '2027年度合肥工匠评选', year: 2027, titleTermYears: 3, nominationsOpen: '2026-11-01', nominationsClose: '2026-12-31' });
  selectionId = created.json().id;
  expect(created.json().titleTermYears).toBe(3);
  await post(organiser, `/api/selections/${selectionId}/open-nominations`);
  const ids: number[] = [];
  for (let i = 0; i < 2; i++) {
    const person = makePerson(app, { orgId: cityId, occupationCode: '6-31-01-03', skillLevel: 3 });
    ids.push((await post(organiser, `/api/selections/${selectionId}/candidates`, { source: 'self_nomination', personId: person.id, form })).json().id);
  }
  await post(organiser, `/api/selections/${selectionId}/start-review`);
  const list = await call(app, organiser, { method: 'PUT', url: `/api/selections/${selectionId}/proposed-list`, payload: { items: ids.map((candidateId, i) => ({ candidateId, reviewScore: 90 - i, award: 'title' })) } });
  expect(list.statusCode).toBe(200);
  expect((await post(organiser, `/api/selections/${selectionId}/start-publicity`)).json().status).toBe('publicity');
  clock.set('2026-11-10T01:00:00Z');
  await signIn();
  expect((await post(organiser, `/api/selections/${selectionId}/name`)).json().named.map((n: { termEnds: string }) => n.termEnds)).toEqual(['2029-11-10', '2029-11-10']);
});
afterAll(() => app.close());

describe('titles with a term, after naming', () => {
  it('lists the titles a selection conferred with their standing; nothing is due in the naming year', async () => {
    const titles = await get(viewer, `/api/selections/${selectionId}/titles`);
    expect(titles.statusCode).toBe(200);
    expect(titles.json()).toHaveLength(2);
    expect(titles.json()[0]).toMatchObject({ namedOn: '2026-11-10', termEnds: '2029-11-10', standing: 'active', reviews: [], reviewsMissing: [], certificateNumber: expect.stringMatching(/^GJ2027-/) });
    expect((await get(outsider, `/api/selections/${selectionId}/titles`)).statusCode).toBe(403);
  });

  it('takes one yearly review per year of the term that has begun; a failed one says why; retries are harmless', async () => {
    clock.set('2027-12-20T02:00:00Z');
    await signIn();
    const [first, second] = (await get(viewer, `/api/selections/${selectionId}/titles`)).json();
    expect(first.reviewsMissing).toEqual([2027]);
    const review = (titleId: number, body: object, cookie = organiser) => post(cookie, `/api/craftsman-titles/${titleId}/yearly-reviews`, body);
    expect((await review(first.id, { year: 2026, outcome: 'passed' })).json()).toMatchObject({ code: 'year_out_of_term', errors: [{ field: 'body.year' }] });
    expect((await review(first.id, { year: 2028, outcome: 'passed' })).json().errors[0].field).toBe('body.year');
    expect((await review(first.id, { year: 2027, outcome: 'failed' })).json().errors[0].field).toBe('body.note');
    expect((await review(first.id, { year: 2027, outcome: 'maybe' })).json().errors[0].field).toBe('body.outcome');
    expect((await review(first.id, { year: 2027, outcome: 'passed' }, viewer)).statusCode).toBe(403);
    expect((await review(first.id, { year: 2027, outcome: 'passed' }, outsider)).statusCode).toBe(403);

    const passed = await review(first.id, { year: 2027, outcome: 'passed', note: '带徒6名，完成技术革新2项' });
    expect(passed.statusCode).toBe(200);
    expect(passed.json()).toMatchObject({ reviews: [{ year: 2027, outcome: 'passed' }], reviewsMissing: [] });
    expect((await review(first.id, { year: 2027, outcome: 'passed', note: '带徒6名，完成技术革新2项' })).statusCode).toBe(200);
    expect((await review(first.id, { year: 2027, outcome: 'failed', note: '未履行职责' })).json().code).toBe('review_recorded');
    const failed = await review(second.id, { year: 2027, outcome: 'failed', note: '全年未开展传帮带活动，考核不合格' });
    expect(failed.json()).toMatchObject({ standing: 'active', reviews: [{ outcome: 'failed' }] });
    expect(app.db.select().from(auditLog).where(eq(auditLog.action, 'selection.title_review')).all()).toHaveLength(2);
  });

  it('revokes with the reason: the title stands no more and owes no review; after its last day an unrevoked title has expired', async () => {
    const [, second] = (await get(viewer, `/api/selections/${selectionId}/titles`)).json();
    expect((await post(organiser, `/api/craftsman-titles/${second.id}/revoke`, { reason: '年度考核不合格，经研究撤销称号' })).statusCode).toBe(200);
    expect((await post(organiser, `/api/craftsman-titles/${second.id}/yearly-reviews`, { year: 2027, outcome: 'passed' })).json().code).toBe('already_revoked');

    clock.set('2029-11-11T02:00:00Z');
    await signIn();
    const [first, revoked] = (await get(viewer, `/api/selections/${selectionId}/titles`)).json();
    expect(first).toMatchObject({ standing: 'expired', reviewsMissing: [2028, 2029] });
    expect(revoked).toMatchObject({ standing: 'revoked', revokeReason: '年度考核不合格，经研究撤销称号', reviewsMissing: [] });
    const record = (await get(organiser, `/api/people/${first.personId}/record`)).json();
    expect(record.titles[0]).toMatchObject({ termEnds: '2029-11-10', revokedAt: null });
  });
});
