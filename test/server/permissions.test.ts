import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, residentId, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

/**
 * Hand-picked requests with real bodies, and who may make them; every other caller must be refused
 * with 401 (signed out) or 403. Allowed callers must get past the permission check (any status but
 * 401/403: some requests are then refused for other reasons). Every operation × every role is in
 * test/server/access-policy.test.ts, generated from server/access-policy.ts; this table adds an
 * administrator of another county (scope) and requests whose bodies get past validation.
 */
type Caller = 'anonymous' | 'admin' | 'organiser' | 'hr_officer' | 'studio_officer' | 'viewer' | 'outsider_admin' | 'judge' | 'chief';
const ALL: Caller[] = ['anonymous', 'admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer', 'outsider_admin', 'judge', 'chief'];

let app: TestApp;
let s: Scenario;
const cookies = new Map<Caller, string | null>();

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app);
  cookies.set('anonymous', null);
  for (const role of ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer'] as const) cookies.set(role, await loginAs(app, role, s.orgId));
  cookies.set('outsider_admin', await loginAs(app, 'admin', makeOrg(app, { name: '外县总工会' }).id));
  cookies.set('judge', await judgeLogin(app, s.judgeCodes[0]!));
  cookies.set('chief', await judgeLogin(app, s.chiefCode));
});
afterAll(() => app.close());

const rows: { name: string; allowed: Caller[]; request: () => { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: object } }[] = [
  { name: 'create an organisation', allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/organisations', payload: { parentId: s.orgId, name: '新单位', kind: 'employer', regionCode: '340123' } }) },
  { name: 'list accounts (own subtree)', allowed: ['admin', 'outsider_admin'], request: () => ({ method: 'GET', url: '/api/accounts' }) },
  { name: 'list people', allowed: ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer', 'outsider_admin'], request: () => ({ method: 'GET', url: '/api/people' }) },
  {
    name: 'register a person',
    allowed: ['admin', 'organiser', 'hr_officer'],
    request: () => ({ method: 'POST', url: '/api/people', payload: { name: '张三', idNumber: residentId(900 + Math.floor(Math.random() * 99), '19880808'), orgId: s.orgId } }),
  },
  { name: 'read a competition', allowed: ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer'], request: () => ({ method: 'GET', url: `/api/competitions/${s.competitionId}` }) },
  { name: 'change a competition', allowed: ['admin', 'organiser'], request: () => ({ method: 'PATCH', url: `/api/competitions/${s.competitionId}`, payload: { venue: '肥西县职业技术学校' } }) },
  { name: 'list entries (names)', allowed: ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer'], request: () => ({ method: 'GET', url: `/api/events/${s.eventId}/entries` }) },
  { name: 'draw lots', allowed: ['admin', 'organiser'], request: () => ({ method: 'POST', url: `/api/events/${s.eventId}/draw`, payload: {} }) },
  { name: 'list the panel', allowed: ['admin', 'organiser', 'hr_officer', 'studio_officer', 'viewer', 'chief'], request: () => ({ method: 'GET', url: `/api/events/${s.eventId}/judges` }) },
  { name: 'issue a judge code', allowed: ['admin', 'organiser', 'chief'], request: () => ({ method: 'POST', url: `/api/judges/${s.judgeIds[4]}/code` }) },
  {
    name: 'submit marks',
    allowed: ['judge', 'chief'],
    request: () => ({ method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: 99, partId: 'task1', criterionId: 'c1', value: 1 }] } }),
  },
  { name: 'see the staff ranking', allowed: ['admin', 'organiser', 'hr_officer', 'viewer', 'chief'], request: () => ({ method: 'GET', url: `/api/events/${s.eventId}/ranking` }) },
  { name: 'list marks', allowed: ['admin', 'organiser', 'hr_officer', 'viewer', 'chief'], request: () => ({ method: 'GET', url: `/api/events/${s.eventId}/marks` }) },
  { name: 'read the audit trail', allowed: ['admin', 'organiser', 'outsider_admin'], request: () => ({ method: 'GET', url: '/api/audit' }) },
  { name: 'release results', allowed: ['admin', 'organiser', 'chief'], request: () => ({ method: 'POST', url: `/api/events/${s.eventId}/release` }) },
  { name: 'see the public ranking', allowed: ALL, request: () => ({ method: 'GET', url: `/api/public/events/${s.eventId}/ranking` }) },
];

describe('who may do what', () => {
  for (const row of rows) {
    it(row.name, async () => {
      for (const caller of ALL) {
        const res = await call(app, cookies.get(caller)!, row.request());
        const refused = res.statusCode === 401 || res.statusCode === 403;
        expect(refused, `${caller}: ${res.statusCode} ${res.body.slice(0, 160)}`).toBe(!row.allowed.includes(caller));
        if (refused) expect(res.statusCode, caller).toBe(caller === 'anonymous' ? 401 : 403);
      }
    });
  }
});

describe('the audit trail', () => {
  it('shows an organiser what happened in their subtree, and nothing from elsewhere', async () => {
    const organiser = cookies.get('organiser')!;
    // The draw in the table above was a redraw (the scenario's entries already had numbers).
    const res = await call(app, organiser, { method: 'GET', url: '/api/audit?action=event.redraw' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(0);
    expect(res.json().items[0]).toMatchObject({ actorKind: 'account', entityType: 'event', entityId: s.eventId });
    const outsider = await call(app, cookies.get('outsider_admin')!, { method: 'GET', url: '/api/audit?action=event.redraw' });
    expect(outsider.json().items).toHaveLength(0);
    const bad = await call(app, organiser, { method: 'GET', url: '/api/audit?pageSize=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('querystring.pageSize');
  });
});
