import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, entries, organisations, roundEntries } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { loginAs, makeCompetition, makeOrg, makePerson } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

// The county union and the county HR bureau are peers that co-organise a B-level competition
// (issue 8 §5): scope follows co-organisation and region, not one subtree of the union tree.
let app: TestApp;
let s: Scenario;
const clock = fixedClock('2026-11-02T02:00:00Z');
let feixiHr: typeof organisations.$inferSelect;
let changfengHr: typeof organisations.$inferSelect;
let cookie: Record<'organiser' | 'hr' | 'hrOther' | 'hrProvince' | 'viewer', string>;
let otherCompetitionId: number;
let unenteredFeixiWorker: number;
let farEntrant: number;
let changfengWorker: number;

/** The HR line, a tree of its own beside the union's: 安徽省人社厅 > 肥西县人社局, 长丰县人社局. */
function hrLine() {
  const province = app.db.insert(organisations).values({ name: '安徽省人力资源和社会保障厅', kind: 'hr_bureau', level: 'province', regionCode: '340000', path: '' }).returning().get();
  const row = app.db.update(organisations).set({ path: `/${province.id}/` }).where(eq(organisations.id, province.id)).returning().get();
  return {
    province: row,
    feixi: makeOrg(app, { name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', regionCode: '340123', parentId: row.id }),
    changfeng: makeOrg(app, { name: '长丰县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', regionCode: '340121', parentId: row.id }),
  };
}

beforeAll(async () => {
  // Sessions outlast the clock's jumps across the publicity period.
  app = await buildTestApp({ sessionTtlMs: 365 * 86_400_000 }, { clock });
  s = makeScenario(app, { entrants: 6, judgeCount: 3 });
  const line = hrLine();
  feixiHr = line.feixi;
  changfengHr = line.changfeng;
  cookie = {
    organiser: await loginAs(app, 'organiser', s.orgId),
    viewer: await loginAs(app, 'viewer', s.orgId),
    hr: await loginAs(app, 'hr_officer', feixiHr.id),
    hrOther: await loginAs(app, 'hr_officer', changfengHr.id),
    hrProvince: await loginAs(app, 'hr_officer', line.province.id),
  };
  otherCompetitionId = makeCompetition(app, { orgId: s.orgId, name: '肥西县企业职工篮球赛' }).id;
  // A Feixi worker the union registered, in no competition; an entrant from another county
  // (长丰县, registered by its union); and a 长丰 worker in no competition.
  unenteredFeixiWorker = makePerson(app, { orgId: s.orgId, name: '未参赛职工' }).id;
  const changfengUnion = makeOrg(app, { name: '长丰县总工会', kind: 'union', level: 'county', regionCode: '340121' });
  farEntrant = makePerson(app, { orgId: changfengUnion.id, name: '外县选手' }).id;
  const entry = app.db.insert(entries).values({ eventId: s.eventId, personId: farEntrant, status: 'absent' }).returning().get();
  app.db.insert(roundEntries).values({ roundId: s.roundId, entryId: entry.id }).run();
  changfengWorker = makePerson(app, { orgId: changfengUnion.id, name: '长丰职工' }).id;
  for (const code of s.judgeCodes) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= 6; n++)
      await call(app, j, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 30 + n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 30 }] } });
  }
});
afterAll(() => app.close());

