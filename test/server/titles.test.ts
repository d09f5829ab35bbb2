import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, competitions, entries, people, personTitles, skillCertificates } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { completeRecheck, judgeLogin, makeScenario, newKey, type Scenario, reasonsForIncomplete } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let organiser: string;
let hr: string;
let chief: string;
/** Results are released on Monday 2 November 2026; the publicity period runs to Monday 9 November. */
const clock = fixedClock('2026-11-02T02:00:00Z');
const personOf = (n: number) => app.db.select().from(entries).where(eq(entries.id, s.entryIds[n - 1]!)).get()!.personId;

beforeAll(async () => {
  app = await buildTestApp({}, { clock });
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
    expect(res.json().changes.map((c: { change: string }) => c.change)).toEqual(proposals.map(() => 'added'));
    // Run again with nothing changed: nothing is added, nothing is reported.
    const again = (await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    expect(again).toMatchObject({ created: 0, changes: [], unchanged: proposals.length });
  });

  it('signs only after the publicity period, unless an organiser records a reason (audited)', async () => {
    const list = (await call(app, hr, { method: 'GET', url: `/api/proposals?eventId=${s.eventId}&status=proposed` })).json();
    const early = await call(app, organiser, { method: 'POST', url: `/api/proposals/${list[0].id}/sign` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('publicity_running');
    expect((await call(app, hr, { method: 'POST', url: `/api/events/${s.eventId}/awards-override`, payload: { reason: '颁奖大会在公示期内举行' } })).statusCode).toBe(403);
    const short = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/awards-override`, payload: { reason: '急' } });
    expect(short.json().errors[0].field).toBe('body.reason');
    const ok = await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/awards-override`, payload: { reason: '县总工会表彰大会定于公示期内召开，经组委会研究提前确认' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ allowed: true, blockedBy: null, override: { reason: '县总工会表彰大会定于公示期内召开，经组委会研究提前确认' } });
    const audit = app.db.select().from(auditLog).where(eq(auditLog.action, 'event.awards_override')).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ reason: '县总工会表彰大会定于公示期内召开，经组委会研究提前确认' });
    const pub = (await call(app, hr, { method: 'GET', url: `/api/events/${s.eventId}/publication` })).json();
    expect(pub).toMatchObject({ stage: 'publicity', awardsAllowed: true, awardsOverride: { by: 'organiser user' } });
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

  it('regenerating never discards a signed proposal: it withdraws unsigned ones, keeps signed ones, and lists the changes', async () => {
    const list = (await call(app, organiser, { method: 'GET', url: `/api/proposals?eventId=${s.eventId}&status=proposed` })).json();
    const expert11 = list.find((p: { titleName: string; personId: number }) => p.titleName === '肥西县技术能手' && p.personId === personOf(11));
    expect((await call(app, organiser, { method: 'POST', url: `/api/proposals/${expert11.id}/sign` })).json()).toMatchObject({ unionSigned: true, hrSigned: false });
    // The rules change: the Feixi rule set is switched off.
    const [rule] = (await call(app, organiser, { method: 'GET', url: '/api/title-rules' })).json();
    await call(app, organiser, { method: 'PATCH', url: `/api/title-rules/${rule.id}`, payload: { active: false } });
    const off = (await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    const byChange = (list: { change: string; proposalId: number }[], change: string) => list.filter((c) => c.change === change).map((c) => c.proposalId).sort();
    expect(byChange(off.changes, 'kept_signed')).toEqual([expert11.id]);
    expect(byChange(off.changes, 'withdrawn')).toEqual(list.filter((p: { id: number }) => p.id !== expert11.id).map((p: { id: number }) => p.id).sort());
    expect(off.changes.find((c: { change: string }) => c.change === 'kept_signed')).toMatchObject({ personId: personOf(11), titleName: '肥西县技术能手', after: null });
    const kept = (await call(app, organiser, { method: 'GET', url: `/api/proposals?eventId=${s.eventId}` })).json();
    expect(kept.find((p: { id: number }) => p.id === expert11.id)).toMatchObject({ status: 'proposed', unionSigned: true });
    // The approved title is done: neither withdrawn nor reported.
    expect(kept.some((p: { titleName: string; status: string }) => p.titleName === '肥西技能大师' && p.status === 'approved')).toBe(true);
    // Switched on again: only what is new comes back; the signed one stands as it was.
    await call(app, organiser, { method: 'PATCH', url: `/api/title-rules/${rule.id}`, payload: { active: true } });
    const on = (await call(app, organiser, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    expect(on.changes.every((c: { change: string }) => c.change === 'added')).toBe(true);
    expect(on.changes.some((c: { personId: number; titleName: string }) => c.personId === personOf(11) && c.titleName === '肥西县技术能手')).toBe(false);
    expect(on.unchanged).toBeGreaterThanOrEqual(1);
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
    // The competition's results come with it: practical 52 + 20 of 100; no theory score was entered.
    expect(pending[0]).toMatchObject({ basis: 'competition_promotion', level: promotion.toLevel, practicalScore: 72, theoryScore: null });
    const listed = (await call(app, hr, { method: 'GET', url: `/api/certificates?personId=${personOf(12)}&status=pending` })).json();
    expect(listed.items[0].fromCompetition).toMatch(/ · /);
    const later = (await call(app, hr, { method: 'POST', url: `/api/events/${s.eventId}/proposals/generate` })).json();
    expect(later.proposals.some((p: { kind: string; personId: number }) => p.kind === 'promotion' && p.personId === personOf(12))).toBe(false);
  });

  it('rejects with a reason, and keeps outsiders out', async () => {
    const list = (await call(app, organiser, { method: 'GET', url: '/api/proposals?status=proposed' })).json();
    const bad = await call(app, organiser, { method: 'POST', url: `/api/proposals/${list[0].id}/reject`, payload: { reason: '' } });
    expect(bad.json().errors[0].field).toBe('body.reason');
    expect((await call(app, organiser, { method: 'POST', url: `/api/proposals/${list[0].id}/reject`, payload: { reason: '择优推荐其他人选' } })).json()).toMatchObject({ status: 'rejected', rejectedBy: 'union' });
    // The other side sees who turned it down.
    expect((await call(app, hr, { method: 'GET', url: '/api/proposals' })).json().find((p: { id: number }) => p.id === list[0].id)).toMatchObject({ rejectedBy: 'union', rejectReason: '择优推荐其他人选' });
    const outsider = await loginAs(app, 'organiser', makeOrg(app, { name: '外县总工会' }).id);
    expect((await call(app, outsider, { method: 'POST', url: `/api/proposals/${list[1].id}/sign` })).statusCode).toBe(403);
    expect((await call(app, outsider, { method: 'GET', url: '/api/proposals' })).json()).toHaveLength(0);
    expect((await call(app, null, { method: 'GET', url: '/api/proposals' })).statusCode).toBe(401);
  });
});

describe('an event that is not a trade (a law-knowledge quiz)', () => {
  it('proposes titles but no promotion when the event has no occupation code', async () => {
    const quiz = makeScenario(app, { entrants: 12, judgeCount: 3 });
    const union = await loginAs(app, 'organiser', quiz.orgId);
    const bureau = await loginAs(app, 'hr_officer', quiz.orgId);
    // The organiser clears the occupation: the contest is not a trade.
    const patched = await call(app, union, { method: 'PATCH', url: `/api/events/${quiz.eventId}`, payload: { occupationCode: null, occupationName: null } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ occupationCode: null, occupationName: null });
    app.db.update(competitions).set({ competitionClass: 'class1' }).where(eq(competitions.id, quiz.competitionId)).run();
    for (const code of quiz.judgeCodes) {
      const j = await judgeLogin(app, code);
      for (let n = 1; n <= 12; n++)
        await call(app, j, {
          method: 'POST',
          url: '/api/marks',
          payload: { marks: [{ idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c1', value: 40 + n }, { idempotencyKey: newKey(), number: n, partId: 'task1', criterionId: 'c2', value: 20 }] },
        });
    }
    const quizChief = await judgeLogin(app, quiz.chiefCode);
    await call(app, quizChief, { method: 'POST', url: `/api/rounds/${quiz.roundId}/close` });
    await completeRecheck(app, quizChief, quiz.eventId);
    expect((await call(app, quizChief, { method: 'POST', url: `/api/events/${quiz.eventId}/release`, payload: await reasonsForIncomplete(app, quizChief, quiz.eventId) })).statusCode).toBe(200);

    const presets = (await call(app, union, { method: 'GET', url: '/api/title-rules/presets' })).json();
    for (const name of ['肥西', '安徽']) {
      const preset = presets.titleRules.find((r: { name: string }) => r.name.includes(name));
      expect((await call(app, bureau, { method: 'POST', url: '/api/title-rules', payload: { presetKey: preset.key } })).statusCode).toBe(201);
    }
    const res = await call(app, union, { method: 'POST', url: `/api/events/${quiz.eventId}/proposals/generate` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { proposals: { kind: string; titleName: string | null }[]; skipped: { reason: string }[] };
    expect(body.proposals.filter((p) => p.titleName === '肥西县技术能手')).toHaveLength(3);
    expect(body.proposals.some((p) => p.kind === 'promotion')).toBe(false);
    // The Anhui rule's top places are told why they get no promotion.
    expect(body.skipped.some((x) => x.reason.includes('不适用以赛晋级'))).toBe(true);
  });

  it('needs the occupation name with a code, and accepts an event with neither', async () => {
    const quiz = makeScenario(app, { entrants: 1, judgeCount: 1 });
    const union = await loginAs(app, 'organiser', quiz.orgId);
    const half = await call(app, union, { method: 'PATCH', url: `/api/events/${quiz.eventId}`, payload: { occupationName: null } });
    expect(half.statusCode).toBe(400);
    expect(half.json().errors[0].field).toBe('body.occupationName');
    const scheme = (await call(app, union, { method: 'GET', url: `/api/events/${quiz.eventId}` })).json().scheme;
    const created = await call(app, union, { method: 'POST', url: `/api/competitions/${quiz.competitionId}/events`, payload: { name: '法律知识竞赛', scheme } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ occupationCode: null, occupationName: null, targetLevel: null });
  });
});
