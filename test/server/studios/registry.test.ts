import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, studioSteps } from '../../../db/schema.ts';
import { apply, applyBody, call, json, readWorkbook, refused, step, studioThrough, studioWorld, type StudioWorld } from './fixture.ts';

let w: StudioWorld;
beforeAll(async () => {
  w = await studioWorld();
});
afterAll(() => w.app.close());

describe('registering a studio (POST /api/studios)', () => {
  it('records the application as the first step, decided by the applicant (the host employer)', async () => {
    const leader = w.person(w.orgs.e1.id, 3);
    const member = w.person(w.orgs.e1.id, 4);
    const res = await apply(w.app, w.cookies.studioA, {
      name: '翔宇无人机职工创新工作室',
      hostEmployerId: w.orgs.e1.id,
      leaderPersonId: leader.id,
      members: [{ personId: member.id, role: 'apprentice' }],
    });
    const studio = json(res, 201);
    expect(studio).toMatchObject({
      status: 'applied',
      kind: 'worker',
      line: 'union',
      host: { id: w.orgs.e1.id, name: '合肥翔宇无人机科技有限公司' },
      area: { id: w.orgs.township.id, name: '桃花工业园工会' },
      leader: { id: leader.id },
      memberCount: 1,
      leaderEligibility: { ok: true, satisfiedBy: '高级工（三级）及以上职业技能等级' },
      canManage: true,
    });
    expect(studio.steps).toEqual([
      expect.objectContaining({ action: 'apply', decision: '提交申报', from: null, to: 'applied', date: '2021-03-01', decidedBy: { body: 'applicant', organisationId: w.orgs.e1.id, name: '合肥翔宇无人机科技有限公司' } }),
    ]);
    expect(studio.possibleActions).toEqual(expect.arrayContaining(['start_evaluation', 'reject', 'withdraw']));
    expect(studio.possibleActions).not.toContain('recognise');
    const audit = w.app.db.select().from(auditLog).where(eq(auditLog.action, 'studio.apply')).all();
    expect(audit.some((a) => a.entityId === studio.id)).toBe(true);
  });

  it("checks the kind's leader rule: a model-worker studio needs a model worker or May Day medal holder", async () => {
    const leader = w.person(w.orgs.e3.id, 2);
    const res = await apply(w.app, w.cookies.studioA, { kind: 'model_worker', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader.id, leaderHonours: ['technical_expert'] });
    const problem = refused(res, 400, 'body.leaderPersonId', 'leader_not_eligible');
    expect(problem.errors![0]!.message).toContain('劳模创新工作室的领办人须为市级及以上劳动模范、五一劳动奖章获得者或工匠');
    const ok = await apply(w.app, w.cookies.studioA, { kind: 'model_worker', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader.id, leaderHonours: ['may_day_medal'] });
    expect(json(ok, 201).leaderEligibility.satisfiedBy).toBe('市级及以上劳动模范、五一劳动奖章获得者或工匠');
  });

  it('checks the skill-master rule (technician or above) and leaves skill-master studios to the HR bureau', async () => {
    const senior = w.person(w.orgs.e2.id, 3);
    const technician = w.person(w.orgs.e2.id, 2);
    // The union does not register HR-line studios.
    refused(await apply(w.app, w.cookies.studioA, { kind: 'skill_master', hostEmployerId: w.orgs.e2.id, leaderPersonId: technician.id }), 403);
    const low = await apply(w.app, w.cookies.hrA, { kind: 'skill_master', hostEmployerId: w.orgs.e2.id, leaderPersonId: senior.id });
    expect(refused(low, 400, 'body.leaderPersonId', 'leader_not_eligible').errors![0]!.message).toContain('技师（二级）及以上职业技能等级（现为高级工（三级））');
    const ok = json(await apply(w.app, w.cookies.hrA, { name: '焊接技能大师工作室', kind: 'skill_master', hostEmployerId: w.orgs.e2.id, leaderPersonId: technician.id }), 201);
    expect(ok).toMatchObject({ line: 'hr_bureau', status: 'applied', canManage: true });
  });

  it('names the bad field', async () => {
    const leader = w.person(w.orgs.e1.id, 3);
    refused(await apply(w.app, w.cookies.studioA, { name: '', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id }), 400, 'body.name');
    refused(await apply(w.app, w.cookies.studioA, { functions: [], hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id }), 400, 'body.functions');
    refused(await apply(w.app, w.cookies.studioA, { appliedOn: '2021-02-30', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id }), 400, 'body.appliedOn');
    refused(await apply(w.app, w.cookies.studioA, { hostEmployerId: w.orgs.township.id, leaderPersonId: leader.id }), 400, 'body.hostEmployerId');
    refused(await apply(w.app, w.cookies.studioA, { hostEmployerId: 999_999, leaderPersonId: leader.id }), 400, 'body.hostEmployerId');
    refused(await apply(w.app, w.cookies.studioA, { hostEmployerId: w.orgs.e1.id, leaderPersonId: 999_999 }), 400, 'body.leaderPersonId');
    refused(await apply(w.app, w.cookies.studioA, { hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id, leaderHonours: ['Model Worker'] }), 400, 'body.leaderHonours.0');
  });

  it('refuses viewers, strangers and another county', async () => {
    const leader = w.person(w.orgs.e1.id, 3);
    const body = { hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id };
    refused(await apply(w.app, w.cookies.viewerA, body), 403);
    expect((await call(w.app, null, { method: 'POST', url: '/api/studios', payload: applyBody(body) })).statusCode).toBe(401);
    // County B's officer may not register a studio hosted in county A.
    refused(await apply(w.app, w.cookies.studioB, body), 403);
  });
});

