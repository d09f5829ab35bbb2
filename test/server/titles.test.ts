import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitions, entries, people, personTitles, skillCertificates } from '../../db/schema.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let organiser: string;
let hr: string;
let chief: string;
const personOf = (n: number) => app.db.select().from(entries).where(eq(entries.id, s.entryIds[n - 1]!)).get()!.personId;

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 12, judgeCount: 3 });
  organiser = await loginAs(app, 'organiser', s.orgId);
  hr = await loginAs(app, 'hr_officer', s.orgId);
  chief = await judgeLogin(app, s.chiefCode);
  for (const code of s.judgeCodes) {
    const j = await judgeLogin(app, code);
    for (let n = 1; n <= 12; n++)
      await call(app, j, {
        method: 'POST',
        url: '/api/marks',
        payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 40 + n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 }] },
      });
  }
  // The winner (12) is an intermediate worker (level 4); second place (11) has no certified level.
  app.db.update(people).set({ skillLevel: 4 }).where(eq(people.id, personOf(12))).run();
  app.db.update(people).set({ skillLevel: null }).where(eq(people.id, personOf(11))).run();
});
afterAll(() => app.close());

describe('titles and promotions from results', () => {
  it('installs the Feixi preset with its title types; refuses a viewer and a bad preset', async () => {
    const viewer = await loginAs(app, 'viewer', s.orgId);
    expect((await call(app, viewer, { method: 'POST', url: '/api/title-rules', payload: { presetKey: 'feixi_b_level' } })).statusCode).toBe(403);
    const presets = (await call(app, organiser, { method: 'GET', url: '/api/title-rules/presets' })).json();
    const feixi = presets.titleRules.find((r: { name: string }) => r.name.includes('肥西'));
    const bad = await call(app, organiser, { method: 'POST', url: '/api/title-rules', payload: { presetKey: 'nowhere' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.presetKey');
    const res = await call(app, organiser, { method: 'POST', url: '/api/title-rules', payload: { presetKey: feixi.key } });
    expect(res.statusCode).toBe(201);
    const types = (await call(app, organiser, { method: 'GET', url: '/api/title-types' })).json();
    expect(types.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['肥西县技术能手', '肥西技能大师']));
  });

  it('proposes only from released results: the top three, the winner at intermediate level or above', async () => {
    const early = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` });
    expect(early.json().code).toBe('not_released');
    await call(app, chief, { method: 'POST', url: `/api/rounds/${s.roundId}/close` });
    await completeRecheck(app, chief, s.eventId);
    await call(app, chief, { method: 'POST', url: `/api/events/${s.eventId}/release`, payload: await reasonsForIncomplete(app, chief, s.eventId) });
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` });
    expect(res.statusCode).toBe(200);
    const proposals = res.json().proposals as { personId: number; kind: string; titleName: string }[];
    const titled = (name: string) => proposals.filter((p) => p.titleName === name).map((p) => p.personId).sort();
    expect(titled('肥西县技术能手')).toEqual([personOf(10), personOf(11), personOf(12)].sort());
    expect(titled('肥西技能大师')).toEqual([personOf(12)]);
    expect(proposals.some((p) => p.kind === 'recommendation')).toBe(true);
  });

  it('needs both the union and the HR bureau; then the title is conferred, and never twice', async () => {
    const list = (await call(app, hr, { method: 'GET', url: `/api/proposals?eventId=${s.eventId}&status=proposed` })).json();
    const master = list.find((p: { titleName: string }) => p.titleName === '肥西技能大师');
    const one = await call(app, organiser, { method: 'POST', url: `/api/proposals/${master.id}/sign` });
    expect(one.json()).toMatchObject({ unionSigned: true, hrSigned: false, status: 'proposed' });
    expect((await call(app, organiser, { method: 'POST', url: `/api/proposals/${master.id}/sign` })).json().code).toBe('already_signed');
    const two = await call(app, hr, { method: 'POST', url: `/api/proposals/${master.id}/sign` });
    expect(two.json()).toMatchObject({ status: 'approved' });
    const held = app.db.select().from(personTitles).where(eq(personTitles.personId, personOf(12))).all();
    expect(held).toHaveLength(1);
    // Regenerating does not propose the title again to its holder.
    const again = (await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    expect(again.proposals.filter((p: { titleName: string; personId: number }) => p.titleName === '肥西技能大师')).toHaveLength(0);
    const record = (await call(app, organiser, { method: 'GET', url: `/api/people/${personOf(12)}/record` })).json();
    expect(record.titles.map((t: { name: string }) => t.name)).toEqual(['肥西技能大师']);
  });

  it('a promotion rule (Anhui class one) creates a pending certificate once approved, at most one a year', async () => {
    app.db.update(competitions).set({ competitionClass: 'class1' }).where(eq(competitions.id, s.competitionId)).run();
    const presets = (await call(app, hr, { method: 'GET', url: '/api/title-rules/presets' })).json();
    const anhui = presets.titleRules.find((r: { name: string }) => r.name.includes('安徽'));
    expect((await call(app, hr, { method: 'POST', url: '/api/title-rules', payload: { presetKey: anhui.key } })).statusCode).toBe(201);
    const res = (await call(app, hr, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    const promotion = res.proposals.find((p: { kind: string; personId: number }) => p.kind === 'promotion' && p.personId === personOf(12));
    expect(promotion).toMatchObject({ fromLevel: 4 });
    await call(app, organiser, { method: 'POST', url: `/api/proposals/${promotion.id}/sign` });
    expect((await call(app, hr, { method: 'POST', url: `/api/proposals/${promotion.id}/sign` })).json().status).toBe('approved');
    const pending = app.db.select().from(skillCertificates).where(and(eq(skillCertificates.personId, personOf(12)), eq(skillCertificates.status, 'pending'))).all();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ basis: 'competition_promotion', level: promotion.toLevel });
    const later = (await call(app, hr, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    expect(later.proposals.some((p: { kind: string; personId: number }) => p.kind === 'promotion' && p.personId === personOf(12))).toBe(false);
  });

  it('rejects with a reason, and keeps outsiders out', async () => {
    const list = (await call(app, organiser, { method: 'GET', url: '/api/proposals?status=proposed' })).json();
    const bad = await call(app, organiser, { method: 'POST', url: `/api/proposals/${list[0].id}/reject`, payload: { reason: '' } });
    expect(bad.json().errors[0].field).toBe('body.reason');
    expect((await call(app, organiser, { method: 'POST', url: `/api/proposals/${list[0].id}/reject`, payload: { reason: '择优推荐其他人选' } })).json().status).toBe('rejected');
    const outsider = await loginAs(app, 'organiser', makeOrg(app, { name: '外县总工会' }).id);
    expect((await call(app, outsider, { method: 'POST', url: `/api/proposals/${list[1].id}/sign` })).statusCode).toBe(403);
    expect((await call(app, outsider, { method: 'GET', url: '/api/proposals' })).json()).toHaveLength(0);
    expect((await call(app, null, { method: 'GET', url: '/api/proposals' })).statusCode).toBe(401);
  });
});
