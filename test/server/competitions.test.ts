import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, events } from '../../db/schema.ts';
import { loginAs, makeCompetition, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let county: ReturnType<typeof makeOrg>;
let township: ReturnType<typeof makeOrg>;
let otherCounty: ReturnType<typeof makeOrg>;
let admin: string;
let organiser: string;
let hrOfficer: string;
let viewer: string;
let otherOrganiser: string;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  county = makeOrg(app, { name: '肥西县总工会' });
  township = makeOrg(app, { name: '桃花工业园工会', level: 'township', parentId: county.id });
  otherCounty = makeOrg(app, { name: '庐江县总工会' });
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser', county.id);
  hrOfficer = await loginAs(app, 'hr_officer', county.id);
  viewer = await loginAs(app, 'viewer', county.id);
  otherOrganiser = await loginAs(app, 'organiser', otherCounty.id);
});
afterAll(() => app.close());

const valid = {
  name: '2024年肥西县职工技能大赛',
  grade: 'B',
  competitionClass: 'class2',
  year: 2024,
  organisers: ['肥西县总工会', '肥西县人力资源和社会保障局'],
  hosts: ['桃花工业园'],
  venue: '肥西县职业技术学校',
  startDate: '2024-05-20',
  endDate: '2024-05-22',
};

function createCompetition(cookie: string | null, overrides: Record<string, unknown> = {}) {
  return call(app, cookie, { method: 'POST', url: '/api/competitions', payload: { ...valid, ...overrides } });
}

/** An event with `entrants` new people entered, inserted directly (events have their own API). */
function addEvent(competitionId: number, entrants = 0) {
  const event = app.db
    .insert(events)
    .values({ competitionId, name: '焊工', occupationCode: '6-18-02-04', occupationName: '焊工', scheme: {} as never })
    .returning()
    .get();
  for (let i = 0; i < entrants; i++) app.db.insert(entries).values({ eventId: event.id, personId: makePerson(app).id }).run();
  return event;
}

describe('POST /api/competitions', () => {
  it('creates a draft competition owned by the caller’s organisation', async () => {
    const res = await createCompetition(organiser);
    expect(res.statusCode).toBe(201);
    const competition = res.json();
    expect(competition).toMatchObject({ ...valid, orgId: county.id, status: 'draft', eventCount: 0, entryCount: 0 });
    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'competition.create'), eq(auditLog.entityId, competition.id)))
      .get();
    expect(audit?.after).toMatchObject({ name: valid.name, grade: 'B' });
  });

  it('lets an owner in the subtree be chosen and fills the optional fields', async () => {
    const res = await createCompetition(organiser, {
      orgId: township.id,
      grade: 'C',
      competitionClass: undefined,
      hosts: undefined,
      venue: undefined,
      startDate: undefined,
      endDate: undefined,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orgId: township.id, competitionClass: null, hosts: [], venue: null, startDate: null, endDate: null });
  });

  it.each([
    ['endDate', { startDate: '2024-05-22', endDate: '2024-05-20' }],
    ['organisers', { organisers: [] }],
    ['year', { year: 1999 }],
    ['grade', { grade: 'D' }],
    ['startDate', { startDate: '2024-02-30' }],
  ])('names a bad %s', async (field, overrides) => {
    const res = await createCompetition(organiser, overrides);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
  });

  it('refuses read-only roles, owners outside the subtree and anyone signed out', async () => {
    expect((await createCompetition(viewer)).statusCode).toBe(403);
    expect((await createCompetition(hrOfficer)).statusCode).toBe(403);
    expect((await createCompetition(organiser, { orgId: otherCounty.id })).statusCode).toBe(403);
    expect((await createCompetition(null)).statusCode).toBe(401);
  });
});