describe('the life cycle through the API', () => {
  it('goes applied → under evaluation → recognised → renewed → warned → renewed → re-confirmed, each step dated and attributed', async () => {
    const leader = w.person(w.orgs.e1.id, 3);
    const s = json(await apply(w.app, w.cookies.studioA, { name: '生命周期工作室', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id, appliedOn: '2021-03-01' }), 201);
    json(await step(w.app, w.cookies.studioA, s.id, { action: 'start_evaluation', date: '2021-04-01' }), 200);
    const recognised = json(await step(w.app, w.cookies.studioA, s.id, { action: 'recognise', date: '2021-06-30', level: 'city', decidedByName: '合肥市总工会' }), 200);
    expect(recognised).toMatchObject({ status: 'recognised', level: 'city', recognisedOn: '2021-06-30', termEndsOn: '2024-06-30' });
    expect(recognised.steps.at(-1)).toMatchObject({ decision: '认定为市级职工创新工作室', decidedBy: { body: 'union', organisationId: null, name: '合肥市总工会' }, recordedBy: expect.any(String) });
    json(await step(w.app, w.cookies.studioA, s.id, { action: 'renew', date: '2022-06-01' }), 200);
    const warned = json(await step(w.app, w.cookies.studioA, s.id, { action: 'warn', date: '2023-06-01', note: '台账不全' }), 200);
    expect(warned.status).toBe('warned');
    expect(warned.possibleActions).not.toContain('warn');
    // A warned studio is warned only once: the next review renews or de-lists.
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'warn', date: '2023-07-01' }), 409, undefined, 'already_warned');
    json(await step(w.app, w.cookies.studioA, s.id, { action: 'renew', date: '2023-12-01' }), 200);
    const reconfirmed = json(await step(w.app, w.cookies.studioA, s.id, { action: 'reconfirm', date: '2024-05-01', joint: true }), 200);
    expect(reconfirmed).toMatchObject({ status: 'recognised', termStartsOn: '2024-06-30', termEndsOn: '2027-06-30' });
    expect(reconfirmed.steps.map((x: { action: string }) => x.action)).toEqual(['apply', 'start_evaluation', 'recognise', 'renew', 'warn', 'renew', 'reconfirm']);
    expect(reconfirmed.steps.at(-1).decidedBy.body).toBe('joint');
    expect(reconfirmed.steps[4].note).toBe('台账不全');
    expect(w.app.db.select().from(studioSteps).where(eq(studioSteps.studioId, s.id)).all()).toHaveLength(7);
  });

  it('de-lists with a ban: the host and the leader may not reapply on the line until the ban ends, the day it ends they may', async () => {
    const leader = w.person(w.orgs.e2.id, 2);
    const s = await studioThrough(w.app, w.cookies.hrA, { name: '摘牌技能大师工作室', kind: 'skill_master', hostEmployerId: w.orgs.e2.id, leaderPersonId: leader.id, appliedOn: '2019-01-02' }, [
      { action: 'start_evaluation', date: '2019-02-01' },
      { action: 'recognise', date: '2019-03-01', level: 'county' },
    ]);
    const delisted = json(await step(w.app, w.cookies.hrA, s.id, { action: 'delist', date: '2020-03-01', note: '考核不合格' }), 200);
    expect(delisted).toMatchObject({ status: 'delisted', bannedUntil: '2026-03-01' });
    expect(delisted.steps.at(-1)).toMatchObject({ action: 'delist', decision: '摘牌，6年内不得再次申报', decidedBy: { body: 'hr_bureau' }, bannedUntil: '2026-03-01' });
    expect(delisted.possibleActions).toEqual([]);
    // Nothing moves a de-listed studio any more.
    refused(await step(w.app, w.cookies.hrA, s.id, { action: 'renew', date: '2020-06-01' }), 409, undefined, 'terminal_state');

    // The same host (another leader) and the same leader (another host) are both banned on the HR line …
    const other = w.person(w.orgs.e2.id, 1);
    const banned = await apply(w.app, w.cookies.hrA, { kind: 'skill_master', hostEmployerId: w.orgs.e2.id, leaderPersonId: other.id, appliedOn: '2026-02-28' });
    expect(refused(banned, 409, 'body.hostEmployerId', 'reapply_banned').errors![0]!.message).toContain('2026-03-01前不得再次申报');
    refused(await apply(w.app, w.cookies.hrA, { kind: 'skill_master', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader.id, appliedOn: '2025-01-01' }), 409, undefined, 'reapply_banned');
    // … not on the union's line …
    json(await apply(w.app, w.cookies.studioA, { name: '同单位职工创新工作室', kind: 'worker', hostEmployerId: w.orgs.e2.id, leaderPersonId: other.id, appliedOn: '2025-01-01' }), 201);
    // … and no longer from the day the ban ends.
    json(await apply(w.app, w.cookies.hrA, { name: '重新申报技能大师工作室', kind: 'skill_master', hostEmployerId: w.orgs.e2.id, leaderPersonId: other.id, appliedOn: '2026-03-01' }), 201);
  });

  it('takes an explicit ban length, and expires a studio whose term ended without re-confirmation', async () => {
    const leader = w.person(w.orgs.e3.id, 3);
    const s = await studioThrough(w.app, w.cookies.studioA, { name: '期满工作室', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader.id, appliedOn: '2018-01-02' }, [
      { action: 'start_evaluation', date: '2018-02-01' },
      { action: 'recognise', date: '2018-03-01', level: 'county', termYears: 2 },
    ]);
    expect(s.termEndsOn).toBe('2020-03-01');
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'expire', date: '2020-02-28' }), 409, undefined, 'term_not_ended');
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'renew', date: '2020-03-02' }), 409, undefined, 'term_expired');
    expect(json(await step(w.app, w.cookies.studioA, s.id, { action: 'expire', date: '2020-03-01' }), 200).status).toBe('expired');
    const out = json(await step(w.app, w.cookies.studioA, s.id, { action: 'delist', date: '2020-04-01', banYears: 1 }), 200);
    expect(out).toMatchObject({ status: 'delisted', bannedUntil: '2021-04-01' });
  });

  it('refuses a decision naming the field, another line, a viewer and another county', async () => {
    const leader = w.person(w.orgs.e1.id, 3);
    const s = await studioThrough(w.app, w.cookies.studioA, { name: '拒绝决定工作室', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id, appliedOn: '2022-01-05' }, [
      { action: 'start_evaluation', date: '2022-02-01' },
    ]);
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'recognise', date: '2022-03-01' }), 400, 'body.level', 'level_required');
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'recognise', date: '2022-01-31', level: 'county' }), 400, 'body.date', 'date_before_last_step');
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'apply', date: '2022-03-01' }), 400, 'body.action');
    refused(await step(w.app, w.cookies.studioA, s.id, { action: 'renew', date: '2022-03-01' }), 409, undefined, 'not_allowed');
    // The HR bureau does not decide on the union's studios, nor viewers and other counties on anything.
    refused(await step(w.app, w.cookies.hrA, s.id, { action: 'recognise', date: '2022-03-01', level: 'county' }), 403);
    refused(await step(w.app, w.cookies.viewerA, s.id, { action: 'reject', date: '2022-03-01' }), 403);
    refused(await step(w.app, w.cookies.studioB, s.id, { action: 'reject', date: '2022-03-01' }), 403);
    expect((await call(w.app, null, { method: 'POST', url: `/api/studios/${s.id}/steps`, payload: { action: 'reject', date: '2022-03-01' } })).statusCode).toBe(401);
    // A withdrawal is the applicant's.
    const withdrawn = json(await step(w.app, w.cookies.studioA, s.id, { action: 'withdraw', date: '2022-03-01' }), 200);
    expect(withdrawn.steps.at(-1).decidedBy).toMatchObject({ body: 'applicant', organisationId: w.orgs.e1.id });
  });
});

