import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../db/schema.ts';
import { loginAs, makeCompetition, makeEvent, makeJudge, makeOrg, makePerson, makeResidentId } from '../helpers/factories.ts';
import { accountWithCookie, call, json, studioWorld, type StudioWorld } from './studios/fixture.ts';

/**
 * Side doors: a body field that names an organisation, an account or a person outside the
 * caller's reach must be refused exactly like an id that names nothing, and the other county's
 * names must never come back. A caller of county A names records of county B (长丰县) here and
 * compares the whole answer with the one for an id that does not exist.
 *
 * The studio world (test/server/studios/fixture.ts) gives county A with its HR bureau and
 * employers, and county B with employer F1. County C stands for the demo's set-up: its HR bureau
 * sits in the HR line (under a city bureau), not under the county union, and is its peer.
 */

const NO_SUCH_ID = 999_999;
/** County B's names: none may appear in any answer to county A. */
const COUNTY_B_NAMES = ['长丰县总工会', '长丰县某机械厂', '长丰县评审专家', '长丰县职工', '长丰县人力资源和社会保障局'];

let w: StudioWorld;
let countyC: { id: number };
let hrC: { id: number; name: string };
let studioC: string;
let accountB: { id: number };
const seen: string[] = [];

/** Keeps every answer body so the last test can look for county B's names in all of them. */
async function ask(cookie: string, opts: Parameters<typeof call>[2]): Promise<LightMyRequestResponse> {
  const res = await call(w.app, cookie, opts);
  seen.push(res.body);
  return res;
}

/** The refusal for an out-of-reach id is the refusal for a missing one, byte for byte. */
function sameRefusal(outOfReach: LightMyRequestResponse, missing: LightMyRequestResponse, status: number, field?: string) {
  expect(missing.statusCode, missing.body).toBe(status);
  expect(outOfReach.statusCode, outOfReach.body).toBe(status);
  expect(outOfReach.headers['content-type']).toContain('application/problem+json');
  expect(outOfReach.body).toBe(missing.body);
  if (field) expect(outOfReach.json().errors.map((e: { field: string }) => e.field)).toContain(field);
}

beforeAll(async () => {
  w = await studioWorld();
  // County B's account, with a name county A must not learn.
  accountB = (await accountWithCookie(w.app, 'viewer', w.orgs.countyB.id)) as { id: number };
  w.app.db.update(accounts).set({ displayName: '长丰县评审专家' }).where(eq(accounts.id, accountB.id)).run();
  // County C and its peer HR bureau in the HR line, as in the demo (肥西县人社局 under 合肥市人社局).
  countyC = makeOrg(w.app, { name: '庐江县总工会', regionCode: '340124', level: 'county', parentId: w.orgs.root.id });
  const cityHr = makeOrg(w.app, { name: '合肥市人力资源和社会保障局', kind: 'hr_bureau', level: 'city', regionCode: '340100', parentId: w.orgs.root.id });
  hrC = makeOrg(w.app, { name: '庐江县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', regionCode: '340124', parentId: cityHr.id });
  studioC = await loginAs(w.app, 'studio_officer', countyC.id);
});
afterAll(() => w.app.close());

describe('five-smalls departments', () => {
  const campaign = (organisationId: number | null) => ({
    name: '2026年度职工“五小”创新成果评选',
    year: 2026,
    departments: [{ name: '评分部门', organisationId }],
    tiers: { counts: [1, 2, 3], prizeMoney: [3000, 2000, 1000] },
  });
  const create = (cookie: string, organisationId: number | null) => ask(cookie, { method: 'POST', url: '/api/five-smalls-campaigns', payload: campaign(organisationId) });

  it('refuses an organisation of another county exactly like one that does not exist', async () => {
    const outOfReach = await create(w.cookies.studioA, w.orgs.countyB.id);
    const missing = await create(w.cookies.studioA, NO_SUCH_ID);
    sameRefusal(outOfReach, missing, 400, 'body.departments.0.organisationId');
    expect(outOfReach.json().errors[0].message).toBe('no such organisation in your scope');
    sameRefusal(await create(w.cookies.studioA, w.orgs.f1.id), missing, 400);
  });

  it('takes a body of the caller’s subtree, and the county’s peer HR bureau kept in the HR line', async () => {
    const own = json(await create(w.cookies.studioA, w.orgs.e3.id), 201);
    expect(own.departments[0].organisation).toEqual({ id: w.orgs.e3.id, name: w.orgs.e3.name });
    const peer = json(await create(studioC, hrC.id), 201);
    expect(peer.departments[0].organisation).toEqual({ id: hrC.id, name: hrC.name });
    // County C's peer bureau is not county A's.
    sameRefusal(await create(w.cookies.studioA, hrC.id), await create(w.cookies.studioA, NO_SUCH_ID), 400);
  });
});