describe('co-organisers of a competition', () => {
  it('are bodies of the owner’s region, offered to organisers and checked item by item', async () => {
    const candidates = (await call(app, cookie.organiser, { method: 'GET', url: '/api/competitions/co-organiser-candidates' })).json();
    const names = candidates.map((c: { name: string }) => c.name);
    expect(names).toContain('肥西县人力资源和社会保障局');
    expect(names).toContain('安徽省人力资源和社会保障厅');
    expect(names).not.toContain('长丰县人力资源和社会保障局');
    expect((await call(app, cookie.hr, { method: 'GET', url: '/api/competitions/co-organiser-candidates' })).statusCode).toBe(403);

    const bad = await call(app, cookie.organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { coOrganiserIds: [feixiHr.id, changfengHr.id, 999_999, s.orgId] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('co_organiser_invalid');
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.coOrganiserIds.1', 'body.coOrganiserIds.2', 'body.coOrganiserIds.3']);

    const ok = await call(app, cookie.organiser, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { coOrganiserIds: [feixiHr.id] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().coOrganisers).toEqual([{ id: feixiHr.id, name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', regionCode: '340123' }]);
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'competition.update'), eq(auditLog.entityId, s.competitionId))).all().at(-1)!;
    expect((audit.after as { coOrganisers: { id: number }[] }).coOrganisers.map((c) => c.id)).toEqual([feixiHr.id]);
    // The HR officer co-organises, but editing the competition is an organiser's work.
    expect((await call(app, cookie.hr, { method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { venue: '人社局会议室' } })).statusCode).toBe(403);
  });
});

describe('the HR officer, by co-organisation', () => {
  it('sees the competitions the bureau co-organises (or a bureau under it), their events and entrants; no others', async () => {
    const listed = (await call(app, cookie.hr, { method: 'GET', url: '/api/competitions' })).json().items.map((c: { id: number }) => c.id);
    expect(listed).toEqual([s.competitionId]);
    expect((await call(app, cookie.hr, { method: 'GET', url: `/api/competitions/${s.competitionId}` })).statusCode).toBe(200);
    expect((await call(app, cookie.hr, { method: 'GET', url: `/api/competitions/${otherCompetitionId}` })).statusCode).toBe(403);
    const events = (await call(app, cookie.hr, { method: 'GET', url: `/api/competitions/${s.competitionId}/events` })).json();
    expect(events.items.map((e: { id: number }) => e.id)).toEqual([s.eventId]);
    const entrants = (await call(app, cookie.hr, { method: 'GET', url: `/api/events/${s.eventId}/entries` })).json();
    expect(entrants.total).toBe(7);
    expect((await call(app, cookie.hr, { method: 'PATCH', url: `/api/events/${s.eventId}`, payload: { name: '改名' } })).statusCode).toBe(403);
    // The provincial HR department sees what its county bureau co-organises.
    expect((await call(app, cookie.hrProvince, { method: 'GET', url: '/api/competitions' })).json().items.map((c: { id: number }) => c.id)).toEqual([s.competitionId]);
    // Another county's bureau sees none of it.
    expect((await call(app, cookie.hrOther, { method: 'GET', url: '/api/competitions' })).json().total).toBe(0);
    expect((await call(app, cookie.hrOther, { method: 'GET', url: `/api/competitions/${s.competitionId}` })).statusCode).toBe(403);
    expect((await call(app, cookie.hrOther, { method: 'GET', url: `/api/events/${s.eventId}/entries` })).statusCode).toBe(403);
  });
});

describe('the HR officer, by region', () => {
  it('reads the people of its region and of the competitions it co-organises; changing them stays with who registered them', async () => {
    const seen = (await call(app, cookie.hr, { method: 'GET', url: '/api/people?pageSize=500' })).json().items.map((p: { id: number }) => p.id);
    expect(seen).toContain(unenteredFeixiWorker); // region 340123
    expect(seen).toContain(farEntrant); // entered in a co-organised competition
    expect(seen).not.toContain(changfengWorker);
    expect(seen).toHaveLength(8);
    expect((await call(app, cookie.hr, { method: 'GET', url: `/api/people/${unenteredFeixiWorker}` })).json().idNumber).toMatch(/^\d{17}[\dX]$/);
    expect((await call(app, cookie.hr, { method: 'GET', url: `/api/people/${changfengWorker}` })).statusCode).toBe(403);
    expect((await call(app, cookie.hr, { method: 'PATCH', url: `/api/people/${unenteredFeixiWorker}`, payload: { phone: '13900000000' } })).statusCode).toBe(403);
    const other = (await call(app, cookie.hrOther, { method: 'GET', url: '/api/people?pageSize=500' })).json().items.map((p: { id: number }) => p.id);
    expect(other.sort()).toEqual([changfengWorker, farEntrant].sort());
    expect((await call(app, cookie.hrOther, { method: 'GET', url: `/api/people/${unenteredFeixiWorker}` })).statusCode).toBe(403);
  });

  it('records certified levels for people the union registered; another county’s bureau may not', async () => {
    const certificate = {
      personId: unenteredFeixiWorker,
      occupationCode: '6-31-01-03',
      occupationName: '电工',
      level: 4,
      certificateNumber: 'Y000134000001264000321',
      issueDate: '2026-04-20',
      evaluationBody: '肥西县职业技能鉴定中心',
      basis: 'exam',
    };
    const refused = await call(app, cookie.hrOther, { method: 'POST', url: '/api/certificates', payload: certificate });
    expect(refused.statusCode).toBe(403);
    const res = await call(app, cookie.hr, { method: 'POST', url: '/api/certificates', payload: certificate });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orgId: feixiHr.id, levelLabel: '四级/中级工' });
    const record = (await call(app, cookie.organiser, { method: 'GET', url: `/api/people/${unenteredFeixiWorker}` })).json();
    expect(record.skillLevel).toBe(4);
  });
});

describe('proposals of a co-organised competition', () => {
  it('are signed by the HR officer of the co-organising bureau beside the union; not by another county’s', async () => {
    const chief = await judgeLogin(app, s.chiefCode);
    await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    await completeRecheck(app, chief, s.eventId);
    expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) })).statusCode).toBe(200);
    expect((await call(app, cookie.organiser, { method: 'POST', url: '/api/title-rules', payload: { presetKey: 'feixi_b_level' } })).statusCode).toBe(201);
    // The HR officer may run the rules on the co-organised event too.
    const generated = await call(app, cookie.hr, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` });
    expect(generated.statusCode).toBe(200);
    expect(generated.json().created).toBeGreaterThan(0);
    clock.set('2026-11-10T01:00:00Z'); // the publicity period is over

    const mine = (await call(app, cookie.hr, { method: 'GET', url: `/api/proposals?eventId=${s.eventId}` })).json();
    expect(mine.length).toBe(generated.json().created);
    expect((await call(app, cookie.hrOther, { method: 'GET', url: '/api/proposals' })).json()).toHaveLength(0);
    expect((await call(app, cookie.hrOther, { method: 'POST', url: `/api/proposals/${mine[0].id}/sign` })).statusCode).toBe(403);
    expect((await call(app, cookie.hr, { method: 'POST', url: `/api/proposals/${mine[0].id}/sign` })).json()).toMatchObject({ hrSigned: true, unionSigned: false });
    expect((await call(app, cookie.organiser, { method: 'POST', url: `/api/proposals/${mine[0].id}/sign` })).json()).toMatchObject({ status: 'approved' });
  });
});