describe('reading and changing studios', () => {
  let studioId: number;
  let leaderId: number;
  beforeAll(async () => {
    const leader = w.person(w.orgs.e3.id, 2, undefined, '孙云飞');
    leaderId = leader.id;
    const s = await studioThrough(
      w.app,
      w.cookies.studioA,
      { name: '孙云飞劳模创新工作室', kind: 'model_worker', hostEmployerId: w.orgs.e3.id, leaderPersonId: leader.id, leaderHonours: ['model_worker_national'], appliedOn: '2023-01-10' },
      [
        { action: 'start_evaluation', date: '2023-02-01' },
        // A ten-year term keeps it in term whatever day the tests run (term status reads today's date).
        { action: 'recognise', date: '2023-04-28', level: 'national_demonstration', termYears: 10 },
      ],
    );
    studioId = s.id;
  });

  it('lists the registry of the subtree with filters, and nothing of another county', async () => {
    const all = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios?pageSize=500' }), 200);
    expect(all.total).toBeGreaterThan(3);
    expect(all.items[0]).toMatchObject({ level: 'national_demonstration' }); // registry order: highest level first
    const byKind = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studios?kind=model_worker&status=recognised' }), 200);
    expect(byKind.items.map((s: { id: number }) => s.id)).toContain(studioId);
    expect(byKind.items.every((s: { kind: string; status: string }) => s.kind === 'model_worker' && s.status === 'recognised')).toBe(true);
    const byName = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studios?q=${encodeURIComponent('孙云飞')}` }), 200);
    expect(byName.items.map((s: { id: number }) => s.id)).toEqual([studioId]);
    const hrLine = json(await call(w.app, w.cookies.hrA, { method: 'GET', url: '/api/studios?line=hr_bureau&pageSize=500' }), 200);
    expect(hrLine.total).toBeGreaterThan(0);
    expect(hrLine.items.every((s: { kind: string }) => s.kind === 'skill_master')).toBe(true);
    // The HR bureau reads its county's studios (joint supervision) …
    expect(json(await call(w.app, w.cookies.hrA, { method: 'GET', url: '/api/studios?pageSize=500' }), 200).total).toBe(all.total);
    // … county B sees none of county A's.
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studios' }), 200).total).toBe(0);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: `/api/studios?orgId=${w.orgs.countyA.id}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios?kind=famous' }), 400, 'querystring.kind');
    expect((await call(w.app, null, { method: 'GET', url: '/api/studios' })).statusCode).toBe(401);
  });

  it('shows one studio in scope only', async () => {
    const detail = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: `/api/studios/${studioId}` }), 200);
    expect(detail).toMatchObject({ id: studioId, canManage: false, termStatus: 'in_term', rule: { termYears: 3, reapplyBanYears: 3 } });
    expect(json(await call(w.app, w.cookies.hrA, { method: 'GET', url: `/api/studios/${studioId}` }), 200).canManage).toBe(false);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: `/api/studios/${studioId}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios/999999' }), 404);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios/abc' }), 400, 'params.id');
  });

  it("changes the particulars, re-checking the leader rule when the leader's honours change", async () => {
    const res = await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studios/${studioId}`, payload: { field: '配电运维', siteAreaM2: 300, functions: ['technical_innovation', 'craft_heritage'] } });
    expect(json(res, 200)).toMatchObject({ field: '配电运维', siteAreaM2: 300, functions: ['technical_innovation', 'craft_heritage'], leaderHonours: ['model_worker_national'] });
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studios/${studioId}`, payload: { leaderHonours: ['technical_expert'] } }), 400, 'body.leaderHonours', 'leader_not_eligible');
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: `/api/studios/${studioId}`, payload: { siteAreaM2: -5 } }), 400, 'body.siteAreaM2');
    refused(await call(w.app, w.cookies.hrA, { method: 'PATCH', url: `/api/studios/${studioId}`, payload: { field: 'x' } }), 403);
    refused(await call(w.app, w.cookies.studioB, { method: 'PATCH', url: `/api/studios/${studioId}`, payload: { field: 'x' } }), 403);
  });

  it('adds and removes members, refusing the leader and duplicates', async () => {
    const apprentice = w.person(w.orgs.e3.id, 4);
    const added = json(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studios/${studioId}/members`, payload: { personId: apprentice.id, role: 'apprentice', joinedOn: '2023-05-01' } }), 200);
    const member = added.members.find((m: { person: { id: number } }) => m.person.id === apprentice.id);
    expect(member).toMatchObject({ role: 'apprentice', joinedOn: '2023-05-01', employer: { id: w.orgs.e3.id }, skillLevel: 4 });
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studios/${studioId}/members`, payload: { personId: apprentice.id } }), 409, 'body.personId', 'member_exists');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studios/${studioId}/members`, payload: { personId: leaderId } }), 400, 'body.personId');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studios/${studioId}/members`, payload: { personId: apprentice.id, role: 'boss' } }), 400, 'body.role');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: `/api/studios/${studioId}/members`, payload: { personId: apprentice.id } }), 403);
    const outsider = w.person(w.orgs.f1.id, 3, w.orgs.countyB.id);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studios/${studioId}/members`, payload: { personId: outsider.id } }), 403);

    refused(await call(w.app, w.cookies.viewerA, { method: 'DELETE', url: `/api/studios/${studioId}/members/${member.id}` }), 403);
    const removed = json(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${studioId}/members/${member.id}` }), 200);
    expect(removed.members.some((m: { id: number }) => m.id === member.id)).toBe(false);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${studioId}/members/${member.id}` }), 404);
  });

  it('records funding per year (Hefei: 50,000 new, 30,000 re-confirmation) and deletes a record entered in error', async () => {
    const url = `/api/studios/${studioId}/funding`;
    json(await call(w.app, w.cookies.studioA, { method: 'POST', url, payload: { year: 2023, kind: 'new_studio', amountYuan: 50000, source: '合肥市总工会', receivedOn: '2023-07-01' } }), 200);
    const after = json(await call(w.app, w.cookies.studioA, { method: 'POST', url, payload: { year: 2026, kind: 'reconfirmation', amountYuan: 30000.5, source: '合肥市总工会' } }), 200);
    expect(after.funding.map((f: { year: number; amountYuan: number }) => [f.year, f.amountYuan])).toEqual([
      [2023, 50000],
      [2026, 30000.5],
    ]);
    expect(after.fundingTotalYuan).toBe(80000.5);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url, payload: { year: 2023, kind: 'annual', amountYuan: -1, source: 'x' } }), 400, 'body.amountYuan');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url, payload: { year: 2023, kind: 'annual', amountYuan: 1.005, source: 'x' } }), 400, 'body.amountYuan');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url, payload: { year: 2023, kind: 'annual', amountYuan: 10, source: 'x', receivedOn: '2024-01-01' } }), 400, 'body.receivedOn');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url, payload: { year: 2023, kind: 'annual', amountYuan: 1, source: 'x' } }), 403);
    const id = after.funding[1].id;
    refused(await call(w.app, w.cookies.studioB, { method: 'DELETE', url: `${url}/${id}` }), 403);
    expect(json(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `${url}/${id}` }), 200).fundingTotalYuan).toBe(50000);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `${url}/${id}` }), 404);
  });
});