describe('GET /api/competitions', () => {
  it('filters on grade, status, year, owner and name, with event counts', async () => {
    const target = makeCompetition(app, { orgId: township.id, name: '无人机操控员技能竞赛', grade: 'C', year: 2023, status: 'running' });
    addEvent(target.id, 2);
    addEvent(target.id);
    makeCompetition(app, { orgId: township.id, name: '无人机表演赛', grade: 'C', year: 2023, status: 'draft' });
    makeCompetition(app, { orgId: township.id, name: '无人机操控员技能竞赛（预选）', grade: 'B', year: 2023, status: 'running' });

    const res = await call(app, viewer, {
      method: 'GET',
      url: `/api/competitions?grade=C&status=running&year=2023&orgId=${township.id}&q=${encodeURIComponent('无人机')}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 1, items: [{ id: target.id, eventCount: 2, entryCount: 2 }] });
  });

  it('keeps a county to its own competitions', async () => {
    const theirs = makeCompetition(app, { orgId: otherCounty.id });
    const mine = makeCompetition(app, { orgId: township.id });
    const mineIds = (await call(app, organiser, { method: 'GET', url: '/api/competitions?pageSize=500' })).json().items.map((c: { id: number }) => c.id);
    expect(mineIds).toContain(mine.id);
    expect(mineIds).not.toContain(theirs.id);
    const theirIds = (await call(app, otherOrganiser, { method: 'GET', url: '/api/competitions?pageSize=500' })).json().items.map((c: { id: number }) => c.id);
    expect(theirIds).toEqual([theirs.id]);
  });

  it('names a bad filter and refuses anyone signed out', async () => {
    const res = await call(app, viewer, { method: 'GET', url: '/api/competitions?status=open' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('querystring.status');
    expect((await call(app, null, { method: 'GET', url: '/api/competitions' })).statusCode).toBe(401);
  });
});

describe('GET /api/competitions/:id', () => {
  it('gets one competition with its counts, for any role in the subtree', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    addEvent(competition.id, 3);
    const res = await call(app, hrOfficer, { method: 'GET', url: `/api/competitions/${competition.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: competition.id, name: competition.name, eventCount: 1, entryCount: 3 });
  });

  it('answers 404 for an unknown competition and 400 for a bad id', async () => {
    expect((await call(app, viewer, { method: 'GET', url: '/api/competitions/999999' })).statusCode).toBe(404);
    const res = await call(app, viewer, { method: 'GET', url: '/api/competitions/1.5' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses another county and anyone signed out', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    expect((await call(app, otherOrganiser, { method: 'GET', url: `/api/competitions/${competition.id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/competitions/${competition.id}` })).statusCode).toBe(401);
  });
});

describe('PATCH /api/competitions/:id', () => {
  it('changes only what is sent', async () => {
    const competition = makeCompetition(app, { orgId: county.id, venue: '旧场地', competitionClass: 'class1', startDate: '2024-06-01' });
    const res = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/competitions/${competition.id}`,
      payload: { venue: '新场地', endDate: '2024-06-03', hosts: ['上派镇'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      venue: '新场地',
      endDate: '2024-06-03',
      hosts: ['上派镇'],
      startDate: '2024-06-01',
      competitionClass: 'class1',
      name: competition.name,
    });
    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'competition.update'), eq(auditLog.entityId, competition.id)))
      .get();
    expect(audit?.before).toMatchObject({ venue: '旧场地' });
    expect(audit?.after).toMatchObject({ venue: '新场地' });
  });

  it('names an end date before the stored start date', async () => {
    const competition = makeCompetition(app, { orgId: county.id, startDate: '2024-06-01' });
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/competitions/${competition.id}`, payload: { endDate: '2024-05-31' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.endDate');
    const bad = await call(app, organiser, { method: 'PATCH', url: `/api/competitions/${competition.id}`, payload: { organisers: [] } });
    expect(bad.json().errors[0].field).toBe('body.organisers');
  });

  it('refuses read-only roles, another county and anyone signed out', async () => {
    const competition = makeCompetition(app, { orgId: county.id, name: '原名' });
    const patch = { method: 'PATCH' as const, url: `/api/competitions/${competition.id}`, payload: { name: '改名' } };
    expect((await call(app, viewer, patch)).statusCode).toBe(403);
    expect((await call(app, hrOfficer, patch)).statusCode).toBe(403);
    expect((await call(app, otherOrganiser, patch)).statusCode).toBe(403);
    expect((await call(app, null, patch)).statusCode).toBe(401);
    expect((await call(app, admin, { method: 'GET', url: `/api/competitions/${competition.id}` })).json().name).toBe('原名');
  });
});

describe('POST /api/competitions/:id/status', () => {
  const setStatus = (cookie: string | null, id: number, status: string) =>
    call(app, cookie, { method: 'POST', url: `/api/competitions/${id}/status`, payload: { status } });

  it('walks draft → registration → running by hand; the later statuses follow the events', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    for (const status of ['registration', 'running']) {
      const res = await setStatus(organiser, competition.id, status);
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe(status);
    }
    const byHand = await setStatus(organiser, competition.id, 'marking_closed');
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().code).toBe('status_follows_events');
    const back = await setStatus(organiser, competition.id, 'registration');
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe('invalid_transition');
    const audits = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'competition.status'), eq(auditLog.entityId, competition.id)))
      .all();
    expect(audits.map((a) => (a.after as { status: string }).status)).toEqual(['registration', 'running']);
    expect((await call(app, organiser, { method: 'GET', url: `/api/competitions/${competition.id}` })).json().status).toBe('running');
  });

  it.each([
    ['skipping a step', 'draft', 'running'],
    ['going back', 'running', 'registration'],
    ['staying put', 'registration', 'registration'],
    ['jumping to the end', 'marking_closed', 'final'],
  ])('refuses %s, naming from and to', async (_label, from, to) => {
    const competition = makeCompetition(app, { orgId: county.id, status: from as 'draft' });
    const res = await setStatus(organiser, competition.id, to);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('invalid_transition');
    expect(res.json().detail).toContain(`from ${from} to ${to}`);
    expect((await call(app, organiser, { method: 'GET', url: `/api/competitions/${competition.id}` })).json().status).toBe(from);
  });

  it('names an unknown status', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    const res = await setStatus(organiser, competition.id, 'cancelled');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.status');
  });

  it('refuses read-only roles, another county and anyone signed out', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    expect((await setStatus(viewer, competition.id, 'registration')).statusCode).toBe(403);
    expect((await setStatus(hrOfficer, competition.id, 'registration')).statusCode).toBe(403);
    expect((await setStatus(otherOrganiser, competition.id, 'registration')).statusCode).toBe(403);
    expect((await setStatus(null, competition.id, 'registration')).statusCode).toBe(401);
    expect((await call(app, viewer, { method: 'GET', url: `/api/competitions/${competition.id}` })).json().status).toBe('draft');
  });
});

