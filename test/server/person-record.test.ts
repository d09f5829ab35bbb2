import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, personTitles, prizes, skillCertificates, titleTypes } from '../../db/schema.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let personId: number;

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 3, judgeCount: 3 });
  const judges = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  const chief = await judgeLogin(app, s.chiefCode);
  for (const j of judges)
    for (const n of [1, 2, 3])
      await call(app, j, {
        method: 'POST',
        url: '/api/marks',
        payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 50 + n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 30 }] },
      });
  await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
  await completeRecheck(app, chief, s.eventId);
  expect((await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) })).statusCode).toBe(200);
  personId = app.db.select().from(entries).where(eq(entries.id, s.entryIds[2]!)).get()!.personId;
  app.db.insert(prizes).values({ eventId: s.eventId, entryId: s.entryIds[2]!, tier: 1, label: '一等奖', moneyYuan: 3000, rank: 1 }).run();
  const type = app.db.insert(titleTypes).values({ orgId: s.orgId, key: 'feixi_expert', name: '肥西县技术能手', level: 'county', conferringBodies: ['肥西县总工会', '肥西县人社局'], rewardYuan: 0 }).returning().get();
  app.db.insert(personTitles).values({ personId, titleTypeId: type.id, conferredAt: new Date('2026-12-01') }).run();
  app.db.insert(skillCertificates).values({ personId, orgId: s.orgId, occupationCode: '6-31-01-03', occupationName: '电工', level: 4, certificateNumber: 'Y000134000001224000001', issueDate: '2022-05-01', basis: 'exam' }).run();
  app.db.insert(skillCertificates).values({ personId, orgId: s.orgId, occupationCode: '6-31-01-03', occupationName: '电工', level: 3, basis: 'competition_promotion', status: 'pending' }).run();
});
afterAll(() => app.close());

describe("a person's record", () => {
  it('shows results with rank once released, prizes, titles and certified levels over time', async () => {
    const organiser = await loginAs(app, 'organiser', s.orgId);
    const res = await call(app, organiser, { method: 'GET', url: `/api/people/${personId}/record` });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.person.name).toBe('选手3');
    expect(r.results).toEqual([expect.objectContaining({ eventName: '电工', rank: 1, released: true, finalists: 3, grade: 'B' })]);
    expect(r.prizes).toEqual([expect.objectContaining({ label: '一等奖', moneyYuan: 3000 })]);
    expect(r.titles).toEqual([expect.objectContaining({ name: '肥西县技术能手', level: 'county' })]);
    expect(r.certificates.map((c: { levelLabel: string; status: string }) => `${c.levelLabel}:${c.status}`)).toEqual(['四级/中级工:issued', '三级/高级工:pending']);
  });

  it('masks the ID number for a viewer and refuses outsiders and bad ids', async () => {
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'GET', url: `/api/people/${personId}/record` })).json().person.idNumber).toMatch(/\*{8}/);
    const outsider = await loginAs(app, 'organiser', makeOrg(app, { name: '外县' }).id);
    expect((await call(app, outsider, { method: 'GET', url: `/api/people/${personId}/record` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/people/${personId}/record` })).statusCode).toBe(401);
    expect((await call(app, viewer, { method: 'GET', url: '/api/people/x/record' })).statusCode).toBe(400);
  });
});