describe('studio rules as settings', () => {
  it('reads the preset and lets the union’s administrator set its own (a five-year term for model-worker studios)', async () => {
    const preset = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studios/settings' }), 200);
    expect(preset.kinds.skill_master).toMatchObject({ line: 'hr_bureau', termYears: 3, reapplyBanYears: 6 });
    const changed = { kinds: { ...preset.kinds, model_worker: { ...preset.kinds.model_worker, termYears: 5 } } };
    json(await call(w.app, w.cookies.adminA, { method: 'PUT', url: '/api/studios/settings', payload: changed }), 200);
    // The HR bureau under the county reads the county's rules; another county keeps the preset.
    expect(json(await call(w.app, w.cookies.hrA, { method: 'GET', url: '/api/studios/settings' }), 200).kinds.model_worker.termYears).toBe(5);
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studios/settings' }), 200).kinds.model_worker.termYears).toBe(3);
    const leader = w.person(w.orgs.e1.id, 3);
    const s = await studioThrough(w.app, w.cookies.studioA, { kind: 'model_worker', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id, leaderHonours: ['may_day_medal'], appliedOn: '2024-01-02' }, [
      { action: 'start_evaluation', date: '2024-02-01' },
      { action: 'recognise', date: '2024-04-28', level: 'county' },
    ]);
    expect(s.termEndsOn).toBe('2029-04-28');
    json(await call(w.app, w.cookies.adminA, { method: 'PUT', url: '/api/studios/settings', payload: preset }), 200);

    refused(await call(w.app, w.cookies.adminA, { method: 'PUT', url: '/api/studios/settings', payload: { kinds: { ...preset.kinds, worker: { ...preset.kinds.worker, termYears: 0 } } } }), 400, 'body.kinds.worker.termYears');
    // Which line (union or HR bureau) a kind of studio belongs to is the administrator's to set:
    // a studio officer could otherwise take over the HR bureau's studios.
    const takeover = { kinds: { ...preset.kinds, skill_master: { ...preset.kinds.skill_master, line: 'union' } } };
    refused(await call(w.app, w.cookies.studioA, { method: 'PUT', url: '/api/studios/settings', payload: takeover }), 403);
    refused(await call(w.app, w.cookies.organiserA, { method: 'PUT', url: '/api/studios/settings', payload: takeover }), 403);
    refused(await call(w.app, w.cookies.hrA, { method: 'PUT', url: '/api/studios/settings', payload: preset }), 403);
    refused(await call(w.app, w.cookies.viewerA, { method: 'PUT', url: '/api/studios/settings', payload: preset }), 403);
    expect((await call(w.app, null, { method: 'GET', url: '/api/studios/settings' })).statusCode).toBe(401);
  });
});