describe('judges’ employers', () => {
  let eventId: number;
  let competitionId: number;
  let judgeId: number;
  let organiserA: string;
  beforeAll(async () => {
    organiserA = await loginAs(w.app, 'organiser', w.orgs.countyA.id);
    competitionId = makeCompetition(w.app, { orgId: w.orgs.countyA.id, status: 'running' }).id;
    eventId = makeEvent(w.app, { competitionId }).id;
    judgeId = makeJudge(w.app, eventId, { name: '王评委' }).id;
  });

  it('refuses an employer of another county exactly like one that does not exist, on every way in', async () => {
    const onPanel = (employerId: number) => ask(organiserA, { method: 'POST', url: `/api/events/${eventId}/judges`, payload: { name: '孙立', employerId } });
    sameRefusal(await onPanel(w.orgs.f1.id), await onPanel(NO_SUCH_ID), 400, 'body.employerId');
    const created = (employerId: number) => ask(organiserA, { method: 'POST', url: `/api/competitions/${competitionId}/judges`, payload: { name: '孙立', employerId } });
    sameRefusal(await created(w.orgs.f1.id), await created(NO_SUCH_ID), 400, 'body.employerId');
    const changed = (employerId: number) => ask(organiserA, { method: 'PATCH', url: `/api/judges/${judgeId}`, payload: { employerId } });
    sameRefusal(await changed(w.orgs.countyB.id), await changed(NO_SUCH_ID), 400, 'body.employerId');
    expect((await changed(w.orgs.countyB.id)).json().errors[0].message).toContain('employerName');
  });

  it('takes an employer in scope, and one outside it as a name written out (recusal compares names)', async () => {
    const inScope = json(await ask(organiserA, { method: 'POST', url: `/api/events/${eventId}/judges`, payload: { name: '李明', employerId: w.orgs.e3.id } }), 201);
    expect(inScope).toMatchObject({ employerId: w.orgs.e3.id, employerName: w.orgs.e3.name });
    const written = await call(w.app, organiserA, { method: 'POST', url: `/api/events/${eventId}/judges`, payload: { name: '赵刚', employerName: '合肥某机械厂' } });
    expect(json(written, 201)).toMatchObject({ employerId: null, employerName: '合肥某机械厂' });
  });
});

describe('evaluation reviewers', () => {
  let roundId: number;
  const seat = (cookie: string, round: number, payload: Record<string, unknown>) => ask(cookie, { method: 'POST', url: `/api/studio-evaluations/${round}/reviewers`, payload });
  beforeAll(async () => {
    const round = (cookie: string) =>
      ask(cookie, { method: 'POST', url: '/api/studio-evaluations', payload: { name: '2026年度联合绩效评估', year: 2026, unionWeight: 60, hrWeight: 40, threshold: 80 } });
    roundId = json(await round(w.cookies.studioA), 201).id;
  });

  it('refuses an account of another county exactly like one that does not exist', async () => {
    sameRefusal(await seat(w.cookies.studioA, roundId, { accountId: accountB.id, body: 'union' }), await seat(w.cookies.studioA, roundId, { accountId: NO_SUCH_ID, body: 'union' }), 400, 'body.accountId');
    // Nor is the account behind county C's HR bureau county A's to seat.
    const hrOfC = await accountWithCookie(w.app, 'viewer', hrC.id);
    sameRefusal(await seat(w.cookies.studioA, roundId, { accountId: hrOfC.id, body: 'hr_bureau' }), await seat(w.cookies.studioA, roundId, { accountId: NO_SUCH_ID, body: 'hr_bureau' }), 400);
  });

  it('refuses an employer of another county exactly like one that does not exist', async () => {
    const reviewer = await accountWithCookie(w.app, 'viewer', w.orgs.countyA.id);
    const withEmployer = (employerId: number) => seat(w.cookies.studioA, roundId, { accountId: reviewer.id, body: 'union', employerId });
    sameRefusal(await withEmployer(w.orgs.f1.id), await withEmployer(NO_SUCH_ID), 400, 'body.employerId');
  });

  it('seats the accounts of either organising body, and names no one when one is seated twice', async () => {
    const unionReviewer = await accountWithCookie(w.app, 'viewer', w.orgs.countyA.id);
    const hrReviewer = await accountWithCookie(w.app, 'viewer', w.orgs.hrA.id);
    json(await seat(w.cookies.studioA, roundId, { accountId: unionReviewer.id, body: 'union', employerId: w.orgs.e1.id }), 200);
    json(await seat(w.cookies.studioA, roundId, { accountId: hrReviewer.id, body: 'hr_bureau' }), 200);
    const twice = await seat(w.cookies.studioA, roundId, { accountId: unionReviewer.id, body: 'union' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'reviewer_exists', errors: [{ field: 'body.accountId', message: 'already on the panel' }] });
    expect(twice.body).not.toContain('viewer user');

    // County C's round seats the HR bureau's staff though that bureau sits in the HR line, not under the county union.
    const roundC = json(
      await ask(studioC, { method: 'POST', url: '/api/studio-evaluations', payload: { name: '庐江县联合绩效评估', year: 2026, unionWeight: 60, hrWeight: 40, threshold: 80 } }),
      201,
    ).id;
    const hrOfC = await accountWithCookie(w.app, 'viewer', hrC.id);
    const seated = json(await seat(studioC, roundC, { accountId: hrOfC.id, body: 'hr_bureau' }), 200);
    expect(seated.reviewers.map((r: { account: { id: number } }) => r.account.id)).toEqual([hrOfC.id]);
  });
});

