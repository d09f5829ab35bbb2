import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, json, refused, studioThrough, studioWorld, type StudioWorld } from './fixture.ts';

let w: StudioWorld;
const studio: Record<'power' | 'drone' | 'countyB', number> = { power: 0, drone: 0, countyB: 0 };
let allianceId: number;

beforeAll(async () => {
  w = await studioWorld();
  const recognised = async (cookie: string, name: string, hostEmployerId: number, keeper?: number) => {
    const leader = w.person(hostEmployerId, 3, keeper);
    return (
      await studioThrough(w.app, cookie, { name, hostEmployerId, leaderPersonId: leader.id, appliedOn: '2022-01-05' }, [
        { action: 'start_evaluation', date: '2022-02-01' },
        { action: 'recognise', date: '2022-06-30', level: 'county' },
      ])
    ).id as number;
  };
  studio.power = await recognised(w.cookies.studioA, '供电劳模创新工作室', w.orgs.e3.id);
  studio.drone = await recognised(w.cookies.studioA, '无人机职工创新工作室', w.orgs.e1.id);
  studio.countyB = await recognised(w.cookies.studioB, '长丰职工创新工作室', w.orgs.f1.id, w.orgs.countyB.id);
});
afterAll(() => w.app.close());

const url = (path = '') => `/api/studio-alliances/${allianceId}${path}`;