describe('exporting the registry (GET /api/studios/export)', () => {
  it('writes the registry as .xlsx, read back row by row, and audits it', async () => {
    const res = await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios/export?kind=model_worker' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const sheets = await readWorkbook(res.rawPayload);
    const rows = sheets['创新工作室名录']!;
    expect(rows[0]!.slice(0, 8)).toEqual(['序号', '工作室名称', '类别', '级别', '状态', '依托单位', '所属区域', '领办人']);
    const list = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios?kind=model_worker&pageSize=500' }), 200);
    expect(rows).toHaveLength(list.total + 1);
    expect(Number(res.headers['x-row-count'])).toBe(list.total);
    const national = rows.find((r) => r[1] === '孙云飞劳模创新工作室')!;
    expect(national.slice(0, 8)).toEqual([1, '孙云飞劳模创新工作室', '劳模创新工作室', '国家级示范', '已认定', '国网肥西县供电公司', '肥西县总工会', '孙云飞']);
    expect(national[8]).toBe('全国劳动模范');
    expect(national[24]).toBe(50000);
    const audited = w.app.db.select().from(auditLog).where(eq(auditLog.action, 'studio.export')).all();
    expect(audited.length).toBeGreaterThan(0);
  });

  it('exports nothing of another county and refuses a bad filter or no session', async () => {
    const res = await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studios/export' });
    expect((await readWorkbook(res.rawPayload))['创新工作室名录']).toHaveLength(1);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studios/export?level=galactic' }), 400, 'querystring.level');
    expect((await call(w.app, null, { method: 'GET', url: '/api/studios/export' })).statusCode).toBe(401);
  });
});

