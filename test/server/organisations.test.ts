import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, makeOrg, makePerson } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let admin: string;
let viewer: string;

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  admin = await loginAs(app, 'admin');
  viewer = await loginAs(app, 'viewer');
});
afterAll(() => app.close());

describe('organisations', () => {
  it('creates a county union under the root and lists it', async () => {
    const res = await call(app, admin, {
      method: 'POST',
      url: '/api/organisations',
      payload: { parentId: 1, name: '肥西县总工会', kind: 'union', level: 'county', regionCode: '340123' },
    });
    expect(res.statusCode).toBe(201);
    const org = res.json();
    expect(org.path).toBe(`/1/${org.id}/`);
    const list = await call(app, viewer, { method: 'GET', url: '/api/organisations?q=肥西' });
    expect(list.json().items.map((o: { name: string }) => o.name)).toContain('肥西县总工会');
  });

  it('renames without touching the fields left out, and deletes an unused organisation', async () => {
    const org = makeOrg(app, { name: '桃花工业园工会', level: 'township' });
    const res = await call(app, admin, { method: 'PATCH', url: `/api/organisations/${org.id}`, payload: { name: '桃花工业园区工会' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '桃花工业园区工会', level: 'township' });
    expect((await call(app, viewer, { method: 'DELETE', url: `/api/organisations/${org.id}` })).statusCode).toBe(403);
    expect((await call(app, admin, { method: 'DELETE', url: `/api/organisations/${org.id}` })).statusCode).toBe(200);
    expect((await call(app, admin, { method: 'GET', url: `/api/organisations/${org.id}` })).statusCode).toBe(404);
  });

  it('refuses to delete an organisation that still has members', async () => {
    const parent = makeOrg(app);
    makeOrg(app, { parentId: parent.id });
    const res = await call(app, admin, { method: 'DELETE', url: `/api/organisations/${parent.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('organisation_in_use');
    expect(res.json().params).toEqual({ 'organisations.parent_id': 1 });
  });

  it('answers 409 naming what still uses it (an employer of a person), never a 500; its audit trail stays', async () => {
    const employer = makeOrg(app, { kind: 'employer', level: 'enterprise' });
    makePerson(app, { orgId: rootOrg(app).id, employerId: employer.id });
    const res = await call(app, admin, { method: 'DELETE', url: `/api/organisations/${employer.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'organisation_in_use', params: { 'people.employer_id': 1 } });
    expect(res.json().detail).toContain('people.employer_id 1');

    // Created and deleted through the API: both audit rows stay.
    const created = (await call(app, admin, { method: 'POST', url: '/api/organisations', payload: { parentId: rootOrg(app).id, name: '临时单位', kind: 'employer', regionCode: '340123' } })).json();
    expect((await call(app, admin, { method: 'DELETE', url: `/api/organisations/${created.id}` })).statusCode).toBe(200);
    const trail = app.db.$client.prepare(`select action from audit_log where entity_type = 'organisation' and entity_id = ? order by id`).all(created.id) as { action: string }[];
    expect(trail.map((r) => r.action)).toEqual(['organisation.create', 'organisation.delete']);
  });

  it('names the bad field', async () => {
    const res = await call(app, admin, {
      method: 'POST',
      url: '/api/organisations',
      payload: { parentId: 1, name: 'x', kind: 'union', regionCode: '34' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0].field).toBe('body.regionCode');
  });

  it('refuses a viewer and anyone signed out', async () => {
    const payload = { parentId: 1, name: '某单位', kind: 'employer', regionCode: '340123' };
    expect((await call(app, viewer, { method: 'POST', url: '/api/organisations', payload })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url: '/api/organisations', payload })).statusCode).toBe(401);
  });

  it('keeps a county admin inside its subtree', async () => {
    const county = makeOrg(app, { name: '长丰县总工会' });
    const other = makeOrg(app, { name: '庐江县总工会' });
    const countyAdmin = await loginAs(app, 'admin', county.id);
    expect((await call(app, countyAdmin, { method: 'GET', url: `/api/organisations/${other.id}` })).statusCode).toBe(403);
    const list = await call(app, countyAdmin, { method: 'GET', url: '/api/organisations' });
    expect(list.json().items.map((o: { id: number }) => o.id)).toEqual([county.id]);
  });
});