describe('people by ID number', () => {
  let organiserA: string;
  let personB: { id: number; idNumber: string; name: string };
  beforeAll(async () => {
    organiserA = await loginAs(w.app, 'organiser', w.orgs.countyA.id);
    personB = makePerson(w.app, { orgId: w.orgs.countyB.id, name: '长丰县职工' });
  });

  it('answers a number held in another county exactly like a number nobody holds', async () => {
    const lookup = (idNumber: string) => ask(organiserA, { method: 'GET', url: `/api/people/by-id-number/${idNumber}` });
    const outOfScope = await lookup(personB.idNumber);
    sameRefusal(outOfScope, await lookup(makeResidentId()), 404);
    expect(outOfScope.json().code).toBe('not_found');
  });

  it('refuses a second registration of a number held elsewhere without naming or pointing at its holder', async () => {
    const register = (idNumber: string) => ask(organiserA, { method: 'POST', url: '/api/people', payload: { name: '张三', idNumber } });
    const elsewhere = await register(personB.idNumber);
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().code).toBe('person_exists');
    const digitsOf = (res: LightMyRequestResponse) => [res.json().detail, ...res.json().errors.map((e: { message: string }) => e.message)].join(' ');
    expect(digitsOf(elsewhere)).not.toMatch(/\d/);
    const own = makePerson(w.app, { orgId: w.orgs.countyA.id });
    const here = await register(own.idNumber);
    expect(here.statusCode).toBe(409);
    expect(here.json().detail).toContain(`person ${own.id}`);
    // The same on a change of number.
    const changed = await ask(organiserA, { method: 'PATCH', url: `/api/people/${own.id}`, payload: { idNumber: personB.idNumber } });
    expect(changed.statusCode).toBe(409);
    expect(digitsOf(changed)).not.toMatch(/\d/);
  });
});

describe('bulk registration', () => {
  it('refuses a new entrant’s employer of another county exactly like one that does not exist', async () => {
    const organiserA = await loginAs(w.app, 'organiser', w.orgs.countyA.id);
    const eventId = makeEvent(w.app, { competitionId: makeCompetition(w.app, { orgId: w.orgs.countyA.id }).id }).id;
    const idNumber = makeResidentId();
    const bulk = (employerId: number) =>
      ask(organiserA, { method: 'POST', url: `/api/events/${eventId}/entries/bulk`, payload: { entries: [{ person: { name: '周强', idNumber, employerId } }] } });
    sameRefusal(await bulk(w.orgs.f1.id), await bulk(NO_SUCH_ID), 400, 'body.entries.0.person.employerId');
  });
});

describe('a competition’s co-organisers and encryption officers', () => {
  it('refuses a body or an account of another county exactly like one that does not exist', async () => {
    const organiserA = await loginAs(w.app, 'organiser', w.orgs.countyA.id);
    const competitionId = makeCompetition(w.app, { orgId: w.orgs.countyA.id }).id;
    const patch = (payload: Record<string, unknown>) => ask(organiserA, { method: 'PATCH', url: `/api/competitions/${competitionId}`, payload });
    sameRefusal(await patch({ coOrganiserIds: [w.orgs.f1.id] }), await patch({ coOrganiserIds: [NO_SUCH_ID] }), 400, 'body.coOrganiserIds.0');
    // The HR bureau of another county (another region code) does not co-organise county A's competition.
    const hrB = makeOrg(w.app, { name: '长丰县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', regionCode: '340121', parentId: w.orgs.root.id });
    sameRefusal(await patch({ coOrganiserIds: [hrB.id] }), await patch({ coOrganiserIds: [NO_SUCH_ID] }), 400);
    sameRefusal(await patch({ encryptionOfficerIds: [accountB.id] }), await patch({ encryptionOfficerIds: [NO_SUCH_ID] }), 400, 'body.encryptionOfficerIds.0');
  });
});

describe('every answer above', () => {
  it('never names county B', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const body of seen) for (const name of COUNTY_B_NAMES) expect(body).not.toContain(name);
  });
});