describe('choices for the forms (GET /api/studio-lookups/…)', () => {
  it("offers the HR bureau its county's employers, though its own subtree holds none", async () => {
    const hosts = json(await call(w.app, w.cookies.hrA, { method: 'GET', url: '/api/studio-lookups/hosts' }), 200);
    expect(hosts.map((h: { id: number }) => h.id).sort()).toEqual([w.orgs.e1.id, w.orgs.e2.id, w.orgs.e3.id].sort());
    expect(hosts.find((h: { id: number }) => h.id === w.orgs.e1.id)).toMatchObject({ kind: 'employer', area: '桃花工业园工会' });
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studio-lookups/hosts' }), 200).map((h: { id: number }) => h.id)).toEqual([w.orgs.f1.id]);
    expect((await call(w.app, null, { method: 'GET', url: '/api/studio-lookups/hosts' })).statusCode).toBe(401);
  });

  it('offers the people of an employer with their certified level, within the scope only', async () => {
    const named = w.person(w.orgs.e2.id, 2, undefined, '郑先锋');
    const people = json(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studio-lookups/people?employerId=${w.orgs.e2.id}` }), 200);
    expect(people.length).toBeGreaterThan(0);
    expect(people.every((p: { employer: { id: number } }) => p.employer.id === w.orgs.e2.id)).toBe(true);
    expect(people.find((p: { id: number }) => p.id === named.id)).toMatchObject({ name: '郑先锋', skillLevel: 2 });
    expect(json(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studio-lookups/people?q=${encodeURIComponent('郑先锋')}` }), 200).map((p: { id: number }) => p.id)).toEqual([named.id]);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: `/api/studio-lookups/people?employerId=${w.orgs.e2.id}` }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-lookups/people?employerId=0' }), 400, 'querystring.employerId');
  });

  it('offers staff accounts for evaluation panels to those who run evaluations', async () => {
    const accounts = json(await call(w.app, w.cookies.hrA, { method: 'GET', url: '/api/studio-lookups/accounts' }), 200);
    // County A's administrator, studio officer, organiser, viewer and HR officer; not county B's or the province's admin.
    expect(accounts.map((a: { role: string }) => a.role).sort()).toEqual(['admin', 'hr_officer', 'organiser', 'studio_officer', 'viewer']);
    expect(accounts.every((a: { org: { id: number } }) => [w.orgs.countyA.id, w.orgs.hrA.id].includes(a.org.id))).toBe(true);
    refused(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studio-lookups/accounts' }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: `/api/studio-lookups/accounts?q=${'x'.repeat(60)}` }), 400, 'querystring.q');
  });
});

describe('malformed record ids', () => {
  it('names the bad path parameter', async () => {
    const leader = w.person(w.orgs.e1.id, 3);
    const s = json(await apply(w.app, w.cookies.studioA, { name: '路径参数工作室', hostEmployerId: w.orgs.e1.id, leaderPersonId: leader.id }), 201);
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${s.id}/members/abc` }), 400, 'params.itemId');
    refused(await call(w.app, w.cookies.studioA, { method: 'DELETE', url: `/api/studios/${s.id}/funding/0` }), 400, 'params.itemId');
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: '/api/studios/-1', payload: { field: 'x' } }), 400, 'params.id');
  });
});