describe('DELETE /api/competitions/:id', () => {
  it('deletes a draft competition with its events', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    const event = addEvent(competition.id);
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/competitions/${competition.id}` });
    expect(res.statusCode).toBe(200);
    expect((await call(app, organiser, { method: 'GET', url: `/api/competitions/${competition.id}` })).statusCode).toBe(404);
    expect(app.db.select().from(events).where(eq(events.id, event.id)).get()).toBeUndefined();
    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'competition.delete'), eq(auditLog.entityId, competition.id)))
      .get();
    expect(audit?.before).toMatchObject({ name: competition.name });
  });

  it('refuses to delete once registration has opened', async () => {
    const competition = makeCompetition(app, { orgId: county.id, status: 'registration' });
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/competitions/${competition.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('competition_not_draft');
  });

  it('names a bad id', async () => {
    const res = await call(app, organiser, { method: 'DELETE', url: '/api/competitions/abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses read-only roles, another county and anyone signed out', async () => {
    const competition = makeCompetition(app, { orgId: county.id });
    const del = { method: 'DELETE' as const, url: `/api/competitions/${competition.id}` };
    expect((await call(app, viewer, del)).statusCode).toBe(403);
    expect((await call(app, otherOrganiser, del)).statusCode).toBe(403);
    expect((await call(app, null, del)).statusCode).toBe(401);
    expect((await call(app, organiser, { method: 'GET', url: `/api/competitions/${competition.id}` })).statusCode).toBe(200);
  });
});