describe('alliances', () => {
  it('are founded by the union, named and kept by it', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-alliances', payload: { name: '' } }), 400, 'body.name');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-alliances', payload: { name: 'x', orgId: w.orgs.e1.id } }), 400, 'body.orgId');
    refused(await call(w.app, w.cookies.hrA, { method: 'POST', url: '/api/studio-alliances', payload: { name: 'x' } }), 403);
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: '/api/studio-alliances', payload: { name: 'x' } }), 403);
    const created = json(
      await call(w.app, w.cookies.studioA, { method: 'POST', url: '/api/studio-alliances', payload: { name: '肥西县电力行业创新工作室联盟', field: '电力', foundedOn: '2023-03-28' } }),
      201,
    );
    expect(created).toMatchObject({ org: { id: w.orgs.countyA.id }, members: 0, lead: null, projects: 0, canManage: true });
    allianceId = created.id;
    const patched = json(await call(w.app, w.cookies.organiserA, { method: 'PATCH', url: url(), payload: { description: '联合攻关、成果共享' } }), 200);
    expect(patched.description).toBe('联合攻关、成果共享');
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: url(), payload: { foundedOn: '2023-13-01' } }), 400, 'body.foundedOn');
    expect(json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: '/api/studio-alliances' }), 200).map((a: { id: number }) => a.id)).toEqual([allianceId]);
    expect(json(await call(w.app, w.cookies.studioB, { method: 'GET', url: '/api/studio-alliances' }), 200)).toEqual([]);
    refused(await call(w.app, w.cookies.studioB, { method: 'GET', url: url() }), 403);
    refused(await call(w.app, w.cookies.studioB, { method: 'PATCH', url: url(), payload: { field: 'x' } }), 403);
    expect((await call(w.app, null, { method: 'GET', url: '/api/studio-alliances' })).statusCode).toBe(401);
  });

  it('take members on application and approval; the first approved leads', async () => {
    const applyStudio = (studioId: number, appliedOn = '2023-03-01') =>
      call(w.app, w.cookies.studioA, { method: 'POST', url: url('/members'), payload: { memberType: 'studio', studioId, appliedOn } });
    json(await applyStudio(studio.power), 200);
    json(await applyStudio(studio.drone, '2023-03-05'), 200);
    const withSchool = json(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/members'), payload: { memberType: 'employer', employerId: w.orgs.e2.id, appliedOn: '2023-09-10' } }), 200);
    expect(withSchool.memberList.map((m: { name: string; status: string }) => [m.name, m.status])).toEqual([
      ['供电劳模创新工作室', 'applied'],
      ['无人机职工创新工作室', 'applied'],
      ['安徽华川精密制造有限公司', 'applied'],
    ]);
    expect(withSchool.pendingApplications).toBe(3);
    refused(await applyStudio(studio.power), 409, 'body.studioId', 'member_exists');
    refused(await applyStudio(studio.countyB), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/members'), payload: { memberType: 'employer', employerId: w.orgs.township.id, appliedOn: '2023-03-01' } }), 400, 'body.employerId');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/members'), payload: { memberType: 'studio', appliedOn: '2023-03-01' } }), 400, 'body.studioId');

    const [power, drone, employer] = withSchool.memberList.map((m: { id: number }) => m.id);
    const decide = (memberId: number, approve: boolean, date: string) =>
      call(w.app, w.cookies.studioA, { method: 'POST', url: url(`/members/${memberId}/decision`), payload: { approve, date } });
    refused(await decide(power, true, '2023-02-01'), 400, 'body.date');
    json(await decide(power, true, '2023-03-28'), 200);
    json(await decide(drone, true, '2023-03-28'), 200);
    const rejected = json(await decide(employer, false, '2023-10-12'), 200);
    expect(rejected).toMatchObject({ members: 2, pendingApplications: 0, lead: { id: power, name: '供电劳模创新工作室' } });
    refused(await decide(employer, true, '2023-10-13'), 409, undefined, 'not_pending');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: url(`/members/${employer}/decision`), payload: { approve: true, date: '2023-10-13' } }), 403);
    // A rejected employer may apply again, and is approved this time.
    json(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/members'), payload: { memberType: 'employer', employerId: w.orgs.e2.id, appliedOn: '2024-01-10' } }), 200);
    const approved = json(await decide(employer, true, '2024-02-01'), 200);
    expect(approved.members).toBe(3);
  });

  it('rotate the lead in joining order, each term ending where the next begins', async () => {
    const rotate = (body: Record<string, unknown>) => call(w.app, w.cookies.studioA, { method: 'POST', url: url('/lead'), payload: body });
    json(await rotate({ date: '2024-03-28' }), 200);
    const second = json(await rotate({ date: '2025-03-28' }), 200);
    expect(second.lead.name).toBe('安徽华川精密制造有限公司');
    const third = json(await rotate({ date: '2026-03-28' }), 200);
    expect(third.lead.name).toBe('供电劳模创新工作室');
    expect(third.leads.map((l: { member: { name: string }; fromDate: string; toDate: string | null }) => [l.member.name, l.fromDate, l.toDate])).toEqual([
      ['供电劳模创新工作室', '2023-03-28', '2024-03-28'],
      ['无人机职工创新工作室', '2024-03-28', '2025-03-28'],
      ['安徽华川精密制造有限公司', '2025-03-28', '2026-03-28'],
      ['供电劳模创新工作室', '2026-03-28', null],
    ]);
    expect(third.memberList.filter((m: { isLead: boolean }) => m.isLead).map((m: { name: string }) => m.name)).toEqual(['供电劳模创新工作室']);
    refused(await rotate({ date: '2026-03-01' }), 400, 'body.date');
    refused(await rotate({ date: '2027-03-28', memberId: 99999 }), 400, 'body.memberId');
    refused(await rotate({ date: 'soon' }), 400, 'body.date');
    refused(await call(w.app, w.cookies.hrA, { method: 'POST', url: url('/lead'), payload: { date: '2027-03-28' } }), 403);
  });

  it('run joint projects of approved members', async () => {
    const detail = json(await call(w.app, w.cookies.viewerA, { method: 'GET', url: url() }), 200);
    const [power, drone] = detail.memberList.map((m: { id: number }) => m.id);
    const created = json(
      await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/projects'), payload: { name: '10千伏配电线路无人机智能巡检', memberIds: [power, drone], startedOn: '2024-05-01' } }),
      200,
    );
    const project = created.projectList[0];
    expect(project).toMatchObject({ status: 'ongoing', members: [{ id: power, name: '供电劳模创新工作室' }, { id: drone }] });
    const done = json(
      await call(w.app, w.cookies.studioA, { method: 'PATCH', url: url(`/projects/${project.id}`), payload: { status: 'completed', endedOn: '2025-12-20', outcome: '实用新型专利2项' } }),
      200,
    );
    expect(done.projectList[0]).toMatchObject({ status: 'completed', endedOn: '2025-12-20', outcome: '实用新型专利2项' });
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: url(`/projects/${project.id}`), payload: { endedOn: '2024-01-01' } }), 400, 'body.endedOn');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/projects'), payload: { name: 'x', memberIds: [99999] } }), 400, 'body.memberIds.0');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: url('/projects'), payload: { name: 'x', memberIds: [], status: 'dreaming' } }), 400, 'body.status');
    refused(await call(w.app, w.cookies.viewerA, { method: 'POST', url: url('/projects'), payload: { name: 'x', memberIds: [] } }), 403);
    refused(await call(w.app, w.cookies.studioA, { method: 'PATCH', url: url('/projects/99999'), payload: { outcome: 'x' } }), 404);
    refused(await call(w.app, w.cookies.studioB, { method: 'PATCH', url: url(`/projects/${project.id}`), payload: { outcome: 'x' } }), 403);
  });
});

describe('malformed alliance ids', () => {
  it('names the bad path parameter', async () => {
    refused(await call(w.app, w.cookies.studioA, { method: 'GET', url: '/api/studio-alliances/abc' }), 400, 'params.id');
    refused(await call(w.app, w.cookies.studioA, { method: 'POST', url: `/api/studio-alliances/${allianceId}/members/xyz/decision`, payload: { approve: true, date: '2026-01-01' } }), 400, 'params.itemId');
  });
});
